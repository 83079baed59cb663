"""Durable pull consumers: an event's command is appended once however often it is delivered,
failures come back at growing delays, and what cannot be trusted or handled is parked."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sized
from datetime import UTC, datetime
from pathlib import Path

import nats
import pytest
from faststream.nats import NatsBroker, NatsRouter
from nats.aio.client import Client as Nats
from nats.js import JetStreamContext
from wvggz_contracts.audit import PARKING_EVENTS
from wvggz_contracts.commands import Actor, ErrorCode, Rol
from wvggz_contracts.envelope import CloudEvent, source_urn
from wvggz_contracts.geparkeerd import GeparkeerdeGebeurtenissenVraag
from wvggz_contracts.subjects import EVENTS_STREAM

from kernel.audit import AuditTrail
from kernel.bus.consumer import (
    EventConsumer,
    EventHandler,
    PermanentFailure,
    command_id_for,
    event_subscriber,
)
from kernel.bus.streams import ConsumerSpec, ensure_events_stream
from kernel.eventstore import EventStore
from kernel.eventstore.sqlite import SqliteEventStore
from kernel.parking import DeadLetters, parked_view
from kernel.pipeline import CommandPipeline
from kernel.projection import Projector, ViewStore
from kernel.queries import Inzage
from kernel.testing import NatsServer
from tests.integration.events import eventually
from tests.kernel.teller import EVENTS, TELLER, VERHOOG

pytestmark = pytest.mark.integration

OIN = "0" * 20
SUBJECT = "wvggz.evt.test.GM0402.iets-gebeurd.v1"
SYSTEEM = Actor(id="wvggz-test", rol=Rol.TRIAGIST, gemeente="GM0402")

Bus = tuple[JetStreamContext, SqliteEventStore]
"""The event stream, and a store for the consumer's audit trail (the `bus` fixture)."""


def signal_event(
    producer: str = "test", event_type: str = "nl.wvggz.test.iets-gebeurd.v1"
) -> CloudEvent:
    cause = uuid.uuid4()
    return CloudEvent(
        id=uuid.uuid4(),
        source=source_urn(OIN, producer),
        type=event_type,
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
    tmp_path: Path, nats_server: NatsServer
) -> None:
    client = await nats.connect(nats_server.url)
    js = client.jetstream()
    await ensure_events_stream(js, max_age_s=3600, duplicate_window_s=1)
    store = SqliteEventStore(tmp_path / "events.db")
    pipeline = CommandPipeline(store, EVENTS, "test", lambda: datetime.now(UTC))
    deliveries: list[uuid.UUID] = []
    router = NatsRouter()

    @subscriber(router, store, "teller", retry_delays=(0.1,))
    async def on_event(event: CloudEvent) -> None:
        deliveries.append(event.id)
        body = {
            "command_id": str(command_id_for(event, "verhoog")),
            "payload": {"teller_id": str(event.subject), "gemeente": event.gemeente, "met": 1},
        }
        reply = await pipeline.handle(TELLER, VERHOOG, body, SYSTEEM)
        assert reply.ok, reply
        if len(deliveries) == 1:
            raise RuntimeError("fails once after appending: the message is redelivered")

    broker = NatsBroker(nats_server.url)
    broker.include_router(router)
    await broker.start()
    event = signal_event()
    payload = event.model_dump_json().encode()
    await js.publish(SUBJECT, payload, headers={"Nats-Msg-Id": "1"})
    await eventually(_length_at_least(deliveries, 2), what="redelivery after the failure")
    await asyncio.sleep(1.1)  # past the duplicate window: the bus itself no longer de-duplicates
    await js.publish(SUBJECT, payload, headers={"Nats-Msg-Id": "2"})
    await eventually(_length_at_least(deliveries, 3), what="the republished copy")

    stored = await store.read(f"teller-{event.subject}")

    assert deliveries == [event.id] * 3
    assert len(stored) == 1
    await broker.stop()
    await store.close()
    await client.close()


@pytest.fixture
async def bus(nats_server: NatsServer, tmp_path: Path) -> AsyncIterator[Bus]:
    """The event stream, and a store for the consumer's audit trail."""
    client = await nats.connect(nats_server.url)
    js = client.jetstream()
    await ensure_events_stream(js, max_age_s=3600, duplicate_window_s=60)
    store = SqliteEventStore(tmp_path / "events.db")
    yield js, store
    await store.close()
    await client.close()


