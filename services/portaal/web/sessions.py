"""Portal sessions: the user's access token kept server-side, a cookie that only names it."""

from __future__ import annotations

import hmac
import secrets
import time
from dataclasses import dataclass, field

COOKIE = "wvggz_sessie"
LOGIN_COOKIE = "wvggz_inloggen"
"""Holds a login's state between the start and the callback, in the browser that started it."""
MAX_PENDING = 10_000
"""Logins on their way at once; beyond this the oldest is forgotten (anyone may start one)."""


@dataclass
class Session:
    """One logged-in user: their token, who it says they are, and the form token (CSRF)."""

    id: str
    token: str
    user: str
    rollen: tuple[str, ...]
    gemeenten: tuple[str, ...]
    expires_at: float
    """When the access token expires (epoch seconds): the session ends with it."""
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    seen: float = field(default_factory=time.monotonic)
    rol: str = ""
    """The role the portal acts in: the first until the user chooses another of theirs."""
    gemeente: str = ""
    """The gemeente the portal acts for, likewise."""

    def __post_init__(self) -> None:
        self.rol = self.rol or self.rollen[0]
        self.gemeente = self.gemeente or self.gemeenten[0]

    def choose(self, rol: str, gemeente: str) -> bool:
        """Act in another of the user's roles or gemeenten; False when it is not theirs."""
        if rol not in self.rollen or gemeente not in self.gemeenten:
            return False
        self.rol, self.gemeente = rol, gemeente
        return True

    def form_token_ok(self, sent: str | None) -> bool:
        """Whether a form came from one of our own pages (compared in constant time)."""
        return sent is not None and hmac.compare_digest(sent.encode(), self.csrf.encode())


@dataclass
class PendingLogin:
    """A login on its way through the identity provider (its PKCE verifier; keyed by state)."""

    verifier: str
    then: str
    """The page to return to."""
    started: float = field(default_factory=time.monotonic)


class SessionStore:
    """Sessions in this process's memory: a restart logs everyone out, nothing is on disk."""

    def __init__(self, idle_seconds: float, *, pending_seconds: float = 600.0) -> None:
        self.idle_seconds = idle_seconds
        self.pending_seconds = pending_seconds
        self._sessions: dict[str, Session] = {}
        self._pending: dict[str, PendingLogin] = {}

    def begin(self, then: str) -> tuple[str, PendingLogin]:
        """A new login: its `state` and what the callback needs."""
        self._forget_old()
        state = secrets.token_urlsafe(24)
        pending = PendingLogin(secrets.token_urlsafe(48), then)
        self._pending[state] = pending
        while len(self._pending) > MAX_PENDING:
            del self._pending[next(iter(self._pending))]  # dicts keep insertion order
        return state, pending

    def finish(self, state: str) -> PendingLogin | None:
        """The login this state began (once only), if it is still recent."""
        pending = self._pending.pop(state, None)
        if pending is None or time.monotonic() - pending.started > self.pending_seconds:
            return None
        return pending

    def open(
        self,
        token: str,
        user: str,
        rollen: tuple[str, ...],
        gemeenten: tuple[str, ...],
        expires_at: float,
    ) -> Session:
        """A new session for a verified token."""
        session = Session(secrets.token_urlsafe(32), token, user, rollen, gemeenten, expires_at)
        self._sessions[session.id] = session
        return session

    def get(self, session_id: str | None) -> Session | None:
        """The live session with this id; an idle or expired one is ended."""
        if session_id is None:
            return None
        session = self._sessions.get(session_id)
        if session is None:
            return None
        now = time.monotonic()
        if now - session.seen > self.idle_seconds or time.time() >= session.expires_at:
            self._sessions.pop(session_id, None)
            return None
        session.seen = now
        return session

    def end(self, session_id: str | None) -> None:
        """Log out."""
        if session_id is not None:
            self._sessions.pop(session_id, None)

    def _forget_old(self) -> None:
        now = time.monotonic()
        for state, pending in list(self._pending.items()):
            if now - pending.started > self.pending_seconds:
                del self._pending[state]
        for session_id, session in list(self._sessions.items()):
            if now - session.seen > self.idle_seconds:
                del self._sessions[session_id]
