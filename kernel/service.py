"""Builds a service process: broker, store, pipeline, relay, health, metrics and AsyncAPI."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic

import nats
from faststream.asgi import AsgiFastStream
from faststream.nats import NatsBroker, NatsRouter
from faststream.nats.opentelemetry import NatsTelemetryMiddleware
from faststream.nats.prometheus import NatsPrometheusMiddleware
from faststream.specification import AsyncAPI
from opentelemetry.sdk.trace.export import SpanExporter
from prometheus_client import (
    CollectorRegistry,
    GCCollector,
    PlatformCollector,
    ProcessCollector,
)
from wvggz_contracts.audit import EVENTS as AUDIT_EVENTS
from wvggz_contracts.audit import PARKING_EVENTS
from wvggz_contracts.bewaring import BEWARING_EVENTS
from wvggz_contracts.envelope import source_urn
from wvggz_contracts.events import EventRegistry

from kernel.access import Gate
from kernel.acties import serve_actions
from kernel.audit import AuditTrail
from kernel.background import BackgroundLoop
from kernel.bewaring import Archief, bewaring_rulebook
from kernel.bewaring.taak import retention
from kernel.bewaring.views import VERNIETIGINGEN
from kernel.bewaring.vragen import bewaring_queries, serve_bewaring
from kernel.bus.connection import (
    broker_options,
    connect_options,
    inbox_prefix,
    stop_without_nats,
)
from kernel.bus.relay import Relay
from kernel.bus.streams import ConsumerSpec, prepare_streams
from kernel.checkpoints import CheckpointStore
from kernel.deadlines import DeadlineWatcher
from kernel.endpoints import http_routes
from kernel.eventstore.factory import open_store
from kernel.handlers import register_command
from kernel.identity import RemoteJwks, TokenVerifier
from kernel.ketting import ChainSigner, key_path, signing_key
from kernel.leiding import Leiding, open_lease
from kernel.ops import OpsMetrics, OpsWatcher, Termijn
from kernel.parking import DeadLetters, ParkedCollector, parked_view
from kernel.pipeline import CommandPipeline
from kernel.policies import Policy
from kernel.private_files import private_database, private_dir
from kernel.projection import CaseView, Projector, ViewStore
from kernel.queries import QuerySpec
from kernel.rules import Rulebook
from kernel.runtime import CommandBinding, ServiceRuntime, SettingsT, policies_router
from kernel.sleutels import Veldsleutels, VercijferdeStore
from kernel.sleutels.bestand import open_kluis
from kernel.telemetry import ServiceMetrics, tracer_provider

log = logging.getLogger(__name__)


def utc_now() -> datetime:
    """The real time (services get their clock passed in; tests pass a fake one)."""
    return datetime.now(UTC)


def _no_loops(_runtime: ServiceRuntime[Any]) -> Sequence[BackgroundLoop]:
    return ()


@dataclass(frozen=True, slots=True)
class ServiceDefinition(Generic[SettingsT]):
    """What makes one service different from another: its settings, rules, policies, views and
    queries. `build` composes a process from it; it is every service's only composition root.
    """

    name: str
    title: str
    description: str
    events: EventRegistry
    settings: type[SettingsT]
    rulebooks: Callable[[SettingsT], Sequence[Rulebook[Any]]] = lambda _settings: ()
    policies: tuple[Policy[Any, Any], ...] = ()
    build_router: Callable[[ServiceRuntime[SettingsT]], NatsRouter] = lambda _runtime: NatsRouter()
    views: Callable[[SettingsT], Sequence[CaseView[Any]]] = lambda _settings: ()
    queries: tuple[QuerySpec, ...] = ()
    """The queries its router answers (through `runtime.query`), for the bus and the HTTP API."""
    deadlines: Callable[[ServiceRuntime[SettingsT]], DeadlineWatcher] | None = None
    termijnen: Callable[[ServiceRuntime[SettingsT]], Iterable[Termijn]] = lambda _runtime: ()
    """The open legal deadlines its views hold, for the ops metrics."""
    event_consumers: tuple[ConsumerSpec, ...] = ()
    """Durable consumers its router handles itself (`runtime.consume`), besides the policies'."""
    background: Callable[[ServiceRuntime[SettingsT]], Sequence[BackgroundLoop]] = _no_loops
    """Loops of its own, started with the service, stopped before it, and part of readiness."""
    archief: Archief[Any] | None = None
    """Its dossiers with personal data, for retention and erasure (kernel/bewaring); None: it
    keeps none."""
    een_proces: str | None = None
    """Why it runs as one process only (state of its own beside the store); None: replicas may
    share its load."""

    def alle_rulebooks(self, settings: SettingsT) -> list[Rulebook[Any]]:
        """Its own rulebooks and, when it keeps dossiers, the one of their destruction."""
        own = list(self.rulebooks(settings))
        if self.archief is None:
            return own
        return [*own, bewaring_rulebook(self.name, settings.bewaartermijn_jaren)]

    @property
    def alle_queries(self) -> tuple[QuerySpec, ...]:
        """Its own queries and, when it keeps dossiers, those of their destruction."""
        if self.archief is None:
            return self.queries
        return (*self.queries, *bewaring_queries(self.name))

    def dossiers(self) -> dict[str, QuerySpec]:
        """The dossier query of each API collection that has one."""
        return {q.resource: q for q in self.alle_queries if q.item is not None and not q.sub}

    def bindings(self, settings: SettingsT) -> list[CommandBinding]:
        """Every command this service serves, with the decider of its cases."""
        return [
            (rulebook.decider, spec)
            for rulebook in self.alle_rulebooks(settings)
            for spec in rulebook.specs
        ]

    @property
    def consumers(self) -> tuple[ConsumerSpec, ...]:
        """Every durable consumer of this service; the bootstrap identity creates them."""
        return (*(p.consumer for p in self.policies), *self.event_consumers)

    def build(
        self,
        settings: SettingsT | None = None,
        *,
        clock: Callable[[], datetime] = utc_now,
        span_exporter: SpanExporter | None = None,
    ) -> AsgiFastStream:
        """This service as a process (settings from the environment unless given)."""
        return build_app(
            settings or self.settings(), self, clock=clock, span_exporter=span_exporter
        )


