"""A running service's signed checkpoint reaches the stream; `wvggz verify --nats-url` uses it to
catch a store rewritten so that the file alone looks intact."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import uuid
from datetime import UTC, datetime
from pathlib import Path

import nats
import pytest
from nats.js.api import DeliverPolicy
from wvggz_contracts.subjects import EVENTS_STREAM

from kernel.eventstore.chain import GENESIS, link_hash
from kernel.eventstore.verification import sqlite_rows
from kernel.testing import NatsServer
from services.onderzoek.app import OnderzoekSettings, create_app
from tests.integration.events import publish_event, triage_afgerond
from wvggz.cli import main

pytestmark = pytest.mark.integration

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


async def test_a_published_checkpoint_catches_a_consistently_rewritten_store(
    tmp_path: Path, nats_server: NatsServer, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = OnderzoekSettings(
        data_dir=tmp_path, nats_url=nats_server.url, checkpoint_interval_s=0.2
    )
    client = await nats.connect(nats_server.url)
    js = client.jetstream()
    async with create_app(settings, clock=lambda: START):
        await publish_event(js, triage_afgerond(uuid.uuid4(), "verkennend-onderzoek", START))
        watcher = await js.subscribe(
            "wvggz.evt.onderzoek.*.ketting-getekend.v1",
            stream=EVENTS_STREAM,
            ordered_consumer=True,
            deliver_policy=DeliverPolicy.ALL,
        )
        published = json.loads((await watcher.next_msg(timeout=20)).data)
        await watcher.unsubscribe()
    await client.close()
    signed = published["data"]["positie"]
    assert published["data"]["service"] == "onderzoek" and signed >= 1

    def verify(*extra: str) -> tuple[int, str]:
        code = main(["verify", "--data-dir", str(tmp_path), "--dienst", "onderzoek", *extra])
        return code, capsys.readouterr().out

    code, out = await asyncio.to_thread(verify, "--nats-url", nats_server.url)
    assert code == 0, out
    assert "onderzoek: keten intact" in out and "1 uit stream" in out

    forge(settings.store_path, signed)

    code, out = await asyncio.to_thread(verify)
    assert code == 0, out  # the file alone: edited, rehashed, its checkpoints gone
    code, out = await asyncio.to_thread(verify, "--nats-url", nats_server.url)
    assert code == 1
    assert f"BREUK op positie {signed} (herschreven): het stream-controlepunt" in out, out


def forge(path: Path, signed: int) -> None:
    """Edit the first event, drop the store's checkpoints and rehash: the file looks intact."""
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TRIGGER events_refuse_update")
        conn.execute("DROP TRIGGER events_refuse_delete")
        conn.execute("DELETE FROM events WHERE position > ?", (signed,))
        conn.execute("UPDATE events SET metadata = '{}' WHERE position = 1")
        conn.commit()
        previous = GENESIS
        for row in list(sqlite_rows(path)):
            previous = link_hash(previous, *row[:8])
            conn.execute("UPDATE events SET hash = ? WHERE position = ?", (previous, row[0]))
