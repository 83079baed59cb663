"""The portal's reference lists (naslag): each list that is no work gets a searchable page."""

from __future__ import annotations

import urllib.parse
from enum import Enum
from typing import Any, get_args

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from wvggz_contracts.commands import ErrorCode
from wvggz_contracts.subjects import query_subject

from kernel.catalog import Catalog
from services.portaal.problems import STATUS
from services.portaal.web.pages import PAGE_ROWS
from services.portaal.web.site import NUMBER, Site, leesbaar, read_body

VOOROP = ("naam", "titel")
"""Columns that name a row, shown first (and linked to its page)."""
VERBORGEN = ("versie",)
"""Columns for machines, not people (ids too: every key ending in `_id`)."""


def titel(resource: str) -> str:
    """A collection's name for people: `overlegtafels` as Overlegtafels."""
    return resource.replace("-", " ").capitalize()


def kolommen(rows: list[dict[str, Any]]) -> list[str]:
    """The columns of a list, from its rows' keys: names first; no ids, objects or empty ones."""
    found: dict[str, None] = {}
    for row in rows:
        for key, value in row.items():
            if key.endswith("_id") or key in VERBORGEN or isinstance(value, dict):
                continue
            if value not in (None, "", []):  # a column empty in every row is left out
                found.setdefault(key)
    return sorted(
        found, key=lambda key: (key not in VOOROP, VOOROP.index(key) if key in VOOROP else 0)
    )


def cel(value: object) -> str:
    """A value in a table cell: a moment in Dutch time, a list joined, yes/no, – for nothing."""
    if value is None or value == []:
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, list):
        return ", ".join(cel(item) for item in value)
    return leesbaar(value)


def keuzes(params: type[BaseModel], name: str) -> list[str]:
    """The values a filter can take, when the query's params name it with an enumeration."""
    field = params.model_fields.get(name)
    if field is None:
        return []
    for kind in (field.annotation, *get_args(field.annotation)):
        if isinstance(kind, type) and issubclass(kind, Enum):
            return [str(member.value) for member in kind]
    return []


class Naslag:
    """A page for each list to look things up in, a link to each in the navigation."""

    def __init__(self, site: Site, catalog: Catalog) -> None:
        self.site = site
        self.lists = {
            q.spec.resource: q for q in catalog.queries if q.spec.item is None and not q.spec.werk
        }
        self.items = {
            q.spec.resource: q
            for q in catalog.queries
            if q.spec.item is not None and not q.spec.sub
        }
        site.templates.globals["naslag_voor"] = self.lijsten_voor

    def lijsten_voor(self, rol: str) -> list[dict[str, str]]:
        """The reference lists a role may read, for the navigation."""
        return [
            {"resource": resource, "titel": titel(resource)}
            for resource, route in self.lists.items()
            if rol in route.spec.rollen
        ]

    async def lijst(self, request: Request) -> Response:
        """One reference list a page at a time, searched on its free text (`q`) and filters."""
        session = self.site.session_of(request)
        if session is None:
            return self.site.to_login(request)
        route = self.lists.get(request.path_params["resource"])
        if route is None:
            return self.site.render("fout.html", session, 404, melding="Deze pagina bestaat niet.")
        spec = route.spec
        if session.rol not in spec.rollen:
            melding = f"Met de rol {session.rol} kunt u {spec.wat} niet inzien."
            return self.site.render("fout.html", session, 403, melding=melding)
        zoekbaar = "q" in spec.params.model_fields
        q = request.query_params.get("q", "").strip() if zoekbaar else ""
        gekozen = {name: request.query_params.get(name, "").strip() for name in spec.filters}
        filters = {name: value for name, value in gekozen.items() if value}
        raw_page = request.query_params.get("pagina", "1")
        pagina = int(raw_page) if NUMBER.fullmatch(raw_page) and int(raw_page) > 0 else 1
        body = read_body(request) | {"page": pagina, "page_size": PAGE_ROWS, "filters": filters}
        if q:
            body["params"] = {"q": q}
        reply = await self.site.ask(session, query_subject(route.service, spec.name), body)
        fout = None if reply.get("ok") else reply["error"]["message"]
        status = 200 if fout is None else STATUS[ErrorCode(reply["error"]["code"])]
        rows: list[dict[str, Any]] = [r for r in reply.get("data") or [] if isinstance(r, dict)]
        totaal = int(reply.get("total") or 0)
        item = self.items.get(spec.resource)
        key = item.spec.item if item and session.rol in item.spec.rollen else None
        columns = kolommen(rows)
        rijen = [
            {
                "href": f"/{spec.resource}/{urllib.parse.quote(str(row[key]), safe='')}"
                if key and row.get(key)
                else None,
                "cellen": [cel(row.get(column)) for column in columns],
            }
            for row in rows
        ]
        velden = [
            {"naam": name, "waarde": gekozen[name], "keuzes": keuzes(spec.params, name)}
            for name in spec.filters
        ]
        zoekterm = urllib.parse.urlencode({"q": q} | filters if q else filters)
        return self.site.render(
            "naslag.html",
            session,
            status,
            resource=spec.resource,
            titel=titel(spec.resource),
            beschrijving=spec.description,
            zoekbaar=zoekbaar,
            q=q,
            velden=velden,
            fout=fout,
            kolommen=columns,
            rijen=rijen,
            totaal=totaal,
            pagina=pagina,
            paginas=max(1, -(-totaal // PAGE_ROWS)),
            zoekterm=zoekterm,
        )

    def routes(self) -> list[Route]:
        """Its pages."""
        return [Route("/naslag/{resource}", self.lijst)]
