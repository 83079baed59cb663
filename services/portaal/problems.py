"""Errors as `application/problem+json` (RFC 9457) carrying the service's typed error."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse
from wvggz_contracts.commands import ErrorCode

PROBLEM_JSON = "application/problem+json"

STATUS = {
    ErrorCode.VALIDATION_FAILED: 400,
    ErrorCode.UNAUTHENTICATED: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.CONFLICT: 409,
    ErrorCode.IDEMPOTENCY_KEY_REUSED: 422,
    ErrorCode.RULE_VIOLATED: 422,
    ErrorCode.UNAVAILABLE: 503,
    ErrorCode.INTERNAL: 500,
}
"""The HTTP status of each error code the services answer with."""

TITLES = {
    ErrorCode.VALIDATION_FAILED: "Ongeldige invoer",
    ErrorCode.UNAUTHENTICATED: "Niet geauthenticeerd",
    ErrorCode.FORBIDDEN: "Geen toegang",
    ErrorCode.NOT_FOUND: "Niet gevonden",
    ErrorCode.CONFLICT: "Conflict",
    ErrorCode.IDEMPOTENCY_KEY_REUSED: "Idempotency-Key hergebruikt",
    ErrorCode.RULE_VIOLATED: "Regel overtreden",
    ErrorCode.UNAVAILABLE: "Niet beschikbaar",
    ErrorCode.INTERNAL: "Interne fout",
}


def problem_type(code: ErrorCode) -> str:
    """The problem's `type`: a URN per error code, documented in the OpenAPI document."""
    return f"urn:wvggz:probleem:{code.value}"


def problem(
    code: ErrorCode,
    detail: str,
    instance: str,
    *,
    field: str | None = None,
    status: int | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """A problem response; `field` (a path such as `payload.betrokkene.bsn`) becomes the
    `invalidParams` entry integrators show next to their own field."""
    status = status or STATUS[code]
    body: dict[str, Any] = {
        "type": problem_type(code),
        "title": TITLES[code],
        "status": status,
        "detail": detail,
        "instance": instance,
        "code": code.value,
    }
    if field:
        body["invalidParams"] = [{"name": field, "code": code.value, "reason": detail}]
    if code is ErrorCode.UNAUTHENTICATED:
        headers = {"WWW-Authenticate": 'Bearer realm="wvggz"', **(headers or {})}
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)


def from_reply(reply: dict[str, Any], instance: str, **extra: Any) -> JSONResponse:
    """The problem of a service's refusal, with its code, message and field."""
    error = reply["error"]
    code = ErrorCode(error["code"])
    return problem(code, error["message"], instance, field=error.get("field"), **extra)
