"""The service's audit trail for reads and rejected requests, appended in batches."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections import deque
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from wvggz_contracts.audit import (
    AuthenticatieGeweigerd,
    GebeurtenisGeparkeerd,
    GegevensIngezien,
    Inzageuitkomst,
    VerzoekGeweigerd,
)
from wvggz_contracts.commands import Actor
from wvggz_contracts.events import DomainEvent

from kernel.background import BackgroundLoop
from kernel.decider import derived_id
from kernel.eventstore import EventStore, NewEvent
from kernel.eventstore.port import ANY_VERSION
from kernel.logsafe import describe
from kernel.telemetry import ServiceMetrics

log = logging.getLogger(__name__)

_PARKING = UUID("0d3c5b8e-52a4-4f0e-9b59-7c0f4bd2a6e1")


def parking_id(consumer: str, stream_sequence: int) -> UUID:
    """The id of a parked message's entry in the dead-letter register (and of its record)."""
    return derived_id(_PARKING, f"{consumer}@{stream_sequence}")


def audit_stream(service: str) -> str:
    """The stream of a service's audit events (refusals, reads, parked events)."""
    return f"audit-{service}"


def audit_metadata(
    service: str,
    what: str,
    record_id: UUID,
    at: datetime,
    *,
    gemeente: str | None,
    actor: Actor | None = None,
    case_id: UUID | None = None,
) -> dict[str, Any]:
    """Metadata of an audit event; without a gemeente it stays in the store (no tenant to
    publish it under)."""
    metadata: dict[str, Any] = {
        "service": service,
        "command": what,
        "case_id": str(case_id or record_id),
        "correlation_id": str(record_id),
        "causation_id": str(record_id),
        "occurred_at": at.isoformat(),
        "actor": actor.id if actor else f"wvggz-{service}",
        "trace": {},
    }
    if gemeente is not None:
        metadata["gemeente"] = gemeente
    if actor is not None:
        metadata |= {"rol": actor.rol.value, "actor_gemeente": actor.gemeente}
    return metadata


def audiences(actor_gemeente: str, zaak_gemeente: str | None) -> Sequence[str]:
    """The gemeenten that must see an audit record: the actor's, and the case's if another."""
    if zaak_gemeente is None or zaak_gemeente == actor_gemeente:
        return (actor_gemeente,)
    return (zaak_gemeente, actor_gemeente)


