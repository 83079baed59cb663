"""The relay puts every stored event on JetStream exactly once, across NATS and relay restarts."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import nats
import pytest
from nats.aio.client import Client as Nats
from nats.js.api import DiscardPolicy
from wvggz_contracts.envelope import source_urn

from kernel.bus.relay import Relay
from kernel.bus.streams import ensure_events_stream
from kernel.checkpoints import CheckpointStore
from kernel.eventstore.sqlite import SqliteEventStore
from kernel.testing import NatsServer
from tests.integration.events import append_one, eventually, published_ids

pytestmark = pytest.mark.integration


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqliteEventStore]:
    store = SqliteEventStore(tmp_path / "events.db")
    yield store
    await store.close()


async def connect(url: str) -> Nats:
    return await nats.connect(
        url, max_reconnect_attempts=-1, reconnect_time_wait=0.1, allow_reconnect=True
    )


async def test_every_event_reaches_the_bus_exactly_once_across_a_nats_restart(
    tmp_path: Path, store: SqliteEventStore, nats_server: NatsServer
) -> None:
    client = await connect(nats_server.url)
    js = client.jetstream()
    await ensure_events_stream(js, max_age_s=3600, duplicate_window_s=600)
    relay = Relay(
        store,
        client,
        CheckpointStore(tmp_path / "checkpoints.db"),
        source=source_urn("0" * 20, "test"),
        retry_delay=0.1,
    )
    relay.start()
    appended: list[str] = []

    async def produce(count: int) -> None:
        for n in range(count):
            appended.append(str((await append_one(store, n)).event_id))
            await asyncio.sleep(0.003)

    producer = asyncio.create_task(produce(400))
    await eventually(lambda: _at_least(relay, 50), what="relay started publishing")
    nats_server.stop(kill=True)
    await asyncio.sleep(0.5)
    assert relay.position < await store.last_position(), "the restart was not mid-stream"
    nats_server.start()
    await producer
    last = await store.last_position()
    await eventually(lambda: _at_least(relay, last), what="relay caught up")

    ids = await published_ids(js)

    assert ids == appended
    await relay.stop()
    await client.close()


async def test_a_relay_that_lost_its_checkpoint_republishes_nothing_beyond_the_window(
    tmp_path: Path, store: SqliteEventStore, nats_server: NatsServer
) -> None:
    client = await connect(nats_server.url)
    js = client.jetstream()
    await ensure_events_stream(js, max_age_s=3600, duplicate_window_s=1)
    checkpoints = CheckpointStore(tmp_path / "checkpoints.db")
    events = [str((await append_one(store, n)).event_id) for n in range(20)]
    first = Relay(store, client, checkpoints, source=source_urn("0" * 20, "test"), service="test")
    first.start()
    await eventually(lambda: _at_least(first, 20))
    await first.stop()
    assert checkpoints.get("relay") == 20
    await asyncio.sleep(1.5)  # past the duplicate window: JetStream would store copies now
    events += [str((await append_one(store, n)).event_id) for n in range(20, 25)]

    lost_checkpoint = CheckpointStore(tmp_path / "restored-backup-checkpoints.db")
    second = Relay(
        store, client, lost_checkpoint, source=source_urn("0" * 20, "test"), service="test"
    )
    second.start()
    await eventually(lambda: _at_least(second, 25))
    await second.stop()

    assert await published_ids(js) == events
    await client.close()


async def test_the_relay_resumes_after_jetstream_refused_storage_without_a_nats_restart(
    tmp_path: Path, store: SqliteEventStore, nats_server: NatsServer
) -> None:
    client = await connect(nats_server.url)
    js = client.jetstream()
    config = await ensure_events_stream(js, max_age_s=3600, duplicate_window_s=1)
    # The fault: the stream refuses new messages, as a full JetStream store does.
    await js.update_stream(replace(config, max_msgs=5, discard=DiscardPolicy.NEW))
    relay = Relay(
        store,
        client,
        CheckpointStore(tmp_path / "checkpoints.db"),
        source=source_urn("0" * 20, "test"),
        service="test",
        retry_delay=0.1,
        stall_after=0.3,
    )
    relay.start()
    events = [str((await append_one(store, n)).event_id) for n in range(12)]
    await eventually(lambda: _at_least(relay, 5), what="the first five published")
    await asyncio.sleep(1.5)  # refused for longer than the duplicate window and the stall limit
    assert relay.position == 5
    assert relay.stalled(await store.last_position()), "readiness would say not ready"

    await js.update_stream(config)  # room again; NATS keeps running
    await eventually(lambda: _at_least(relay, 12), what="the relay resumed")

    assert not relay.stalled(await store.last_position())
    assert await published_ids(js) == events
    await relay.stop()
    await client.close()


async def _at_least(relay: Relay, position: int) -> bool:
    return relay.position >= position
