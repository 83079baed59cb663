"""Gets an access token from an OpenID Connect provider: authorization code flow with PKCE (S256).

Only the standard library: `urllib` with a cookie jar, redirects followed by hand. The client's
loopback `redirect_uri` is never listened on; the code is read from the `Location` header that
points there. The login step posts the username and password to the login form of the development
provider (`infra/oidc/server.mjs`); a region's own IdP has its own login and is not driven by this.
"""

from __future__ import annotations

import argparse
import base64
import html
import http.client
import http.cookiejar
import json
import os
import re
import secrets
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import Message
from html.parser import HTMLParser
from typing import Any

from kernel.identity.pkce import b64url, challenge, new_verifier, resource_for

DEFAULT_ISSUER = "http://127.0.0.1:8090"
DEFAULT_CLIENT = "wvggz-cli"
DEFAULT_AUDIENCE = "wvggz"
REDIRECT_URIS = {
    "wvggz-cli": "http://127.0.0.1:8765/callback",
    "wvggz-portaal": "http://127.0.0.1:8106/auth/callback",
}
"""The registered redirect_uri of each client of the development provider."""

SCOPE = "openid wvggz"
_MAX_HOPS = 10


class OidcError(Exception):
    """The provider refused the request or answered in a way this client does not understand."""


class LoginRefused(OidcError):
    """Unknown username or wrong password."""


@dataclass(frozen=True)
class _Response:
    status: int
    headers: Message
    body: bytes
    url: str

    @property
    def location(self) -> str | None:
        target = self.headers.get("Location")
        return urllib.parse.urljoin(self.url, target) if target else None

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # urllib then raises HTTPError for the 3xx, which _send turns into a response


class _Session:
    """One browser-like session: a cookie jar and no automatic redirects."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirects()
        )

    def send(
        self,
        url: str,
        form: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> _Response:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(url, data=data, headers=dict(headers or {}))
        if data is not None:
            request.add_header("Content-Type", "application/x-www-form-urlencoded")
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return _Response(response.status, response.headers, response.read(), url)
        except urllib.error.HTTPError as error:
            with error:
                return _Response(error.code, error.headers, error.read(), url)
        except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
            reason = getattr(error, "reason", error)
            raise OidcError(f"cannot reach {url}: {reason}") from error


class _FormFinder(HTMLParser):
    """The action of the first form that has a password field."""

    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self._current: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form":
            self._current = attributes.get("action") or ""
        elif tag == "input" and attributes.get("type") == "password" and self.action is None:
            self.action = self._current

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def _json(response: _Response, what: str) -> dict[str, Any]:
    try:
        document = json.loads(response.body)
    except ValueError as error:
        raise OidcError(f"{what}: HTTP {response.status}, not JSON") from error
    if not isinstance(document, dict):
        raise OidcError(f"{what}: HTTP {response.status}, not a JSON object")
    return document


def _refusal(response: _Response, what: str) -> OidcError:
    """An error for an unexpected answer, with the OAuth error when there is one."""
    content_type = response.headers.get("Content-Type", "")
    if "json" in content_type:
        try:
            document = json.loads(response.body)
            error = document.get("error")
            description = document.get("error_description")
            if error:
                return OidcError(f"{what}: {error}" + (f" ({description})" if description else ""))
        except (ValueError, AttributeError):
            pass
    if "html" in content_type:  # the development provider's error page: "<strong>error</strong>: …"
        found = dict(
            re.findall(r"<strong>(error|error_description)</strong>: ([^<]*)", response.text())
        )
        if "error" in found:
            description = html.unescape(found.get("error_description", ""))
            return OidcError(
                f"{what}: {html.unescape(found['error'])}"
                + (f" ({description})" if description else "")
            )
    return OidcError(f"{what}: unexpected HTTP {response.status}")


def discover(issuer: str, *, timeout: float = 10.0) -> dict[str, Any]:
    """The provider's discovery document, checked to name `issuer`."""
    issuer = issuer.rstrip("/")
    response = _Session(timeout).send(f"{issuer}/.well-known/openid-configuration")
    if response.status != 200:
        raise _refusal(response, f"discovery at {issuer}")
    document = _json(response, "discovery")
    if document.get("issuer") != issuer:
        raise OidcError(f"{issuer} calls itself issuer {document.get('issuer')!r}")
    return document


