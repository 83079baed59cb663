"""The overleg service's NATS router; its commands and consumers arrive with their issues."""

from __future__ import annotations

from faststream.nats import NatsRouter

from kernel.service import ServiceRuntime


def build_router(runtime: ServiceRuntime) -> NatsRouter:
    """Subscribers of the overleg service (none yet: it runs, relays and reports health)."""
    return NatsRouter()
