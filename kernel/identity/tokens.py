"""Verifies OIDC access tokens (JWT) and remembers verified ones until they expire."""

from __future__ import annotations

import hashlib
import logging
import math
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from jwt.exceptions import InvalidJTIError, InvalidSubjectError
from jwt.types import Options
from wvggz_contracts.commands import AUTHORIZATION_HEADER

from kernel.identity.claims import Identity, identity_from_claims
from kernel.identity.errors import AuthenticationFailed, FailureReason
from kernel.identity.jwks import ASYMMETRIC_ALGORITHMS, KeySource
from kernel.settings import ServiceSettings

log = logging.getLogger(__name__)

# PyJWT checks times against the real clock; we check exp, nbf and iat against the injected one.
_DECODE_OPTIONS: Options = {
    "require": ["exp"],
    "verify_exp": False,
    "verify_nbf": False,
    "verify_iat": False,
    "enforce_minimum_key_length": True,
}

_REASONS: tuple[tuple[type[jwt.PyJWTError], FailureReason], ...] = (
    (jwt.InvalidSignatureError, "signature"),
    (jwt.InvalidAlgorithmError, "algorithm"),
    (jwt.InvalidKeyError, "signature"),
    (jwt.InvalidAudienceError, "audience"),
    (jwt.InvalidIssuerError, "issuer"),
    (InvalidSubjectError, "claims"),
    (InvalidJTIError, "claims"),
)
_MISSING_CLAIM_REASONS: dict[str, FailureReason] = {"aud": "audience", "iss": "issuer"}


def now() -> datetime:
    """The current time in UTC."""
    return datetime.now(UTC)


def bearer_token(headers: Mapping[str, str]) -> str:
    """The token in an `Authorization: Bearer <token>` header, or AuthenticationFailed."""
    value = headers.get(AUTHORIZATION_HEADER)
    if value is None:
        # HTTP gateways may lower-case header names; NATS keeps them as the client sent them.
        wanted = AUTHORIZATION_HEADER.lower()
        value = next((found for name, found in headers.items() if name.lower() == wanted), None)
    if value is None or not value.strip():
        raise AuthenticationFailed("missing")
    scheme, _, token = value.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationFailed("malformed")
    return token.strip()


@dataclass(frozen=True, slots=True)
class _Verified:
    identity: Identity
    refuse_from: datetime


class TokenVerifier:
    """Turns an access token into an Identity, or refuses it with a reason."""

    def __init__(
        self, settings: ServiceSettings, keys: KeySource, clock: Callable[[], datetime] = now
    ) -> None:
        unsafe = [alg for alg in settings.oidc_algorithms if alg not in ASYMMETRIC_ALGORITHMS]
        if unsafe or not settings.oidc_algorithms:
            raise ValueError(
                f"oidc_algorithms {unsafe} not accepted; "
                f"choose from {', '.join(ASYMMETRIC_ALGORITHMS)} (never none or HS*)"
            )
        self._settings = settings
        self._keys = keys
        self._clock = clock
        self._algorithms = list(settings.oidc_algorithms)
        self._leeway = timedelta(seconds=settings.oidc_leeway_s)
        self._cache_size = settings.oidc_token_cache_size
        self._cache: OrderedDict[bytes, _Verified] = OrderedDict()

    async def verify(self, token: str) -> Identity:
        """The Identity of a valid token; AuthenticationFailed or IssuerUnavailable otherwise."""
        try:
            return await self._verify(token)
        except AuthenticationFailed as failure:
            log.info("access token refused: %s", failure.reason)
            raise

    async def _verify(self, token: str) -> Identity:
        if not token or not token.isascii():
            raise AuthenticationFailed("malformed")
        fingerprint = hashlib.sha256(token.encode()).digest()
        at = self._clock()
        verified = self._cache.get(fingerprint)
        if verified is not None:
            if at >= verified.refuse_from:
                del self._cache[fingerprint]
                raise AuthenticationFailed("expired")
            self._cache.move_to_end(fingerprint)
            return verified.identity
        identity = await self._verify_signed(token, at)
        self._remember(fingerprint, _Verified(identity, identity.expires_at + self._leeway))
        return identity

    async def _verify_signed(self, token: str, at: datetime) -> Identity:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise AuthenticationFailed("malformed") from None
        alg = header.get("alg")
        if not isinstance(alg, str) or alg not in self._algorithms:
            raise AuthenticationFailed("algorithm")
        key = await self._keys.key_for(header.get("kid"), alg)
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=self._algorithms,
                audience=self._settings.oidc_audience,
                issuer=self._settings.oidc_issuer,
                options=_DECODE_OPTIONS,
            )
        except jwt.PyJWTError as failure:
            # Chained PyJWT messages may quote header values; the reason is all callers need.
            raise AuthenticationFailed(_reason_of(failure)) from None
        expires_at = self._checked_times(claims, at)
        return identity_from_claims(claims, self._settings, expires_at)

    def _checked_times(self, claims: Mapping[str, Any], at: datetime) -> datetime:
        leeway = self._settings.oidc_leeway_s
        at_s = at.timestamp()
        expires_at_s = _timestamp(claims, "exp")
        if at_s >= expires_at_s + leeway:
            raise AuthenticationFailed("expired")
        for name in ("nbf", "iat"):
            if name in claims and _timestamp(claims, name) > at_s + leeway:
                raise AuthenticationFailed("not_yet_valid")
        try:
            return datetime.fromtimestamp(expires_at_s, UTC)
        except (OverflowError, OSError, ValueError):
            raise AuthenticationFailed("claims") from None

    def _remember(self, fingerprint: bytes, verified: _Verified) -> None:
        if self._cache_size == 0:
            return
        self._cache[fingerprint] = verified
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)


def _timestamp(claims: Mapping[str, Any], name: str) -> float:
    value = claims.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise AuthenticationFailed("claims")
    return float(value)


def _reason_of(failure: jwt.PyJWTError) -> FailureReason:
    if isinstance(failure, jwt.MissingRequiredClaimError):
        return _MISSING_CLAIM_REASONS.get(failure.claim, "claims")
    for kind, reason in _REASONS:
        if isinstance(failure, kind):
            return reason
    return "malformed"
