"""Chain partners read their notifications from their own stream, with replay, on a locked bus."""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from nats.aio.msg import Msg
from nats.errors import Error as NatsError
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy, PubAck, StorageType
from wvggz_contracts.subjects import EVENTS_STREAM, partner_stream

from kernel.bus.streams import PARTNER_DUPLICATE_WINDOW_S
from tests.integration.test_bus_permissions import Bus, Client, Connect, connector, locked_bus
from wvggz.bootstrap import bootstrap_bus
from wvggz.partnerlezer import lees, partnerlezer_command

pytestmark = pytest.mark.integration

DEMO, OM = partner_stream("demo"), partner_stream("om")


@pytest.fixture(scope="module")
def bus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bus]:
    with locked_bus(tmp_path_factory.mktemp("partners")) as running:
        yield running


@pytest.fixture
async def connect(bus: Bus) -> AsyncIterator[Connect]:
    async with connector(bus) as as_identity:
        yield as_identity


async def notify(
    notificaties: Client, partner: str, event: str, body: Any = None, event_id: str | None = None
) -> PubAck:
    """Publish one notification as the notificaties service does."""
    return await notificaties.js.publish(
        f"wvggz.partner.{partner}.GM0402.crisis.{event}.v1",
        json.dumps(body if body is not None else {"event": event}).encode(),
        headers={"Nats-Msg-Id": f"{partner}:{event_id or uuid.uuid4()}"},
        stream=partner_stream(partner),
    )


async def test_each_partner_stream_keeps_its_own_subjects_for_the_retention(
    connect: Connect,
) -> None:
    bootstrap = await connect("bootstrap")

    for partner in ("demo", "om"):
        config = (await bootstrap.js.stream_info(partner_stream(partner))).config
        assert config.subjects == [f"wvggz.partner.{partner}.>"]
        assert (config.max_age, config.duplicate_window) == (3600, PARTNER_DUPLICATE_WINDOW_S)
        assert config.storage == StorageType.FILE
        assert config.deny_delete and config.deny_purge and config.allow_direct


async def test_notificaties_publishes_to_each_partner_and_gets_acks(connect: Connect) -> None:
    notificaties = await connect("notificaties")

    demo = await notify(notificaties, "demo", "afschrift-klaargezet")
    om = await notify(notificaties, "om", "afschrift-klaargezet")

    assert (demo.stream, om.stream) == (DEMO, OM)
    assert not demo.duplicate and not om.duplicate
    assert notificaties.errors == []


async def test_a_partner_reads_exactly_its_own_notifications(connect: Connect) -> None:
    notificaties = await connect("notificaties")
    bootstrap = await connect("bootstrap")
    consumers = len(await bootstrap.js.consumers_info(DEMO))
    mine = [await notify(notificaties, "demo", "eigen", {"n": n}) for n in range(3)]
    await notify(notificaties, "om", "eigen", {"n": "van om"})
    partner = await connect("partner-demo")

    everything = await lees(partner.js, "demo")
    own = await lees(partner.js, "demo", filter="GM0402.crisis.eigen.v1")

    assert all(n.subject.startswith("wvggz.partner.demo.") for n in everything)
    assert [n.volgnummer for n in own] == [ack.seq for ack in mine]
    assert [json.loads(n.data) for n in own] == [{"n": 0}, {"n": 1}, {"n": 2}]
    assert own[0].headers["Nats-Msg-Id"].startswith("demo:")
    assert partner.errors == []
    assert len(await bootstrap.js.consumers_info(DEMO)) == consumers, "the reader deletes its own"


async def test_replay_from_a_sequence_returns_that_one_and_those_after_it_in_order(
    connect: Connect,
) -> None:
    notificaties = await connect("notificaties")
    acks = [await notify(notificaties, "demo", "volgnummer", {"n": n}) for n in range(10)]
    partner = await connect("partner-demo")

    replayed = await lees(partner.js, "demo", vanaf_volgnummer=acks[5].seq)
    at_most = await lees(partner.js, "demo", vanaf_volgnummer=acks[5].seq, max=2)

    assert [n.volgnummer for n in replayed] == [ack.seq for ack in acks[5:]]
    assert [json.loads(n.data)["n"] for n in replayed] == [5, 6, 7, 8, 9]
    assert [n.volgnummer for n in at_most] == [acks[5].seq, acks[6].seq]


