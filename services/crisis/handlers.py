"""The crisis service's NATS router: start from triage, mandate look-ups, queries, deadlines."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from faststream.nats import NatsRouter
from pydantic import BaseModel, ConfigDict
from wvggz_contracts.commands import Actor, CommandReply, ErrorCode, Rol
from wvggz_contracts.crisis import LegHoorverslagVast, NeemBesluit

from kernel.deadlines import DeadlineWatcher, DueSignal
from kernel.decider import Command, Decider, DomainError
from kernel.logsafe import describe
from kernel.queries import Inzage, NoParams, require_role, time_left
from kernel.service import ServiceRuntime
from services.crisis.domain import (
    COMMANDS,
    Crisis,
    Mandaatregister,
    mandaat_id_for,
    te_signaleren,
)
from services.crisis.projections import DOSSIERS, OPEN_CRISES

log = logging.getLogger(__name__)

LEZERS = frozenset(
    {
        Rol.CRISISDIENST,
        Rol.PSYCHIATER,
        Rol.HOORDER,
        Rol.BURGEMEESTER,
        Rol.LOCO_BURGEMEESTER,
        Rol.FUNCTIONEEL_BEHEER,
    }
)
"""Roles that may read the open crises and their dossiers."""

SPECS = {spec.name: spec for spec in COMMANDS}


class DossierVraag(BaseModel):
    """Params of the dossier query."""

    model_config = ConfigDict(extra="forbid")

    crisis_id: UUID


def build_router(
    runtime: ServiceRuntime, crisis: Decider[Crisis], mandaten: Decider[Mandaatregister]
) -> NatsRouter:
    """The triage consumer, the mandate look-ups and the queries of the crisis service."""
    router = NatsRouter()
    registry = runtime.pipeline.registry

    async def state_of(crisis_id: UUID) -> Crisis:
        recorded = await runtime.store.read(crisis.stream(crisis_id))
        return crisis.fold(registry.parse(e.type, e.data) for e in recorded)

    async def register_of(gemeente: str) -> Mandaatregister:
        recorded = await runtime.store.read(mandaten.stream(mandaat_id_for(gemeente)))
        return mandaten.fold(registry.parse(e.type, e.data) for e in recorded)

    async def met_hoormandaat(command: Command[Any]) -> Command[Any]:
        """Whatever a client sent, the mandate is what the register says for that party."""
        payload: LegHoorverslagVast = command.payload
        register = await register_of(command.actor.gemeente)
        mandaat = register.hoormandaat(payload.partij)
        return _met(command, payload.model_copy(update={"mandaat": mandaat}))

    async def met_loco_registratie(command: Command[Any]) -> Command[Any]:
        """A loco-burgemeester's registration comes from the register, never from the client."""
        payload: NeemBesluit = command.payload
        registratie = None
        if command.actor.rol is Rol.LOCO_BURGEMEESTER:
            register = await register_of(command.actor.gemeente)
            registratie = register.loco_registratie(command.actor.id)
        return _met(command, payload.model_copy(update={"loco_registratie": registratie}))

    runtime.pipeline.prepare("leg-hoorverslag-vast", met_hoormandaat)
    runtime.pipeline.prepare("neem-besluit", met_loco_registratie)

    async def open_crises(actor: Actor, _params: NoParams, inzage: Inzage) -> list[dict[str, Any]]:
        require_role(actor, LEZERS, "de crisiszaken")
        nu = runtime.clock()
        rows = []
        for row in runtime.views.rows(OPEN_CRISES, actor.gemeente):
            state = await state_of(row.crisis_id)
            if state.open:
                rows.append(_overzicht(row.crisis_id, state, nu))
        inzage.aantal = len(rows)
        return sorted(rows, key=lambda r: r["uren_over"])

    async def dossier(actor: Actor, params: DossierVraag, inzage: Inzage) -> dict[str, Any]:
        inzage.case_id = params.crisis_id
        require_role(actor, LEZERS, "de crisiszaken")
        found = runtime.views.get(DOSSIERS, params.crisis_id)
        inzage.zaak_gemeente = found.gemeente if found else None
        if found is None or found.gemeente != actor.gemeente:
            raise DomainError(ErrorCode.NOT_FOUND, "geen crisiszaak met dit id voor uw gemeente")
        return found.model_dump(mode="json")

    runtime.query(
        router,
        "open-crises",
        NoParams,
        open_crises,
        description="Open crisiszaken van de eigen gemeente met de uren tot besluit of einde.",
    )
    runtime.query(
        router,
        "dossier",
        DossierVraag,
        dossier,
        description="Wie deed wat en wanneer in één crisiszaak.",
    )
    return router


def _met(command: Command[Any], payload: BaseModel) -> Command[Any]:
    return Command(command.command_id, command.at, command.actor, payload)


def _overzicht(crisis_id: UUID, state: Crisis, nu: datetime) -> dict[str, Any]:
    """One open case for people: what it waits for, and the hours left until then."""
    if not state.besloten and state.besluit_uiterlijk is not None:
        wacht_op, tot = "besluit", state.besluit_uiterlijk
    else:
        wacht_op, tot = "einde-maatregel", state.eindigt_op or nu
    return {
        "crisis_id": str(crisis_id),
        "wacht_op": wacht_op,
        "tot": tot.isoformat(),
        "uren_over": time_left(tot, nu, timedelta(hours=1)),
    }


def deadline_watcher(runtime: ServiceRuntime, crisis: Decider[Crisis]) -> DeadlineWatcher:
    """The 18-hour decision norm (warning at 12 h) and the end of each measure."""
    registry = runtime.pipeline.registry

    async def due(now: datetime) -> list[DueSignal]:
        signals = []
        for row in runtime.views.rows(OPEN_CRISES):
            try:
                recorded = await runtime.store.read(crisis.stream(row.crisis_id))
                state = crisis.fold(registry.parse(e.type, e.data) for e in recorded)
            except Exception as failure:  # one unreadable case must not stop every other signal
                log.error("crisis %s skipped by the watcher: %s", row.crisis_id, describe(failure))
                continue
            for spec, moment in te_signaleren(state, now):
                signals.append(DueSignal(row.crisis_id, row.gemeente, spec.name, moment))
        return signals

    async def send(signal: DueSignal) -> CommandReply:
        body = {
            "command_id": str(signal.command_id),
            "payload": {"crisis_id": str(signal.case_id)},
        }
        actor = runtime.system_actor(signal.gemeente)
        return await runtime.pipeline.handle(crisis, SPECS[signal.signal], body, actor)

    return DeadlineWatcher(due, send, runtime.clock, interval=runtime.settings.deadline_interval_s)
