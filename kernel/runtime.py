"""The parts of a running service its routers use, and the wiring of its policies."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from faststream.nats import NatsRouter
from nats.aio.client import Client as Nats
from wvggz_contracts.commands import Actor
from wvggz_contracts.envelope import CloudEvent

from kernel.access import Gate, system_actor
from kernel.audit import AuditTrail
from kernel.bus.connection import subscriber_inbox_prefix
from kernel.bus.consumer import EventConsumer, EventHandler, event_subscriber, require_ok
from kernel.bus.relay import Relay
from kernel.bus.streams import ConsumerSpec
from kernel.checkpoints import CheckpointStore
from kernel.deadlines import DeadlineWatcher
from kernel.decider import CommandSpec, Decider
from kernel.eventstore import EventStore
from kernel.pipeline import CommandPipeline
from kernel.policies import Policy, policy_command_body
from kernel.projection import Projector, ViewStore
from kernel.queries import Answer, QuerySpec, register_query
from kernel.settings import ServiceSettings
from kernel.sleutels import Veldsleutels
from kernel.telemetry import ServiceMetrics

SettingsT = TypeVar("SettingsT", bound=ServiceSettings)

CommandBinding = tuple[Decider[Any], CommandSpec[Any]]
"""A command and the decider of the cases it acts on."""


@dataclass(slots=True)
class ServiceRuntime(Generic[SettingsT]):
    """The parts a service's router may use, built once per process by `build_app`."""

    settings: SettingsT
    store: EventStore
    pipeline: CommandPipeline
    metrics: ServiceMetrics
    checkpoints: CheckpointStore
    views: ViewStore
    projector: Projector
    clock: Callable[[], datetime]
    audit: AuditTrail
    gate: Gate
    consumers: tuple[ConsumerSpec, ...] = ()
    consuming: dict[str, EventConsumer] = field(default_factory=dict)
    """The handler of each declared consumer, once subscribed (for redelivering parked ones)."""
    queries_served: list[QuerySpec] = field(default_factory=list)
    """The queries its router answers, to check them against the definition's declarations."""
    relay: Relay | None = None
    deadline_watcher: DeadlineWatcher | None = None
    nats: Nats | None = None
    parts: dict[str, Any] = field(default_factory=dict)
    """What a service composes once for both its router and its loops, by name."""
    velden: Veldsleutels | None = None
    """Opens the sealed personal data of events from the bus (None: they arrive open)."""

    @property
    def name(self) -> str:
        """The service's name."""
        return self.settings.service_name

    def system_actor(self, gemeente: str) -> Actor:
        """The service itself, acting in-process for a gemeente (never reachable by a token)."""
        return system_actor(self.name, gemeente)

    def query(self, router: NatsRouter, spec: QuerySpec, answer: Answer) -> None:
        """Serve a declared query: identified by token, read-audited, on its views."""
        self.queries_served.append(spec)
        register_query(
            router, self.name, spec, answer, self.projector, gate=self.gate, audit=self.audit
        )

    def consume(
        self, router: NatsRouter, consumer: ConsumerSpec, *, description: str
    ) -> Callable[[EventHandler], EventHandler]:
        """Decorator: handle events of another service through one of our declared consumers."""
        if consumer not in self.consumers:
            raise ValueError(f"consumer {consumer.durable} is not declared by {self.name}")
        return event_subscriber(
            router,
            consumer,
            oin=self.settings.oin,
            audit=self.audit,
            inbox_prefix=subscriber_inbox_prefix(self.settings),
            description=description,
            registry=self.consuming,
            velden=self.velden,
        )


def policies_router(
    runtime: ServiceRuntime[Any],
    policies: Sequence[Policy[Any, Any]],
    bindings: Sequence[CommandBinding],
) -> NatsRouter:
    """One consumer per policy, sending its command through the pipeline as the service."""
    router = NatsRouter()
    by_payload = {spec.payload: (decider, spec) for decider, spec in bindings}
    for policy in policies:
        if policy.command not in by_payload:
            raise ValueError(f"{policy.durable}: no command takes {policy.command.__name__}")
        decider, spec = by_payload[policy.command]
        _follow(router, runtime, policy, decider, spec)
    return router


def _follow(
    router: NatsRouter,
    runtime: ServiceRuntime[Any],
    policy: Policy[Any, Any],
    decider: Decider[Any],
    spec: CommandSpec[Any],
) -> None:
    @runtime.consume(router, policy.consumer, description=policy.description)
    async def on_event(event: CloudEvent) -> None:
        body = policy_command_body(policy, event, spec.name)
        if body:
            actor = runtime.system_actor(event.gemeente)
            reply = await runtime.pipeline.handle(decider, spec, body, actor)
            require_ok(reply, f"{spec.name} na {policy.event.__name__}")
