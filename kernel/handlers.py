"""Thin FastStream subscribers that hand commands to the pipeline and reply with its answer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from faststream.nats import NatsRouter
from wvggz_contracts.commands import (
    AUTHORIZATION_HEADER,
    Actor,
    CommandReply,
    ErrorCode,
    ErrorInfo,
)
from wvggz_contracts.subjects import command_subject

from kernel.access import Gate, ensure_private_reply
from kernel.bus.raw import Message, raw_body
from kernel.decider import CommandSpec, Decider
from kernel.pipeline import CommandPipeline

_REFUSED_BEFORE_RULES = frozenset({ErrorCode.VALIDATION_FAILED, ErrorCode.IDEMPOTENCY_KEY_REUSED})
"""Refusals the pipeline gives before any rule runs, so its own refusal audit never sees them."""


def register_command(
    router: NatsRouter,
    service: str,
    pipeline: CommandPipeline,
    gate: Gate,
    decider: Decider[Any],
    spec: CommandSpec[Any],
    *,
    concurrency: int,
) -> None:
    """Serve one command over NATS request/reply; replicas share the load in a queue group.

    The sender is who its access token says (header `Authorization: Bearer …`); a request
    without a valid token is answered `unauthenticated` and reaches no rule. Up to
    `concurrency` commands run at once in this process; optimistic concurrency on the stream
    version keeps two commands on one case from both deciding on stale state.
    """

    async def handle(body: bytes, actor: Actor) -> CommandReply:
        reply = await pipeline.handle(decider, spec, body, actor)
        if reply.error is not None and reply.error.code in _REFUSED_BEFORE_RULES:
            gate.audit.refused_request(
                f"command:{spec.name}", actor, reply.error.code.value, reply.error.field
            )
        return reply

    serve_command(
        router,
        service,
        spec.name,
        gate,
        handle,
        description=spec.description,
        concurrency=concurrency,
        on_unauthenticated=lambda reply: pipeline.count(spec.name, reply),
    )


def serve_command(
    router: NatsRouter,
    service: str,
    name: str,
    gate: Gate,
    handle: Callable[[bytes, Actor], Awaitable[CommandReply]],
    *,
    description: str,
    concurrency: int,
    on_unauthenticated: Callable[[CommandReply], None] = lambda _reply: None,
) -> None:
    """Serve a command subject in the service's queue group: answer only into a client's
    inbox, identify the sender by token, then let `handle` answer for the verified actor."""

    @router.subscriber(
        command_subject(service, name),
        queue=f"wvggz-{service}-commands",
        max_workers=concurrency,
        decoder=raw_body,
        title=f"{service}.{name}",
        description=f"{description} Header `{AUTHORIZATION_HEADER}: Bearer <token>`.",
    )
    async def handle_command(msg: Message) -> dict[str, Any]:
        ensure_private_reply(msg.reply_to, gate.own_inbox)
        actor = await gate.actor(msg.headers, f"command:{name}")
        if isinstance(actor, ErrorInfo):
            reply = CommandReply(ok=False, error=actor)
            on_unauthenticated(reply)
        else:
            reply = await handle(msg.body, actor)
        return reply.model_dump(mode="json", exclude_none=True)
