"""A locked-down nats-server: the permission table, its identities and the generated config."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from wvggz_contracts.subjects import EVENTS_STREAM, FETCH_ALL, PARTNERS_ALL, partner_stream

from kernel.bus.streams import ConsumerSpec
from wvggz.bus_files import ensure_seed, private_dir, seed_path, write_private
from wvggz.bus_tls import TlsFiles

ACCOUNT = "WVGGZ"

BOOTSTRAP = "bootstrap"
"""The only identity that creates or changes streams and consumers; operators observe with it."""

CLIENTS = ("cli", "portaal")
PARTNERS = ("demo",)
"""Default partners of `platform_identities`; the platform takes `ServiceSettings.nats_partners`."""


@dataclass(frozen=True, slots=True)
class Rule:
    """What one kind of identity may do.

    Subjects are templates: `{id}` is the identity (`partner-demo`), `{name}` the service, client
    or partner it stands for (`demo`), `{inbox}` its private inbox prefix, `{stream}` the event
    stream, `{partner_stream}` a partner's own stream; `per_durable` subjects are repeated for
    each of the identity's own durables, with `{durable}` its name and `{filter}` its subject
    filter.
    """

    publish: tuple[str, ...] = ()
    per_durable: tuple[str, ...] = ()
    subscribe: tuple[str, ...] = ()
    allow_responses: bool = False


PERMISSIONS: Mapping[str, Rule] = {
    "bootstrap": Rule(
        # $JS.FC: flow-control replies of the ordered consumers operators observe with.
        publish=("$JS.API.>", "$JS.ACK.>", "$JS.FC.>"),
        subscribe=("{inbox}.>", "wvggz.evt.>"),
    ),
    "service": Rule(
        # The relay's JetStream publish is a plain publish; its ack comes back on the inbox.
        # STREAM.INFO: at start a service checks that the bootstrap created the stream.
        # DIRECT.GET of the last message on its own subjects (the subject is part of the request
        # subject, so the right cannot read another service's events): the relay reconciles its
        # checkpoint with what the stream holds. The stream-wide DIRECT.GET.{stream} and
        # STREAM.MSG.GET (any message by sequence) stay refused.
        publish=(
            "wvggz.evt.{name}.>",
            "$JS.API.STREAM.INFO.{stream}",
            "$JS.API.DIRECT.GET.{stream}.wvggz.evt.{name}.>",
        ),
        # All the JetStream API nats-py and FastStream use to consume a durable someone else
        # created: pull_subscribe's lookup by name, fetch, and ack/nak(delay)/in_progress.
        # Redelivering a parked message (kernel/parking.py): a short-lived consumer of one fixed
        # name whose filter is in the create subject, so it can read no wider than the durable.
        per_durable=(
            "$JS.API.CONSUMER.INFO.{stream}.{durable}",
            "$JS.API.CONSUMER.MSG.NEXT.{stream}.{durable}",
            "$JS.ACK.{stream}.{durable}.>",
            "$JS.API.CONSUMER.CREATE.{stream}.{durable}-herlevering.{filter}",
            "$JS.API.CONSUMER.MSG.NEXT.{stream}.{durable}-herlevering",
            "$JS.API.CONSUMER.DELETE.{stream}.{durable}-herlevering",
        ),
        subscribe=("wvggz.cmd.{name}.>", "wvggz.qry.{name}.>", "{inbox}.>"),
        # Replies to requests without any publish right on other identities' inboxes.
        allow_responses=True,
    ),
    "client": Rule(publish=("wvggz.cmd.>", "wvggz.qry.>"), subscribe=("{inbox}.>",)),
    "partner": Rule(
        # JetStream on its own stream and nothing else: that stream holds only its notifications,
        # so any consumer it makes there (ephemeral or named, any filter, from any sequence or
        # time) reads no further. No STREAM.LIST/NAMES: it learns of no other stream, and nats-py
        # clients must pass `stream=`. Notifications reach it only through its consumers, which
        # deliver to its inbox, never by subscribing the notification subjects themselves.
        # Not closed by any subject right: a push consumer delivers to whatever subject its
        # creator puts in the request body, unchecked by nats-server (nats-io/nats-server#8274),
        # and, as for every identity, API answers go to whatever reply subject it names. A
        # partner can so put copies of its notifications, or API answers, on other subjects
        # (tests/integration/test_partner_streams.py: the xfail cases). A notification
        # published with Nats-Expected-Stream is refused by any other stream.
        publish=(
            # Checking the stream and reading one message (by sequence, or the last on a
            # subject) without a consumer.
            "$JS.API.STREAM.INFO.{partner_stream}",
            "$JS.API.DIRECT.GET.{partner_stream}",
            "$JS.API.DIRECT.GET.{partner_stream}.>",
            # Creating consumers, as nats-py asks: unnamed (ephemeral and ordered push
            # consumers, also when an ordered one re-creates itself after a gap), named with
            # or without the filter in the subject, and durable by the pre-2.9 request.
            "$JS.API.CONSUMER.CREATE.{partner_stream}",
            "$JS.API.CONSUMER.CREATE.{partner_stream}.>",
            "$JS.API.CONSUMER.DURABLE.CREATE.{partner_stream}.*",
            "$JS.API.CONSUMER.INFO.{partner_stream}.*",
            "$JS.API.CONSUMER.DELETE.{partner_stream}.*",
            # Pull consumers: fetch; acks of pull and push consumers.
            "$JS.API.CONSUMER.MSG.NEXT.{partner_stream}.*",
            "$JS.ACK.{partner_stream}.>",
            # Flow-control replies of push (and ordered) consumers.
            "$JS.FC.{partner_stream}.>",
            # Fetching a notification's content: the subject names the partner, so the
            # notificaties knows who asks without believing anything in the request.
            "wvggz.ophalen.{name}",
        ),
        subscribe=("{inbox}.>",),
    ),
}

SERVICE_EXTRA_PUBLISH: Mapping[str, tuple[str, ...]] = {
    # It delivers each notification into the partner's stream (a JetStream publish, whose ack
    # comes back on its inbox); no other service speaks to partners.
    "notificaties": (PARTNERS_ALL,),
}
"""Publish rights one service has beyond the `service` rule."""

SERVICE_EXTRA_SUBSCRIBE: Mapping[str, tuple[str, ...]] = {
    # It answers the partners' fetch requests, each on a subject only that partner may use.
    "notificaties": (FETCH_ALL,),
}
"""Subscribe rights one service has beyond the `service` rule."""


@dataclass(frozen=True, slots=True)
class Identity:
    """One NATS user: a kind from PERMISSIONS, the name it stands for, its own durables."""

    id: str
    kind: str
    name: str
    consumers: tuple[ConsumerSpec, ...] = ()

    @property
    def inbox_prefix(self) -> str:
        """The reply inbox prefix this identity must connect with."""
        return f"_INBOX_{self.id}"

    def _fill(self, template: str, consumer: ConsumerSpec | None = None) -> str:
        return template.format(
            id=self.id,
            name=self.name,
            inbox=self.inbox_prefix,
            stream=EVENTS_STREAM,
            partner_stream=partner_stream(self.name) if self.kind == "partner" else "",
            durable=consumer.durable if consumer else "",
            filter=consumer.subject if consumer else "",
        )

    @property
    def publish(self) -> tuple[str, ...]:
        """Subjects this identity may publish to."""
        rule = PERMISSIONS[self.kind]
        own = [self._fill(t) for t in rule.publish]
        own += [self._fill(t, c) for c in self.consumers for t in rule.per_durable]
        if self.kind == "service":
            own += SERVICE_EXTRA_PUBLISH.get(self.name, ())
        return tuple(own)

    @property
    def subscribe(self) -> tuple[str, ...]:
        """Subjects this identity may subscribe to."""
        own = [self._fill(t) for t in PERMISSIONS[self.kind].subscribe]
        if self.kind == "service":
            own += SERVICE_EXTRA_SUBSCRIBE.get(self.name, ())
        return tuple(own)

    @property
    def allow_responses(self) -> bool:
        """Whether it may answer the requests it receives."""
        return PERMISSIONS[self.kind].allow_responses


_TOKEN = re.compile(r"^[a-z][a-z0-9-]*$")


def platform_identities(
    services: Iterable[str],
    clients: Iterable[str] = CLIENTS,
    partners: Iterable[str] = PARTNERS,
    consumers: Iterable[ConsumerSpec] = (),
) -> tuple[Identity, ...]:
    """Every identity of the bus; each durable belongs to the service its name starts with."""
    services = tuple(services)
    durables: dict[str, list[ConsumerSpec]] = {service: [] for service in services}
    for spec in consumers:
        owners = [s for s in services if spec.durable.startswith(f"{s}-")]
        if len(owners) != 1 or not _TOKEN.match(spec.durable):
            raise ValueError(f"durable {spec.durable!r} must be named `<service>-...`")
        durables[owners[0]].append(spec)
    found = [
        Identity(BOOTSTRAP, "bootstrap", BOOTSTRAP),
        *(Identity(s, "service", s, tuple(durables[s])) for s in services),
        *(Identity(c, "client", c) for c in clients),
        *(Identity(f"partner-{p}", "partner", p) for p in partners),
    ]
    ids = [identity.id for identity in found]
    for identity in found:
        if not _TOKEN.match(identity.name) or ids.count(identity.id) > 1:
            raise ValueError(f"identity name {identity.id!r} is invalid or used twice")
    return tuple(found)


@dataclass(frozen=True, slots=True)
class BusConfig:
    """A generated bus: config file, one seed per identity, and where clients connect."""

    dir: Path
    url: str
    identities: tuple[Identity, ...]
    tls: TlsFiles | None = None

    @property
    def config_path(self) -> Path:
        """The nats-server configuration (`nats-server -c`)."""
        return self.dir / "nats.conf"

    @property
    def ca_file(self) -> Path | None:
        """The CA clients verify the server with, when TLS is on."""
        return self.tls.ca_file if self.tls else None

    def identity(self, identity: str) -> Identity:
        """The identity of this name."""
        for candidate in self.identities:
            if candidate.id == identity:
                return candidate
        raise KeyError(f"no NATS identity {identity!r}")

    def seed_file(self, identity: str) -> Path:
        """The nkey seed file (0600) of an identity."""
        return seed_path(self.dir, self.identity(identity).id)

    def inbox_prefix(self, identity: str) -> str:
        """The inbox prefix an identity must connect with."""
        return self.identity(identity).inbox_prefix


def prepare_bus_config(
    dir: Path,
    *,
    host: str = "0.0.0.0",
    port: int = 4222,
    monitor_port: int = 8222,
    store_dir: Path,
    services: Sequence[str],
    clients: Sequence[str] = CLIENTS,
    partners: Sequence[str] = PARTNERS,
    consumers: Iterable[ConsumerSpec] = (),
    tls: TlsFiles | None = None,
    server_host_names: Sequence[str] = (),
    server_name: str = "wvggz-nats-1",
) -> BusConfig:
    """Create missing seeds (kept on later calls) and write `dir/nats.conf` from PERMISSIONS.

    `host` is the address the server listens on; clients reach it by the first of
    `server_host_names` (default: `host`), the names a TLS certificate must carry.
    """
    identities = platform_identities(services, clients, partners, consumers)
    private_dir(dir)
    private_dir(dir / "creds")
    public_keys = {i.id: ensure_seed(seed_path(dir, i.id)) for i in identities}
    config = BusConfig(
        dir=dir,
        url=f"{'tls' if tls else 'nats'}://{(server_host_names or [host])[0]}:{port}",
        identities=identities,
        tls=tls,
    )
    text = render_config(
        identities,
        public_keys,
        host=host,
        port=port,
        monitor_port=monitor_port,
        store_dir=store_dir,
        tls=tls,
        server_name=server_name,
    )
    write_private(config.config_path, text.encode())
    return config


def render_config(
    identities: Iterable[Identity],
    public_keys: Mapping[str, str],
    *,
    host: str,
    port: int,
    monitor_port: int,
    store_dir: Path,
    tls: TlsFiles | None,
    server_name: str,
) -> str:
    """The nats-server configuration text: one account, one nkey user per identity."""
    users = [
        (
            identity.id,
            {
                "nkey": public_keys[identity.id],
                "permissions": {
                    # An empty allow list would mean "no restriction" to nats-server.
                    "publish": {"allow": list(identity.publish)}
                    if identity.publish
                    else {"deny": [">"]},
                    "subscribe": {"allow": list(identity.subscribe)},
                    **({"allow_responses": True} if identity.allow_responses else {}),
                },
            },
        )
        for identity in identities
    ]
    lines = [
        "# Generated by `wvggz bus-config` from wvggz/bus_security.py; edits are overwritten.",
        "# No anonymous access: every client proves one identity's nkey.",
        f"server_name: {json.dumps(server_name)}",
        f"listen: {json.dumps(f'{host}:{port}')}",
        f"http: {json.dumps(f'{host}:{monitor_port}')}",
        "max_payload: 1048576",
        'lame_duck_duration: "30s"',
        "jetstream {",
        f"  store_dir: {json.dumps(str(store_dir))}",
        "  # Sync policy: the default (fsync every 2 min) is kept on purpose. Power loss can drop",
        "  # acknowledged messages of the last interval, but the event store is the record: each",
        "  # relay reconciles with the stream (its last event id) and republishes the lost tail.",
        "  # `always` (fsync per message) would cost every publish a disk flush for nothing more.",
        '  sync_interval: "2m"',
        "  max_memory_store: 268435456",
        "  max_file_store: 21474836480",
        "}",
    ]
    if tls is not None:
        lines += [
            "tls {",
            f"  cert_file: {json.dumps(str(tls.cert_file))}",
            f"  key_file: {json.dumps(str(tls.key_file))}",
            "  timeout: 2",
            "}",
        ]
    lines += ["accounts {", f"  {ACCOUNT} {{", "    jetstream: enabled", "    users: ["]
    for identity_id, user in users:
        lines.append(f"      # {identity_id}")
        lines.append(_indent(json.dumps(user, indent=2), "      "))
    lines += ["    ]", "  }", "}", ""]
    return "\n".join(lines)


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line for line in text.splitlines())
