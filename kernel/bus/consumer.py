"""Durable, idempotent pull consumers of platform events for FastStream routers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from faststream import AckPolicy
from faststream.nats import JStream, NatsRouter, PullSub
from wvggz_contracts.envelope import CloudEvent
from wvggz_contracts.subjects import EVENTS_STREAM

from kernel.decider import derived_id


def event_subscriber(
    router: NatsRouter,
    subject: str,
    *,
    durable: str,
    description: str,
    batch_size: int = 16,
) -> Callable[[Callable[..., Any]], Any]:
    """Decorator: consume events on `subject` through a durable pull consumer.

    The stream is created by our own code (`declare=False` keeps FastStream from overwriting
    its settings). A message is acknowledged after the handler succeeds and redelivered when
    it raises, so handlers must be idempotent: derive command ids with `command_id_for`.
    """
    return router.subscriber(
        subject,
        stream=JStream(EVENTS_STREAM, declare=False),
        durable=durable,
        pull_sub=PullSub(batch_size=batch_size, timeout=1.0),
        ack_policy=AckPolicy.NACK_ON_ERROR,
        description=description,
    )


def command_id_for(event: CloudEvent, purpose: str) -> UUID:
    """The id of the command an event causes: the same on every redelivery of that event."""
    return derived_id(event.id, purpose)
