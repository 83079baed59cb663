"""The queries on the regio-overleg: the overleg itself and the agenda of its next meeting."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from faststream.nats import NatsRouter
from pydantic import BaseModel, ConfigDict
from wvggz_contracts.commands import Actor, ErrorCode, Rol
from wvggz_contracts.overleg import AfspraakStatus

from kernel.decider import DomainError
from kernel.queries import Inzage, NoParams, QuerySpec
from kernel.runtime import ServiceRuntime
from services.overleg.projections import REGIO_OVERLEGGEN, OverlegRij, VergaderingRij

DEELNEMERS = frozenset(
    {
        Rol.SECRETARIAAT,
        Rol.FUNCTIONEEL_BEHEER,
        Rol.BURGEMEESTER,
        Rol.LOCO_BURGEMEESTER,
        Rol.OVJ_KOPPELING,
        Rol.CONSULENT,
        Rol.GGZ_CONSULTANT,
        Rol.CRISISDIENST,
    }
)
"""Who reads the overleg and its figures: the roles that take part in or prepare it. It holds
policy and anonymised figures only, so every gemeente of the region reads all of it."""


class OverlegVraag(BaseModel):
    """Params of the queries about one regio-overleg."""

    model_config = ConfigDict(extra="forbid")

    overleg_id: UUID


OVERLEGGEN_VRAAG = QuerySpec(
    "regio-overleggen",
    NoParams,
    "De regio-overleggen (art. 8:31 Wvggz) van de regio.",
    rollen=DEELNEMERS,
    wat="het regio-overleg",
    resource="regio-overleggen",
)
OVERLEG_VRAAG = QuerySpec(
    "regio-overleg",
    OverlegVraag,
    "Eén regio-overleg: deelnemers, vergaderingen met agenda en verslag, afspraken, signalen.",
    rollen=DEELNEMERS,
    wat="het regio-overleg",
    resource="regio-overleggen",
    item="overleg_id",
)
AGENDA_VRAAG = QuerySpec(
    "agenda",
    OverlegVraag,
    "De agenda van de eerstvolgende vergadering: haar punten en de afspraken die nog niet"
    " gereed zijn.",
    rollen=DEELNEMERS,
    wat="de agenda",
    resource="regio-overleggen",
    item="overleg_id",
    sub="agenda",
)
QUERIES = (OVERLEGGEN_VRAAG, OVERLEG_VRAAG, AGENDA_VRAAG)


def volgende_vergadering(row: OverlegRij, nu: datetime) -> VergaderingRij | None:
    """The meeting not yet held that comes first from now; when none is to come, the latest one
    whose verslag is still missing."""
    open_ = sorted((v for v in row.vergaderingen if v.gehouden_op is None), key=lambda v: v.datum)
    komend = [v for v in open_ if v.datum >= nu]
    return komend[0] if komend else (open_[-1] if open_ else None)


def agenda(row: OverlegRij, nu: datetime) -> dict[str, Any]:
    """The next meeting's agenda: its own items, then every action not done yet."""
    vergadering = volgende_vergadering(row, nu)
    return {
        "overleg_id": str(row.overleg_id),
        "vergadering": None
        if vergadering is None
        else vergadering.model_dump(mode="json", include={"vergadering_id", "datum", "soort"}),
        "punten": []
        if vergadering is None
        else [p.model_dump(mode="json") for p in vergadering.agenda],
        "afspraken": [
            a.model_dump(mode="json")
            for a in row.afspraken
            if a.status is not AfspraakStatus.GEREED
        ],
    }


def overleg_van(runtime: ServiceRuntime[Any], overleg_id: UUID, inzage: Inzage) -> OverlegRij:
    """One overleg of the region, or not_found."""
    found = runtime.views.get(REGIO_OVERLEGGEN, overleg_id)
    if found is None:
        raise DomainError(ErrorCode.NOT_FOUND, "geen regio-overleg met dit id", "overleg_id")
    inzage.case_id, inzage.zaak_gemeente = overleg_id, found.gemeente
    return found


def serve(router: NatsRouter, runtime: ServiceRuntime[Any]) -> None:
    """Answer the overleg queries on its view."""

    async def lijst(_actor: Actor, _params: NoParams, inzage: Inzage) -> list[dict[str, Any]]:
        rows = [
            row.model_dump(
                mode="json",
                include={"overleg_id", "gemeente", "naam", "veiligheidsregio", "voorzitter"},
            )
            for row in runtime.views.rows(REGIO_OVERLEGGEN)
        ]
        inzage.aantal = len(rows)
        return rows

    async def dossier(_actor: Actor, params: OverlegVraag, inzage: Inzage) -> dict[str, Any]:
        return overleg_van(runtime, params.overleg_id, inzage).model_dump(mode="json")

    async def volgende(_actor: Actor, params: OverlegVraag, inzage: Inzage) -> dict[str, Any]:
        return agenda(overleg_van(runtime, params.overleg_id, inzage), runtime.clock())

    runtime.query(router, OVERLEGGEN_VRAAG, lijst)
    runtime.query(router, OVERLEG_VRAAG, dossier)
    runtime.query(router, AGENDA_VRAAG, volgende)
