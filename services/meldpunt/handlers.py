"""The meldpunt's NATS router: its queries, and the samenhang look-up for new meldingen."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from faststream.nats import NatsRouter
from pydantic import BaseModel, ConfigDict
from wvggz_contracts.commands import Actor, ErrorCode, Rol
from wvggz_contracts.meldpunt import RegistreerMelding

from kernel.decider import Command, DomainError
from kernel.projection import CaseView
from kernel.queries import Inzage, NoParams, QuerySpec, stoplicht, time_left
from kernel.runtime import ServiceRuntime
from services.meldpunt.domain import SAMENHANG
from services.meldpunt.projections import (
    DOSSIERS,
    WERKVOORRAAD,
    Persoonssleutels,
    sleutels,
)

DAG = timedelta(days=1)
VO_WAARSCHUWING_VOOR = timedelta(days=4)
"""The VO term warns this long before its end, as the onderzoek warns (day 10 of 14)."""

LEZERS = frozenset({Rol.TRIAGIST, Rol.FUNCTIONEEL_BEHEER})
"""Roles that may read the meldpunt's werkvoorraad and dossiers."""

log = logging.getLogger(__name__)


class DossierVraag(BaseModel):
    """Params of the dossier query."""

    model_config = ConfigDict(extra="forbid")

    melding_id: UUID


WERKVOORRAAD_VRAAG = QuerySpec(
    "werkvoorraad",
    NoParams,
    "Open meldingen van de eigen gemeente, met de dagen tot het VO-termijneinde.",
    rollen=LEZERS,
    wat="de meldingen",
    resource="meldingen",
    filters=("stoplicht", "melding_id"),
)

DOSSIER_VRAAG = QuerySpec(
    "dossier",
    DossierVraag,
    "Wie deed wat en wanneer met één melding (met samenhang en uitkomst).",
    rollen=LEZERS,
    wat="de meldingen",
    resource="meldingen",
    item="melding_id",
)
QUERIES = (WERKVOORRAAD_VRAAG, DOSSIER_VRAAG)
"""The queries this service answers."""


def build_router(
    runtime: ServiceRuntime[Any],
    personen: CaseView[Persoonssleutels],
    geheim: bytes,
) -> NatsRouter:
    """Queries and the samenhang look-up."""
    router = NatsRouter()
    views = runtime.views

    async def werkvoorraad(actor: Actor, _params: NoParams, inzage: Inzage) -> list[dict[str, Any]]:
        nu = runtime.clock()
        rows = []
        for row in views.docs(WERKVOORRAAD, actor.gemeente):
            eind = datetime.fromisoformat(row["vo_termijn_eind"])
            row["dagen_over"] = time_left(eind, nu, DAG)
            row["stoplicht"] = stoplicht(nu, eind - VO_WAARSCHUWING_VOOR, eind)
            rows.append((eind, row))
        rows.sort(key=lambda pair: pair[0])
        inzage.aantal = len(rows)
        return [row for _eind, row in rows]

    async def dossier(actor: Actor, params: DossierVraag, inzage: Inzage) -> dict[str, Any]:
        found = views.get(DOSSIERS, params.melding_id)
        inzage.zaak_gemeente = found.gemeente if found else None
        if found is None or actor.gemeente not in found.inzage:
            raise DomainError(ErrorCode.NOT_FOUND, "geen melding met dit id voor uw gemeente")
        return found.model_dump(mode="json")

    async def vind_samenhang(command: Command[RegistreerMelding]) -> frozenset[UUID]:
        """Open meldingen and VO's of the same gemeente about the same betrokkene."""
        payload = command.payload
        try:  # a melding registered a moment ago must be found too
            await runtime.projector.wait_for(await runtime.store.last_position(), within=1.0)
        except TimeoutError:
            log.warning("samenhang looked up in a view that lags the store")
        return frozenset(
            row.melding_id
            for key in sleutels(payload.betrokkene, geheim)
            for row in views.find(personen, key, payload.gemeente)
        )

    runtime.pipeline.provide(SAMENHANG, vind_samenhang)
    runtime.query(router, WERKVOORRAAD_VRAAG, werkvoorraad)
    runtime.query(router, DOSSIER_VRAAG, dossier)

    return router
