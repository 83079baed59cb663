"""Logging in to the portal: the OIDC authorization code flow with PKCE (S256), as the
confidential client `wvggz-portaal`; the access token is verified like every service does."""

from __future__ import annotations

import secrets
import urllib.parse
from typing import Any

import httpx2

from kernel.identity import TokenVerifier
from kernel.identity.claims import Identity
from kernel.identity.pkce import challenge, resource_for
from services.portaal.settings import PortaalSettings
from services.portaal.web.sessions import PendingLogin

SCOPE = "openid wvggz"


class LoginFailed(Exception):
    """The identity provider refused, or answered what the portal cannot use."""


def _json_object(response: httpx2.Response) -> dict[str, Any]:
    """The answer as a JSON object, or LoginFailed."""
    try:
        found = response.json()
    except ValueError:
        raise LoginFailed("the answer is no JSON") from None
    if not isinstance(found, dict):
        raise LoginFailed("the answer is no JSON object")
    return found


class OidcLogin:
    """Talks to the identity provider for the portal."""

    def __init__(self, settings: PortaalSettings, verifier: TokenVerifier) -> None:
        self.settings = settings
        self.verifier = verifier
        self.issuer = settings.oidc_issuer.rstrip("/")
        self.redirect_uri = f"{settings.portaal_url.rstrip('/')}/auth/callback"
        self.resource = resource_for(settings.oidc_audience)
        self._metadata: dict[str, Any] | None = None

    async def metadata(self) -> dict[str, Any]:
        """The provider's discovery document (fetched once)."""
        if self._metadata is None:
            url = f"{self.issuer}/.well-known/openid-configuration"
            try:
                async with httpx2.AsyncClient(timeout=10) as client:
                    response = await client.get(url)
            except httpx2.HTTPError as failure:
                raise LoginFailed(f"discovery failed: {type(failure).__name__}") from failure
            if response.status_code != 200:
                raise LoginFailed(f"discovery answered {response.status_code}")
            found = _json_object(response)
            for key in ("authorization_endpoint", "token_endpoint"):
                if not isinstance(found.get(key), str):
                    raise LoginFailed(f"discovery names no {key}")
            self._metadata = found
        return self._metadata

    async def authorize_url(self, state: str, pending: PendingLogin) -> str:
        """Where the browser goes to log in."""
        query = urllib.parse.urlencode(
            {
                "response_type": "code",
                "client_id": self.settings.oidc_client_id,
                "redirect_uri": self.redirect_uri,
                "scope": SCOPE,
                "resource": self.resource,
                "state": state,
                "code_challenge": challenge(pending.verifier),
                "code_challenge_method": "S256",
            }
        )
        return f"{(await self.metadata())['authorization_endpoint']}?{query}"

    async def exchange(self, code: str, pending: PendingLogin) -> tuple[str, Identity]:
        """The verified access token for an authorization code."""
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": self.redirect_uri,
            "code_verifier": pending.verifier,
            "resource": self.resource,
        }
        auth = (self.settings.oidc_client_id, self.settings.oidc_client_secret)
        endpoint = (await self.metadata())["token_endpoint"]
        try:
            async with httpx2.AsyncClient(timeout=10) as client:
                response = await client.post(
                    endpoint, data=form, auth=auth, headers={"Accept": "application/json"}
                )
        except httpx2.HTTPError as failure:
            raise LoginFailed(f"token request failed: {type(failure).__name__}") from failure
        if response.status_code != 200:
            raise LoginFailed(f"token request answered {response.status_code}")
        token = _json_object(response).get("access_token")
        if not isinstance(token, str):
            raise LoginFailed("the token response holds no access token")
        return token, await self.verifier.verify(token)

    async def logout_url(self) -> str | None:
        """Where the browser ends its session at the provider, if it offers that."""
        end = (await self.metadata()).get("end_session_endpoint")
        if not isinstance(end, str):
            return None
        query = urllib.parse.urlencode(
            {
                "client_id": self.settings.oidc_client_id,
                "post_logout_redirect_uri": f"{self.settings.portaal_url.rstrip('/')}/",
                "state": secrets.token_urlsafe(16),
            }
        )
        return f"{end}?{query}"
