"""Describes failures for logs without the values that caused them (no personal data)."""

from __future__ import annotations

from pydantic import ValidationError


def describe(failure: BaseException) -> str:
    """The kind of failure and, for validation, where and why, never the offending input."""
    if isinstance(failure, ValidationError):
        places = [
            f"{'.'.join(str(part) for part in error['loc'])}: {error['type']}"
            for error in failure.errors(include_input=False, include_url=False)
        ]
        return f"ValidationError({failure.title}; {'; '.join(places)})"
    return type(failure).__name__