async def test_replay_from_a_time_returns_the_notifications_after_it(connect: Connect) -> None:
    notificaties = await connect("notificaties")
    for n in range(3):
        await notify(notificaties, "demo", "tijd", {"n": n})
    await asyncio.sleep(0.05)
    since = datetime.now(UTC)
    await asyncio.sleep(0.05)
    later = [await notify(notificaties, "demo", "tijd", {"n": n}) for n in range(3, 6)]
    partner = await connect("partner-demo")

    replayed = await lees(partner.js, "demo", vanaf_tijd=since, filter="*.*.tijd.>")

    assert [n.volgnummer for n in replayed] == [ack.seq for ack in later]
    assert all(n.tijd >= since for n in replayed)


async def test_a_notification_published_twice_with_one_id_is_stored_once(
    connect: Connect,
) -> None:
    notificaties = await connect("notificaties")
    event_id = str(uuid.uuid4())

    first = await notify(notificaties, "demo", "dubbel", event_id=event_id)
    again = await notify(notificaties, "demo", "dubbel", event_id=event_id)
    stored = await lees((await connect("partner-demo")).js, "demo", filter="*.*.dubbel.>")

    assert again.duplicate and again.seq == first.seq
    assert [n.volgnummer for n in stored] == [first.seq]


async def test_a_partner_replays_with_an_ordered_push_consumer_from_a_sequence(
    connect: Connect,
) -> None:
    notificaties = await connect("notificaties")
    acks = [await notify(notificaties, "demo", "geordend", {"n": n}) for n in range(4)]
    partner = await connect("partner-demo")

    sub = await partner.js.subscribe(
        "wvggz.partner.demo.*.crisis.geordend.v1",
        stream=DEMO,
        ordered_consumer=True,
        deliver_policy=DeliverPolicy.BY_START_SEQUENCE,
        config=ConsumerConfig(opt_start_seq=acks[1].seq),
    )
    received = [(await sub.next_msg(timeout=2)).metadata.sequence.stream for _ in acks[1:]]
    await sub.unsubscribe()

    assert received == [ack.seq for ack in acks[1:]]
    assert partner.errors == []


async def test_an_ordered_consumer_answers_flow_control(
    connect: Connect, monkeypatch: pytest.MonkeyPatch
) -> None:
    notificaties = await connect("notificaties")
    body = "x" * 200_000  # the server asks for flow control after some megabytes in flight
    for _ in range(60):
        await notify(notificaties, "om", "groot", {"bijlage": body})
    partner = await connect("partner-om")
    sent: list[str] = []
    publish = partner.nc.publish

    async def spy(subject: str, *args: Any, **kwargs: Any) -> None:
        sent.append(subject)
        await publish(subject, *args, **kwargs)

    monkeypatch.setattr(partner.nc, "publish", spy)
    sub = await partner.js.subscribe(
        "wvggz.partner.om.*.crisis.groot.v1",
        stream=OM,
        ordered_consumer=True,
        deliver_policy=DeliverPolicy.ALL,
    )
    for _ in range(60):
        await sub.next_msg(timeout=5)
    await sub.unsubscribe()

    assert any(subject.startswith(f"$JS.FC.{OM}.") for subject in sent)
    assert partner.errors == []


async def test_a_partner_fetches_and_acks_from_a_named_pull_consumer_and_deletes_it(
    connect: Connect,
) -> None:
    notificaties = await connect("notificaties")
    ack = await notify(notificaties, "demo", "getrokken")
    partner = await connect("partner-demo")
    subject = "wvggz.partner.demo.GM0402.crisis.getrokken.v1"

    pull = await partner.js.pull_subscribe(subject, durable="demo-lezer", stream=DEMO)
    (message,) = await pull.fetch(1, timeout=2)
    await message.ack_sync(timeout=2)
    info = await partner.js.consumer_info(DEMO, "demo-lezer")
    legacy = await partner.js.add_consumer(DEMO, ConsumerConfig(durable_name="demo-oud"))

    assert message.metadata.sequence.stream == ack.seq
    assert info.num_ack_pending == info.num_pending == 0
    assert await partner.js.delete_consumer(DEMO, "demo-lezer")
    assert await partner.js.delete_consumer(DEMO, legacy.name)
    assert partner.errors == []


