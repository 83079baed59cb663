"""The overleg's quarterly figures and costs as pages of tables and charts, with their downloads."""

from __future__ import annotations

import base64
import binascii
import re
from datetime import date, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from wvggz_contracts.commands import ErrorCode
from wvggz_contracts.subjects import query_subject

from kernel.catalog import Catalog, QueryRoute
from services.portaal.problems import STATUS
from services.portaal.web.sessions import Session
from services.portaal.web.site import Site, is_key, not_a_key

CIJFERS = "kwartaalcijfers"
"""The collection of the figures, a quarter (`2026-K4`) each."""
KOSTEN = "kosten"
"""The collection of the hours and costs, a quarter each."""
BESTAND = re.compile(r"(?P<naam>[a-z0-9][a-z0-9-]{0,99})\.(?P<soort>csv|png|pdf)")
"""A download's name: a table's key with `.csv` or `.png`, or `kwartaalrapport.pdf`."""
RAPPORT = "kwartaalrapport"
DELEN = {"csv": "csv", "png": "grafieken", "pdf": "rapport"}
"""The part of the quarter each kind of download comes from."""
_VEILIG = re.compile(r"[^A-Za-z0-9._-]+")


def getal(value: object) -> str:
    """A number in Dutch: `1.536`, `3,5`, `98,85`; anything else (`<5`, `x`) as it is."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    text = f"{value:,}" if isinstance(value, int) else f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.translate(str.maketrans(",.", ".,"))


def periode(cijfers: dict[str, Any]) -> str | None:
    """The quarter's days in Dutch, `1-10-2026 tot en met 31-12-2026` (`tot` is the day after)."""
    try:
        van = date.fromisoformat(cijfers["van"])
        laatste = date.fromisoformat(cijfers["tot"]) - timedelta(days=1)
    except (KeyError, TypeError, ValueError):
        return None
    return (
        f"{van.day}-{van.month}-{van.year} tot en met {laatste.day}-{laatste.month}-{laatste.year}"
    )


def attachment(content: bytes, mediatype: str, name: str, headers: dict[str, str]) -> Response:
    """Bytes to save, under a file name safe in any header."""
    safe = _VEILIG.sub("-", name).strip("-.") or "bestand"
    disposition = {"Content-Disposition": f'attachment; filename="{safe}"'}
    return Response(content, media_type=mediatype, headers=headers | disposition)


