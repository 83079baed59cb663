"""Where the issuer's public signing keys come from: its JWKS endpoint, or a fixed set in tests."""

from __future__ import annotations

import asyncio
import json
import logging
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePublicKey
from cryptography.hazmat.primitives.asymmetric.ed448 import Ed448PublicKey
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm
from jwt.exceptions import InvalidKeyError

from kernel.identity.errors import AuthenticationFailed, IssuerUnavailable
from kernel.logsafe import describe
from kernel.settings import ServiceSettings

log = logging.getLogger(__name__)

PublicKey = RSAPublicKey | EllipticCurvePublicKey | Ed25519PublicKey | Ed448PublicKey
"""A public signing key; never a symmetric secret, so no token can make us verify with HMAC."""

_PUBLIC_KEY_TYPES = (RSAPublicKey, EllipticCurvePublicKey, Ed25519PublicKey, Ed448PublicKey)

ASYMMETRIC_ALGORITHMS: Mapping[str, tuple[type[PublicKey], ...]] = {
    "RS256": (RSAPublicKey,),
    "RS384": (RSAPublicKey,),
    "RS512": (RSAPublicKey,),
    "PS256": (RSAPublicKey,),
    "PS384": (RSAPublicKey,),
    "PS512": (RSAPublicKey,),
    "ES256": (EllipticCurvePublicKey,),
    "ES384": (EllipticCurvePublicKey,),
    "ES512": (EllipticCurvePublicKey,),
    "EdDSA": (Ed25519PublicKey, Ed448PublicKey),
}
"""The token algorithms the platform can accept, with the key types each one verifies with."""

_CURVES = {"ES256": "secp256r1", "ES384": "secp384r1", "ES512": "secp521r1"}

_PARSERS: Mapping[str, Callable[[dict[str, Any]], object]] = {
    "RSA": RSAAlgorithm.from_jwk,
    "EC": ECAlgorithm.from_jwk,
    "OKP": OKPAlgorithm.from_jwk,
}

REFETCH_INTERVAL_S = 30.0
RETRY_AFTER_FAILURE_S = 5.0
MAX_KEY_SET_AGE_S = 3600.0
FETCH_TIMEOUT_S = 5.0
_MAX_DOCUMENT_BYTES = 1_000_000


def key_fits(key: PublicKey, alg: str) -> bool:
    """Whether `alg` is an accepted asymmetric algorithm made for this kind of key."""
    key_types = ASYMMETRIC_ALGORITHMS.get(alg)
    if key_types is None or not isinstance(key, key_types):
        return False
    curve = _CURVES.get(alg)
    return curve is None or (isinstance(key, EllipticCurvePublicKey) and key.curve.name == curve)


@dataclass(frozen=True, slots=True)
class SigningKey:
    """One public key of a key set, with the `kid` and `alg` the set gives it."""

    kid: str | None
    alg: str | None
    key: PublicKey

    def fits(self, alg: str) -> bool:
        """Whether a token signed with `alg` may be checked with this key."""
        return (self.alg is None or self.alg == alg) and key_fits(self.key, alg)


@dataclass(frozen=True, slots=True)
class KeySet:
    """The usable signing keys of one JWKS document."""

    keys: tuple[SigningKey, ...]

    @classmethod
    def parse(cls, jwks: Mapping[str, Any]) -> KeySet:
        """The public signature keys of a JWKS document; symmetric or unreadable ones left out."""
        entries = jwks.get("keys")
        if not isinstance(entries, list):
            raise ValueError("a JWKS document needs a list of keys")
        return cls(tuple(key for entry in entries if (key := _signing_key(entry)) is not None))

    def has(self, kid: str | None) -> bool:
        """Whether a token with this `kid` (or none) names a key of this set."""
        return bool(self._candidates(kid))

    def find(self, kid: str | None, alg: str) -> PublicKey:
        """The key to check a token with this `kid` and `alg`, or why there is none."""
        candidates = self._candidates(kid)
        if not candidates:
            raise AuthenticationFailed("unknown_key")
        for candidate in candidates:
            if candidate.fits(alg):
                return candidate.key
        raise AuthenticationFailed("algorithm")

    def _candidates(self, kid: str | None) -> tuple[SigningKey, ...]:
        if kid is None:
            return self.keys if len(self.keys) == 1 else ()
        return tuple(key for key in self.keys if key.kid == kid)


def _signing_key(entry: object) -> SigningKey | None:
    if not isinstance(entry, dict):
        return None
    parse = _PARSERS.get(entry.get("kty", ""))
    kid, alg = entry.get("kid"), entry.get("alg")
    if parse is None or entry.get("use", "sig") != "sig":
        return None
    if not isinstance(kid, str | None) or not isinstance(alg, str | None):
        return None
    try:
        key = parse(entry)
    except (InvalidKeyError, ValueError, KeyError, TypeError):
        return None
    # A private key has no business in a published set; we refuse to hold one.
    if not isinstance(key, _PUBLIC_KEY_TYPES):
        return None
    return SigningKey(kid, alg, key)