def fetch_token(
    issuer: str,
    username: str,
    password: str,
    *,
    client_id: str = DEFAULT_CLIENT,
    audience: str = DEFAULT_AUDIENCE,
    client_secret: str | None = None,
    redirect_uri: str | None = None,
    timeout: float = 10.0,
) -> str:
    """Log `username` in and return an access token (a JWT) for `audience`.

    Authorization code flow with PKCE (S256): the authorization request, the provider's login form
    (username and password posted), the redirect to the client's `redirect_uri` with the code (read
    from the Location header, never listened on), and the token request. A confidential client
    (`wvggz-portaal`) passes its `client_secret`. Raises `LoginRefused` for a wrong username or
    password, `OidcError` for any other refusal.
    """
    issuer = issuer.rstrip("/")
    metadata = discover(issuer, timeout=timeout)
    redirect_uri = redirect_uri or REDIRECT_URIS.get(client_id)
    if redirect_uri is None:
        raise OidcError(f"no redirect_uri known for client {client_id!r}; pass redirect_uri")
    resource = resource_for(audience)
    verifier = new_verifier()
    state = b64url(secrets.token_bytes(16))
    query = urllib.parse.urlencode(
        {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "scope": SCOPE,
            "resource": resource,
            "state": state,
            "nonce": b64url(secrets.token_bytes(16)),
            "code_challenge": challenge(verifier),
            "code_challenge_method": "S256",
        }
    )
    session = _Session(timeout)
    callback = _authorize(
        session, f"{metadata['authorization_endpoint']}?{query}", redirect_uri, username, password
    )
    code = _code_from(callback, state=state, issuer=issuer)

    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "code_verifier": verifier,
        "resource": resource,
    }
    headers: dict[str, str] = {"Accept": "application/json"}
    if client_secret is None:
        form["client_id"] = client_id
    else:
        pair = (
            f"{urllib.parse.quote(client_id, safe='')}:{urllib.parse.quote(client_secret, safe='')}"
        )
        headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode("ascii")
    response = session.send(metadata["token_endpoint"], form, headers)
    if response.status != 200:
        raise _refusal(response, "token request refused")
    tokens = _json(response, "token response")
    access_token = tokens.get("access_token")
    if not isinstance(access_token, str) or str(tokens.get("token_type", "")).lower() != "bearer":
        raise OidcError("token response holds no bearer access token")
    _check_audience(access_token, audience)
    return access_token


def _authorize(session: _Session, url: str, redirect_uri: str, username: str, password: str) -> str:
    """Follow the provider's redirects and log in once; return the URL sent to redirect_uri."""
    logged_in = False
    form: Mapping[str, str] | None = None
    for _ in range(_MAX_HOPS):
        response = session.send(url, form)
        form = None
        target = response.location
        if response.status in {301, 302, 303, 307, 308} and target:
            if target.startswith(redirect_uri):
                return target
            url = target
            continue
        if response.status == 401 and logged_in:
            raise LoginRefused(f"login refused for {username!r}: unknown user or wrong password")
        finder = _FormFinder()
        finder.feed(response.text())
        if response.status == 200 and finder.action is not None and not logged_in:
            url = urllib.parse.urljoin(response.url, finder.action)
            form = {"username": username, "password": password}
            logged_in = True
            continue
        if response.status == 200 and finder.action is not None:
            raise LoginRefused(f"login refused for {username!r}: unknown user or wrong password")
        raise _refusal(response, f"authorization at {response.url.split('?')[0]}")
    raise OidcError(f"more than {_MAX_HOPS} redirects during authorization")


def _code_from(callback: str, *, state: str, issuer: str) -> str:
    params = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(callback).query))
    if "error" in params:
        description = params.get("error_description")
        raise OidcError(
            f"authorization refused: {params['error']}"
            + (f" ({description})" if description else "")
        )
    if params.get("state") != state:
        raise OidcError("authorization response with a wrong state")
    if "iss" in params and params["iss"] != issuer:  # RFC 9207 mix-up defence
        raise OidcError(f"authorization response from issuer {params['iss']!r}, not {issuer!r}")
    code = params.get("code")
    if not code:
        raise OidcError("authorization response without a code")
    return code


def _check_audience(token: str, audience: str) -> None:
    """The token is a JWT for `audience` (read, not verified: the services verify it)."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError) as error:
        raise OidcError("the access token is not a JWT") from error
    granted = claims.get("aud")
    if audience not in (granted if isinstance(granted, list) else [granted]):
        raise OidcError(f"the access token is for audience {granted!r}, not {audience!r}")


def token_command(argv: list[str]) -> int:
    """`wvggz token <user>`: print an access token of the development provider to stdout."""
    parser = argparse.ArgumentParser(
        prog="wvggz token",
        description="Log a (demo) user in at the OpenID Connect provider and print the access "
        "token (a JWT) to stdout, e.g. TOKEN=$(wvggz token triagist.gm0402).",
    )
    parser.add_argument("user", help="username, e.g. triagist.gm0402")
    parser.add_argument("--password", default="demo", help="password (default: demo)")
    parser.add_argument(
        "--issuer",
        default=os.environ.get("WVGGZ_OIDC_ISSUER", DEFAULT_ISSUER),
        help="issuer URL (default: $WVGGZ_OIDC_ISSUER or %(default)s)",
    )
    parser.add_argument("--client", default=DEFAULT_CLIENT, help="client id (default: %(default)s)")
    parser.add_argument(
        "--client-secret",
        default=os.environ.get("WVGGZ_OIDC_CLIENT_SECRET"),
        help="secret of a confidential client (default: $WVGGZ_OIDC_CLIENT_SECRET)",
    )
    parser.add_argument("--audience", default=DEFAULT_AUDIENCE, help="default: %(default)s")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 2
    try:
        token = fetch_token(
            args.issuer,
            args.user,
            args.password,
            client_id=args.client,
            audience=args.audience,
            client_secret=args.client_secret,
        )
    except OidcError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(token)
    return 0
