"""Relays a service's stored events to JetStream, exactly once, from a persisted checkpoint that
is reconciled with the stream itself."""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from nats.aio.client import Client as Nats
from nats.errors import Error as NatsError
from nats.js.api import PubAck
from nats.js.errors import APIError, NotFoundError
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

STALL_AFTER_S = 30.0
"""Readiness: seconds the relay may leave stored events unpublished before it counts as stuck."""


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
    over the acknowledged prefix of a batch (saved at most every `checkpoint_every` s, and on
    stop). The checkpoint is not trusted alone: on start, before every retry and after a
    reconnect the relay reads the last message on its own subjects (a direct get of the last
    message on `wvggz.evt.<service>.>`), finds that event in the store and goes on right after
    it. So a lost checkpoint or an outage longer than the stream's
    duplicate window republishes nothing the stream holds, and a tail the stream lost (it syncs
    to disk every 2 minutes) is published again; JetStream's de-duplication (the message id is
    the event id) covers the rest.
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
        stall_after: float = STALL_AFTER_S,
        checkpoint_every: float = 1.0,
        tracer: Tracer | None = None,
        on_published: Callable[[RecordedEvent], None] | None = None,
    ) -> None:
        self.store = store
        self.nats = nats
        self.js = nats.jetstream()
        self.checkpoints = checkpoints
        self.source = source
        self.service = service
        self.name = name
        self.batch_size = batch_size
        self.ack_timeout = ack_timeout
        self.retry_delay = retry_delay
        self.stall_after = stall_after
        self.checkpoint_every = checkpoint_every
        self.tracer = tracer or trace.get_tracer("wvggz.relay")
        self.on_published = on_published or (lambda _event: None)
        self.position = checkpoints.get(name)
        self._saved_at = time.monotonic()
        self._moved_at = time.monotonic()
        self._waiting_since: float | None = None
        self._unsure: _Unsure | None = None
        self._reconciled_with = -1

    @property
    def subjects(self) -> str | None:
        """The subjects only this relay publishes on (without a service: no reconciling)."""
        return f"wvggz.evt.{self.service}.>" if self.service else None

    async def _run(self) -> None:
        while True:
            try:
                await self.reconcile()
                async for batch in subscribe_batches(self.store, self.position, self.batch_size):
                    # NATS came back (perhaps without its unsynced tail): look again first, and
                    # subscribe again when that moved the position.
                    if self._reconnects() != self._reconciled_with and await self._moved():
                        break
                    if self._waiting_since is None:
                        self._waiting_since = time.monotonic()
                    await self._publish_batch(batch)
            except (NatsError, JetStreamError, TimeoutError, OSError) as failure:
                log.warning(
                    "relay paused at position %s: %s", self.position, type(failure).__name__
                )
                await asyncio.sleep(self.retry_delay)

    async def stop(self) -> None:
        """Stop publishing and save how far it got."""
        await super().stop()
        self.checkpoints.save(self.name, self.position)

    async def reconcile(self) -> int:
        """Move past what the stream already holds of ours; returns the position to go on from."""
        self._reconciled_with = self._reconnects()
        if self.subjects is None:
            return self.position
        try:
            last = await self.js.get_last_msg(EVENTS_STREAM, self.subjects, direct=True)
        except NotFoundError:  # nothing of ours in the stream (yet, or any more)
            return self.position
        msg_id = (last.headers or {}).get("Nats-Msg-Id")
        event = await self.store.find(uuid.UUID(msg_id)) if msg_id else None
        if event is None:
            log.warning("relay %s: the stream's last event is not in our store", self.name)
            return self.position
        target = event.position
        unsure = self._unsure
        if unsure is not None and (unsure.refused or self._reconnects() != unsure.reconnects):
            # A message of the failed batch was refused, or lost with a connection whose later
            # messages were sent after the reconnect: the stream may hold a hole before `target`.
            target = min(target, unsure.first - 1)
        if target > self.position:
            log.info("relay %s: the stream already holds up to position %s", self.name, target)
            self._advance(target)
        elif target < self.position:
            # The stream lost its unsynced tail (a power loss): publish it again from the store.
            # The saved checkpoint stays; the next start reconciles with the stream again.
            log.warning("relay %s: the stream holds only up to position %s", self.name, target)
            self.position = target
        return self.position

    async def _moved(self) -> bool:
        """Reconcile again; whether that moved the position."""
        before = self.position
        return await self.reconcile() != before

    def stalled(self, head: int) -> bool:
        """Whether stored events up to `head` have waited longer than `stall_after` (readiness)."""
        now = time.monotonic()
        if head <= self.position:
            self._waiting_since = None
            return False
        if self._waiting_since is None:
            self._waiting_since = now
        waited: float = now - max(self._waiting_since, self._moved_at)
        return waited > self.stall_after

    def _reconnects(self) -> int:
        return int(self.nats.stats.get("reconnects", 0))

    def _advance(self, position: int) -> None:
        # Saved at most every `checkpoint_every` seconds and on stop: a save is an fsync in the
        # event loop, and one that lags only makes the next start reconcile a little further.
        now = time.monotonic()
        if now - self._saved_at >= self.checkpoint_every:
            self.checkpoints.save(self.name, position)
            self._saved_at = now
        self.position = position
        self._moved_at = time.monotonic()
        if self._unsure is not None and position >= self._unsure.first:
            self._unsure = None

    async def _publish_batch(self, batch: list[RecordedEvent]) -> None:
        # An event of no gemeente (an anonymous request's audit record) has no tenant to go to.
        published = [event for event in batch if event.metadata.get("gemeente")]
        reconnects = self._reconnects()
        acks: list[asyncio.Future[PubAck]] = []
        try:
            for event in published:
                acks.append(await self._publish(event))
            if acks:
                await asyncio.wait(acks, timeout=self.ack_timeout)
        finally:
            # No future outlives its batch: a retry publishes afresh, and nats-py gets its
            # pending-publish slots (a bounded semaphore) back.
            for ack in acks:
                ack.cancel()
        answers = {event.position: _answer(ack) for event, ack in zip(published, acks, strict=True)}
        confirmed, failure = self.position, None
        for event in batch:
            if event.metadata.get("gemeente"):
                answer = answers.get(event.position)
                if not isinstance(answer, PubAck):
                    failure = answer or TimeoutError(f"no ack within {self.ack_timeout} s")
                    refused = isinstance(answer, APIError)
                    self._unsure = self._unsure or _Unsure(event.position, reconnects, refused)
                    break
            confirmed = event.position
        if confirmed > self.position:
            self._advance(confirmed)
            for event in published:
                if event.position <= confirmed:
                    self.on_published(event)
        if failure is not None:
            raise failure
        self._waiting_since = None

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


@dataclass(frozen=True, slots=True)
class _Unsure:
    """The first event of a failed batch that JetStream did not acknowledge."""

    first: int
    reconnects: int
    refused: bool


def _answer(ack: asyncio.Future[PubAck]) -> PubAck | BaseException | None:
    """What JetStream answered to one publish: its ack, its refusal, or nothing (None)."""
    if not ack.done() or ack.cancelled():
        return None
    return ack.exception() or ack.result()
