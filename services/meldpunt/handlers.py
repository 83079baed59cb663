"""The meldpunt's NATS router: its commands, served through the generic pipeline."""

from __future__ import annotations

from faststream.nats import NatsRouter

from kernel.handlers import register_command
from kernel.service import ServiceRuntime
from services.meldpunt.domain import REGISTREER_MELDING, make_decider


def build_router(runtime: ServiceRuntime) -> NatsRouter:
    """Subscribers of the meldpunt."""
    router = NatsRouter()
    decider = make_decider(frozenset(runtime.settings.gemeenten))
    register_command(
        router,
        "meldpunt",
        runtime.pipeline,
        decider,
        REGISTREER_MELDING,
        concurrency=runtime.settings.command_concurrency,
    )
    return router