@contextlib.asynccontextmanager
async def serving(url: str, router: NatsRouter) -> AsyncIterator[None]:
    """A broker running the router's consumers."""
    broker = NatsBroker(url)
    broker.include_router(router)
    await broker.start()
    try:
        yield
    finally:
        await broker.stop()


def subscriber(
    router: NatsRouter,
    store: EventStore,
    durable: str,
    *,
    retry_delays: tuple[float, ...],
    registry: dict[str, EventConsumer] | None = None,
) -> Callable[[EventHandler], EventHandler]:
    """A consumer of every test event, parking into the store's audit trail."""
    audit = AuditTrail(store, "test", lambda: datetime.now(UTC))
    return event_subscriber(
        router,
        ConsumerSpec(durable, "wvggz.evt.test.>"),
        oin=OIN,
        audit=audit,
        inbox_prefix=b"_INBOX.",
        description="test",
        retry_delays=retry_delays,
        registry=registry,
    )


def _length_at_least(items: Sized, count: int) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        return len(items) >= count

    return check


async def test_an_event_that_keeps_failing_is_retried_at_growing_delays_then_parked(
    nats_server: NatsServer, tmp_path: Path
) -> None:
    client = await nats.connect(nats_server.url)
    await ensure_events_stream(client.jetstream(), max_age_s=3600, duplicate_window_s=60)
    attempts: list[float] = []
    router = NatsRouter()
    store = SqliteEventStore(tmp_path / "events.db")

    @subscriber(router, store, "faalt", retry_delays=(0.2, 0.4))
    async def on_event(event: CloudEvent) -> None:
        attempts.append(asyncio.get_running_loop().time())
        raise RuntimeError("always fails")

    broker = NatsBroker(nats_server.url)
    broker.include_router(router)
    await broker.start()
    event = signal_event()
    await client.jetstream().publish(SUBJECT, event.model_dump_json().encode())
    await eventually(_length_at_least(attempts, 3), what="three attempts")
    await asyncio.sleep(1.0)  # a tight loop would have made thousands of attempts by now

    gaps = [later - earlier for earlier, later in itertools.pairwise(attempts)]
    (parked,) = await store.read("audit-test")
    assert len(attempts) == 3, "one attempt per delay, and the last one"
    assert gaps[0] >= 0.2 and gaps[1] >= 0.4, gaps
    assert parked.data["reden"] == "te-vaak-mislukt" and parked.data["event_id"] == str(event.id)
    assert "na 3 pogingen" in parked.data["toelichting"]
    await broker.stop()
    await store.close()
    await client.close()


@pytest.mark.parametrize(
    ("subject", "body", "reden"),
    [
        (SUBJECT, b"\xff not json at all", "onleesbaar"),
        (SUBJECT, b'{"specversion": "1.0"}', "onleesbaar"),
        (
            SUBJECT,
            signal_event(producer="notificaties").model_dump_json().encode(),
            "onbevoegde-bron",
        ),
        (
            SUBJECT,
            signal_event(event_type="nl.wvggz.meldpunt.triage-afgerond.v1")
            .model_dump_json()
            .encode(),
            "onbevoegde-bron",
        ),
        (
            "wvggz.evt.test.GM0406.iets-gebeurd.v1",
            signal_event().model_dump_json().encode(),
            "onbevoegde-bron",
        ),
    ],
    ids=["not-json", "not-a-cloudevent", "other-source", "other-type", "other-gemeente"],
)
async def test_an_untrusted_message_is_parked_once_and_the_next_event_is_still_handled(
    bus: Bus,
    nats_server: NatsServer,
    subject: str,
    body: bytes,
    reden: str,
) -> None:
    js, store = bus
    handled: list[uuid.UUID] = []
    router = NatsRouter()

    @subscriber(router, store, "wantrouwig", retry_delays=(0.1,))
    async def on_event(event: CloudEvent) -> None:
        handled.append(event.id)

    async with serving(nats_server.url, router):
        await js.publish(subject, body)
        valid = signal_event()
        await js.publish(SUBJECT, valid.model_dump_json().encode())
        await eventually(_length_at_least(handled, 1), what="the valid event behind it")
        await asyncio.sleep(0.5)  # a parked message would be back by now if it were only nacked

    [parked] = await store.read("audit-test")
    assert handled == [valid.id]
    assert parked.type == "nl.wvggz.audit.gebeurtenis-geparkeerd.v1"
    assert parked.data["reden"] == reden and parked.data["consumer"] == "wantrouwig"
    assert parked.data["stream_sequence"] == 1
    assert "not json" not in parked.data["toelichting"], "no content of the message is kept"
    info = await js.consumer_info("WVGGZ_EVENTS", "wantrouwig")
    assert info.num_ack_pending == 0 and info.num_redelivered == 0


