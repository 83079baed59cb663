"""KurrentDB (formerly EventStoreDB) event store: the production adapter, over gRPC."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import kurrentdbclient as kdb
from kurrentdbclient.exceptions import (
    AbortedByServerError,
    CancelledByClientError,
    MaximumAppendSizeExceededError,
    NotFoundError,
    ProgrammingError,
    RecordMaxSizeExceededError,
    ServiceUnavailableError,
    StreamIsDeletedError,
    StreamTombstonedError,
    WrongCurrentVersionError,
)

from kernel.eventstore.chain import GENESIS, link_hash
from kernel.eventstore.chain import encode as encode_text
from kernel.eventstore.port import (
    ANY_VERSION,
    NO_STREAM,
    ChainLink,
    EventStore,
    EventStoreError,
    NewEvent,
    RecordedEvent,
    WrongExpectedVersion,
)

log = logging.getLogger(__name__)

CONTENT_TYPE: kdb.ContentType = "application/json"

_UNKNOWN_TIME = datetime.fromtimestamp(0, UTC)
"""Stand-in for `recorded_at` when a (pre-20.x) server does not report when it stored an event."""


def expected_state(expected_version: int) -> int | kdb.StreamState:
    """Our expected version as KurrentDB's `current_version` argument."""
    if expected_version == NO_STREAM:
        return kdb.StreamState.NO_STREAM
    if expected_version == ANY_VERSION:
        return kdb.StreamState.ANY
    if expected_version < 0:
        raise ValueError(f"not an expected version: {expected_version}")
    return expected_version


def actual_version(error: WrongCurrentVersionError) -> int | None:
    """The stream's version the server reported with a refusal: -1 when absent, None if unsaid."""
    actual = error.actual_version
    if actual is kdb.StreamState.NO_STREAM:
        return NO_STREAM
    if isinstance(actual, int) and not isinstance(actual, bool) and actual >= 0:
        return actual
    return None


CHAIN_KEY = "ketting"
"""The metadata key of an event's chain link: `{"n": sequence, "op": time, "hash": hex}`."""

_CHAINED = f'"{CHAIN_KEY}":{{"n":'.encode()


def encode(value: Mapping[str, Any]) -> bytes:
    """A data or metadata mapping as compact UTF-8 JSON, like the SQLite adapter stores it."""
    return encode_text(value).encode("utf-8")


def decode(raw: bytes, what: str, event_id: UUID) -> dict[str, Any]:
    """JSON bytes back to a mapping; empty bytes read as an empty mapping."""
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError as bad:
        raise EventStoreError(f"event {event_id}: {what} is not JSON") from bad
    if not isinstance(value, dict):
        raise EventStoreError(f"event {event_id}: {what} is not a JSON object")
    return value


def to_new_event(event: NewEvent, link: ChainLink | None = None) -> kdb.NewEvent:
    """Our new event as KurrentDB's: the id travels natively, data and metadata as JSON, and
    the chain link, when given, as the last key of the metadata."""
    metadata = dict(event.metadata)
    if link is not None:
        metadata[CHAIN_KEY] = {"n": link.sequence, "op": link.at, "hash": link.hash}
    return kdb.NewEvent(
        type=event.type,
        data=encode(event.data),
        metadata=encode(metadata),
        content_type=CONTENT_TYPE,
        id=event.event_id,
    )


def chain_link(metadata: dict[str, Any]) -> ChainLink | None:
    """Take the chain link out of decoded metadata (None when absent or malformed)."""
    link = metadata.pop(CHAIN_KEY, None)
    if not isinstance(link, dict):
        return None
    sequence, at, hash_ = link.get("n"), link.get("op"), link.get("hash")
    if isinstance(sequence, int) and isinstance(at, str) and isinstance(hash_, str):
        return ChainLink(sequence, at, hash_)
    return None


def chained(
    stream: str, first_version: int, events: Sequence[NewEvent], head: ChainLink | None, at: str
) -> list[ChainLink]:
    """The links of events about to be appended after `head` (None: they start the chain)."""
    sequence, previous = (head.sequence, head.hash) if head else (0, GENESIS)
    links = []
    for offset, event in enumerate(events):
        if CHAIN_KEY in event.metadata:
            raise EventStoreError(f"metadata key {CHAIN_KEY!r} is the store's own")
        sequence += 1
        previous = link_hash(
            previous,
            sequence,
            str(event.event_id),
            stream,
            first_version + offset,
            event.type,
            encode_text(event.data),
            encode_text(event.metadata),
            at,
        )
        links.append(ChainLink(sequence, at, previous))
    return links