class Cijfers:
    """The pages of a quarter's figures (tables, charts, downloads) and of its costs."""

    def __init__(self, site: Site, catalog: Catalog) -> None:
        self.site = site
        self.routes_by_path = {(q.spec.resource, q.spec.sub): q for q in catalog.queries}
        site.templates.filters["getal"] = getal

    def route(self, resource: str, sub: str | None = None) -> QueryRoute | None:
        """The query of a quarter's page or part, if the catalog has it."""
        found = self.routes_by_path.get((resource, sub))
        return found if found is not None and found.spec.item == "kwartaal" else None

    def may(self, session: Session, resource: str, sub: str | None = None) -> bool:
        """Whether the user's role may ask that query."""
        found = self.route(resource, sub)
        return found is not None and session.rol in found.spec.rollen

    async def ask(self, session: Session, route: QueryRoute, kwartaal: str) -> dict[str, Any]:
        """One query about a quarter, as the user."""
        subject = query_subject(route.service, route.spec.name)
        return await self.site.ask(session, subject, {"params": {"kwartaal": kwartaal}})

    def refused(self, session: Session, reply: dict[str, Any]) -> Response:
        """The service's refusal as a page, with its status."""
        error = reply["error"]
        status = STATUS[ErrorCode(error["code"])]
        return self.site.render("fout.html", session, status, melding=error["message"])

    def open(self, request: Request, resource: str) -> tuple[Session, QueryRoute, str] | Response:
        """The user, the query and a well-formed quarter; else the page to show instead."""
        session = self.site.session_of(request)
        if session is None:
            return self.site.to_login(request)
        route = self.route(resource)
        if route is None:
            return self.site.render("fout.html", session, 404, melding="Deze pagina bestaat niet.")
        kwartaal = request.path_params["kwartaal"]
        if not is_key(route.spec.params, "kwartaal", kwartaal):
            return self.site.render(
                "fout.html", session, 404, melding=not_a_key("kwartaal", kwartaal)
            )
        return session, route, kwartaal

    async def cijfers(self, request: Request) -> Response:
        """A quarter's tables, each with its chart and its downloads, and the report."""
        opened = self.open(request, CIJFERS)
        if isinstance(opened, Response):
            return opened
        session, route, kwartaal = opened
        reply = await self.ask(session, route, kwartaal)
        if not reply.get("ok"):
            return self.refused(session, reply)
        grafieken: dict[str, str] = {}
        grafieken_fout = None
        if (charts := self.route(CIJFERS, "grafieken")) and session.rol in charts.spec.rollen:
            drawn = await self.ask(session, charts, kwartaal)
            if drawn.get("ok"):
                grafieken = {
                    g["naam"]: base64.b64encode(g["svg"].encode()).decode() for g in drawn["data"]
                }
            else:
                grafieken_fout = drawn["error"]["message"]
        return self.site.render(
            "kwartaalcijfers.html",
            session,
            kwartaal=kwartaal,
            periode=periode(reply["data"]),
            tabellen=reply["data"].get("tabellen", []),
            grafieken=grafieken,
            grafieken_fout=grafieken_fout,
            csv=self.may(session, CIJFERS, "csv"),
            rapport=self.may(session, CIJFERS, "rapport"),
            kosten=self.may(session, KOSTEN),
        )

    async def kosten(self, request: Request) -> Response:
        """A quarter's hours and costs per gemeente, for the regional budget."""
        opened = self.open(request, KOSTEN)
        if isinstance(opened, Response):
            return opened
        session, route, kwartaal = opened
        reply = await self.ask(session, route, kwartaal)
        if not reply.get("ok"):
            return self.refused(session, reply)
        return self.site.render(
            "kwartaalcijfers.html",
            session,
            kwartaal=kwartaal,
            tabellen=[reply["data"]],
            kostenpagina=True,
            cijferpagina=self.may(session, CIJFERS),
        )

    async def download(self, request: Request) -> Response:
        """A table as CSV, a chart as PNG or the quarterly report as PDF, asked as the user."""
        opened = self.open(request, CIJFERS)
        if isinstance(opened, Response):
            return opened
        session, _cijfers, kwartaal = opened
        bestand = BESTAND.fullmatch(request.path_params["bestand"])
        if bestand is None:
            return self.missing(session)
        naam, soort = bestand["naam"], bestand["soort"]
        route = self.route(CIJFERS, DELEN[soort])
        if route is None or (soort == "pdf" and naam != RAPPORT):
            return self.missing(session)
        reply = await self.ask(session, route, kwartaal)
        if not reply.get("ok"):
            return self.refused(session, reply)
        data = reply["data"]
        headers = self.site.headers
        try:
            if soort == "pdf":
                content = base64.b64decode(data["base64"], validate=True)
                return attachment(content, data["mediatype"], data["naam"], headers)
            if soort == "csv":
                namen = {f"{naam}.csv", f"{kwartaal}-{naam}.csv"}
                for tabel in data:
                    if tabel["naam"] in namen:
                        content = tabel["tekst"].encode("utf-8")
                        mediatype = f"{tabel['mediatype']}; charset=utf-8"
                        return attachment(content, mediatype, tabel["naam"], headers)
            else:
                for grafiek in data:
                    if grafiek["naam"] == naam:
                        content = base64.b64decode(grafiek["png_base64"], validate=True)
                        return attachment(content, "image/png", f"{kwartaal}-{naam}.png", headers)
        except (AttributeError, KeyError, TypeError, binascii.Error):
            melding = "Dit bestand kon niet worden gemaakt; probeer het opnieuw."
            return self.site.render("fout.html", session, 502, melding=melding)
        return self.missing(session)

    def missing(self, session: Session) -> Response:
        """No such file of this quarter."""
        return self.site.render("fout.html", session, 404, melding="Dit bestand bestaat niet.")

    def routes(self) -> list[Route]:
        """Its pages, for the figures the catalog has."""
        found = []
        if self.route(CIJFERS):
            found += [
                Route(f"/{CIJFERS}/{{kwartaal}}", self.cijfers),
                Route(f"/{CIJFERS}/{{kwartaal}}/download/{{bestand}}", self.download),
            ]
        if self.route(KOSTEN):
            found.append(Route(f"/{KOSTEN}/{{kwartaal}}", self.kosten))
        return found
