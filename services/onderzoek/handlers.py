"""The onderzoek's NATS router: opening VO's from triage, queries, and deadline signals."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from faststream.nats import NatsRouter
from pydantic import BaseModel, ConfigDict
from wvggz_contracts.commands import Actor, CommandReply, ErrorCode, Rol

from kernel.deadlines import DeadlineWatcher, DueSignal
from kernel.decider import DomainError
from kernel.queries import Inzage, NoParams, QuerySpec, stoplicht, time_left
from kernel.rules import Rulebook
from kernel.runtime import ServiceRuntime
from services.onderzoek.domain import (
    SIGNALEER_NADERENDE_TERMIJN,
    SIGNALEER_TERMIJN_VERSTREKEN,
    Onderzoek,
)
from services.onderzoek.projections import (
    DOSSIERS,
    VERSTREKEN,
    WAARSCHUWING,
    WERKVOORRAAD,
    due_signals,
)

log = logging.getLogger(__name__)

DAG = timedelta(days=1)

LEZERS = frozenset({Rol.CONSULENT, Rol.GGZ_CONSULTANT, Rol.FUNCTIONEEL_BEHEER})
"""Roles that may read the werkvoorraad and dossiers of VO's."""


class DossierVraag(BaseModel):
    """Params of the dossier query."""

    model_config = ConfigDict(extra="forbid")

    vo_id: UUID


WERKVOORRAAD_VRAAG = QuerySpec(
    "werkvoorraad",
    NoParams,
    "Open onderzoeken van de eigen gemeente, meest urgente eerst.",
    rollen=LEZERS,
    wat="de onderzoeken",
    resource="verkennende-onderzoeken",
    filters=("stoplicht", "vo_id"),
)

DOSSIER_VRAAG = QuerySpec(
    "dossier",
    DossierVraag,
    "Wie deed wat en wanneer in één verkennend onderzoek.",
    rollen=LEZERS,
    wat="de onderzoeken",
    resource="verkennende-onderzoeken",
    item="vo_id",
)
QUERIES = (WERKVOORRAAD_VRAAG, DOSSIER_VRAAG)
"""The queries this service answers."""


def build_router(runtime: ServiceRuntime[Any]) -> NatsRouter:
    """The queries of the onderzoek."""
    router = NatsRouter()
    views = runtime.views

    async def werkvoorraad(actor: Actor, _params: NoParams, inzage: Inzage) -> list[dict[str, Any]]:
        nu = runtime.clock()
        rows = []
        for row in views.docs(WERKVOORRAAD, actor.gemeente):
            deadline = datetime.fromisoformat(row["deadline"])
            waarschuwing = datetime.fromisoformat(row["waarschuwing_op"])
            row["dagen_over"] = time_left(deadline, nu, DAG)
            row["stoplicht"] = stoplicht(nu, waarschuwing, deadline)
            rows.append((deadline, row))
        rows.sort(key=lambda pair: pair[0])
        inzage.aantal = len(rows)
        return [row for _deadline, row in rows]

    async def dossier(actor: Actor, params: DossierVraag, inzage: Inzage) -> dict[str, Any]:
        found = views.get(DOSSIERS, params.vo_id)
        inzage.zaak_gemeente = found.gemeente if found else None
        if found is None or found.gemeente != actor.gemeente:
            raise DomainError(ErrorCode.NOT_FOUND, "geen onderzoek met dit id voor uw gemeente")
        return found.model_dump(mode="json")

    runtime.query(router, WERKVOORRAAD_VRAAG, werkvoorraad)
    runtime.query(router, DOSSIER_VRAAG, dossier)
    return router


def deadline_watcher(
    runtime: ServiceRuntime[Any], rulebook: Rulebook[Onderzoek]
) -> DeadlineWatcher:
    """Warns ahead of day 14 and signals its passing, from the werkvoorraad view."""
    decider = rulebook.decider
    specs = {rule.name: rule.spec for rule in rulebook.rules}
    commands = {
        WAARSCHUWING: specs[SIGNALEER_NADERENDE_TERMIJN],
        VERSTREKEN: specs[SIGNALEER_TERMIJN_VERSTREKEN],
    }

    async def send(signal: DueSignal) -> CommandReply:
        spec = commands[signal.signal]
        body = {"command_id": str(signal.command_id), "payload": {"vo_id": str(signal.case_id)}}
        actor = runtime.system_actor(signal.gemeente)
        return await runtime.pipeline.handle(decider, spec, body, actor)

    async def due(now: datetime) -> list[DueSignal]:
        return due_signals(runtime.views.rows(WERKVOORRAAD), now)

    return DeadlineWatcher(
        due,
        send,
        runtime.clock,
        interval=runtime.settings.deadline_interval_s,
    )