class AuditTrail(BackgroundLoop):
    """Collects audit records and appends them together, so a read waits for no disk write.

    Records are flushed every `interval` seconds (or when `max_batch` are waiting) and on stop;
    a failed append is retried on the next flush, so nothing recorded is dropped.
    """

    def __init__(
        self,
        store: EventStore,
        service: str,
        clock: Callable[[], datetime],
        *,
        metrics: ServiceMetrics | None = None,
        interval: float = 0.05,
        max_batch: int = 512,
    ) -> None:
        self.metrics = metrics
        self.store = store
        self.service = service
        self.clock = clock
        self.interval = interval
        self.max_batch = max_batch
        self._pending: list[NewEvent] = []
        self._uncertain = False
        self._wake = asyncio.Event()
        self.parked_at: deque[float] = deque(maxlen=100_000)

    def read(
        self,
        query: str,
        actor: Actor,
        uitkomst: Inzageuitkomst,
        *,
        case_id: UUID | None = None,
        zaak_gemeente: str | None = None,
        aantal: int | None = None,
    ) -> None:
        """Record one read (or refused read); once under each gemeente that must see it."""
        at = self.clock()
        if self.metrics is not None:
            self.metrics.reads_audited.labels(query=query, outcome=uitkomst.value).inc()
        for gemeente in audiences(actor.gemeente, zaak_gemeente):
            # The actor's gemeente learns nothing about another gemeente's case from its copy.
            own = gemeente == zaak_gemeente or zaak_gemeente is None
            event = GegevensIngezien(
                service=self.service,
                query=query,
                case_id=case_id,
                actor=actor.id,
                rol=actor.rol,
                actor_gemeente=actor.gemeente,
                zaak_gemeente=zaak_gemeente if own else None,
                uitkomst=uitkomst,
                aantal=aantal,
                ingezien_op=at,
            )
            self._add(event, f"query:{query}", at, gemeente=gemeente, actor=actor, case_id=case_id)

    def refused_request(self, verzoek: str, actor: Actor, reden: str, veld: str | None) -> None:
        """Record an identified user's request refused before any rule ran (invalid input, a
        reused command id); published under the actor's gemeente."""
        event = VerzoekGeweigerd(
            service=self.service,
            verzoek=verzoek,
            reden=reden,
            veld=veld,
            actor=actor.id,
            rol=actor.rol,
            actor_gemeente=actor.gemeente,
        )
        self._add(event, verzoek, self.clock(), gemeente=actor.gemeente, actor=actor)

    def unauthenticated(self, verzoek: str, reden: str) -> None:
        """Record a request that came without a usable token (kept in the store only)."""
        if self.metrics is not None:
            self.metrics.requests_unauthenticated.labels(reason=reden).inc()
        event = AuthenticatieGeweigerd(service=self.service, verzoek=verzoek, reden=reden)
        self._add(event, verzoek, self.clock(), gemeente=None)

    async def park(self, parked: GebeurtenisGeparkeerd, gemeente: str | None) -> None:
        """Record at once that a consumer set an event aside (before it lets go of it).

        The record's id follows from the consumer and the stream position, so parking the same
        message again after a crash records it once.
        """
        record_id = parking_id(parked.consumer, parked.stream_sequence)
        await self.record_now(parked, f"park:{parked.consumer}", record_id, gemeente=gemeente)
        self.parked_at.append(time.monotonic())
        if self.metrics is not None:
            self.metrics.events_parked.labels(
                consumer=parked.consumer, reason=parked.reden.value
            ).inc()

    def parked_within(self, seconds: float) -> int:
        """How many messages this process parked in the last `seconds`."""
        horizon = time.monotonic() - seconds
        while self.parked_at and self.parked_at[0] < horizon:
            self.parked_at.popleft()
        return len(self.parked_at)

    async def record_now(
        self,
        event: DomainEvent,
        what: str,
        record_id: UUID,
        *,
        gemeente: str | None,
        actor: Actor | None = None,
        case_id: UUID | None = None,
    ) -> int:
        """Append one record at once, not batched (the caller acts on it being stored); an
        append of the same `record_id` again stores nothing new. Returns its position."""
        metadata = audit_metadata(
            self.service,
            what,
            record_id,
            self.clock(),
            gemeente=gemeente,
            actor=actor,
            case_id=case_id,
        )
        new = NewEvent(record_id, event.event_type, event.model_dump(mode="json"), metadata)
        return await self.store.append(audit_stream(self.service), [new], ANY_VERSION)

    def _add(
        self,
        event: DomainEvent,
        what: str,
        at: datetime,
        *,
        gemeente: str | None,
        actor: Actor | None = None,
        case_id: UUID | None = None,
    ) -> None:
        record_id = uuid.uuid4()
        metadata = audit_metadata(
            self.service, what, record_id, at, gemeente=gemeente, actor=actor, case_id=case_id
        )
        data = event.model_dump(mode="json")
        self._pending.append(NewEvent(record_id, event.event_type, data, metadata))
        if len(self._pending) >= self.max_batch:
            self._wake.set()

    @property
    def pending(self) -> int:
        """Records not yet in the store."""
        return len(self._pending)

    async def flush(self) -> None:
        """Append every waiting record in one transaction."""
        while self._pending:
            batch, self._pending = self._pending[: self.max_batch], self._pending[self.max_batch :]
            if self._uncertain:
                # The last append may have committed before it failed or was cancelled (a stop
                # mid-flush): keep only the records the store does not hold yet.
                batch = [r for r in batch if await self.store.find(r.event_id) is None]
                self._uncertain = False
                if not batch:
                    continue
            try:
                await self.store.append(audit_stream(self.service), batch, ANY_VERSION)
            except BaseException:
                self._pending[:0] = batch
                self._uncertain = True
                raise

    async def _run(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.interval)
            self._wake.clear()
            try:
                await self.flush()
            except Exception as failure:
                log.error("audit records not yet stored (%s); retrying", describe(failure))
                await asyncio.sleep(self.interval)

    async def stop(self) -> None:
        """Stop the loop and store what is still waiting."""
        await super().stop()
        await self.flush()
