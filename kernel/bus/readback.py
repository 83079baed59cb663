"""Reading one parked message back from the stream, no wider than its durable may read.

One consumer name per durable, so one read at a time per process (the dead-letter register acts
one at a time); replicas of a service would each need their own name (issue 15)."""

from __future__ import annotations

import contextlib

from nats.aio.client import Client as Nats
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError
from wvggz_contracts.subjects import EVENTS_STREAM

from kernel.bus.streams import ConsumerSpec


def redelivery_consumer(durable: str) -> str:
    """The short-lived consumer a service reads a parked message of `durable` back with."""
    return f"{durable}-herlevering"


async def read_back(nc: Nats, spec: ConsumerSpec, sequence: int) -> tuple[str, bytes] | None:
    """The subject and body of the message at `sequence`, if it is still in the stream and
    within the consumer's subjects (the bus allows nothing wider)."""
    js = nc.jetstream()
    name = redelivery_consumer(spec.durable)
    with contextlib.suppress(NotFoundError):
        await js.delete_consumer(EVENTS_STREAM, name)  # left by a process that died mid-way
    config = ConsumerConfig(
        name=name,
        filter_subject=spec.subject,
        deliver_policy=DeliverPolicy.BY_START_SEQUENCE,
        opt_start_seq=sequence,
        ack_policy=AckPolicy.NONE,
        inactive_threshold=60.0,
        mem_storage=True,
    )
    await js.add_consumer(EVENTS_STREAM, config)
    try:
        subscription = await js.pull_subscribe_bind(consumer=name, stream=EVENTS_STREAM)
        try:
            messages = await subscription.fetch(1, timeout=2.0)
        except TimeoutError:
            return None
        finally:
            await subscription.unsubscribe()
    finally:
        with contextlib.suppress(NotFoundError):
            await js.delete_consumer(EVENTS_STREAM, name)
    found = messages[0]
    if found.metadata.sequence.stream != sequence:
        return None  # aged out of the stream; the next match came instead
    return found.subject, found.data
