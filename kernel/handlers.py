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
    *,
    concurrency: int,
) -> None:
    """Serve one command over NATS request/reply; replicas share the load in a queue group.

    Up to `concurrency` commands run at once in this process; optimistic concurrency on the
    stream version keeps two commands on one case from both deciding on stale state.
    """

    @router.subscriber(
        command_subject(service, spec.name),
        queue=f"wvggz-{service}-commands",
        max_workers=concurrency,
        title=f"{service}.{spec.name}",
        description=spec.description,
    )
    async def handle_command(msg: NatsMessage) -> dict[str, Any]:
        reply = await pipeline.handle(decider, spec, msg.body)
        return reply.model_dump(mode="json", exclude_none=True)
