"""The onderzoek's NATS router: opening VO's from triage, queries, and deadline signals."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from faststream.nats import NatsRouter
from pydantic import BaseModel, ConfigDict
from wvggz_contracts.commands import Actor, CommandReply, ErrorCode, Rol
from wvggz_contracts.envelope import CloudEvent

from kernel.bus.consumer import command_id_for, event_subscriber
from kernel.deadlines import DeadlineWatcher, DueSignal
from kernel.decider import Decider, DomainError
from kernel.queries import NoParams, register_query, require_role, time_left
from kernel.service import ServiceRuntime
from services.onderzoek.domain import (
    OPEN_VERKENNEND_ONDERZOEK,
    SIGNALEER_NADERENDE_TERMIJN,
    SIGNALEER_TERMIJN_VERSTREKEN,
)
from services.onderzoek.projections import (
    DOSSIERS,
    WAARSCHUWING,
    WERKVOORRAAD,
    due_signals,
)

log = logging.getLogger(__name__)

DAG = timedelta(days=1)

LEZERS = frozenset({Rol.CONSULENT, Rol.GGZ_CONSULTANT, Rol.FUNCTIONEEL_BEHEER})
"""Roles that may read the werkvoorraad and dossiers of VO's."""

SYSTEEM_ID = "wvggz-onderzoek"


class DossierVraag(BaseModel):
    """Params of the dossier query."""

    model_config = ConfigDict(extra="forbid")

    vo_id: UUID


def _systeem(gemeente: str) -> dict[str, str]:
    return {"id": SYSTEEM_ID, "rol": Rol.SYSTEEM.value, "gemeente": gemeente}


def build_router(runtime: ServiceRuntime, decider: Decider[Any]) -> NatsRouter:
    """The triage consumer and the queries of the onderzoek."""
    router = NatsRouter()
    views = runtime.views

    @event_subscriber(
        router,
        "wvggz.evt.meldpunt.*.triage-afgerond.v1",
        durable="onderzoek-triage",
        description="Opent een verkennend onderzoek als de triage daartoe besloot.",
    )
    async def triage_afgerond(event: CloudEvent) -> None:
        if event.data.get("uitkomst") != "verkennend-onderzoek":
            return
        data = event.data
        body = {
            "command_id": str(command_id_for(event, "open-verkennend-onderzoek")),
            "correlation_id": str(event.correlationid),
            "actor": _systeem(event.gemeente),
            "payload": {
                "melding_id": data["melding_id"],
                "gemeente": data["gemeente"],
                "melding_ontvangen_op": data["melding_ontvangen_op"],
                "betrokkene": data["betrokkene"],
                "melder": data["melder"],
                "situatie": data["situatie"],
            },
        }
        reply = await runtime.pipeline.handle(decider, OPEN_VERKENNEND_ONDERZOEK, body)
        if reply.error:
            # Retried with growing delays, then logged as an error: a VO must never be lost.
            raise RuntimeError(f"VO not opened: {reply.error.code}: {reply.error.message}")

    async def werkvoorraad(actor: Actor, _params: NoParams) -> list[dict[str, Any]]:
        require_role(actor, LEZERS, "de onderzoeken")
        nu = runtime.clock()
        rows = sorted(views.rows(WERKVOORRAAD, actor.gemeente), key=lambda r: r.deadline)
        return [
            {
                **row.model_dump(mode="json"),
                "dagen_over": time_left(row.deadline, nu, DAG),
            }
            for row in rows
        ]

    async def dossier(actor: Actor, params: DossierVraag) -> dict[str, Any]:
        require_role(actor, LEZERS, "de onderzoeken")
        found = views.get(DOSSIERS, params.vo_id)
        if found is None or found.gemeente != actor.gemeente:
            raise DomainError(ErrorCode.NOT_FOUND, "geen onderzoek met dit id voor uw gemeente")
        return found.model_dump(mode="json")

    register_query(
        router,
        "onderzoek",
        "werkvoorraad",
        NoParams,
        werkvoorraad,
        runtime.projector,
        description="Open onderzoeken van de eigen gemeente, meest urgente eerst.",
    )
    register_query(
        router,
        "onderzoek",
        "dossier",
        DossierVraag,
        dossier,
        runtime.projector,
        description="Wie deed wat en wanneer in één verkennend onderzoek.",
    )
    return router


def deadline_watcher(runtime: ServiceRuntime, decider: Decider[Any]) -> DeadlineWatcher:
    """Warns ahead of day 14 and signals its passing, from the werkvoorraad view."""

    async def send(signal: DueSignal) -> CommandReply:
        spec = (
            SIGNALEER_NADERENDE_TERMIJN
            if signal.signal == WAARSCHUWING
            else SIGNALEER_TERMIJN_VERSTREKEN
        )
        body = {
            "command_id": str(signal.command_id),
            "actor": _systeem(signal.gemeente),
            "payload": {"vo_id": str(signal.case_id)},
        }
        return await runtime.pipeline.handle(decider, spec, body)

    async def due(now: datetime) -> list[DueSignal]:
        return due_signals(runtime.views.rows(WERKVOORRAAD), now)

    return DeadlineWatcher(
        due,
        send,
        runtime.clock,
        interval=runtime.settings.deadline_interval_s,
    )
