"""What an OIDC client sends the identity provider: the PKCE S256 challenge and the resource."""

from __future__ import annotations

import base64
import hashlib
import secrets
import urllib.parse


def b64url(data: bytes) -> str:
    """Base64url without padding, as OAuth uses it."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def new_verifier() -> str:
    """A fresh PKCE code verifier (64 characters)."""
    return b64url(secrets.token_bytes(48))


def challenge(verifier: str) -> str:
    """The PKCE S256 code challenge of a verifier."""
    return b64url(hashlib.sha256(verifier.encode("ascii")).digest())


def resource_for(audience: str) -> str:
    """The resource indicator (RFC 8707) that tokens for `audience` are asked with."""
    parsed = urllib.parse.urlsplit(audience)
    return audience if parsed.scheme and ":" in audience else f"urn:{audience}"
