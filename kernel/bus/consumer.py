"""Durable, idempotent pull consumers of platform events for FastStream routers."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from uuid import UUID

from faststream import AckPolicy
from faststream.nats import JStream, NatsMessage, NatsRouter, PullSub
from wvggz_contracts.envelope import CloudEvent
from wvggz_contracts.subjects import EVENTS_STREAM

from kernel.decider import derived_id
from kernel.logsafe import describe

log = logging.getLogger(__name__)

RETRY_DELAYS = (1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0)
"""Seconds before a failed event is delivered again; past the list, the last delay repeats."""

EventHandler = Callable[[CloudEvent], Awaitable[None]]


def event_subscriber(
    router: NatsRouter,
    subject: str,
    *,
    durable: str,
    description: str,
    batch_size: int = 16,
    retry_delays: tuple[float, ...] = RETRY_DELAYS,
) -> Callable[[EventHandler], EventHandler]:
    """Decorator: consume events on `subject` through a durable pull consumer.

    The stream is created by our own code (`declare=False` keeps FastStream from overwriting
    its settings). An event is acknowledged after the handler succeeds; when it raises, the
    event comes back after a growing delay, and past the last delay it keeps coming back at
    that pace, logged as an error each time: never a tight loop, and never lost (a VO or a
    crisis case must not vanish because a store was unreachable for a while). Handlers must
    be idempotent: derive command ids with `command_id_for`.
    """

    def register(handler: EventHandler) -> EventHandler:
        @router.subscriber(
            subject,
            stream=JStream(EVENTS_STREAM, declare=False),
            durable=durable,
            pull_sub=PullSub(batch_size=batch_size, timeout=1.0),
            ack_policy=AckPolicy.MANUAL,
            description=description,
            title=durable,
        )
        async def consume(event: CloudEvent, msg: NatsMessage) -> None:
            try:
                await handler(event)
            except Exception as failure:
                attempt = msg.raw_message.metadata.num_delivered
                level = logging.ERROR if attempt >= len(retry_delays) else logging.WARNING
                log.log(
                    level,
                    "%s failed on event %s (attempt %d): %s",
                    durable,
                    event.id,
                    attempt,
                    describe(failure),
                )
                await msg.nack(delay=retry_delays[min(attempt, len(retry_delays)) - 1])
                return
            await msg.ack()

        return handler

    return register


def command_id_for(event: CloudEvent, purpose: str) -> UUID:
    """The id of the command an event causes: the same on every redelivery of that event."""
    return derived_id(event.id, purpose)