async def test_an_event_the_handler_can_never_process_is_parked_not_retried(
    bus: Bus, nats_server: NatsServer
) -> None:
    js, store = bus
    attempts: list[uuid.UUID] = []
    router = NatsRouter()

    @subscriber(router, store, "weigert", retry_delays=(0.1,))
    async def on_event(event: CloudEvent) -> None:
        attempts.append(event.id)
        raise PermanentFailure("commando ongeldig: validation_failed (payload.gemeente)")

    async with serving(nats_server.url, router):
        event = signal_event()
        await js.publish(SUBJECT, event.model_dump_json().encode())
        await eventually(_length_at_least(attempts, 1), what="the attempt")
        await asyncio.sleep(0.5)

    [parked] = await store.read("audit-test")
    assert attempts == [event.id]
    assert parked.data["reden"] == "onverwerkbaar" and parked.data["event_id"] == str(event.id)
    assert parked.metadata["gemeente"] == "GM0402", "published to the gemeente's operators"


async def test_a_valid_event_behind_ten_thousand_poison_messages_is_handled_within_seconds(
    bus: Bus, nats_server: NatsServer
) -> None:
    js, store = bus
    handled: list[uuid.UUID] = []
    router = NatsRouter()

    @subscriber(router, store, "gif", retry_delays=(0.1,))
    async def on_event(event: CloudEvent) -> None:
        handled.append(event.id)

    for n in range(10_000):
        await js.publish(SUBJECT, b"\x00 not an event %d" % n)
    valid = signal_event()
    await js.publish(SUBJECT, valid.model_dump_json().encode())
    started = asyncio.get_running_loop().time()
    async with serving(nats_server.url, router):
        await eventually(_length_at_least(handled, 1), within=60, what="the valid event")
        took = asyncio.get_running_loop().time() - started

    assert handled == [valid.id]
    assert len(await store.read("audit-test")) == 10_000, "every poison message parked once"
    assert took < 30, f"{took:.1f} s behind 10,000 poison messages"


OPERATOR = Actor(id="beheer-1", rol=Rol.FUNCTIONEEL_BEHEER, gemeente="GM0402")


@contextlib.asynccontextmanager
async def dead_letters(
    store: SqliteEventStore, tmp_path: Path, registry: dict[str, EventConsumer], nc: Nats
) -> AsyncIterator[DeadLetters]:
    """The register of the `test` service's parked messages, its view kept by a projector."""
    views = ViewStore(tmp_path / "views.db")
    projector = Projector(store, views, [parked_view("test")], PARKING_EVENTS)
    audit = AuditTrail(store, "test", lambda: datetime.now(UTC))
    projector.start()
    audit.start()
    try:
        yield DeadLetters("test", store, views, projector, audit, registry, lambda: nc)
    finally:
        await audit.stop()
        await projector.stop()
        views.close()


def operator_request(sequence: int, consumer: str = "herstelbaar", **extra: str) -> bytes:
    payload = {"consumer": consumer, "stream_sequence": sequence, **extra}
    return json.dumps({"command_id": str(uuid.uuid4()), "payload": payload}).encode()


