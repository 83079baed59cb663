"""The meldpunt's NATS router: its queries, and what it learns from the onderzoek service."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any
from uuid import UUID

from faststream.nats import NatsRouter
from pydantic import BaseModel, ConfigDict
from wvggz_contracts.commands import Actor, ErrorCode, Rol
from wvggz_contracts.envelope import CloudEvent
from wvggz_contracts.meldpunt import RegistreerMelding
from wvggz_contracts.onderzoek.events import VoAfgesloten
from wvggz_contracts.subjects import event_filter

from kernel.bus.consumer import command_id_for, require_ok
from kernel.bus.streams import ConsumerSpec
from kernel.decider import Command, Decider, DomainError
from kernel.projection import CaseView
from kernel.queries import Inzage, NoParams, require_role, time_left
from kernel.service import ServiceRuntime
from services.meldpunt.domain import REGISTREER_VO_AFSLUITING
from services.meldpunt.projections import (
    DOSSIERS,
    WERKVOORRAAD,
    Persoonssleutels,
    sleutels,
)

DAG = timedelta(days=1)

LEZERS = frozenset({Rol.TRIAGIST, Rol.FUNCTIONEEL_BEHEER})
"""Roles that may read the meldpunt's werkvoorraad and dossiers."""

log = logging.getLogger(__name__)

VO_AFGESLOTEN = ConsumerSpec("meldpunt-vo-afgesloten", event_filter(VoAfgesloten.event_type))
"""The meldpunt's consumer of closed VO's."""

MAX_SAMENHANG = 100
"""Links kept per melding (the contract's limit); more open meldingen about one person is a
sign of a problem the dossiers already show."""


class DossierVraag(BaseModel):
    """Params of the dossier query."""

    model_config = ConfigDict(extra="forbid")

    melding_id: UUID


def build_router(
    runtime: ServiceRuntime,
    decider: Decider[Any],
    personen: CaseView[Persoonssleutels],
    geheim: bytes,
) -> NatsRouter:
    """Queries, the samenhang look-up, and the consumer of closed VO's."""
    router = NatsRouter()
    views = runtime.views

    async def werkvoorraad(actor: Actor, _params: NoParams, inzage: Inzage) -> list[dict[str, Any]]:
        require_role(actor, LEZERS, "de meldingen")
        nu = runtime.clock()
        rows = sorted(views.rows(WERKVOORRAAD, actor.gemeente), key=lambda r: r.vo_termijn_eind)
        inzage.aantal = len(rows)
        return [
            {**row.model_dump(mode="json"), "dagen_over": time_left(row.vo_termijn_eind, nu, DAG)}
            for row in rows
        ]

    async def dossier(actor: Actor, params: DossierVraag, inzage: Inzage) -> dict[str, Any]:
        inzage.case_id = params.melding_id
        require_role(actor, LEZERS, "de meldingen")
        found = views.get(DOSSIERS, params.melding_id)
        inzage.zaak_gemeente = found.gemeente if found else None
        if found is None or actor.gemeente not in found.inzage:
            raise DomainError(ErrorCode.NOT_FOUND, "geen melding met dit id voor uw gemeente")
        return found.model_dump(mode="json")

    async def met_samenhang(command: Command[Any]) -> Command[Any]:
        """Link a new melding to open meldingen and VO's about the same betrokkene."""
        payload: RegistreerMelding = command.payload
        try:  # a melding registered a moment ago must be found too
            await runtime.projector.wait_for(await runtime.store.last_position(), within=1.0)
        except TimeoutError:
            log.warning("samenhang looked up in a view that lags the store")
        related = {
            row.melding_id
            for key in sleutels(payload.betrokkene, geheim)
            for row in views.find(personen, key, payload.gemeente)
        }
        extra = sorted(related - set(payload.samenhang), key=str)
        if not extra:
            return command
        combined = [*payload.samenhang, *extra][:MAX_SAMENHANG]
        return Command(
            command_id=command.command_id,
            at=command.at,
            actor=command.actor,
            payload=payload.model_copy(update={"samenhang": combined}),
        )

    runtime.pipeline.prepare("registreer-melding", met_samenhang)
    runtime.query(
        router,
        "werkvoorraad",
        NoParams,
        werkvoorraad,
        description="Open meldingen van de eigen gemeente, met de dagen tot het VO-termijneinde.",
    )
    runtime.query(
        router,
        "dossier",
        DossierVraag,
        dossier,
        description="Wie deed wat en wanneer met één melding (met samenhang en uitkomst).",
    )

    @runtime.consume(
        router, VO_AFGESLOTEN, description="Een gesloten VO telt niet meer mee voor samenhang."
    )
    async def vo_afgesloten(event: CloudEvent) -> None:
        body = {
            "command_id": str(command_id_for(event, "registreer-vo-afsluiting")),
            "correlation_id": str(event.correlationid),
            "payload": {
                "melding_id": event.data["melding_id"],
                "vo_id": event.data["vo_id"],
                "afgesloten_op": event.data["afgesloten_op"],
            },
        }
        actor = runtime.system_actor(event.gemeente)
        reply = await runtime.pipeline.handle(decider, REGISTREER_VO_AFSLUITING, body, actor)
        require_ok(reply, "VO-afsluiting niet vastgelegd")

    return router