def to_recorded_event(event: kdb.RecordedEvent) -> RecordedEvent:
    """KurrentDB's recorded event as ours: position = commit position, version = stream position,
    the chain link taken out of the metadata."""
    metadata = decode(event.metadata, "metadata", event.id)
    return RecordedEvent(
        event_id=event.id,
        stream=event.stream_name,
        version=event.stream_position,
        position=event.commit_position,
        type=event.type,
        data=decode(event.data, "data", event.id),
        metadata=metadata,
        recorded_at=event.recorded_at if event.recorded_at is not None else _UNKNOWN_TIME,
        chain=chain_link(metadata),
    )


def is_system_event(event: kdb.RecordedEvent) -> bool:
    """KurrentDB's own bookkeeping ($-types, links, $-streams): never one of ours."""
    return event.type.startswith("$") or event.stream_name.startswith("$")


class KurrentDbEventStore(EventStore):
    """The event store on a KurrentDB server (or cluster) named by a connection string.

    Positions are KurrentDB commit positions, versions are stream positions. KurrentDB keeps
    appends to one stream atomic and idempotent on event ids, but it has no lookup by event id
    and does not keep event ids unique across streams. This adapter therefore looks ids up by
    reading `$all` backwards over the newest `find_window` (non-system) events:

    - `find()` scans that window and stops at the first hit. The pipeline uses it to spot an
      already handled command, which is normally among the newest events; an event older than
      the window is not found.
    - `append()` first scans the window once for any of the new event ids. A hit in this stream
      is an idempotent retry, answered with the original commit position without writing; a
      hit elsewhere raises `EventStoreError`. Without a hit the append goes to KurrentDB, whose
      own idempotency still covers a retry older than the window, as long as it uses the same
      expected version (the client then returns the original commit position).

    Cost: every `append()` and every missing `find()` reads up to `find_window` events from
    the server (one streamed gRPC read, full event payloads included). The uniqueness check
    across streams is best effort: an id stored before the window, or appended concurrently to
    another stream between the scan and the write, is not caught.

    The hash chain (kernel/eventstore/chain.py) lives in each event's metadata under
    `ketting`: its sequence number, the client's time and the hash, which covers the metadata
    without that key. Commit positions and server times are known only after the write, so
    the chain numbers events itself. Appends of this process are serialised (a lock around
    reading the chain's head and writing); the chain assumes one writing process per server,
    and a second one forks it, which `wvggz verify` reports as a break.
    """

    def __init__(
        self,
        url: str,
        *,
        find_window: int = 1000,
        resubscribe_delay: float = 1.0,
    ) -> None:
        if find_window < 1:
            raise ValueError("find_window must be at least 1")
        self.url = url
        self.find_window = find_window
        self.resubscribe_delay = resubscribe_delay
        self._client = kdb.AsyncKurrentDBClient(uri=url)
        self._closed = False
        self._chain_lock = asyncio.Lock()

    async def append(self, stream: str, events: Sequence[NewEvent], expected_version: int) -> int:
        if not events:
            raise ValueError("append needs at least one event")
        if self._closed:
            raise EventStoreError("the event store is closed")
        expected_state(expected_version)  # a bad expected version is refused before any read
        ids = [event.event_id for event in events]
        wanted = set(ids)
        stored = await self._scan_backwards(self.find_window, lambda e: e.id in wanted)
        if stored is not None:
            return await self._idempotent_position(stream, ids, stored)
        try:
            async with self._chain_lock:
                return await self._append_chained(stream, events, expected_version)
        except WrongCurrentVersionError as refused:
            actual = actual_version(refused)
            if actual is None:
                actual = await self._current_version(stream)
            raise WrongExpectedVersion(stream, expected_version, actual) from refused
        except (
            StreamIsDeletedError,
            StreamTombstonedError,
            MaximumAppendSizeExceededError,
            RecordMaxSizeExceededError,
        ) as refused:
            raise EventStoreError(f"stream {stream!r}: {refused}") from refused

    async def _append_chained(
        self, stream: str, events: Sequence[NewEvent], expected_version: int
    ) -> int:
        """Link the events after the chain's head and write them (under the chain lock)."""
        head = await self._scan_backwards(None, lambda e: _CHAINED in e.metadata)
        link = to_recorded_event(head).chain if head is not None else None
        current_version = expected_state(expected_version)
        first_version = expected_version + 1
        if expected_version == ANY_VERSION:
            # The hash covers the versions, so they must be known before the write: ANY becomes
            # the stream's version now, and a writer elsewhere in between is refused.
            first_version = await self._current_version(stream) + 1
            current_version = expected_state(first_version - 1)
        at = datetime.now(UTC).isoformat()
        links = chained(stream, first_version, events, link, at)
        return await self._client.append_to_stream(
            stream,
            events=[to_new_event(e, chain) for e, chain in zip(events, links, strict=True)],
            current_version=current_version,
        )

    async def _idempotent_position(
        self, stream: str, ids: list[UUID], stored: kdb.RecordedEvent
    ) -> int:
        """A retry of an append that already happened returns its position; the rest is refused."""
        if stored.stream_name != stream:
            raise EventStoreError(
                f"event id {stored.id} is stored already in stream {stored.stream_name!r}"
            )
        first_version = stored.stream_position - ids.index(stored.id)
        earlier: tuple[kdb.RecordedEvent, ...] = ()
        if first_version >= 0:
            earlier = await self._client.get_stream(
                stream, stream_position=first_version, limit=len(ids)
            )
        if [event.id for event in earlier] != ids:
            raise EventStoreError(
                f"some of these event ids are stored already in stream {stream!r}, "
                "but not as this same batch"
            )
        return earlier[-1].commit_position

    async def _current_version(self, stream: str) -> int:
        version = await self._client.get_current_version(stream)
        return version if isinstance(version, int) else NO_STREAM

    async def read(self, stream: str) -> list[RecordedEvent]:
        try:
            stored = await self._client.get_stream(stream)
        except NotFoundError:
            return []
        return [to_recorded_event(event) for event in stored]

    async def read_all(
        self, after_position: int = 0, limit: int = 1000
    ) -> AsyncIterator[RecordedEvent]:
        """Reads pages of `limit` events; no server call is open while the caller holds one."""
        if limit < 1:
            raise ValueError("limit must be at least 1")
        position = after_position
        while True:
            page = await self._page(position, limit)
            # Reading forwards from a position includes the event at it: skip what was yielded.
            fresh = [event for event in page if event.commit_position > position]
            if not fresh:
                return
            for event in fresh:
                if not is_system_event(event):
                    yield to_recorded_event(event)
            position = fresh[-1].commit_position

    async def _page(self, after_position: int, limit: int) -> list[kdb.RecordedEvent]:
        """Up to `limit` events after a position, system event types filtered out by the server."""
        if after_position > 0:
            response = await self._client.read_all(commit_position=after_position, limit=limit + 1)
        else:
            response = await self._client.read_all(limit=limit)
        try:
            return [event async for event in response]
        finally:
            await response.stop()

    async def subscribe(self, after_position: int = 0) -> AsyncIterator[RecordedEvent]:
        """A catch-up subscription to `$all`; lost connections resume after the last event."""
        position = after_position
        while not self._closed:
            try:
                subscription = await self._client.subscribe_to_all(
                    commit_position=position if position > 0 else None
                )
            except ServiceUnavailableError as lost:
                await self._pause_before_resubscribing(position, lost)
                continue
            try:
                async for event in subscription:
                    if event.commit_position <= position or is_system_event(event):
                        continue
                    yield to_recorded_event(event)
                    position = event.commit_position
            except CancelledByClientError:
                if self._closed:
                    return
                raise
            except (ServiceUnavailableError, AbortedByServerError) as lost:
                # The server went away or dropped a subscriber it found too slow.
                await self._pause_before_resubscribing(position, lost)
            finally:
                await subscription.stop()

    async def _pause_before_resubscribing(self, position: int, reason: Exception) -> None:
        if not self._closed:
            log.warning(
                "KurrentDB subscription lost after position %s (%s); resubscribing",
                position,
                type(reason).__name__,
            )
            await asyncio.sleep(self.resubscribe_delay)

    async def find(self, event_id: UUID) -> RecordedEvent | None:
        """The event with this id among the newest `find_window` events (see the class doc)."""
        found = await self._scan_backwards(self.find_window, lambda e: e.id == event_id)
        return to_recorded_event(found) if found is not None else None

    async def last_event(self) -> RecordedEvent | None:
        newest = await self._scan_backwards(None, lambda _: True)
        return to_recorded_event(newest) if newest is not None else None

    async def last_position(self) -> int:
        newest = await self._scan_backwards(None, lambda _: True)
        return newest.commit_position if newest is not None else 0

    async def _scan_backwards(
        self, window: int | None, match: Callable[[kdb.RecordedEvent], bool]
    ) -> kdb.RecordedEvent | None:
        """The newest non-system event that matches, among the newest `window` (None: all)."""
        if window is None:
            response = await self._client.read_all(backwards=True)
        else:
            response = await self._client.read_all(backwards=True, limit=window)
        try:
            async for event in response:
                if not is_system_event(event) and match(event):
                    return event
            return None
        finally:
            await response.stop()  # ends the server's stream when we stop early

    async def close(self) -> None:
        self._closed = True
        with contextlib.suppress(ProgrammingError):  # raised when it never connected
            await self._client.close()
