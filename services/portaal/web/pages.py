"""The staff portal's pages of the work: werkvoorraad, dossier and a form for every command, each
sending the same command or query as the HTTP API, with the logged-in user's token."""

from __future__ import annotations

import urllib.parse
import uuid
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route
from wvggz_contracts.commands import ErrorCode
from wvggz_contracts.subjects import command_subject, query_subject

from kernel.acties import SUB as ACTIES
from kernel.acties import actions_query
from kernel.catalog import Catalog, CommandRoute, QueryRoute
from services.portaal.problems import STATUS
from services.portaal.web.forms import AMSTERDAM, Field, Rows, all_fields, all_rows, form_for
from services.portaal.web.inhoud import Contents
from services.portaal.web.sessions import Session
from services.portaal.web.site import NUMBER, Site, is_key, is_uuid, not_a_key, read_body
from services.portaal.web.submitted import Unreadable, mark_error, payload_from, take

KLEUREN = ("rood", "oranje", "groen")
"""The traffic light's colours, as the werkvoorraad can be filtered on them."""
PAGE_ROWS = 50
"""Rows per list on one werkvoorraad page; the most urgent come first."""


class Pages:
    """The pages of the work: werkvoorraad, dossiers, their parts and a form for each command."""

    def __init__(self, site: Site, catalog: Catalog) -> None:
        self.site = site
        self.catalog = catalog
        self.render = site.render
        self.session_of = site.session_of
        self.to_login = site.to_login
        self.ask = site.ask
        self.lists = {q.spec.resource: q for q in catalog.queries if q.spec.item is None}
        self.items = {
            q.spec.resource: q
            for q in catalog.queries
            if q.spec.item is not None and not q.spec.sub
        }
        self.parts = {
            (q.spec.resource, q.spec.sub): q
            for q in catalog.queries
            if q.spec.sub and q.spec.sub != ACTIES
        }
        self.with_actions = {q.spec.resource for q in catalog.queries if q.spec.sub == ACTIES}

    # Werkvoorraad and dossier

    async def werkvoorraad(self, request: Request) -> Response:
        """Every list the user's role may read, most urgent first, a page at a time; a full case
        number goes straight to its dossier."""
        session = self.session_of(request)
        if session is None:
            return self.to_login(request)
        zoek = request.query_params.get("zaak", "").strip().lower()
        if is_uuid(zoek) and (found := await self.find_case(session, zoek)):
            return RedirectResponse(found, status_code=303)
        kleur = request.query_params.get("stoplicht", "")
        raw_page = request.query_params.get("pagina", "1")
        pagina = int(raw_page) if NUMBER.fullmatch(raw_page) and int(raw_page) > 0 else 1
        lijsten: list[dict[str, Any]] = []
        for resource, route in self.lists.items():
            if session.rol not in route.spec.rollen or not route.spec.werk:
                continue
            item = self.items.get(resource)
            key = item.spec.item if item else None
            filters: dict[str, str] = {}
            if kleur in KLEUREN and "stoplicht" in route.spec.filters:
                filters["stoplicht"] = kleur
            if zoek:
                if key is None or key not in route.spec.filters:
                    continue  # a list without case numbers has no match
                filters[key] = f"{zoek}*"
            body = read_body(request) | {"page": pagina, "page_size": PAGE_ROWS, "filters": filters}
            reply = await self.ask(session, query_subject(route.service, route.spec.name), body)
            rows: list[dict[str, Any]] = (reply.get("data") or []) if reply.get("ok") else []
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
            spec = route.spec
            if session.rol not in spec.rollen or not self.names_case(route, case_id):
                continue  # a case number is no quarter: nothing to ask there
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
        if not self.names_case(route, case_id):
            return self.not_a_case(session, route, case_id)
        body = read_body(request) | {"params": {route.spec.item: case_id}}
        reply = await self.ask(session, query_subject(route.service, route.spec.name), body)
        if not reply.get("ok"):
            error = reply["error"]
            status = STATUS[ErrorCode(error["code"])]
            return self.render("fout.html", session, status, melding=error["message"])
        fase, acties = await self.actions_now(session, route.spec.resource, case_id)
        contents = Contents(route.spec.resource, case_id, acties)
        inhoud = contents.sections(reply["data"])
        gerelateerd = await self.related(session, case_id)
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
            inhoud=inhoud,
            # An action on one record (a meeting) is offered there, with its id.
            acties=[c for c in acties if c.name not in contents.used],
            delen=delen,
            fase=fase,
            gerelateerd=gerelateerd,
        )

    def names_case(self, route: QueryRoute, case_id: str) -> bool:
        """Whether a path's key is of the kind the query takes (a UUID, a quarter)."""
        return route.spec.item is not None and is_key(route.spec.params, route.spec.item, case_id)

    def not_a_case(self, session: Session, route: QueryRoute, case_id: str) -> HTMLResponse:
        """The page for a key that cannot name a case: not found, without asking anyone."""
        melding = not_a_key(route.spec.item or "", case_id)
        return self.render("fout.html", session, 404, melding=melding)

    async def related(self, session: Session, case_id: str) -> list[dict[str, Any]]:
        """Rows of other collections about this case (a crisis case's afschriften, their
        verstrekkingen), from every list the user may read that filters on `zaak`."""
        found: list[dict[str, Any]] = []
        for resource, route in self.lists.items():
            if "zaak" not in route.spec.filters or session.rol not in route.spec.rollen:
                continue
            body = {"params": {}, "page": 1, "page_size": PAGE_ROWS, "filters": {"zaak": case_id}}
            reply = await self.ask(session, query_subject(route.service, route.spec.name), body)
            rows = (reply.get("data") or []) if reply.get("ok") else []
            if rows:
                item = self.items.get(resource)
                found.append(
                    {
                        "resource": resource,
                        "titel": resource.replace("-", " ").capitalize(),
                        "rijen": rows,
                        "item": item.spec.item
                        if item and session.rol in item.spec.rollen
                        else None,
                    }
                )
        return found

    async def actions_now(
        self, session: Session, resource: str, case_id: str
    ) -> tuple[str, list[CommandRoute]]:
        """Where a case stands and the commands the user may give on it now: the service's to
        say, from its rules and the case's phase (nothing when it does not answer)."""
        dossier = self.items[resource]
        if resource not in self.with_actions:
            return "", []  # a collection without rules to act by (the figures)
        allowed = await self.ask(
            session,
            query_subject(dossier.service, actions_query(resource)),
            {"params": {dossier.spec.item: case_id}},
        )
        if not allowed.get("ok"):
            return "", []
        names = set(allowed["data"]["acties"])
        acties = [
            c
            for c in self.catalog.commands
            if c.resource == resource and c.item and c.name in names
        ]
        return allowed["data"]["fase"], acties

    async def part(self, request: Request, route: QueryRoute, session: Session) -> Response:
        """A named part of a case (the stukken a decision rests on), with what may be done."""
        case_id = request.path_params["case_id"]
        if not self.names_case(route, case_id):
            return self.not_a_case(session, route, case_id)
        body = read_body(request) | {"params": {route.spec.item: case_id}}
        reply = await self.ask(session, query_subject(route.service, route.spec.name), body)
        if not reply.get("ok"):
            error = reply["error"]
            status = STATUS[ErrorCode(error["code"])]
            return self.render("fout.html", session, status, melding=error["message"])
        resource = route.spec.resource
        _fase, acties = await self.actions_now(session, resource, case_id)
        data = reply["data"]
        if isinstance(data, list):  # a part that is a list (a partner's deliveries)
            data = {"overzicht": data or "geen"}
        # What the part names by id (the verklaring to sign) goes along to the action's form.
        named = {
            k: v
            for k, v in data.items()
            if k.endswith("_id") and isinstance(v, str) and k != route.spec.item
        }
        contents = Contents(resource, case_id, acties)
        onderdelen = contents.sections(data, empty=True)
        return self.render(
            "deel.html",
            session,
            resource=resource,
            case_id=case_id,
            spec=route.spec,
            deel=data,
            onderdelen=onderdelen,
            acties=[c for c in acties if c.name not in contents.used],
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
        form: dict[str, str] = {}
        if request.method == "POST":
            form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
        items = form_for(command.payload, fixed=fixed, defaults=defaults, submitted=form)
        if request.method == "GET":
            return self.render_form(session, command, items, case_id)
        # The same form sent again is the same command: a retry after no answer (unavailable)
        # cannot register twice, and a refused command appended nothing, so its id is free.
        sent_id = form.get("_command_id", "")
        command_id = sent_id if is_uuid(sent_id) else None
        if form.get("_meer"):  # more groups for a list (form_for made them): nothing is sent
            take(items, form)
            return self.render_form(session, command, items, case_id, command_id=command_id)
        try:
            payload = payload_from(items, form)
        except Unreadable as unreadable:
            mark_error(items, unreadable.name, str(unreadable))
            return self.render_form(
                session, command, items, case_id, status=400, command_id=command_id
            )
        if not session.form_token_ok(form.get("_csrf")):
            return self.render_form(
                session,
                command,
                items,
                case_id,
                status=403,
                algemeen="Dit formulier is verlopen; verstuur het opnieuw.",
                command_id=command_id,
            )
        body: dict[str, Any] = {"command_id": sent_id, "payload": payload}
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
            command_id=command_id,
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
        command_id: str | None = None,
    ) -> HTMLResponse:
        """The form with what was typed, each error next to its field and in a summary; a new
        form gets a new command id, a form sent again keeps its own."""
        fouten: list[Field | Rows] = [f for f in all_fields(items) if f.error]
        fouten += [rows for rows in all_rows(items) if rows.error]
        return self.render(
            "formulier.html",
            session,
            status,
            command=command,
            items=items,
            case_id=case_id,
            fouten=fouten,
            meer=[rows for rows in all_rows(items) if rows.more],
            algemeen=algemeen,
            command_id=command_id or str(uuid.uuid4()),
        )

    def routes(self) -> list[Route]:
        """The portal's pages."""
        return [
            Route("/werkvoorraad", self.werkvoorraad),
            Route("/{resource}/nieuw/{command}", self.form, methods=["GET", "POST"]),
            Route("/{resource}/{case_id}/{command}", self.form, methods=["GET", "POST"]),
            Route("/{resource}/{case_id}", self.dossier),
        ]