class KeySource(Protocol):
    """Gives the public key that checks a token's signature."""

    async def key_for(self, kid: str | None, alg: str) -> PublicKey:
        """The key for this `kid` (or the only key when there is no kid) that fits `alg`.

        Raises AuthenticationFailed (`unknown_key`, `algorithm`) or IssuerUnavailable.
        """
        ...


class StaticJwks:
    """A fixed key set, e.g. the test issuer's; never fetches anything."""

    def __init__(self, jwks: Mapping[str, Any]) -> None:
        self._keys = KeySet.parse(jwks)

    async def key_for(self, kid: str | None, alg: str) -> PublicKey:
        """The key for this `kid` and `alg` from the fixed set."""
        return self._keys.find(kid, alg)


class RemoteJwks:
    """The issuer's published key set, fetched on first use and again when a key is unknown."""

    def __init__(
        self,
        settings: ServiceSettings,
        *,
        refetch_interval_s: float = REFETCH_INTERVAL_S,
        retry_after_failure_s: float = RETRY_AFTER_FAILURE_S,
        max_age_s: float = MAX_KEY_SET_AGE_S,
        timeout_s: float = FETCH_TIMEOUT_S,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._issuer = settings.oidc_issuer
        self._discovery_url = _web_url(
            f"{settings.oidc_issuer.rstrip('/')}/.well-known/openid-configuration"
        )
        self._jwks_url = _web_url(settings.oidc_jwks_url) if settings.oidc_jwks_url else None
        self._refetch_interval_s = refetch_interval_s
        self._retry_after_failure_s = retry_after_failure_s
        self._max_age_s = max_age_s
        self._timeout_s = timeout_s
        self._monotonic = monotonic
        self._keys: KeySet | None = None
        self._fetched_at = 0.0
        self._next_fetch_at = 0.0
        self._lock = asyncio.Lock()

    async def key_for(self, kid: str | None, alg: str) -> PublicKey:
        """The key for this `kid` and `alg`; an unknown kid may trigger one refetch (rotation)."""
        keys = self._keys
        if keys is None or not keys.has(kid) or self._is_stale():
            keys = await self._refreshed(kid)
        return keys.find(kid, alg)

    def _is_stale(self) -> bool:
        return self._monotonic() - self._fetched_at > self._max_age_s

    async def _refreshed(self, kid: str | None) -> KeySet:
        async with self._lock:
            keys = self._keys
            if keys is not None and keys.has(kid) and not self._is_stale():
                return keys
            # A flood of tokens with invented kids must not turn into a flood of fetches.
            if self._monotonic() < self._next_fetch_at:
                if keys is None:
                    raise IssuerUnavailable()
                return keys
            try:
                fetched = await asyncio.to_thread(self._fetch)
            except (OSError, ValueError) as failure:
                self._next_fetch_at = self._monotonic() + self._retry_after_failure_s
                log.warning("fetching the issuer's signing keys failed: %s", describe(failure))
                if keys is not None and keys.has(kid):
                    return keys
                raise IssuerUnavailable() from None
            self._keys = fetched
            self._fetched_at = self._monotonic()
            self._next_fetch_at = self._fetched_at + self._refetch_interval_s
            log.info("fetched the issuer's signing keys: %d usable", len(fetched.keys))
            return fetched

    def _fetch(self) -> KeySet:
        if self._jwks_url is None:
            discovery = _json_document(self._discovery_url, self._timeout_s)
            if discovery.get("issuer") != self._issuer:
                raise ValueError("the discovery document names another issuer")
            jwks_uri = discovery.get("jwks_uri")
            if not isinstance(jwks_uri, str):
                raise ValueError("the discovery document has no jwks_uri")
            self._jwks_url = _web_url(jwks_uri)
        keys = KeySet.parse(_json_document(self._jwks_url, self._timeout_s))
        if not keys.keys:
            raise ValueError("the JWKS document has no usable signing key")
        return keys


def _web_url(url: str) -> str:
    if urllib.parse.urlsplit(url).scheme not in {"http", "https"}:
        raise ValueError("an OIDC URL must be http or https")
    return url


def _json_document(url: str, timeout_s: float) -> dict[str, Any]:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout_s) as response:
        body: bytes = response.read(_MAX_DOCUMENT_BYTES + 1)
    if len(body) > _MAX_DOCUMENT_BYTES:
        raise ValueError("the document is too large")
    document = json.loads(body)
    if not isinstance(document, dict):
        raise ValueError("the document is not a JSON object")
    return document
