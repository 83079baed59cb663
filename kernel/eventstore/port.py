"""The event store port: what every adapter (SQLite, KurrentDB) must offer."""

from __future__ import annotations

import abc
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

NO_STREAM = -1
"""Expected version meaning "this stream must not exist yet"."""

ANY_VERSION = -2
"""Expected version meaning "append whatever the stream's version is"."""


class EventStoreError(Exception):
    """Base class of store failures the caller can act on."""


class WrongExpectedVersion(EventStoreError):
    """The stream moved on since the caller read it (optimistic concurrency)."""

    def __init__(self, stream: str, expected: int, actual: int) -> None:
        super().__init__(f"stream {stream!r} is at version {actual}, expected {expected}")
        self.stream = stream
        self.expected = expected
        self.actual = actual


@dataclass(frozen=True, slots=True)
class NewEvent:
    """An event about to be appended; its id makes a retried append idempotent."""

    event_id: UUID
    type: str
    data: Mapping[str, Any]
    metadata: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ChainLink:
    """An event's place in its store's hash chain (see kernel/ketting.py for the encoding)."""

    sequence: int
    """Its number in the chain, counting from 1 without gaps (SQLite: the position)."""
    at: str
    """The recorded time exactly as it was hashed (ISO 8601 text)."""
    hash: str
    """Hex SHA-256 over the previous event's hash and this event's content."""


@dataclass(frozen=True, slots=True)
class RecordedEvent:
    """An event as stored: versions count from 0 in its stream, positions grow over the store."""

    event_id: UUID
    stream: str
    version: int
    position: int
    type: str
    data: Mapping[str, Any]
    metadata: Mapping[str, Any]
    recorded_at: datetime
    chain: ChainLink | None = None
    """Its link in the store's hash chain; None for an event stored before the chain existed."""


class EventStore(abc.ABC):
    """Append-only, immutable storage of event streams with a global order."""

    @abc.abstractmethod
    async def append(self, stream: str, events: Sequence[NewEvent], expected_version: int) -> int:
        """Append all events or none; return the commit position of the last one.

        Appending events whose ids are already stored in this stream at the same versions is a
        no-op that returns their original position (an idempotent retry).
        """

    @abc.abstractmethod
    async def read(self, stream: str) -> list[RecordedEvent]:
        """All events of one stream, oldest first; an unknown stream reads as empty."""

    @abc.abstractmethod
    def read_all(self, after_position: int = 0, limit: int = 1000) -> AsyncIterator[RecordedEvent]:
        """Events of every stream in global order, strictly after a position (0 = from start)."""

    @abc.abstractmethod
    def subscribe(self, after_position: int = 0) -> AsyncIterator[RecordedEvent]:
        """Catch up from a position, then keep yielding new events as they are appended."""

    @abc.abstractmethod
    async def find(self, event_id: UUID) -> RecordedEvent | None:
        """The stored event with this id, if any (used to detect an already handled command)."""

    @abc.abstractmethod
    async def last_position(self) -> int:
        """The position of the newest event, 0 when the store is empty."""

    async def last_event(self) -> RecordedEvent | None:
        """The newest event, None when the store is empty (adapters answer it more cheaply)."""
        newest: RecordedEvent | None = None
        async for event in self.read_all(0):
            newest = event
        return newest

    @abc.abstractmethod
    async def close(self) -> None:
        """Release connections and background work."""
