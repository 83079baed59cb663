"""The staff portal's pages: login, werkvoorraad, dossier and a form for every command, each
sending the same command or query as the HTTP API, with the logged-in user's token."""

from __future__ import annotations

import contextlib
import logging
import re
import urllib.parse
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route
from wvggz_contracts.commands import GEMEENTE_HEADER, ROL_HEADER, ErrorCode
from wvggz_contracts.subjects import command_subject, query_subject

from kernel.acties import actions_query
from kernel.catalog import Catalog, CommandRoute
from kernel.identity import AuthenticationFailed, IssuerUnavailable
from services.portaal.gateway import Gateway
from services.portaal.problems import STATUS
from services.portaal.settings import PortaalSettings
from services.portaal.web.forms import (
    AMSTERDAM,
    Unreadable,
    all_fields,
    form_for,
    mark_error,
    payload_from,
)
from services.portaal.web.login import LoginFailed, OidcLogin
from services.portaal.web.sessions import COOKIE, Session, SessionStore

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).parent.parent / "templates"
KLEUREN = ("rood", "oranje", "groen")
"""The traffic light's colours, as the werkvoorraad can be filtered on them."""
PAGE_ROWS = 50
"""Rows per list on one werkvoorraad page; the most urgent come first."""
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


class Pages:
    """Everything a page needs: the catalog, the bus, the sessions and the templates."""

    def __init__(
        self,
        settings: PortaalSettings,
        catalog: Catalog,
        gateway: Gateway,
        login: OidcLogin,
        sessions: SessionStore,
    ) -> None:
        self.settings = settings
        self.catalog = catalog
        self.gateway = gateway
        self.login = login
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
        self.lists = {q.spec.resource: q for q in catalog.queries if q.spec.item is None}
        self.items = {
            q.spec.resource: q
            for q in catalog.queries
            if q.spec.item is not None and not q.spec.sub
        }
        self.parts = {(q.spec.resource, q.spec.sub): q for q in catalog.queries if q.spec.sub}

    # Rendering and sessions

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

    # Login and logout

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
            return RedirectResponse(await self.login.authorize_url(state, pending), 303)
        except (LoginFailed, OSError) as failure:
            log.error("login could not start: %s", type(failure).__name__)
            return self.render("fout.html", None, 503, melding="Inloggen kan nu niet.")

    async def callback(self, request: Request) -> Response:
        """Back from the identity provider: a session for the verified token."""
        pending = self.sessions.finish(request.query_params.get("state", ""))
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
        response.set_cookie(
            COOKIE,
            session.id,
            httponly=True,
            secure=self.secure,
            samesite="lax",
            path="/",
            max_age=self.settings.session_idle_minutes * 60,
        )
        return response

    async def logout(self, request: Request) -> Response:
        """End the session here and at the identity provider."""
        session = self.session_of(request)
        form = await request.form()
        if session is not None and not session.form_token_ok(_text(form.get("_csrf"))):
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
        if not session.form_token_ok(_text(form.get("_csrf"))):
            return self.render("fout.html", session, 403, melding="Dit formulier is verlopen.")
        rol, gemeente = _text(form.get("rol")) or "", _text(form.get("gemeente")) or ""
        if not session.choose(rol, gemeente):
            return self.render(
                "fout.html", session, 403, melding="Die rol of gemeente is niet de uwe."
            )
        return RedirectResponse("/werkvoorraad", status_code=303)

    # Werkvoorraad and dossier

    async def werkvoorraad(self, request: Request) -> Response:
        """Every list the user's role may read, most urgent first, a page at a time; a full case
        number goes straight to its dossier."""
        session = self.session_of(request)
        if session is None:
            return self.to_login(request)
        zoek = request.query_params.get("zaak", "").strip().lower()
        if _is_uuid(zoek) and (found := await self.find_case(session, zoek)):
            return RedirectResponse(found, status_code=303)
        kleur = request.query_params.get("stoplicht", "")
        raw_page = request.query_params.get("pagina", "1")
        pagina = int(raw_page) if raw_page.isdigit() and int(raw_page) > 0 else 1
        lijsten: list[dict[str, Any]] = []
        for resource, route in self.lists.items():
            if session.rol not in route.spec.rollen:
                continue
            body = _read(request) | {"page": pagina, "page_size": PAGE_ROWS}
            if kleur in KLEUREN and "stoplicht" in route.spec.filters:
                body["filters"] = {"stoplicht": kleur}
            reply = await self.ask(session, query_subject(route.service, route.spec.name), body)
            rows: list[dict[str, Any]] = (reply.get("data") or []) if reply.get("ok") else []
            item = self.items.get(resource)
            key = item.spec.item if item else None
            if zoek:
                rows = [r for r in rows if key is not None and zoek in str(r.get(key, "")).lower()]
            totaal = int(reply.get("total") or 0)
            lijsten.append(
                {
                    "resource": resource,
                    "titel": resource.replace("-", " ").capitalize(),
                    "fout": None if reply.get("ok") else reply["error"]["message"],
                    "rijen": rows,
                    "item": key,
                    "totaal": totaal,
                    "paginas": max(1, -(-totaal // PAGE_ROWS)),
                }
            )
        nieuw = [c for c in self.catalog.commands if c.item is None and session.rol in c.rollen]
        return self.render(
            "werkvoorraad.html",
            session,
            lijsten=lijsten,
            nieuw=nieuw,
            zoek=zoek,
            pagina=pagina,
            kleur=kleur if kleur in KLEUREN else "",
        )

    async def find_case(self, session: Session, case_id: str) -> str | None:
        """The dossier page of a case number, in the first collection that has it for this user."""
        for resource, route in self.items.items():
            if session.rol not in route.spec.rollen or route.spec.item is None:
                continue
            body = {"params": {route.spec.item: case_id}}
            reply = await self.ask(session, query_subject(route.service, route.spec.name), body)
            if reply.get("ok"):
                return f"/{resource}/{case_id}"
        return None

    async def dossier(self, request: Request) -> Response:
        """One case: its timeline and what this user may do on it."""
        session = self.session_of(request)
        if session is None:
            return self.to_login(request)
        route = self.items.get(request.path_params["resource"])
        if route is None or route.spec.item is None:
            return self.render("fout.html", session, 404, melding="Deze pagina bestaat niet.")
        case_id = request.path_params["case_id"]
        body = _read(request) | {"params": {route.spec.item: case_id}}
        reply = await self.ask(session, query_subject(route.service, route.spec.name), body)
        if not reply.get("ok"):
            error = reply["error"]
            status = STATUS[ErrorCode(error["code"])]
            return self.render("fout.html", session, status, melding=error["message"])
        # What may be done now is the service's to say: its rules, this case's phase.
        allowed = await self.ask(
            session,
            query_subject(route.service, actions_query(route.spec.resource)),
            {"params": {route.spec.item: case_id}},
        )
        names = set(allowed["data"]["acties"]) if allowed.get("ok") else set()
        fase = allowed["data"]["fase"] if allowed.get("ok") else ""
        acties = [
            c
            for c in self.catalog.commands
            if c.resource == route.spec.resource and c.item and c.name in names
        ]
        delen = [
            q.spec
            for (resource, _sub), q in self.parts.items()
            if resource == route.spec.resource and session.rol in q.spec.rollen
        ]
        return self.render(
            "dossier.html",
            session,
            resource=route.spec.resource,
            case_id=case_id,
            dossier=reply["data"],
            acties=acties,
            delen=delen,
            fase=fase,
        )

    async def part(self, request: Request, route: Any, session: Session) -> Response:
        """A named part of a case (the stukken a decision rests on), with what may be done."""
        case_id = request.path_params["case_id"]
        body = _read(request) | {"params": {route.spec.item: case_id}}
        reply = await self.ask(session, query_subject(route.service, route.spec.name), body)
        if not reply.get("ok"):
            error = reply["error"]
            status = STATUS[ErrorCode(error["code"])]
            return self.render("fout.html", session, status, melding=error["message"])
        resource = route.spec.resource
        dossier = self.items[resource]
        allowed = await self.ask(
            session,
            query_subject(dossier.service, actions_query(resource)),
            {"params": {dossier.spec.item: case_id}},
        )
        names = set(allowed["data"]["acties"]) if allowed.get("ok") else set()
        acties = [
            c
            for c in self.catalog.commands
            if c.resource == resource and c.item and c.name in names
        ]
        data = reply["data"]
        # What the part names by id (the verklaring to sign) goes along to the action's form.
        named = {
            k: v
            for k, v in data.items()
            if k.endswith("_id") and isinstance(v, str) and k != route.spec.item
        }
        return self.render(
            "deel.html",
            session,
            resource=resource,
            case_id=case_id,
            spec=route.spec,
            deel=data,
            acties=acties,
            vooraf=urllib.parse.urlencode(named),
        )

    # Forms

    def command_route(self, request: Request) -> CommandRoute | None:
        """The command a form path names, if the catalog has it that way."""
        resource, name = request.path_params["resource"], request.path_params["command"]
        on_case = "case_id" in request.path_params
        for command in self.catalog.commands:
            if (command.resource, command.name, command.item is not None) == (
                resource,
                name,
                on_case,
            ):
                return command
        return None

    async def form(self, request: Request) -> Response:
        """A command's form (GET) or its submission (POST)."""
        session = self.session_of(request)
        if session is None:
            return self.to_login(request)
        part = self.parts.get((request.path_params["resource"], request.path_params["command"]))
        if part is not None and request.method == "GET" and "case_id" in request.path_params:
            return await self.part(request, part, session)
        command = self.command_route(request)
        if command is None:
            return self.render("fout.html", session, 404, melding="Deze pagina bestaat niet.")
        case_id = request.path_params.get("case_id")
        fixed = {command.item: case_id} if command.item and case_id else {}
        now = datetime.now(AMSTERDAM).strftime("%Y-%m-%dT%H:%M")
        defaults = {"gemeente": session.gemeente, "*datetime": now}
        defaults |= {k: v for k, v in request.query_params.items() if not k.startswith("_")}
        item = self.items.get(command.resource)
        if command.item is None and item is not None and item.spec.item is not None:
            defaults.setdefault(item.spec.item, str(uuid.uuid4()))  # a new case's own number
        items = form_for(command.payload, fixed=fixed, defaults=defaults)
        if request.method == "GET":
            return self.render_form(session, command, items, case_id)
        form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
        if not session.form_token_ok(form.get("_csrf")):
            return self.render_form(
                session,
                command,
                items,
                case_id,
                status=403,
                algemeen="Dit formulier is verlopen; verstuur het opnieuw.",
            )
        try:
            payload = payload_from(items, form)
        except Unreadable as unreadable:
            mark_error(items, unreadable.name, str(unreadable))
            return self.render_form(session, command, items, case_id, status=400)
        body: dict[str, Any] = {"command_id": form.get("_command_id") or "", "payload": payload}
        if case_id:
            body["case_id"] = case_id
        reply = await self.ask(session, command_subject(command.service, command.name), body)
        if reply.get("ok"):
            target = f"/{command.resource}/{reply['case_id']}"
            if command.resource not in self.items:
                target = "/werkvoorraad"
            return RedirectResponse(f"{target}?positie={reply.get('position') or 0}", 303)
        error = reply["error"]
        placed = mark_error(items, error.get("field"), error["message"])
        return self.render_form(
            session,
            command,
            items,
            case_id,
            status=STATUS[ErrorCode(error["code"])],
            algemeen=None if placed else error["message"],
        )

    def render_form(
        self,
        session: Session,
        command: CommandRoute,
        items: list[Any],
        case_id: str | None,
        *,
        status: int = 200,
        algemeen: str | None = None,
    ) -> HTMLResponse:
        """The form with what was typed, each error next to its field and in a summary."""
        fouten = [f for f in all_fields(items) if f.error]
        return self.render(
            "formulier.html",
            session,
            status,
            command=command,
            items=items,
            case_id=case_id,
            fouten=fouten,
            algemeen=algemeen,
            command_id=str(uuid.uuid4()),
        )

    def routes(self) -> list[Route]:
        """The portal's pages."""
        return [
            Route("/", self.start),
            Route("/inloggen", self.begin_login),
            Route("/auth/callback", self.callback),
            Route("/uitloggen", self.logout, methods=["POST"]),
            Route("/kies", self.choose, methods=["POST"]),
            Route("/werkvoorraad", self.werkvoorraad),
            Route("/{resource}/nieuw/{command}", self.form, methods=["GET", "POST"]),
            Route("/{resource}/{case_id}/{command}", self.form, methods=["GET", "POST"]),
            Route("/{resource}/{case_id}", self.dossier),
        ]


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


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def _read(request: Request) -> dict[str, Any]:
    """A query body; `?positie=` (after a command) makes the views include that write."""
    body: dict[str, Any] = {"params": {}}
    position = request.query_params.get("positie", "")
    if position.isdigit() and int(position) > 0:
        body["min_position"] = int(position)
    return body


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None
