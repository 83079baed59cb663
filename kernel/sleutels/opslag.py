"""An event store that seals personal data on the way in and opens it on the way out.

Everything in a service reads and writes through it; only the relay (which publishes what is
stored, sealed, on the bus), the chain signer and `wvggz verify` use the store underneath.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Sequence
from uuid import UUID

from wvggz_contracts.events import EventRegistry

from kernel.eventstore.port import EventStore, NewEvent, RecordedEvent
from kernel.sleutels.velden import Veldsleutels


class VercijferdeStore(EventStore):
    """The store, with every personal field of a known event type sealed under its stream's key
    (one key per case stream: a dossier's retention ends with its key)."""

    def __init__(self, inner: EventStore, registry: EventRegistry, velden: Veldsleutels) -> None:
        self.inner = inner
        self.registry = registry
        self.velden = velden

    async def append(self, stream: str, events: Sequence[NewEvent], expected_version: int) -> int:
        keys: set[str] = set()
        links: set[tuple[str, str]] = set()
        for event in events:
            if (model := self.registry.models.get(event.type)) is not None:
                needed, found = self.velden.needs(model, event.data, stream)
                keys |= {stream} if needed else set()
                links |= found
        # The key is durable before any event sealed under it can be (else it is unreadable).
        await self.velden.kluis.bewaar(keys, links)
        sealed = [self._seal(stream, event) for event in events]
        return await self.inner.append(stream, sealed, expected_version)

    async def read(self, stream: str) -> list[RecordedEvent]:
        return [self._open(event) for event in await self.inner.read(stream)]

    async def read_all(
        self, after_position: int = 0, limit: int = 1000
    ) -> AsyncIterator[RecordedEvent]:
        async for event in self.inner.read_all(after_position, limit):
            yield self._open(event)

    async def subscribe(self, after_position: int = 0) -> AsyncIterator[RecordedEvent]:
        async for event in self.inner.subscribe(after_position):
            yield self._open(event)

    async def find(self, event_id: UUID) -> RecordedEvent | None:
        found = await self.inner.find(event_id)
        return None if found is None else self._open(found)

    async def last_position(self) -> int:
        return await self.inner.last_position()

    async def last_event(self) -> RecordedEvent | None:
        newest = await self.inner.last_event()
        return None if newest is None else self._open(newest)

    async def close(self) -> None:
        await self.inner.close()

    def _seal(self, stream: str, event: NewEvent) -> NewEvent:
        model = self.registry.models.get(event.type)
        if model is None:
            return event
        data = self.velden.seal(model, event.data, stream)
        return event if data is event.data else dataclasses.replace(event, data=data)

    def _open(self, event: RecordedEvent) -> RecordedEvent:
        data = self.velden.open(event.data)
        return event if data is event.data else dataclasses.replace(event, data=data)
