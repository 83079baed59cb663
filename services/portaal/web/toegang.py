"""Logging in and out of the portal, and choosing the role and gemeente to act in."""

from __future__ import annotations

import contextlib
import hmac
import logging

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from kernel.identity import AuthenticationFailed, IssuerUnavailable
from services.portaal.web.login import LoginFailed, OidcLogin
from services.portaal.web.sessions import COOKIE, LOGIN_COOKIE, SessionStore
from services.portaal.web.site import Site, text

log = logging.getLogger(__name__)


class Toegang:
    """The pages of who comes in: the front page, login, logout and the choice of role."""

    def __init__(self, site: Site, login: OidcLogin, sessions: SessionStore) -> None:
        self.site = site
        self.login = login
        self.sessions = sessions
        self.secure = site.secure
        self.render = site.render
        self.session_of = site.session_of
        self.to_login = site.to_login

    async def start(self, request: Request) -> Response:
        """The front page: the werkvoorraad once logged in."""
        if self.session_of(request) is not None:
            return RedirectResponse("/werkvoorraad", status_code=303)
        return self.render("start.html", None)

    async def begin_login(self, request: Request) -> Response:
        """Off to the identity provider, with PKCE and a one-time state."""
        then = request.query_params.get("terug", "/werkvoorraad")
        if not then.startswith("/") or then.startswith("//"):
            then = "/werkvoorraad"  # only our own pages: no open redirect
        state, pending = self.sessions.begin(then)
        try:
            response = RedirectResponse(await self.login.authorize_url(state, pending), 303)
        except (LoginFailed, OSError) as failure:
            log.error("login could not start: %s", type(failure).__name__)
            return self.render("fout.html", None, 503, melding="Inloggen kan nu niet.")
        # The callback must come back to this browser: a link with someone else's code and
        # state must not log anyone in as that someone (login CSRF).
        response.set_cookie(
            LOGIN_COOKIE,
            state,
            max_age=600,
            httponly=True,
            secure=self.secure,
            samesite="lax",
            path="/auth",
        )
        return response

    async def callback(self, request: Request) -> Response:
        """Back from the identity provider: a session for the verified token."""
        state = request.query_params.get("state", "")
        started_here = request.cookies.get(LOGIN_COOKIE, "")
        if not state or not hmac.compare_digest(state.encode(), started_here.encode()):
            return self.render("fout.html", None, 400, melding="Deze inlogpoging is verlopen.")
        pending = self.sessions.finish(state)
        code = request.query_params.get("code")
        if pending is None or code is None:
            return self.render("fout.html", None, 400, melding="Deze inlogpoging is verlopen.")
        try:
            token, identity = await self.login.exchange(code, pending)
        except (LoginFailed, AuthenticationFailed, IssuerUnavailable, OSError) as failure:
            log.warning("login refused: %s", type(failure).__name__)
            return self.render("fout.html", None, 403, melding="Inloggen is niet gelukt.")
        session = self.sessions.open(
            token,
            identity.id,
            tuple(sorted(rol.value for rol in identity.rollen)),
            tuple(sorted(identity.gemeenten)),
            identity.expires_at.timestamp(),
        )
        response = RedirectResponse(pending.then, status_code=303)
        # A browser-session cookie: the server ends the session when it is idle or expired.
        response.set_cookie(
            COOKIE, session.id, httponly=True, secure=self.secure, samesite="lax", path="/"
        )
        response.delete_cookie(LOGIN_COOKIE, path="/auth")
        return response

    async def logout(self, request: Request) -> Response:
        """End the session here and at the identity provider."""
        session = self.session_of(request)
        if session is None:
            return RedirectResponse("/", status_code=303)  # nobody to log out: change nothing
        form = await request.form()
        if not session.form_token_ok(text(form.get("_csrf"))):
            return self.render("fout.html", session, 403, melding="Dit formulier is verlopen.")
        self.sessions.end(request.cookies.get(COOKIE))
        target = "/"
        with contextlib.suppress(LoginFailed, OSError):
            target = await self.login.logout_url() or "/"
        response = RedirectResponse(target, status_code=303)
        response.delete_cookie(COOKIE, path="/")
        return response

    async def choose(self, request: Request) -> Response:
        """Act in another role or gemeente of the user's own (the token says which)."""
        session = self.session_of(request)
        if session is None:
            return self.to_login(request)
        form = await request.form()
        if not session.form_token_ok(text(form.get("_csrf"))):
            return self.render("fout.html", session, 403, melding="Dit formulier is verlopen.")
        rol, gemeente = text(form.get("rol")) or "", text(form.get("gemeente")) or ""
        if not session.choose(rol, gemeente):
            return self.render(
                "fout.html", session, 403, melding="Die rol of gemeente is niet de uwe."
            )
        return RedirectResponse("/werkvoorraad", status_code=303)

    def routes(self) -> list[Route]:
        """Its pages."""
        return [
            Route("/", self.start),
            Route("/inloggen", self.begin_login),
            Route("/auth/callback", self.callback),
            Route("/uitloggen", self.logout, methods=["POST"]),
            Route("/kies", self.choose, methods=["POST"]),
        ]
