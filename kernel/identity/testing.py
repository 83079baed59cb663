"""An in-process OIDC issuer for fast tests: its own RSA key, valid tokens and forged ones."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from functools import cached_property
from types import EllipsisType
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from kernel.identity.jwks import StaticJwks

ROLLEN_CLAIM = "wvggz_rollen"
GEMEENTEN_CLAIM = "wvggz_gemeenten"


def _new_rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _base64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class TestIssuer:
    """Signs access tokens the way an identity provider would, with a key made for this run."""

    __test__ = False  # not a pytest test class, despite its name

    def __init__(
        self,
        issuer: str = "https://idp.test/realms/wvggz",
        audience: str = "wvggz",
        *,
        kid: str = "test-key-1",
    ) -> None:
        self.issuer = issuer
        self.audience = audience
        self.kid = kid
        self._private_key = _new_rsa_key()

    @property
    def jwks(self) -> dict[str, Any]:
        """The public key set, as the issuer's JWKS endpoint would publish it."""
        jwk = RSAAlgorithm.to_jwk(self._private_key.public_key(), as_dict=True)
        return {"keys": [{**jwk, "kid": self.kid, "use": "sig"}]}

    def key_source(self) -> StaticJwks:
        """A key source holding this issuer's public key."""
        return StaticJwks(self.jwks)

    def settings_overrides(self) -> dict[str, Any]:
        """The `oidc_*` settings under which this issuer's tokens are accepted."""
        return {
            "oidc_issuer": self.issuer,
            "oidc_audience": self.audience,
            "oidc_claim_id": "sub",
            "oidc_claim_rollen": ROLLEN_CLAIM,
            "oidc_claim_gemeenten": GEMEENTEN_CLAIM,
        }

    def claims(
        self,
        sub: str,
        rollen: Iterable[str],
        gemeenten: Iterable[str],
        *,
        expires_in: float = 3600,
        not_before: datetime | None = None,
        audience: str | list[str] | None = None,
        issuer: str | None = None,
        extra_claims: Mapping[str, Any] | None = None,
        now: datetime | None = None,
    ) -> dict[str, Any]:
        """The claims of an access token; `now` is when it is issued (default: the real time)."""
        issued_at = now or datetime.now(UTC)
        claims: dict[str, Any] = {
            "iss": issuer or self.issuer,
            "aud": audience or self.audience,
            "sub": sub,
            "iat": int(issued_at.timestamp()),
            "exp": int((issued_at + timedelta(seconds=expires_in)).timestamp()),
            ROLLEN_CLAIM: [str(rol) for rol in rollen],
            GEMEENTEN_CLAIM: list(gemeenten),
        }
        if not_before is not None:
            claims["nbf"] = int(not_before.timestamp())
        claims.update(extra_claims or {})
        return claims

    def token(
        self,
        sub: str,
        rollen: Iterable[str],
        gemeenten: Iterable[str],
        *,
        expires_in: float = 3600,
        not_before: datetime | None = None,
        audience: str | list[str] | None = None,
        issuer: str | None = None,
        alg: str = "RS256",
        kid: str | EllipsisType | None = ...,
        extra_claims: Mapping[str, Any] | None = None,
        now: datetime | None = None,
    ) -> str:
        """A signed access token; `kid=...` names this issuer's key, `kid=None` names none."""
        claims = self.claims(
            sub,
            rollen,
            gemeenten,
            expires_in=expires_in,
            not_before=not_before,
            audience=audience,
            issuer=issuer,
            extra_claims=extra_claims,
            now=now,
        )
        headers = {} if kid is None else {"kid": self.kid if kid is ... else kid}
        return jwt.encode(claims, self._private_key, algorithm=alg, headers=headers)

    def signed_by_other_key(self, claims: Mapping[str, Any]) -> str:
        """A token naming this issuer's key but signed by a key it never published."""
        return jwt.encode(
            dict(claims), self._other_private_key, algorithm="RS256", headers={"kid": self.kid}
        )

    def unsigned(self, claims: Mapping[str, Any]) -> str:
        """A token with `alg: none` and no signature."""
        return jwt.encode(dict(claims), "", algorithm="none", headers={"kid": self.kid})

    def hmac_signed_with_public_key(self, claims: Mapping[str, Any]) -> str:
        """The algorithm-confusion attack: HS256 with the issuer's public key PEM as the secret."""
        header = {"alg": "HS256", "typ": "JWT", "kid": self.kid}
        signing_input = ".".join(
            _base64url(json.dumps(part, separators=(",", ":")).encode())
            for part in (header, dict(claims))
        )
        secret = self._private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
        return f"{signing_input}.{_base64url(signature)}"

    @cached_property
    def _other_private_key(self) -> rsa.RSAPrivateKey:
        return _new_rsa_key()
