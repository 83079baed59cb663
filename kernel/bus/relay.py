"""Relays a service's stored events to JetStream, exactly once, from a persisted checkpoint."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable

from nats.aio.client import Client as Nats
from nats.errors import Error as NatsError
from nats.js.api import PubAck
from nats.js.errors import Error as JetStreamError
from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind, Tracer
from wvggz_contracts.envelope import CONTENT_TYPE, CloudEvent
from wvggz_contracts.subjects import EVENTS_STREAM, event_subject

from kernel.background import BackgroundLoop
from kernel.checkpoints import CheckpointStore
from kernel.eventstore import EventStore, RecordedEvent
from kernel.eventstore.batching import subscribe_batches

log = logging.getLogger(__name__)


def to_cloudevent(event: RecordedEvent, source: str) -> CloudEvent:
    """The published form of a stored event."""
    meta = event.metadata
    return CloudEvent(
        id=event.event_id,
        source=source,
        type=event.type,
        time=meta.get("occurred_at") or event.recorded_at,
        subject=meta["case_id"],
        gemeente=meta["gemeente"],
        correlationid=meta["correlation_id"],
        causationid=meta["causation_id"],
        actor=meta["actor"],
        sequence=str(event.position),
        data=dict(event.data),
    )


class Relay(BackgroundLoop):
    """Catch-up subscription on the store → publish with `Nats-Msg-Id` → save checkpoint.

    Events that are ready together are published as one pipelined batch; the checkpoint moves
    once every message of the batch is acknowledged. A crash or an outage between publish and
    checkpoint re-publishes from the checkpoint; JetStream drops the copies because the message
    id is the event id (within the stream's duplicate window).
    """

    def __init__(
        self,
        store: EventStore,
        nats: Nats,
        checkpoints: CheckpointStore,
        *,
        source: str,
        service: str | None = None,
        name: str = "relay",
        batch_size: int = 256,
        ack_timeout: float = 5.0,
        retry_delay: float = 0.5,
        tracer: Tracer | None = None,
        on_published: Callable[[RecordedEvent], None] | None = None,
    ) -> None:
        self.store = store
        self.js = nats.jetstream()
        self.checkpoints = checkpoints
        self.source = source
        self.service = service
        self.name = name
        self.batch_size = batch_size
        self.ack_timeout = ack_timeout
        self.retry_delay = retry_delay
        self.tracer = tracer or trace.get_tracer("wvggz.relay")
        self.on_published = on_published or (lambda _event: None)
        self.position = checkpoints.get(name)

    async def _run(self) -> None:
        while True:
            try:
                async for batch in subscribe_batches(self.store, self.position, self.batch_size):
                    await self._publish_batch(batch)
            except (NatsError, JetStreamError, TimeoutError, OSError) as failure:
                log.warning(
                    "relay paused at position %s: %s", self.position, type(failure).__name__
                )
                await asyncio.sleep(self.retry_delay)

    async def _publish_batch(self, batch: list[RecordedEvent]) -> None:
        # An event of no gemeente (an anonymous request's audit record) has no tenant to go to.
        published = [event for event in batch if event.metadata.get("gemeente")]
        acks = [await self._publish(event) for event in published]
        await asyncio.wait_for(asyncio.gather(*acks), timeout=self.ack_timeout)
        self.checkpoints.save(self.name, batch[-1].position)
        self.position = batch[-1].position
        for event in published:
            self.on_published(event)

    async def _publish(self, event: RecordedEvent) -> asyncio.Future[PubAck]:
        envelope = to_cloudevent(event, self.source)
        subject = event_subject(event.type, envelope.gemeente, self.service)
        # The command's trace continues here, carried in the stored event's metadata.
        parent = propagate.extract(dict(event.metadata.get("trace", {})))
        with self.tracer.start_as_current_span(
            f"{subject} publish", context=parent, kind=SpanKind.PRODUCER
        ):
            headers = {"Nats-Msg-Id": str(event.event_id), "content-type": CONTENT_TYPE}
            propagate.inject(headers)
            return await self.js.publish_async(
                subject,
                json.dumps(envelope.model_dump(mode="json"), separators=(",", ":")).encode(),
                headers=headers,
                stream=EVENTS_STREAM,
            )
