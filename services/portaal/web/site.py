"""What every portal page shares: the templates, the security headers, the user's session and
the way to the services as that user."""

from __future__ import annotations

import re
import urllib.parse
import uuid
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import BaseModel, TypeAdapter, ValidationError
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from wvggz_contracts.commands import GEMEENTE_HEADER, ROL_HEADER

from services.portaal.gateway import Gateway
from services.portaal.settings import PortaalSettings
from services.portaal.web.forms import AMSTERDAM
from services.portaal.web.sessions import COOKIE, Session, SessionStore

TEMPLATES = Path(__file__).parent.parent / "templates"
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


class Site:
    """Rendering, sessions and requests as the logged-in user."""

    def __init__(self, settings: PortaalSettings, gateway: Gateway, sessions: SessionStore) -> None:
        self.settings = settings
        self.gateway = gateway
        self.sessions = sessions
        self.secure = settings.portaal_url.startswith("https://")
        # Scripts: none. Forms post to the portal only; logging out goes on to the provider.
        self.headers = SECURITY_HEADERS | {
            "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; script-src"
            " 'none'; frame-ancestors 'none'; form-action 'self' "
            + settings.oidc_issuer.rstrip("/")
        }
        self.templates = Environment(
            loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(), trim_blocks=True
        )
        self.templates.filters["tekst"] = leesbaar

    def render(
        self, name: str, session: Session | None, status: int = 200, **context: Any
    ) -> HTMLResponse:
        """A page, with the session's user and form token."""
        html = self.templates.get_template(name).render(session=session, **context)
        return HTMLResponse(html, status_code=status, headers=self.headers)

    def session_of(self, request: Request) -> Session | None:
        """The live session of this browser, if any."""
        return self.sessions.get(request.cookies.get(COOKIE))

    def to_login(self, request: Request) -> Response:
        """Send a visitor without a session to the login, back here afterwards."""
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        then = urllib.parse.quote(here)
        return RedirectResponse(f"/inloggen?terug={then}", status_code=303)

    def acting(self, session: Session) -> dict[str, str]:
        """The role and gemeente the user acts in, sent with every request."""
        return {ROL_HEADER: session.rol, GEMEENTE_HEADER: session.gemeente}

    async def ask(self, session: Session, subject: str, body: dict[str, Any]) -> dict[str, Any]:
        """A command or query as the logged-in user."""
        return await self.gateway.ask(subject, body, session.token, self.acting(session))


NUMBER = re.compile(r"[0-9]{1,9}")
"""A page number or a position, as a URL may give it."""
_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def leesbaar(value: object) -> str:
    """A value for people: a moment as Dutch time (`2-12-2026 15:24`), anything else as text."""
    text = str(value)
    if isinstance(value, str) and _MOMENT.match(value):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(AMSTERDAM)
        except ValueError:
            return text
        return f"{moment.day}-{moment.month}-{moment.year} {moment:%H:%M}"
    return text


def is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


@cache
def _key_type(params: type[BaseModel], item: str) -> TypeAdapter[Any]:
    return TypeAdapter(params.model_fields[item].rebuild_annotation())


def is_key(params: type[BaseModel], item: str, text: str) -> bool:
    """Whether a path's key can name a case of this query: a UUID for a dossier, a quarter such
    as `2026-K4` for the figures, as the query's params declare it."""
    if item not in params.model_fields:
        return False
    try:
        _key_type(params, item).validate_python(text)
    except ValidationError:
        return False
    return True


def not_a_key(item: str, text: str) -> str:
    """Why a page for this key does not exist, in words for people."""
    wat = "zaaknummer" if item.endswith("_id") else item.replace("_", " ")
    kort = text if len(text) <= 40 else text[:40] + "…"
    melding = f"Deze pagina bestaat niet: „{kort}” is geen {wat}."
    if item == "kwartaal":
        melding += " Een kwartaal schrijft u als 2026-K4."
    return melding


def read_body(request: Request) -> dict[str, Any]:
    """A query body; `?positie=` (after a command) makes the views include that write."""
    body: dict[str, Any] = {"params": {}}
    position = request.query_params.get("positie", "")
    if NUMBER.fullmatch(position) and int(position) > 0:
        body["min_position"] = int(position)
    return body


def text(value: object) -> str | None:
    return value if isinstance(value, str) else None
