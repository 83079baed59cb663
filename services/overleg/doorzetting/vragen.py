"""The doorzetting's queries: the region's directory of overlegtafels for every professional, and
the escalations of the asker's own gemeente."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Annotated, Any, Final
from uuid import UUID

from faststream.nats import NatsRouter
from pydantic import BaseModel, ConfigDict, StringConstraints
from wvggz_contracts.commands import Actor, ErrorCode, Rol
from wvggz_contracts.doorzetting import LADDER, Niveau

from kernel.decider import DomainError, refuse
from kernel.queries import Inzage, NoParams, QuerySpec
from kernel.runtime import ServiceRuntime
from services.overleg.doorzetting.regels import PROFESSIONALS
from services.overleg.doorzetting.views import ESCALATIES, TAFELS, EscalatieRij, TafelRij

PERSONEEL: Final = frozenset(Rol) - {Rol.SYSTEEM}
"""Every staff role: whoever looks for the right table may read the directory."""

DAG: Final = timedelta(days=1)


class TafelZoekvraag(BaseModel):
    """Params of the directory: free-text words that must all occur, and the rung."""

    model_config = ConfigDict(extra="forbid")

    q: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    niveau: Niveau | None = None
    ook_opgeheven: bool = False


class TafelVraag(BaseModel):
    """Params of the query about one table."""

    model_config = ConfigDict(extra="forbid")

    tafel_id: UUID


class EscalatieVraag(BaseModel):
    """Params of the query about one escalation."""

    model_config = ConfigDict(extra="forbid")

    escalatie_id: UUID


OVERLEGTAFELS_VRAAG = QuerySpec(
    "overlegtafels",
    TafelZoekvraag,
    "Het overzicht van de overlegtafels van de regio: wie er zitten, waarvoor, wie mag aanmelden,"
    " de criteria en het contact; te doorzoeken op vrije tekst (q) en niveau.",
    rollen=PERSONEEL,
    wat="de overlegtafels",
    resource="overlegtafels",
    filters=("niveau", "gemeente"),
    werk=False,
)
OVERLEGTAFEL_VRAAG = QuerySpec(
    "overlegtafel",
    TafelVraag,
    "Eén overlegtafel uit het overzicht van de regio.",
    rollen=PERSONEEL,
    wat="de overlegtafels",
    resource="overlegtafels",
    item="tafel_id",
)
ESCALATIES_VRAAG = QuerySpec(
    "escalaties",
    NoParams,
    "De escalaties van de eigen gemeente: open eerst, het langst op hun niveau bovenaan.",
    rollen=PROFESSIONALS,
    wat="de escalaties",
    resource="escalaties",
    filters=("niveau", "status"),
)
ESCALATIE_VRAAG = QuerySpec(
    "escalatie",
    EscalatieVraag,
    "Eén escalatie van de eigen gemeente: de niveaus die zij doorliep en de geschiedenis.",
    rollen=PROFESSIONALS,
    wat="de escalaties",
    resource="escalaties",
    item="escalatie_id",
)
QUERIES = (OVERLEGTAFELS_VRAAG, OVERLEGTAFEL_VRAAG, ESCALATIES_VRAAG, ESCALATIE_VRAAG)


def _vergelijkbaar(tekst: str) -> str:
    """Lower case without accents: "Cliëntondersteuning" is found as "clientondersteuning"."""
    ontleed = unicodedata.normalize("NFKD", tekst.casefold())
    return "".join(c for c in ontleed if not unicodedata.combining(c))


def zoek_tafels(
    rows: Iterable[TafelRij],
    q: str | None = None,
    niveau: Niveau | None = None,
    *,
    ook_opgeheven: bool = False,
) -> list[TafelRij]:
    """The tables in which every word of `q` occurs in the name, aim, criteria, participants or
    who may register (case and accents ignored), on the rung asked; by rung, then name."""
    woorden = _vergelijkbaar(q or "").split()
    gevonden = []
    for row in rows:
        if (not row.actief and not ook_opgeheven) or (niveau is not None and row.niveau != niveau):
            continue
        tekst = _vergelijkbaar(
            " ".join([row.naam, row.doel, row.criteria, *row.deelnemers, *row.aanmelders])
        )
        if all(woord in tekst for woord in woorden):
            gevonden.append(row)
    return sorted(gevonden, key=lambda row: (row.niveau.rang, row.naam.casefold()))


def escalaties_per_niveau(rows: Iterable[EscalatieRij]) -> dict[str, int]:
    """How many open escalations stand on each rung, every rung named (lowest first)."""
    aantallen = dict.fromkeys((str(niveau) for niveau in LADDER), 0)
    for row in rows:
        if row.status == "open":
            aantallen[str(row.niveau)] += 1
    return aantallen


def escalatielijst(rows: Iterable[EscalatieRij], nu: datetime) -> list[dict[str, Any]]:
    """The list rows without their timeline, with the days on the current rung; open first,
    the longest on their rung at the top."""
    geordend = sorted(rows, key=lambda row: (row.status != "open", row.sinds))
    lijst = []
    for row in geordend:
        doc = row.model_dump(mode="json", exclude={"stappen"})
        doc["dagen_op_niveau"] = round((nu - row.sinds) / DAG, 1) if row.status == "open" else None
        lijst.append(doc)
    return lijst


def serve(router: NatsRouter, runtime: ServiceRuntime[Any]) -> None:
    """Answer the directory and escalation queries on the router."""
    regio = frozenset(runtime.settings.gemeenten)

    def uit_de_regio(actor: Actor) -> None:
        if actor.gemeente not in regio:
            raise refuse(f"gemeente {actor.gemeente} hoort niet bij deze regio")

    async def overlegtafels(
        actor: Actor, params: TafelZoekvraag, inzage: Inzage
    ) -> list[dict[str, Any]]:
        uit_de_regio(actor)
        rows = zoek_tafels(
            runtime.views.rows(TAFELS),
            params.q,
            params.niveau,
            ook_opgeheven=params.ook_opgeheven,
        )
        inzage.aantal = len(rows)
        return [row.model_dump(mode="json") for row in rows]

    async def overlegtafel(actor: Actor, params: TafelVraag, inzage: Inzage) -> dict[str, Any]:
        uit_de_regio(actor)
        found = runtime.views.get(TAFELS, params.tafel_id)
        if found is None:
            raise DomainError(ErrorCode.NOT_FOUND, "geen overlegtafel met dit tafel_id")
        inzage.zaak_gemeente = found.gemeente
        return found.model_dump(mode="json")

    async def escalaties(actor: Actor, _params: NoParams, inzage: Inzage) -> list[dict[str, Any]]:
        rows = escalatielijst(runtime.views.rows(ESCALATIES, actor.gemeente), runtime.clock())
        inzage.aantal = len(rows)
        return rows

    async def escalatie(actor: Actor, params: EscalatieVraag, inzage: Inzage) -> dict[str, Any]:
        found = runtime.views.get(ESCALATIES, params.escalatie_id)
        inzage.zaak_gemeente = found.gemeente if found else None
        if found is None or found.gemeente != actor.gemeente:
            raise DomainError(ErrorCode.NOT_FOUND, "geen escalatie met dit id voor uw gemeente")
        return found.model_dump(mode="json")

    runtime.query(router, OVERLEGTAFELS_VRAAG, overlegtafels)
    runtime.query(router, OVERLEGTAFEL_VRAAG, overlegtafel)
    runtime.query(router, ESCALATIES_VRAAG, escalaties)
    runtime.query(router, ESCALATIE_VRAAG, escalatie)