def dossier_rulebooks(
    definition: ServiceDefinition[Any], settings: Any
) -> list[tuple[Rulebook[Any], QuerySpec]]:
    """Each rulebook whose cases have a dossier, with the dossier's query."""
    dossiers = definition.dossiers()
    return [
        (rulebook, dossiers[rulebook.resource])
        for rulebook in definition.alle_rulebooks(settings)
        if rulebook.resource in dossiers
    ]


def build_app(
    settings: SettingsT,
    definition: ServiceDefinition[SettingsT],
    *,
    span_exporter: SpanExporter | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> AsgiFastStream:
    """Compose one service process; nothing connects until the app starts."""
    name = definition.name
    if definition.een_proces and settings.replica > 1:
        raise ValueError(
            f"{name} runs as one process only ({definition.een_proces});"
            f" WVGGZ_REPLICA={settings.replica} is refused"
        )
    provider = tracer_provider(
        name, settings.otlp_endpoint, span_exporter, sample_ratio=settings.trace_sample_ratio
    )
    metrics_registry = CollectorRegistry()
    ProcessCollector(registry=metrics_registry)
    PlatformCollector(registry=metrics_registry)
    GCCollector(registry=metrics_registry)
    ops_metrics = OpsMetrics(name, metrics_registry)
    metrics = ServiceMetrics(name, metrics_registry)
    broker = NatsBroker(
        **broker_options(settings, f"wvggz-{name}"),
        middlewares=[
            NatsTelemetryMiddleware(tracer_provider=provider),
            NatsPrometheusMiddleware(registry=metrics_registry, app_name=f"wvggz-{name}"),
        ],
        # Per-message access logs cost more than the command itself; keep them for debugging.
        log_level=logging.DEBUG,
        # Our logger, not FastStream's own coloured one: records become the process's JSON lines.
        logger=logging.getLogger(f"wvggz.{name}.broker"),
    )
    private_dir(settings.store_path.parent)
    if settings.store == "sqlite":
        # The event store opens its file with the umask it finds: owner-only before it does.
        private_database(settings.store_path)
    raw_store = open_store(settings.store_url)
    registry = definition.events.merged(AUDIT_EVENTS).merged(BEWARING_EVENTS)
    kluis = open_kluis(settings)
    velden = Veldsleutels(kluis)
    # Everything reads and writes personal data sealed per dossier; the relay publishes it
    # sealed, and the chain is signed over what is stored.
    store = VercijferdeStore(raw_store, registry, velden)
    pipeline = CommandPipeline(
        store,
        registry,
        name,
        clock,
        on_outcome=metrics.command_outcome,
        vernietigd=kluis.vernietigd,
    )
    views = ViewStore(settings.views_path)
    audit = AuditTrail(store, name, clock, metrics=metrics)
    verifier = TokenVerifier(settings, RemoteJwks(settings))
    runtime: ServiceRuntime[SettingsT] = ServiceRuntime(
        settings=settings,
        store=store,
        pipeline=pipeline,
        metrics=metrics,
        checkpoints=CheckpointStore(settings.checkpoint_path),
        views=views,
        # Of the audit events only the parking records reach a view (the dead-letter register):
        # refusals and reads must not create or move dossiers.
        projector=Projector(
            store,
            views,
            [
                *definition.views(settings),
                parked_view(name),
                *([VERNIETIGINGEN] if definition.archief else []),
            ],
            definition.events.merged(PARKING_EVENTS).merged(BEWARING_EVENTS),
        ),
        clock=clock,
        audit=audit,
        gate=Gate(verifier, audit, inbox_prefix(settings)),
        consumers=definition.consumers,
        velden=velden,
    )
    signer = ChainSigner(
        raw_store,
        audit,
        signing_key(key_path(settings.data_dir, name)),
        clock,
        gemeente=settings.gemeenten[0],
        interval=settings.checkpoint_interval_s,
    )
    loops = [*definition.background(runtime), signer]
    bindings = definition.bindings(settings)
    if definition.archief is not None:
        loops.append(retention(runtime, definition.archief, bindings, kluis))

    def lead() -> list[BackgroundLoop]:
        """What the lease holder runs: the relay, the deadline watcher and the other loops."""
        assert runtime.nats is not None
        runtime.relay = Relay(
            raw_store,
            runtime.nats,
            runtime.checkpoints,
            source=source_urn(settings.oin, name),
            service=name,
            tracer=provider.get_tracer("wvggz.relay"),
            on_published=lambda event: _count_relayed(metrics, event.type, event.position),
        )
        if definition.deadlines is not None:
            runtime.deadline_watcher = definition.deadlines(runtime)
        watcher = [runtime.deadline_watcher] if runtime.deadline_watcher else []
        return [runtime.relay, *watcher, *loops]

    def led(leider: bool) -> None:
        ops_metrics.leider.set(1 if leider else 0)
        if not leider:
            runtime.relay = runtime.deadline_watcher = None

    leiding = Leiding(open_lease(settings), lead, on_change=led)
    commands = NatsRouter()
    for decider, spec in bindings:
        register_command(
            commands,
            name,
            pipeline,
            runtime.gate,
            decider,
            spec,
            concurrency=settings.command_concurrency,
        )
    broker.include_router(commands)
    broker.include_router(definition.build_router(runtime))
    if definition.archief is not None:
        retention_queries = NatsRouter()
        serve_bewaring(retention_queries, runtime, definition.archief, kluis)
        broker.include_router(retention_queries)
    if sorted(q.name for q in runtime.queries_served) != sorted(
        q.name for q in definition.alle_queries
    ):
        raise ValueError(f"{name} answers other queries than it declares")
    actions = NatsRouter()
    for rulebook, dossier in dossier_rulebooks(definition, settings):
        serve_actions(actions, runtime, rulebook, dossier)
    broker.include_router(actions)
    broker.include_router(policies_router(runtime, definition.policies, bindings))
    if definition.consumers:
        dead_letters = NatsRouter()
        DeadLetters(
            name,
            store,
            views,
            runtime.projector,
            audit,
            runtime.consuming,
            lambda: runtime.nats,
        ).serve(dead_letters, runtime.gate)
        broker.include_router(dead_letters)
    metrics_registry.register(ParkedCollector(name, views))
    missing = [m for _decider, spec in bindings for m in pipeline.missing_lookups(spec)]
    if missing:
        raise ValueError(f"{name} declares lookups nobody provides: {sorted(set(missing))}")
    ops = OpsWatcher(
        ops_metrics,
        raw_store,
        clock,
        termijnen=lambda: definition.termijnen(runtime),
        relay_position=lambda: runtime.relay.position if runtime.relay else None,
        js=lambda: runtime.nats.jetstream() if runtime.nats and runtime.nats.is_connected else None,
        consumers=[c.durable for c in definition.consumers],
        leidt=lambda: leiding.leider,
    )

    async def prepare_bus() -> None:
        """Before the broker starts: its durable consumers need the stream to exist."""
        runtime.nats = await nats.connect(**connect_options(settings, f"wvggz-{name}-relay"))
        await prepare_streams(runtime.nats.jetstream(), settings)

    async def start_background_work() -> None:
        audit.start()
        ops.start()
        runtime.projector.start()
        # A replica that can take the lease now runs its relay before it reports ready.
        await leiding.neem_over()
        leiding.start()

    async def stop_signals() -> None:
        """Before the broker stops: no takeover and no new deadline commands while handlers
        finish; the relay goes on until they have."""
        await leiding.stop()
        for loop in leiding.actief:
            if loop is not runtime.relay:
                await loop.stop()

    async def shut_down() -> None:
        """After the broker stopped, so no handler still needs the store, views or NATS."""
        await ops.stop()
        await audit.stop()
        await runtime.projector.stop()
        await leiding.treed_af()
        if runtime.nats is not None:
            await runtime.nats.close()
        await store.close()
        kluis.close()
        runtime.checkpoints.close()
        views.close()
        provider.shutdown()

    specification = AsyncAPI(
        broker, title=definition.title, description=definition.description, version="0.2.0"
    )
    stop_without_nats(broker)
    return AsgiFastStream(
        broker,
        logger=logging.getLogger(f"wvggz.{name}.app"),
        asgi_routes=http_routes(
            runtime,
            broker=broker,
            audit=audit,
            leiding=leiding,
            raw_store=raw_store,
            metrics=metrics_registry,
            specification=specification,
        ),
        specification=specification,
        on_startup=[prepare_bus],
        after_startup=[start_background_work],
        on_shutdown=[stop_signals],
        after_shutdown=[shut_down],
    )


def _count_relayed(metrics: ServiceMetrics, event_type: str, position: int) -> None:
    metrics.events_relayed.labels(type=event_type).inc()
    metrics.relay_position.set(position)