async def test_a_partner_gets_single_notifications_from_its_own_stream(connect: Connect) -> None:
    notificaties = await connect("notificaties")
    ack = await notify(notificaties, "demo", "los", {"los": True})
    partner = await connect("partner-demo")
    subject = "wvggz.partner.demo.GM0402.crisis.los.v1"

    by_sequence = await partner.js.get_msg(DEMO, ack.seq, direct=True)
    last = await partner.js.get_last_msg(DEMO, subject, direct=True)
    info = await partner.js.stream_info(DEMO)

    assert json.loads(by_sequence.data or b"") == json.loads(last.data or b"") == {"los": True}
    assert info.state.last_seq >= ack.seq
    assert partner.errors == []


@pytest.mark.xfail(
    strict=True, reason="nats-server does not check a push consumer's deliver subject (#8274)"
)
async def test_a_partner_cannot_push_its_notifications_onto_another_subject(
    connect: Connect,
) -> None:
    await notify(await connect("notificaties"), "demo", "omgeleid")
    overleg = await connect("overleg")
    received: list[str] = []

    async def record(msg: Msg) -> None:
        received.append(msg.subject)

    # Only a subscription on the very subject makes the server deliver (not a wildcard one).
    await overleg.nc.subscribe("wvggz.cmd.overleg.omgeleid", cb=record)
    await overleg.nc.flush()
    await overleg.nc.flush()  # the second PING follows the SUB (see Client.refused)
    partner = await connect("partner-demo")
    config = ConsumerConfig(
        deliver_subject="wvggz.cmd.overleg.omgeleid",
        filter_subject="wvggz.partner.demo.*.crisis.omgeleid.v1",
        ack_policy=AckPolicy.NONE,
    )

    with contextlib.suppress(NatsError):
        await partner.js.add_consumer(DEMO, config)
    await asyncio.sleep(0.5)

    assert received == []


@pytest.mark.xfail(strict=True, reason="the server answers a request on any reply subject")
async def test_a_partners_request_cannot_put_a_message_on_the_event_stream(
    connect: Connect,
) -> None:
    bootstrap = await connect("bootstrap")
    before = (await bootstrap.js.stream_info(EVENTS_STREAM)).state.messages
    partner = await connect("partner-demo")

    await partner.nc.publish(
        f"$JS.API.STREAM.INFO.{DEMO}",
        b"",
        reply="wvggz.evt.meldpunt.GM0402.melding-ontvangen.v1",
    )
    await partner.nc.flush()
    await asyncio.sleep(0.5)

    assert (await bootstrap.js.stream_info(EVENTS_STREAM)).state.messages == before


def test_the_partner_reader_command_prints_one_json_line_per_notification(
    bus: Bus, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    async def publish() -> list[PubAck]:
        async with connector(bus) as connect:
            notificaties = await connect("notificaties")
            return [await notify(notificaties, "demo", "regel", {"n": n}) for n in range(3)]

    acks = asyncio.run(publish())
    settings = bus.settings("partner-demo")
    monkeypatch.setenv("WVGGZ_NATS_URL", settings.nats_url)
    monkeypatch.setenv("WVGGZ_NATS_NKEY_SEED_FILE", str(settings.nats_nkey_seed_file))
    monkeypatch.setenv("WVGGZ_NATS_TLS_CA_FILE", str(settings.nats_tls_ca_file))

    code = partnerlezer_command(
        ["--partner", "demo", "--vanaf", str(acks[1].seq), "--filter", "GM0402.crisis.regel.>"]
    )

    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 0
    assert [(line["sequence"], line["body"]) for line in lines] == [
        (acks[1].seq, {"n": 1}),
        (acks[2].seq, {"n": 2}),
    ]
    assert {line["subject"] for line in lines} == {"wvggz.partner.demo.GM0402.crisis.regel.v1"}


async def test_the_bootstrap_creates_a_stream_for_each_configured_partner(
    bus: Bus, connect: Connect
) -> None:
    settings = bus.settings("bootstrap").model_copy(
        update={"nats_partners": ("demo", "om", "reclassering"), "partner_retention_days": 2}
    )

    await bootstrap_bus(settings)

    config = (
        await (await connect("bootstrap")).js.stream_info("WVGGZ_PARTNER_RECLASSERING")
    ).config
    assert config.subjects == ["wvggz.partner.reclassering.>"]
    assert config.max_age == 2 * 86_400
