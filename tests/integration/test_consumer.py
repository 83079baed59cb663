"""A durable pull consumer that turns events into commands appends once, however often delivered."""

from __future__ import annotations

import asyncio
import itertools
import uuid
from datetime import UTC, datetime

import nats
import pytest
from faststream.nats import NatsBroker, NatsRouter
from wvggz_contracts.envelope import CloudEvent, source_urn

from kernel.bus.consumer import command_id_for, event_subscriber
from kernel.bus.streams import ensure_events_stream
from kernel.eventstore.sqlite import SqliteEventStore
from kernel.pipeline import CommandPipeline
from tests.integration.events import eventually
from tests.kernel.teller import EVENTS, TELLER, VERHOOG

pytestmark = pytest.mark.integration


def signal_event() -> CloudEvent:
    cause = uuid.uuid4()
    return CloudEvent(
        id=uuid.uuid4(),
        source=source_urn("0" * 20, "meldpunt"),
        type="nl.wvggz.test.iets-gebeurd.v1",
        time=datetime.now(UTC),
        subject=uuid.uuid4(),
        gemeente="GM0402",
        correlationid=cause,
        causationid=cause,
        actor="a-1",
        sequence="1",
        data={},
    )


async def test_a_redelivered_or_republished_event_appends_its_command_only_once(
    tmp_path, nats_server
):
    client = await nats.connect(nats_server.url)
    js = client.jetstream()
    await ensure_events_stream(js, max_age_s=3600, duplicate_window_s=1)
    store = SqliteEventStore(tmp_path / "events.db")
    pipeline = CommandPipeline(store, EVENTS, "test", lambda: datetime.now(UTC))
    deliveries = []
    router = NatsRouter()

    @event_subscriber(
        router, "wvggz.evt.test.>", durable="teller", description="test", retry_delays=(0.1,)
    )
    async def on_event(event: CloudEvent) -> None:
        deliveries.append(event.id)
        body = {
            "command_id": str(command_id_for(event, "verhoog")),
            "actor": {"id": "systeem", "rol": "triagist", "gemeente": event.gemeente},
            "payload": {"teller_id": str(event.subject), "gemeente": event.gemeente, "met": 1},
        }
        reply = await pipeline.handle(TELLER, VERHOOG, body)
        assert reply.ok, reply
        if len(deliveries) == 1:
            raise RuntimeError("fails once after appending: the message is redelivered")

    broker = NatsBroker(nats_server.url)
    broker.include_router(router)
    await broker.start()
    event = signal_event()
    payload = event.model_dump_json().encode()
    await js.publish("wvggz.evt.test.GM0402.iets-gebeurd.v1", payload, headers={"Nats-Msg-Id": "1"})
    await eventually(_length_at_least(deliveries, 2), what="redelivery after the failure")
    await asyncio.sleep(1.1)  # past the duplicate window: the bus itself no longer de-duplicates
    await js.publish("wvggz.evt.test.GM0402.iets-gebeurd.v1", payload, headers={"Nats-Msg-Id": "2"})
    await eventually(_length_at_least(deliveries, 3), what="the republished copy")

    stored = await store.read(f"teller-{event.subject}")

    assert deliveries == [event.id] * 3
    assert len(stored) == 1
    await broker.stop()
    await store.close()
    await client.close()


def _length_at_least(items: list, count: int):
    async def check() -> bool:
        return len(items) >= count

    return check


async def test_an_event_that_keeps_failing_is_retried_at_growing_delays_and_never_dropped(
    nats_server,
):
    client = await nats.connect(nats_server.url)
    await ensure_events_stream(client.jetstream(), max_age_s=3600, duplicate_window_s=60)
    attempts: list[float] = []
    router = NatsRouter()

    @event_subscriber(
        router, "wvggz.evt.test.>", durable="faalt", description="test", retry_delays=(0.2, 0.4)
    )
    async def on_event(event: CloudEvent) -> None:
        attempts.append(asyncio.get_running_loop().time())
        raise RuntimeError("always fails")

    broker = NatsBroker(nats_server.url)
    broker.include_router(router)
    await broker.start()
    await client.jetstream().publish(
        "wvggz.evt.test.GM0402.iets-gebeurd.v1", signal_event().model_dump_json().encode()
    )
    await eventually(_length_at_least(attempts, 3), what="three attempts")
    await asyncio.sleep(1.5)  # a tight loop would have made thousands of attempts by now

    gaps = [later - earlier for earlier, later in itertools.pairwise(attempts)]
    assert 4 <= len(attempts) <= 8, attempts
    assert gaps[0] >= 0.2
    assert all(gap >= 0.4 for gap in gaps[1:]), gaps
    await broker.stop()
    await client.close()
