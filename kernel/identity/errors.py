"""Why an access token is not accepted: a short kind for logs, a Dutch message for people."""

from __future__ import annotations

from typing import ClassVar, Literal

from wvggz_contracts.commands import ErrorCode

FailureReason = Literal[
    "missing",
    "malformed",
    "signature",
    "algorithm",
    "expired",
    "not_yet_valid",
    "issuer",
    "audience",
    "claims",
    "unknown_key",
]

_MESSAGES: dict[FailureReason, str] = {
    "missing": "geen toegangstoken: stuur de header Authorization: Bearer <token>",
    "malformed": "het toegangstoken is geen geldig JWT",
    "signature": "de handtekening van het toegangstoken klopt niet",
    "algorithm": "het toegangstoken is ondertekend met een algoritme dat niet is toegestaan",
    "expired": "het toegangstoken is verlopen",
    "not_yet_valid": "het toegangstoken is nog niet geldig",
    "issuer": "het toegangstoken komt niet van de vertrouwde identiteitsprovider",
    "audience": "het toegangstoken is niet bedoeld voor dit platform",
    "claims": "het toegangstoken mist een bruikbare gebruikers-id, rol of gemeente",
    "unknown_key": "het toegangstoken is ondertekend met een onbekende sleutel",
}


class AuthenticationFailed(Exception):
    """An access token is refused; `reason` is the kind of failure and safe to log."""

    code: ClassVar[ErrorCode] = ErrorCode.UNAUTHENTICATED

    def __init__(self, reason: FailureReason, message: str | None = None) -> None:
        self.reason: FailureReason = reason
        self.message = message or _MESSAGES[reason]
        super().__init__(self.message)


class IssuerUnavailable(Exception):
    """The issuer's signing keys cannot be fetched, so no new token can be checked now."""

    code: ClassVar[ErrorCode] = ErrorCode.UNAVAILABLE
    reason: ClassVar[str] = "unavailable"

    def __init__(self) -> None:
        self.message = "de identiteitsprovider is niet bereikbaar; probeer het later opnieuw"
        super().__init__(self.message)