async def test_an_operator_has_a_parked_event_handled_again_once_its_cause_is_fixed(
    bus: Bus, nats_server: NatsServer, tmp_path: Path
) -> None:
    js, store = bus
    registry: dict[str, EventConsumer] = {}
    handled: list[uuid.UUID] = []
    broken = True
    router = NatsRouter()

    @subscriber(router, store, "herstelbaar", retry_delays=(0.1,), registry=registry)
    async def on_event(event: CloudEvent) -> None:
        if broken:
            raise PermanentFailure("the command it makes breaks a rule (until the fix)")
        handled.append(event.id)

    event = signal_event()
    client = await nats.connect(nats_server.url)
    async with (
        serving(nats_server.url, router),
        dead_letters(store, tmp_path, registry, client) as dead,
    ):
        await js.publish(SUBJECT, event.model_dump_json().encode())
        await js.publish("wvggz.evt.test.zomaar", b"not json at all")
        await eventually(_length_at_least(_Rows(dead), 2), what="both messages parked")
        first, poison = await dead.list(OPERATOR, GeparkeerdeGebeurtenissenVraag(), Inzage())

        other_gemeente = OPERATOR.model_copy(update={"gemeente": "GM0406"})
        triagist = OPERATOR.model_copy(update={"rol": Rol.TRIAGIST})
        seq = first["stream_sequence"]
        refused_role = await dead.redeliver(operator_request(seq), triagist)
        refused_gemeente = await dead.redeliver(operator_request(seq), other_gemeente)
        still_broken = await dead.redeliver(operator_request(seq), OPERATOR)
        broken = False
        request = operator_request(seq)
        fixed = await dead.redeliver(request, OPERATOR)
        retried = await dead.redeliver(request, OPERATOR)
        same_id = json.loads(request)["command_id"]
        elsewhere = json.loads(operator_request(poison["stream_sequence"], consumer="herstelbaar"))
        reused = await dead.redeliver(
            json.dumps(elsewhere | {"command_id": same_id}).encode(), OPERATOR
        )
        again = await dead.redeliver(operator_request(seq), OPERATOR)
        dismissed = await dead.dismiss(
            operator_request(poison["stream_sequence"], reden="testbericht van een leverancier"),
            OPERATOR,
        )
        await dead.projector.wait_for(await store.last_position())
        rows = await dead.list(OPERATOR, GeparkeerdeGebeurtenissenVraag(alle=True), Inzage())
        still_open = await dead.list(OPERATOR, GeparkeerdeGebeurtenissenVraag(), Inzage())

    assert first["event_id"] == str(event.id) and first["reden"] == "onverwerkbaar"
    assert poison["gemeente"] is None and poison["onderwerp"] is None, "no tenant, no subject"
    assert refused_role.error and refused_role.error.code == ErrorCode.FORBIDDEN
    assert refused_gemeente.error and refused_gemeente.error.code == ErrorCode.FORBIDDEN
    assert still_broken.error and still_broken.error.code == ErrorCode.RULE_VIOLATED
    assert fixed.ok and not fixed.duplicate and handled == [event.id]
    assert retried.ok and retried.duplicate, "the same command id redelivers nothing twice"
    assert reused.error and reused.error.code == ErrorCode.IDEMPOTENCY_KEY_REUSED
    assert again.error and again.error.code == ErrorCode.RULE_VIOLATED, "already herleverd"
    assert dismissed.ok
    by_id = {row["stream_sequence"]: row for row in rows}
    assert by_id[seq]["status"] == "herleverd" and by_id[seq]["mislukte_herleveringen"] == 1
    assert by_id[seq]["afgehandeld_door"] == OPERATOR.id
    assert by_id[poison["stream_sequence"]]["status"] == "afgewezen"
    assert still_open == []
    await client.close()


async def test_a_parked_message_that_left_the_stream_cannot_be_redelivered(
    bus: Bus, nats_server: NatsServer, tmp_path: Path
) -> None:
    js, store = bus
    registry: dict[str, EventConsumer] = {}
    router = NatsRouter()

    @subscriber(router, store, "herstelbaar", retry_delays=(0.1,), registry=registry)
    async def on_event(event: CloudEvent) -> None:
        raise PermanentFailure("never")

    client = await nats.connect(nats_server.url)
    async with (
        serving(nats_server.url, router),
        dead_letters(store, tmp_path, registry, client) as dead,
    ):
        await js.publish(SUBJECT, signal_event().model_dump_json().encode())
        await eventually(_length_at_least(_Rows(dead), 1), what="the message parked")
        (row,) = await dead.list(OPERATOR, GeparkeerdeGebeurtenissenVraag(), Inzage())
        await ensure_events_stream(js, max_age_s=1, duplicate_window_s=1)
        await eventually(_stream_empty(js), what="the message aged out of the stream")
        gone = await dead.redeliver(operator_request(row["stream_sequence"]), OPERATOR)
        unknown = await dead.redeliver(operator_request(row["stream_sequence"] + 7), OPERATOR)

    assert gone.error and gone.error.code == ErrorCode.NOT_FOUND
    assert gone.error.field == "payload.stream_sequence"
    assert unknown.error and unknown.error.code == ErrorCode.NOT_FOUND
    await client.close()


def _stream_empty(js: JetStreamContext) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        return (await js.stream_info(EVENTS_STREAM)).state.messages == 0

    return check


class _Rows:
    """The parked messages an operator sees now, sized for `_length_at_least`."""

    def __init__(self, dead: DeadLetters) -> None:
        self.dead = dead

    def __len__(self) -> int:
        return len(self.dead.views.rows(self.dead.view))
