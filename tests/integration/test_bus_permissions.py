"""Every rule of the locked-down bus, both sides, against a real nats-server with TLS."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import ssl
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nats
import nkeys
import pytest
from faststream import AckPolicy
from faststream.nats import JStream, NatsBroker, NatsMessage, NatsRouter, PullSub
from nats.aio.client import Client as Nats
from nats.aio.msg import Msg
from nats.errors import Error as NatsError
from nats.errors import TimeoutError as NatsTimeout
from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig, DeliverPolicy, StreamConfig
from wvggz_contracts.subjects import EVENTS_STREAM, partner_stream, partner_subject

from kernel.bus.connection import (
    broker_options,
    connect_options,
    subscriber_inbox_prefix,
    tls_context,
)
from kernel.bus.readback import read_back
from kernel.bus.streams import (
    ConsumerSpec,
    ensure_consumers,
    ensure_events_stream,
    ensure_partner_streams,
)
from kernel.settings import ServiceSettings
from kernel.testing import NatsServer, free_port
from tests.integration.events import eventually
from wvggz.bus_security import BusConfig, prepare_bus_config
from wvggz.bus_tls import generate_tls

pytestmark = pytest.mark.integration

SERVICES = ("meldpunt", "onderzoek", "crisis", "overleg", "notificaties")
CLIENTS = ("cli", "portaal")
PARTNERS = ("demo", "om")
CONSUMERS = (
    ConsumerSpec("meldpunt-vo-afgesloten", "wvggz.evt.onderzoek.*.vo-afgesloten.v1"),
    ConsumerSpec("onderzoek-triage", "wvggz.evt.meldpunt.*.triage-afgerond.v1"),
    ConsumerSpec("crisis-triage", "wvggz.evt.meldpunt.*.triage-afgerond.v1"),
)
FEEDS = {
    "meldpunt-vo-afgesloten": ("onderzoek", "wvggz.evt.onderzoek.GM0402.vo-afgesloten.v1"),
    "onderzoek-triage": ("meldpunt", "wvggz.evt.meldpunt.GM0402.triage-afgerond.v1"),
    "crisis-triage": ("meldpunt", "wvggz.evt.meldpunt.GM0402.triage-afgerond.v1"),
}
"""Per durable: the service whose event it consumes, and a subject that event goes out on."""

REFUSED_CALL_TIMEOUT = 0.02
"""How long to wait for the reply a refused request must never get (after its violation)."""


@dataclass
class Bus:
    """The running server and the generated configuration it runs."""

    config: BusConfig
    server: NatsServer

    def settings(self, identity: str) -> ServiceSettings:
        """What a process of this identity is configured with (the inbox prefix is derived)."""
        return ServiceSettings(
            service_name=identity,
            nats_url=self.config.url,
            nats_nkey_seed_file=self.config.seed_file(identity),
            nats_tls_ca_file=self.config.ca_file,
        )


@contextmanager
def locked_bus(base: Path) -> Iterator[Bus]:
    """A locked nats-server with TLS, its streams and durables created by the bootstrap."""
    port = free_port()
    config = prepare_bus_config(
        base / "config",
        host="127.0.0.1",
        port=port,
        monitor_port=free_port(),
        store_dir=base / "jetstream",
        services=SERVICES,
        clients=CLIENTS,
        partners=PARTNERS,
        consumers=CONSUMERS,
        tls=generate_tls(base / "config", ["127.0.0.1"]),
        server_host_names=["127.0.0.1"],
    )
    server = NatsServer(store_dir=base / "jetstream", port=port, config_file=config.config_path)
    server.start()
    running = Bus(config, server)
    try:
        asyncio.run(_bootstrap(running))
        yield running
    finally:
        server.stop()


@pytest.fixture(scope="module")
def bus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bus]:
    with locked_bus(tmp_path_factory.mktemp("bus")) as running:
        yield running


async def _bootstrap(bus: Bus) -> None:
    client = await nats.connect(**connect_options(bus.settings("bootstrap"), "bootstrap"))
    try:
        js = client.jetstream()
        await ensure_events_stream(js, max_age_s=3600, duplicate_window_s=60)
        await ensure_consumers(js, CONSUMERS)
        await ensure_consumers(js, CONSUMERS)  # idempotent
        await ensure_partner_streams(js, PARTNERS, max_age_s=3600)
    finally:
        await client.close()


@dataclass
class Client:
    """A connection as one identity that records the permission errors the server reports."""

    identity: str
    nc: Nats
    errors: list[str] = field(default_factory=list)

    @property
    def js(self) -> JetStreamContext:
        """JetStream for calls that should be answered."""
        return self.nc.jetstream(timeout=2)

    @property
    def js_refused(self) -> JetStreamContext:
        """JetStream with a short timeout, for calls that must never be answered."""
        return self.nc.jetstream(timeout=REFUSED_CALL_TIMEOUT)

    async def refused(self, subject: str) -> bool:
        """Whether the server refused a publish or subscription on `subject`.

        The server answers in order, so its error for anything sent before a PING arrives before
        the PONG. nats-py writes the PING of a flush ahead of buffered publishes, so it takes
        two: the first sends what is buffered, the second's PONG comes after every error.
        """
        await self.nc.flush(timeout=2)
        await self.nc.flush(timeout=2)
        return any(f'"{subject.lower()}"' in error for error in self.errors)

    async def refused_call(self, call: Awaitable[Any], subject: str) -> bool:
        """A JetStream API call whose request the server refused, so it gets no answer."""
        pending = asyncio.ensure_future(call)
        refused = await self.refused(subject)
        # Some nats-py calls (delete_msg) ignore the context's timeout and would wait 5 s.
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(pending, timeout=2 * REFUSED_CALL_TIMEOUT)
        return refused


Connect = Callable[[str], Awaitable[Client]]


@asynccontextmanager
async def connector(bus: Bus) -> AsyncIterator[Connect]:
    """Connects as any identity of the bus; every connection is closed at the end."""
    clients: list[Client] = []

    async def as_identity(identity: str) -> Client:
        errors: list[str] = []

        async def record(error: Exception) -> None:
            errors.append(str(error).lower())

        options = connect_options(bus.settings(identity), f"test-{identity}")
        client = Client(identity, await nats.connect(**options, error_cb=record), errors)
        clients.append(client)
        return client

    try:
        yield as_identity
    finally:
        for client in clients:
            await client.nc.close()


@pytest.fixture
async def connect(bus: Bus) -> AsyncIterator[Connect]:
    async with connector(bus) as as_identity:
        yield as_identity


async def publish_event(client: Client, subject: str) -> str:
    """Publish one event through JetStream as the relay does; returns its id."""
    event_id = str(uuid.uuid4())
    ack = await client.js.publish(
        subject,
        json.dumps({"id": event_id}).encode(),
        headers={"Nats-Msg-Id": event_id},
        stream=EVENTS_STREAM,
    )
    assert ack.stream == EVENTS_STREAM
    return event_id


async def refused_to_connect(bus: Bus, **options: Any) -> str:
    """The error a connection attempt ends with; fails the test when it connects."""
    try:
        client = await nats.connect(
            bus.config.url, allow_reconnect=False, connect_timeout=2, **options
        )
    except (NatsError, OSError) as refused:
        return str(refused).lower()
    await client.close()
    raise AssertionError("the server let this client in")


# Who may connect


async def test_an_anonymous_connection_is_refused(bus: Bus) -> None:
    error = await refused_to_connect(bus, tls=tls_context(bus.settings("cli")))

    assert "authorization violation" in error


async def test_a_seed_the_server_does_not_know_is_refused(bus: Bus) -> None:
    stranger = nkeys.encode_seed(os.urandom(32), nkeys.PREFIX_BYTE_USER).decode()

    error = await refused_to_connect(
        bus, tls=tls_context(bus.settings("cli")), nkeys_seed_str=stranger
    )

    assert "authorization violation" in error


def test_the_server_speaks_tls_only(bus: Bus) -> None:
    with socket.create_connection(("127.0.0.1", bus.server.port), timeout=2) as plain:
        info = json.loads(plain.makefile("rb").readline().decode().removeprefix("INFO "))
        plain.sendall(b'CONNECT {"verbose":false}\r\nPING\r\n')
        answer = plain.recv(4096)

    assert info["tls_required"] is True
    assert answer == b"", "the server closes a connection that speaks plain text"


async def test_a_client_that_does_not_know_our_ca_does_not_connect(bus: Bus) -> None:
    error = await refused_to_connect(
        bus, tls=ssl.create_default_context(), nkeys_seed=str(bus.config.seed_file("cli"))
    )

    assert "certificate verify failed" in error


async def test_each_identity_connects_with_its_own_seed_and_inbox(
    bus: Bus, connect: Connect
) -> None:
    for identity in bus.config.identities:
        client = await connect(identity.id)

        assert client.nc.is_connected
        assert connect_options(bus.settings(identity.id), "x")["inbox_prefix"] == (
            bus.config.inbox_prefix(identity.id)
        )


# Services publish their own events and nothing else


@pytest.mark.parametrize("service", SERVICES)
async def test_a_service_publishes_its_own_events_and_audit_events(
    connect: Connect, service: str
) -> None:
    client = await connect(service)

    await publish_event(client, f"wvggz.evt.{service}.GM0402.iets-gebeurd.v1")
    await publish_event(client, f"wvggz.evt.{service}.GM0402.autorisatie-geweigerd.v1")

    assert client.errors == []


@pytest.mark.parametrize(
    ("service", "subject"),
    [
        ("notificaties", "wvggz.evt.meldpunt.GM0402.melding-ontvangen.v1"),
        ("onderzoek", "wvggz.evt.meldpunt.GM0402.triage-afgerond.v1"),
        ("meldpunt", "wvggz.evt.onderzoek.GM0402.vo-afgesloten.v1"),
        ("crisis", "wvggz.evt.onderzoek.GM0402.autorisatie-geweigerd.v1"),
        ("overleg", "wvggz.evt.audit.GM0402.autorisatie-geweigerd.v1"),
    ],
)
async def test_a_service_cannot_publish_another_services_events(
    connect: Connect, service: str, subject: str
) -> None:
    client = await connect(service)

    await client.nc.publish(subject, b"{}")

    assert await client.refused(subject)


@pytest.mark.parametrize("service", SERVICES)
async def test_a_service_cannot_send_commands_or_queries(connect: Connect, service: str) -> None:
    client = await connect(service)
    command = "wvggz.cmd.meldpunt.registreer-melding"
    query = f"wvggz.qry.{service}.werkvoorraad"

    await client.nc.publish(command, b"{}")
    with pytest.raises(NatsTimeout):
        await client.nc.request(query, b"{}", timeout=REFUSED_CALL_TIMEOUT)

    assert await client.refused(command)
    assert await client.refused(query)


# Only the bootstrap manages JetStream


STREAM_OPERATIONS: dict[str, tuple[Callable[[JetStreamContext], Awaitable[Any]], str]] = {
    "create": (
        lambda js: js.add_stream(StreamConfig(name="STOLEN", subjects=["stolen.>"])),
        "$JS.API.STREAM.CREATE.STOLEN",
    ),
    "update max_msgs": (
        lambda js: js.update_stream(StreamConfig(name=EVENTS_STREAM, max_msgs=1)),
        f"$JS.API.STREAM.UPDATE.{EVENTS_STREAM}",
    ),
    "delete": (
        lambda js: js.delete_stream(EVENTS_STREAM),
        f"$JS.API.STREAM.DELETE.{EVENTS_STREAM}",
    ),
    "purge": (lambda js: js.purge_stream(EVENTS_STREAM), f"$JS.API.STREAM.PURGE.{EVENTS_STREAM}"),
    "delete a message": (
        lambda js: js.delete_msg(EVENTS_STREAM, 1),
        f"$JS.API.STREAM.MSG.DELETE.{EVENTS_STREAM}",
    ),
}


@pytest.mark.parametrize("operation", STREAM_OPERATIONS)
@pytest.mark.parametrize("service", SERVICES)
async def test_no_service_can_change_the_stream(
    connect: Connect, service: str, operation: str
) -> None:
    client = await connect(service)
    call, subject = STREAM_OPERATIONS[operation]

    assert await client.refused_call(call(client.js_refused), subject)
    config = (await (await connect("bootstrap")).js.stream_info(EVENTS_STREAM)).config
    assert config.max_msgs == -1


TRIAGE = CONSUMERS[1]
CONSUMER_OPERATIONS: dict[str, tuple[Callable[[JetStreamContext], Awaitable[Any]], str]] = {
    "create onderzoek-triage": (
        lambda js: js.add_consumer(EVENTS_STREAM, TRIAGE.config()),
        f"$JS.API.CONSUMER.CREATE.{EVENTS_STREAM}.{TRIAGE.durable}.{TRIAGE.subject}",
    ),
    "create a new one": (
        lambda js: js.add_consumer(
            EVENTS_STREAM, ConsumerSpec("onderzoek-extra", "wvggz.evt.>").config()
        ),
        f"$JS.API.CONSUMER.CREATE.{EVENTS_STREAM}.onderzoek-extra.wvggz.evt.>",
    ),
    "delete onderzoek-triage": (
        lambda js: js.delete_consumer(EVENTS_STREAM, TRIAGE.durable),
        f"$JS.API.CONSUMER.DELETE.{EVENTS_STREAM}.{TRIAGE.durable}",
    ),
}


@pytest.mark.parametrize("operation", CONSUMER_OPERATIONS)
@pytest.mark.parametrize("service", ["onderzoek", "notificaties"])
async def test_no_service_can_create_or_delete_a_consumer_not_even_its_own(
    connect: Connect, service: str, operation: str
) -> None:
    client = await connect(service)
    call, subject = CONSUMER_OPERATIONS[operation]

    assert await client.refused_call(call(client.js_refused), subject)
    consumers = await (await connect("bootstrap")).js.consumers_info(EVENTS_STREAM)
    assert {info.name: info.config.filter_subject for info in consumers} == {
        spec.durable: spec.subject for spec in CONSUMERS
    }


@pytest.mark.parametrize("service", SERVICES)
async def test_a_service_sees_that_the_stream_exists_but_reads_no_message_of_it(
    connect: Connect, service: str
) -> None:
    client = await connect(service)
    js = client.js_refused

    assert (await client.js.stream_info(EVENTS_STREAM)).config.deny_purge
    assert await client.refused_call(js.account_info(), "$JS.API.INFO")
    assert await client.refused_call(js.streams_info(), "$JS.API.STREAM.LIST")
    assert await client.refused_call(
        js.get_msg(EVENTS_STREAM, 1), f"$JS.API.STREAM.MSG.GET.{EVENTS_STREAM}"
    )
    assert await client.refused_call(
        js.get_msg(EVENTS_STREAM, 1, direct=True), f"$JS.API.DIRECT.GET.{EVENTS_STREAM}"
    )


@pytest.mark.parametrize("service", SERVICES)
async def test_a_service_reads_the_last_message_of_its_own_subjects_only(
    connect: Connect, service: str
) -> None:
    client = await connect(service)
    other = "meldpunt" if service != "meldpunt" else "onderzoek"
    event_id = await publish_event(client, f"wvggz.evt.{service}.GM0402.iets-gebeurd.v1")
    await publish_event(await connect(other), f"wvggz.evt.{other}.GM0402.iets-gebeurd.v1")

    last = await client.js.get_last_msg(EVENTS_STREAM, f"wvggz.evt.{service}.>", direct=True)

    assert (last.headers or {})["Nats-Msg-Id"] == event_id
    assert client.errors == []
    for subjects in (f"wvggz.evt.{other}.>", "wvggz.evt.>", f"wvggz.evt.{other}.GM0402.>"):
        assert await client.refused_call(
            client.js_refused.get_last_msg(EVENTS_STREAM, subjects, direct=True),
            f"$JS.API.DIRECT.GET.{EVENTS_STREAM}.{subjects}",
        )


# Services consume their own durables


@pytest.mark.parametrize("spec", CONSUMERS, ids=lambda spec: spec.durable)
async def test_a_service_fetches_and_acks_from_its_own_durable(
    connect: Connect, spec: ConsumerSpec
) -> None:
    owner = await connect(spec.durable.split("-")[0])
    producer_name, subject = FEEDS[spec.durable]
    event_id = await publish_event(await connect(producer_name), subject)
    pull = await owner.js.pull_subscribe(spec.subject, durable=spec.durable, stream=EVENTS_STREAM)

    seen: list[str] = []
    while event_id not in seen:
        for message in await pull.fetch(16, timeout=2):
            seen.append(json.loads(message.data)["id"])
            await message.ack_sync(timeout=2)

    assert owner.errors == []


async def test_a_service_reads_a_parked_message_back_within_its_durables_subjects(
    connect: Connect,
) -> None:
    spec = CONSUMERS[1]
    owner = await connect("onderzoek")
    await publish_event(await connect("meldpunt"), FEEDS[spec.durable][1])
    wanted = await (await connect("bootstrap")).js.get_last_msg(EVENTS_STREAM, spec.subject)
    assert wanted.seq is not None

    found = await read_back(owner.nc, spec, wanted.seq)

    assert found is not None and found == (wanted.subject, wanted.data)
    assert owner.errors == []


@pytest.mark.parametrize(
    ("service", "name", "subjects"),
    [
        ("onderzoek", "onderzoek-triage-herlevering", "wvggz.evt.>"),
        ("onderzoek", "onderzoek-triage-herlevering", "wvggz.evt.crisis.*.besluit-genomen.v1"),
        ("onderzoek", "crisis-triage-herlevering", "wvggz.evt.meldpunt.*.triage-afgerond.v1"),
        ("crisis", "crisis-triage", "wvggz.evt.meldpunt.*.triage-afgerond.v1"),
    ],
)
async def test_a_service_cannot_read_back_beyond_its_durables_subjects(
    connect: Connect, service: str, name: str, subjects: str
) -> None:
    client = await connect(service)
    config = ConsumerConfig(
        name=name,
        filter_subject=subjects,
        opt_start_seq=1,
        deliver_policy=DeliverPolicy.BY_START_SEQUENCE,
    )

    assert await client.refused_call(
        client.js_refused.add_consumer(EVENTS_STREAM, config),
        f"$JS.API.CONSUMER.CREATE.{EVENTS_STREAM}.{name}.{subjects}",
    )


@pytest.mark.parametrize(
    ("service", "durable"),
    [
        ("crisis", "onderzoek-triage"),
        ("notificaties", "onderzoek-triage"),
        ("onderzoek", "meldpunt-vo-afgesloten"),
    ],
)
async def test_a_service_cannot_use_another_services_durable(
    connect: Connect, service: str, durable: str
) -> None:
    client = await connect(service)
    bound = await client.js_refused.pull_subscribe_bind(durable, EVENTS_STREAM)
    ack = f"$JS.ACK.{EVENTS_STREAM}.{durable}.1.1.1.1.0"

    assert await client.refused_call(
        client.js_refused.pull_subscribe("wvggz.evt.>", durable=durable, stream=EVENTS_STREAM),
        f"$JS.API.CONSUMER.INFO.{EVENTS_STREAM}.{durable}",
    )
    assert await client.refused_call(
        bound.fetch(1, timeout=REFUSED_CALL_TIMEOUT),
        f"$JS.API.CONSUMER.MSG.NEXT.{EVENTS_STREAM}.{durable}",
    )
    await client.nc.publish(ack, b"+ACK")
    assert await client.refused(ack)


async def test_a_faststream_service_consumes_its_pre_created_durable_without_creating_it(
    bus: Bus, connect: Connect
) -> None:
    settings = bus.settings("crisis")
    received: list[str] = []
    router = NatsRouter()

    # As kernel/bus/consumer.py subscribes: bound to the durable by name, on the private inbox.
    @router.subscriber(
        "wvggz.evt.meldpunt.*.triage-afgerond.v1",
        stream=JStream(EVENTS_STREAM, declare=False),
        durable="crisis-triage",
        pull_sub=PullSub(batch_size=16, timeout=0.2),
        ack_policy=AckPolicy.MANUAL,
        inbox_prefix=subscriber_inbox_prefix(settings),
    )
    async def consume(event: dict[str, str], msg: NatsMessage) -> None:
        if event["id"] not in received:
            await msg.nack(delay=0.05)  # redelivery works too, without more rights
            received.append(event["id"])
            return
        received.append(event["id"])
        await msg.ack()

    errors: list[str] = []

    async def record(error: Exception) -> None:
        errors.append(str(error))

    broker = NatsBroker(**broker_options(settings, "crisis"), error_cb=record)
    broker.include_router(router)
    await broker.start()
    try:
        event_id = await publish_event(await connect("meldpunt"), FEEDS["crisis-triage"][1])
        bootstrap = await connect("bootstrap")

        async def acknowledged() -> bool:
            info = await bootstrap.js.consumer_info(EVENTS_STREAM, "crisis-triage")
            return received.count(event_id) == 2 and info.num_ack_pending == info.num_pending == 0

        await eventually(acknowledged, within=5, what="delivery, redelivery and ack")
    finally:
        await broker.stop()

    assert errors == []


# Private inboxes and request/reply


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize(
    "subject",
    ["_INBOX.>", "_INBOX_cli.>", "_INBOX_{other}.>", "wvggz.evt.>", "wvggz.evt.{service}.>"],
)
async def test_a_service_cannot_listen_on_other_inboxes_or_the_event_stream(
    connect: Connect, service: str, subject: str
) -> None:
    client = await connect(service)
    other = "meldpunt" if service != "meldpunt" else "onderzoek"
    subject = subject.format(service=service, other=other)

    await client.nc.subscribe(subject)

    assert await client.refused(subject)


@pytest.mark.parametrize("service", SERVICES)
async def test_a_service_answers_a_clients_request_on_the_clients_own_inbox(
    connect: Connect, service: str
) -> None:
    server = await connect(service)
    cli = await connect("cli")
    reply_subjects: list[str] = []

    async def answer(msg: Msg) -> None:
        reply_subjects.append(msg.reply)
        await msg.respond(b'{"ok": true}')

    for kind in ("cmd", "qry"):
        await server.nc.subscribe(f"wvggz.{kind}.{service}.>", queue=service, cb=answer)
    # nats-py writes a flush's PING ahead of what is buffered: the second one follows the SUBs.
    await server.nc.flush()
    await server.nc.flush()

    command = await cli.nc.request(f"wvggz.cmd.{service}.doe-iets", b"{}", timeout=5)
    query = await cli.nc.request(f"wvggz.qry.{service}.werkvoorraad", b"{}", timeout=5)

    assert command.data == query.data == b'{"ok": true}'
    assert all(reply.startswith("_INBOX_cli.") for reply in reply_subjects)
    assert server.errors == cli.errors == []
    # Answering is not a right to write into the client's inbox unasked.
    await server.nc.publish(reply_subjects[0], b"again")
    assert await server.refused(reply_subjects[0])


# Client applications


CLIENT_REFUSALS = {
    "publish an event": ("publish", "wvggz.evt.meldpunt.GM0402.melding-ontvangen.v1"),
    "read the event stream": ("subscribe", "wvggz.evt.>"),
    "listen to other clients' commands": ("subscribe", "wvggz.cmd.>"),
    "listen to all inboxes": ("subscribe", "_INBOX.>"),
    "listen to a service's inbox": ("subscribe", "_INBOX_meldpunt.>"),
    "use JetStream": ("publish", "$JS.API.INFO"),
    "ack a message": ("publish", f"$JS.ACK.{EVENTS_STREAM}.onderzoek-triage.1.1.1.1.0"),
}


@pytest.mark.parametrize("refusal", CLIENT_REFUSALS)
@pytest.mark.parametrize("client_name", CLIENTS)
async def test_a_client_sends_commands_and_queries_and_nothing_else(
    connect: Connect, client_name: str, refusal: str
) -> None:
    client = await connect(client_name)
    action, subject = CLIENT_REFUSALS[refusal]

    if action == "publish":
        await client.nc.publish(subject, b"{}")
    else:
        await client.nc.subscribe(subject)

    assert await client.refused(subject)
    await client.nc.publish("wvggz.cmd.meldpunt.registreer-melding", b"{}")
    await client.nc.publish("wvggz.qry.meldpunt.werkvoorraad", b"{}")
    assert not await client.refused("wvggz.cmd.meldpunt.registreer-melding")
    assert not await client.refused("wvggz.qry.meldpunt.werkvoorraad")


# Partners

OWN, OTHER = partner_stream("demo"), partner_stream("om")
NOTIFICATION = "wvggz.partner.demo.GM0402.crisis.afschrift-klaargezet.v1"


@pytest.mark.parametrize(
    ("action", "subject"),
    [
        ("subscribe", "wvggz.partner.demo.>"),
        ("subscribe", "wvggz.partner.om.>"),
        ("subscribe", "wvggz.partner.>"),
        ("subscribe", "wvggz.evt.>"),
        ("subscribe", "_INBOX.>"),
        ("subscribe", "_INBOX_partner-om.>"),
        ("publish", NOTIFICATION),
        ("publish", "wvggz.cmd.meldpunt.registreer-melding"),
        ("publish", "$JS.API.INFO"),
        ("publish", f"$JS.ACK.{OTHER}.lezer.1.1.1.1.0"),
        ("publish", f"$JS.FC.{OTHER}.lezer.1"),
        ("publish", f"$JS.ACK.{EVENTS_STREAM}.onderzoek-triage.1.1.1.1.0"),
        ("publish", "wvggz.ophalen.om"),
        ("subscribe", "wvggz.ophalen.>"),
    ],
)
async def test_a_partner_listens_on_its_own_inbox_only_and_publishes_no_message(
    connect: Connect, action: str, subject: str
) -> None:
    partner = await connect("partner-demo")

    await partner.nc.subscribe("_INBOX_partner-demo.>")
    if action == "publish":
        await partner.nc.publish(subject, b"{}")
    else:
        await partner.nc.subscribe(subject)

    assert not await partner.refused("_INBOX_partner-demo.>")
    assert await partner.refused(subject)


PARTNER_REFUSALS: dict[str, tuple[Callable[[JetStreamContext], Awaitable[Any]], str]] = {
    "list the streams": (lambda js: js.streams_info(), "$JS.API.STREAM.LIST"),
    "look a stream up by subject": (
        lambda js: js.find_stream_name_by_subject("wvggz.partner.om.>"),
        "$JS.API.STREAM.NAMES",
    ),
    "account info": (lambda js: js.account_info(), "$JS.API.INFO"),
    "another partner's stream info": (
        lambda js: js.stream_info(OTHER),
        f"$JS.API.STREAM.INFO.{OTHER}",
    ),
    "an ephemeral consumer on another partner's stream": (
        lambda js: js.add_consumer(OTHER, ConsumerConfig(deliver_policy=DeliverPolicy.ALL)),
        f"$JS.API.CONSUMER.CREATE.{OTHER}",
    ),
    "a named consumer on another partner's stream": (
        lambda js: js.add_consumer(
            OTHER, ConsumerConfig(name="lezer", filter_subject="wvggz.partner.om.>")
        ),
        f"$JS.API.CONSUMER.CREATE.{OTHER}.lezer.wvggz.partner.om.>",
    ),
    "a durable on another partner's stream": (
        lambda js: js.add_consumer(OTHER, ConsumerConfig(durable_name="lezer")),
        f"$JS.API.CONSUMER.DURABLE.CREATE.{OTHER}.lezer",
    ),
    "another partner's consumer info": (
        lambda js: js.consumer_info(OTHER, "lezer"),
        f"$JS.API.CONSUMER.INFO.{OTHER}.lezer",
    ),
    "delete another partner's consumer": (
        lambda js: js.delete_consumer(OTHER, "lezer"),
        f"$JS.API.CONSUMER.DELETE.{OTHER}.lezer",
    ),
    "direct-get from another partner's stream": (
        lambda js: js.get_msg(OTHER, 1, direct=True),
        f"$JS.API.DIRECT.GET.{OTHER}",
    ),
    "direct-get another partner's last message": (
        lambda js: js.get_last_msg(OTHER, "wvggz.partner.om.>", direct=True),
        f"$JS.API.DIRECT.GET.{OTHER}.wvggz.partner.om.>",
    ),
    "the event stream's info": (
        lambda js: js.stream_info(EVENTS_STREAM),
        f"$JS.API.STREAM.INFO.{EVENTS_STREAM}",
    ),
    "a consumer on the event stream": (
        lambda js: js.add_consumer(EVENTS_STREAM, ConsumerConfig(deliver_policy=DeliverPolicy.ALL)),
        f"$JS.API.CONSUMER.CREATE.{EVENTS_STREAM}",
    ),
    "direct-get from the event stream": (
        lambda js: js.get_msg(EVENTS_STREAM, 1, direct=True),
        f"$JS.API.DIRECT.GET.{EVENTS_STREAM}",
    ),
    "a message by the non-direct get": (
        lambda js: js.get_msg(OWN, 1),
        f"$JS.API.STREAM.MSG.GET.{OWN}",
    ),
    "change its own stream": (
        lambda js: js.update_stream(StreamConfig(name=OWN, max_msgs=1)),
        f"$JS.API.STREAM.UPDATE.{OWN}",
    ),
    "delete its own stream": (lambda js: js.delete_stream(OWN), f"$JS.API.STREAM.DELETE.{OWN}"),
    "purge its own stream": (lambda js: js.purge_stream(OWN), f"$JS.API.STREAM.PURGE.{OWN}"),
    "delete a message of its own stream": (
        lambda js: js.delete_msg(OWN, 1),
        f"$JS.API.STREAM.MSG.DELETE.{OWN}",
    ),
}


@pytest.mark.parametrize("refusal", PARTNER_REFUSALS)
async def test_a_partner_uses_jetstream_on_its_own_stream_only(
    connect: Connect, refusal: str
) -> None:
    partner = await connect("partner-demo")
    call, subject = PARTNER_REFUSALS[refusal]

    assert await partner.refused_call(call(partner.js_refused), subject)
    assert (await partner.js.stream_info(OWN)).config.name == OWN


async def test_a_partner_cannot_fetch_from_another_partners_or_the_event_streams_consumers(
    connect: Connect,
) -> None:
    partner = await connect("partner-demo")
    for stream, consumer in ((OTHER, "lezer"), (EVENTS_STREAM, "onderzoek-triage")):
        bound = await partner.js_refused.pull_subscribe_bind(consumer, stream)

        assert await partner.refused_call(
            bound.fetch(1, timeout=REFUSED_CALL_TIMEOUT),
            f"$JS.API.CONSUMER.MSG.NEXT.{stream}.{consumer}",
        )


@pytest.mark.parametrize(
    "identity", [*(s for s in SERVICES if s != "notificaties"), *CLIENTS, "bootstrap", "partner-om"]
)
async def test_only_notificaties_publishes_to_partners(connect: Connect, identity: str) -> None:
    client = await connect(identity)
    bootstrap = await connect("bootstrap")
    before = (await bootstrap.js.stream_info(OWN)).state.messages

    await client.nc.publish(NOTIFICATION, b"{}")

    assert await client.refused(NOTIFICATION)
    assert (await bootstrap.js.stream_info(OWN)).state.messages == before


async def test_notificaties_publishes_to_every_partner_and_nothing_new_besides(
    connect: Connect,
) -> None:
    notificaties = await connect("notificaties")
    bootstrap = await connect("bootstrap")
    before = {s: (await bootstrap.js.stream_info(s)).state.messages for s in (OWN, OTHER)}

    for partner, stream in (("demo", OWN), ("om", OTHER)):
        subject = partner_subject(partner, "GM0402", "nl.wvggz.crisis.afschrift-klaargezet.v1")
        ack = await notificaties.js.publish(
            subject, b"{}", headers={"Nats-Msg-Id": f"{partner}:{uuid.uuid4()}"}, stream=stream
        )
        assert ack.stream == stream

    assert {s: (await bootstrap.js.stream_info(s)).state.messages for s in (OWN, OTHER)} == {
        s: count + 1 for s, count in before.items()
    }
    assert notificaties.errors == []
    for subject in ("wvggz.partnerx.demo", "$JS.API.STREAM.INFO." + OWN):
        await notificaties.nc.publish(subject, b"{}")
        assert await notificaties.refused(subject)


# The bootstrap identity


async def test_the_bootstrap_observes_the_event_stream_but_cannot_forge_events(
    connect: Connect,
) -> None:
    bootstrap = await connect("bootstrap")
    observed: list[str] = []

    async def observe(msg: Msg) -> None:
        observed.append(json.loads(msg.data)["id"])

    await bootstrap.nc.subscribe("wvggz.evt.>", cb=observe)
    await bootstrap.nc.flush()
    await bootstrap.nc.flush()  # the second PING follows the SUB (see Client.refused)
    event_id = await publish_event(await connect("overleg"), "wvggz.evt.overleg.GM0402.iets.v1")

    async def arrived() -> bool:
        return event_id in observed

    await eventually(arrived, within=5, what="the observed event")
    history = await bootstrap.js.subscribe(
        "wvggz.evt.overleg.>", ordered_consumer=True, deliver_policy=DeliverPolicy.ALL
    )
    replayed: list[str] = []
    while event_id not in replayed:
        replayed.append(json.loads((await history.next_msg(timeout=2)).data)["id"])
    assert bootstrap.errors == []

    forged = "wvggz.evt.meldpunt.GM0402.melding-ontvangen.v1"
    await bootstrap.nc.publish(forged, b"{}")
    assert await bootstrap.refused(forged)
    await bootstrap.nc.publish("wvggz.cmd.meldpunt.registreer-melding", b"{}")
    assert await bootstrap.refused("wvggz.cmd.meldpunt.registreer-melding")


def test_the_generated_config_runs_from_a_private_folder(bus: Bus) -> None:
    config_dir = bus.config.dir

    assert _mode(config_dir) == _mode(config_dir / "creds") == 0o700
    assert _mode(bus.config.config_path) == 0o600
    assert all(_mode(bus.config.seed_file(i.id)) == 0o600 for i in bus.config.identities)
    assert _mode(config_dir / "ca-key.pem") == _mode(config_dir / "server-key.pem") == 0o600


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


@pytest.mark.parametrize("identity", ["partner-demo", "partner-om"])
async def test_a_partner_asks_for_content_on_its_own_fetch_subject_only(
    connect: Connect, identity: str
) -> None:
    partner = await connect(identity)
    own = f"wvggz.ophalen.{identity.removeprefix('partner-')}"

    await partner.nc.publish(own, b"{}")

    assert not await partner.refused(own)


@pytest.mark.parametrize("identity", [s for s in SERVICES if s != "notificaties"])
async def test_only_notificaties_hears_the_partners_fetch_requests(
    connect: Connect, identity: str
) -> None:
    client = await connect(identity)

    await client.nc.subscribe("wvggz.ophalen.>")

    assert await client.refused("wvggz.ophalen.>")
