"""A service's HTTP endpoints: liveness, readiness, Prometheus metrics and its AsyncAPI document."""

from __future__ import annotations

import asyncio
import shutil
from typing import Any

from faststream.asgi import AsgiResponse, get
from faststream.nats import NatsBroker
from faststream.specification import AsyncAPI
from prometheus_client import CollectorRegistry, make_asgi_app

from kernel.audit import AuditTrail
from kernel.eventstore import EventStore
from kernel.leiding import Leiding
from kernel.runtime import ServiceRuntime


def http_routes(
    runtime: ServiceRuntime[Any],
    *,
    broker: NatsBroker,
    audit: AuditTrail,
    leiding: Leiding,
    raw_store: EventStore,
    metrics: CollectorRegistry,
    specification: AsyncAPI,
) -> list[tuple[str, Any]]:
    """JSON and text only: no page that loads scripts, no endpoint that runs a handler."""
    settings = runtime.settings

    @get(include_in_schema=False)
    async def live(scope: Any) -> AsgiResponse:
        return AsgiResponse(b"live", 200)

    @get(include_in_schema=False)
    async def ready(scope: Any) -> AsgiResponse:
        # A replica that does not lead runs no relay: it serves commands and queries only.
        background = [runtime.projector, audit, leiding, *leiding.actief]
        working = all(part.running for part in background)
        nats_ok = runtime.nats is not None and runtime.nats.is_connected
        # A flood of parked messages: a producer gone wrong, or a failure that outlasts retries.
        parking = audit.parked_within(settings.ready_parked_window_s) <= settings.ready_max_parked
        working = working and parking
        if working and nats_ok and await relay_and_store_ok() and await broker.ping(timeout=1.0):
            return AsgiResponse(b"ready", 200)
        return AsgiResponse(b"not ready", 503)

    async def relay_and_store_ok() -> bool:
        """The relay moves while events wait (relay.STALL_AFTER_S) and the store can write: its
        writer task (SQLite) is alive and its disk has room. Nothing is written to probe it."""
        try:
            head = await raw_store.last_position()
        except Exception:  # the store cannot even be read
            return False
        if leiding.leider and (runtime.relay is None or runtime.relay.stalled(head)):
            return False
        writer = getattr(raw_store, "_writer_task", None)
        if isinstance(writer, asyncio.Task) and writer.done():
            return False
        if settings.store == "sqlite":
            return shutil.disk_usage(settings.store_path.parent).free >= 16 * 1024 * 1024
        return True

    @get(include_in_schema=False)
    async def asyncapi(scope: Any) -> AsgiResponse:
        """The document only: no page that loads scripts, no endpoint that executes handlers."""
        document = specification.to_specification().to_json().encode()
        return AsgiResponse(document, 200, headers={"content-type": "application/json"})

    return [
        ("/health/live", live),
        ("/health/ready", ready),
        ("/metrics", make_asgi_app(metrics)),
        ("/docs/asyncapi", asyncapi),
    ]
