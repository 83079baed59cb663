"""The burgerservicenummer (BSN) type, validated with the elfproef."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator

from wvggz_contracts.personal import Persoonsgegeven


def elfproef(value: str) -> str:
    """Return the BSN when it passes the eleven test, raise ValueError otherwise."""
    digits = value.strip()
    if len(digits) == 8:
        digits = "0" + digits
    if len(digits) != 9 or not digits.isdigit():
        raise ValueError("een BSN heeft 9 cijfers")
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    if sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 != 0 or digits == "0" * 9:
        raise ValueError("dit BSN voldoet niet aan de elfproef")
    return digits


Bsn = Annotated[str, AfterValidator(elfproef), Persoonsgegeven("bsn")]
"""A valid BSN; marked personal data of kind `bsn` (never in subjects, logs or metrics)."""
