"""The meldpunt's NATS router: consumers and queries (its commands are served by the kernel)."""

from __future__ import annotations

from faststream.nats import NatsRouter

from kernel.service import ServiceRuntime


def build_router(runtime: ServiceRuntime) -> NatsRouter:
    """Subscribers of the meldpunt besides its commands."""
    return NatsRouter()
