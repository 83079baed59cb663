"""Thin FastStream subscribers that hand commands to the pipeline and reply with its answer."""

from __future__ import annotations

from typing import Any

from faststream.nats import NatsMessage, NatsRouter
from wvggz_contracts.subjects import command_subject

from kernel.decider import CommandSpec, Decider
from kernel.pipeline import CommandPipeline


def register_command(
    router: NatsRouter,
    service: str,
    pipeline: CommandPipeline,
    decider: Decider[Any],
    spec: CommandSpec[Any],
) -> None:
    """Serve one command over NATS request/reply; replicas share the load in a queue group."""

    @router.subscriber(
        command_subject(service, spec.name),
        queue=f"wvggz-{service}-commands",
        title=spec.name,
        description=spec.description,
    )
    async def handle_command(msg: NatsMessage) -> dict[str, Any]:
        reply = await pipeline.handle(decider, spec, msg.body)
        return reply.model_dump(mode="json", exclude_none=True)
