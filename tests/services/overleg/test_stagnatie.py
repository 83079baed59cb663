"""The escalation rules behind the real pipeline, store, views and deadline watcher: a stall is
signalled once per rung, also across restarts."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from pathlib import Path

from pydantic import BaseModel
from wvggz_contracts.audit import EVENTS as AUDIT_EVENTS
from wvggz_contracts.commands import CommandReply
from wvggz_contracts.doorzetting import (
    DOORZETTING_EVENTS,
    Niveau,
    SignaleerStagnatie,
)

from kernel.access import system_actor
from kernel.deadlines import DeadlineWatcher, DueSignal
from kernel.eventstore.sqlite import SqliteEventStore
from kernel.pipeline import CommandPipeline
from kernel.projection import Projector, ViewStore
from services.overleg.doorzetting.stagnatie import due_stagnaties, stagnatie_command
from services.overleg.doorzetting.views import ESCALATIES
from tests.services.overleg.test_escalaties import (
    CONSULENT,
    ID,
    MAX,
    NU,
    RULES,
    registreer,
    schaal_op,
)


class Dienst:
    """The escalation rules behind the real pipeline, store, views and deadline watcher."""

    def __init__(self, store: SqliteEventStore, views: ViewStore) -> None:
        self.now = NU
        self.store, self.views = store, views
        self.pipeline = CommandPipeline(
            store, DOORZETTING_EVENTS.merged(AUDIT_EVENTS), "overleg", lambda: self.now
        )
        specs = {rule.spec.payload: rule.spec for rule in RULES.rules}

        async def send(signal: DueSignal) -> CommandReply:
            body = {"command_id": str(signal.command_id), "payload": stagnatie_command(signal)}
            actor = system_actor("overleg", signal.gemeente)
            return await self.pipeline.handle(RULES.decider, specs[SignaleerStagnatie], body, actor)

        async def due(now: datetime) -> list[DueSignal]:
            await self.project()
            return due_stagnaties(self.views.rows(ESCALATIES), now, MAX)

        self.specs = specs
        self.watcher = DeadlineWatcher(due, send, lambda: self.now)

    async def handle(self, payload: BaseModel) -> CommandReply:
        body = {"command_id": str(uuid.uuid4()), "payload": payload.model_dump(mode="json")}
        spec = self.specs[type(payload)]
        return await self.pipeline.handle(RULES.decider, spec, body, CONSULENT)

    async def project(self) -> None:
        projector = Projector(self.store, self.views, [ESCALATIES], DOORZETTING_EVENTS)
        projector.start()
        await projector.wait_for(await self.store.last_position())
        await projector.stop()


async def test_the_watcher_signals_a_stall_once_per_rung_across_restarts(tmp_path: Path) -> None:
    store = SqliteEventStore(tmp_path / "events.db")
    views = ViewStore(tmp_path / "views.db")
    dienst = Dienst(store, views)
    try:
        assert (await dienst.handle(registreer())).ok
        dienst.now = NU + timedelta(days=MAX + 1)
        await dienst.project()
        voor = views.rows(ESCALATIES)
        [eerste] = await dienst.watcher.tick()
        assert eerste.ok and not eerste.duplicate
        # A view that lags (after a restart) computes the same signal later: the same command.
        [opnieuw] = due_stagnaties(voor, dienst.now + timedelta(days=3), MAX)
        herhaald = await dienst.watcher.send(opnieuw)
        assert herhaald.ok and herhaald.duplicate
        assert await dienst.watcher.tick() == []

        assert (await dienst.handle(schaal_op(Niveau.REGIONAAL))).ok
        assert await dienst.watcher.tick() == []
        dienst.now += timedelta(days=MAX + 1)
        [tweede] = await dienst.watcher.tick()
        assert tweede.ok and not tweede.duplicate
        await dienst.project()
        row = views.get(ESCALATIES, ID)
        assert row is not None
        assert row.gesignaleerd == [Niveau.LOKAAL, Niveau.REGIONAAL]
        assert row.fase == "op niveau regionaal (regionale tafel), stagneert"
    finally:
        await store.close()
        views.close()
