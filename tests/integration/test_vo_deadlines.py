"""VO deadline signals fire once each, also across restarts of the service and of NATS."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import nats
import pytest
from wvggz_contracts.meldpunt import vo_termijn_eind

from kernel.eventstore.sqlite import SqliteEventStore
from kernel.testing import NatsServer
from services.onderzoek.app import OnderzoekSettings, create_app
from services.onderzoek.domain import vo_id_for
from tests.integration.events import eventually, publish_event, triage_afgerond

pytestmark = pytest.mark.integration

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


async def signals(path: Path, vo_id: uuid.UUID) -> list[str]:
    store = SqliteEventStore(path)
    try:
        events = await store.read(f"verkennend-onderzoek-{vo_id}")
        return [e.type.split(".")[-2] for e in events if "termijn" in e.type or "geopend" in e.type]
    finally:
        await store.close()


async def test_warning_and_expiry_are_signalled_once_across_restarts(
    tmp_path: Path, nats_server: NatsServer
) -> None:
    clock = Clock()
    settings = OnderzoekSettings(
        data_dir=tmp_path, nats_url=nats_server.url, deadline_interval_s=0.05
    )
    melding_id = uuid.uuid4()
    vo_id = vo_id_for(melding_id)
    events_db = settings.store_path

    async with create_app(settings, clock=clock):
        client = await nats.connect(nats_server.url)
        await publish_event(
            client.jetstream(), triage_afgerond(melding_id, "verkennend-onderzoek", START)
        )
        await client.close()
        await eventually(lambda: _has(events_db, vo_id, "vo-geopend"), what="the VO opened")
        clock.now = START + timedelta(days=10, minutes=1)
        await eventually(lambda: _has(events_db, vo_id, "termijn-waarschuwing"), what="warning")

    nats_server.stop()
    nats_server.start()
    async with create_app(settings, clock=clock):
        await asyncio.sleep(0.5)  # ten watcher ticks with the warning long due
        assert await signals(events_db, vo_id) == ["vo-geopend", "termijn-waarschuwing"]
        # The term ends at midnight after 14 whole days (with the Atw), as the meldpunt set it.
        clock.now = vo_termijn_eind(START) + timedelta(minutes=1)
        await eventually(lambda: _has(events_db, vo_id, "termijn-verstreken"), what="expiry")
        await asyncio.sleep(0.5)

    assert await signals(events_db, vo_id) == [
        "vo-geopend",
        "termijn-waarschuwing",
        "termijn-verstreken",
    ]


async def _has(path: Path, vo_id: uuid.UUID, kind: str) -> bool:
    return kind in await signals(path, vo_id)
