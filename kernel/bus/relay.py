"""Relays a service's stored events to JetStream, exactly once, from a persisted checkpoint."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable

from nats.aio.client import Client as Nats
from nats.errors import Error as NatsError
from nats.js.errors import Error as JetStreamError
from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind, Tracer
from wvggz_contracts.envelope import CONTENT_TYPE, CloudEvent
from wvggz_contracts.subjects import EVENTS_STREAM, event_subject

from kernel.checkpoints import CheckpointStore
from kernel.eventstore import EventStore, RecordedEvent

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


class Relay:
    """Catch-up subscription on the store → publish with `Nats-Msg-Id` → save checkpoint.

    A crash between publish and checkpoint re-publishes on restart; JetStream drops the copy
    because the message id is the event id (within the stream's duplicate window).
    """

    def __init__(
        self,
        store: EventStore,
        nats: Nats,
        checkpoints: CheckpointStore,
        *,
        source: str,
        name: str = "relay",
        retry_delay: float = 0.5,
        tracer: Tracer | None = None,
        on_published: Callable[[RecordedEvent], None] | None = None,
    ) -> None:
        self.store = store
        self.js = nats.jetstream()
        self.checkpoints = checkpoints
        self.source = source
        self.name = name
        self.retry_delay = retry_delay
        self.tracer = tracer or trace.get_tracer("wvggz.relay")
        self.on_published = on_published or (lambda _event: None)
        self.position = checkpoints.get(name)
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Run in the background until stopped."""
        self._task = asyncio.create_task(self._run(), name=f"{self.name}-loop")

    @property
    def running(self) -> bool:
        """Whether the relay loop is alive."""
        return self._task is not None and not self._task.done()

    async def stop(self) -> None:
        """Stop after the event in flight; the checkpoint stays where it got."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        while True:
            try:
                async for event in self.store.subscribe(self.position):
                    await self._publish(event)
                    self.checkpoints.save(self.name, event.position)
                    self.position = event.position
                    self.on_published(event)
                return
            except (NatsError, JetStreamError, TimeoutError, OSError) as failure:
                log.warning(
                    "relay paused at position %s: %s", self.position, type(failure).__name__
                )
                await asyncio.sleep(self.retry_delay)

    async def _publish(self, event: RecordedEvent) -> None:
        envelope = to_cloudevent(event, self.source)
        subject = event_subject(event.type, envelope.gemeente)
        # The command's trace continues here, carried in the stored event's metadata.
        parent = propagate.extract(dict(event.metadata.get("trace", {})))
        with self.tracer.start_as_current_span(
            f"{subject} publish", context=parent, kind=SpanKind.PRODUCER
        ):
            headers = {"Nats-Msg-Id": str(event.event_id), "content-type": CONTENT_TYPE}
            propagate.inject(headers)
            await self.js.publish(
                subject,
                json.dumps(envelope.model_dump(mode="json"), separators=(",", ":")).encode(),
                headers=headers,
                stream=EVENTS_STREAM,
                timeout=2.0,
            )
