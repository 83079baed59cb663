"""PostgreSQL event store (psycopg 3, async): immutable by trigger, hash-chained, LISTEN/NOTIFY."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import psycopg
from psycopg import AsyncConnection, IsolationLevel
from psycopg_pool import AsyncConnectionPool

from kernel.eventstore.chain import chained_rows
from kernel.eventstore.port import (
    ANY_VERSION,
    ChainLink,
    EventStore,
    EventStoreError,
    NewEvent,
    RecordedEvent,
    WrongExpectedVersion,
)
from kernel.eventstore.sqlite import idempotent_position

log = logging.getLogger(__name__)

APPEND_LOCK = 0x7776_6767_7A00_0001
"""Key of the transaction-scoped advisory lock every append takes first (and schema creation)."""

CHANNEL = "wvggz_events"
"""The channel an append NOTIFYs with the new head position as payload."""

LISTENER_NAME = "wvggz-eventstore-listener"
"""`application_name` of the connection that LISTENs for subscribers."""

# data, metadata and recorded_at are kept as the exact text that was hashed: jsonb would reorder
# keys and a timestamptz would reformat the time, and the chain could no longer be recomputed.
# `json` validates the text and still stores it byte for byte.
_SCHEMA = """
CREATE TABLE events (
    position    bigint  PRIMARY KEY CHECK (position > 0),
    event_id    uuid    NOT NULL UNIQUE,
    stream      text    NOT NULL,
    version     integer NOT NULL CHECK (version >= 0),
    type        text    NOT NULL,
    data        json    NOT NULL,
    metadata    json    NOT NULL,
    recorded_at text    NOT NULL,
    hash        text    NOT NULL,
    UNIQUE (stream, version)
);
CREATE FUNCTION events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events are immutable: % refused', TG_OP;
END $$;
CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events
    FOR EACH ROW EXECUTE FUNCTION events_refuse_change();
CREATE TRIGGER events_refuse_delete BEFORE DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_refuse_change();
CREATE TRIGGER events_refuse_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_refuse_change();
"""

_COLUMNS = (
    "event_id, stream, version, position, type, data::text, metadata::text, recorded_at, hash"
)


def _row_to_event(row: tuple[Any, ...]) -> RecordedEvent:
    event_id, stream, version, position, type_, data, metadata, recorded_at, hash_ = row
    return RecordedEvent(
        event_id=event_id,
        stream=stream,
        version=version,
        position=position,
        type=type_,
        data=json.loads(data),
        metadata=json.loads(metadata),
        recorded_at=datetime.fromisoformat(recorded_at),
        chain=ChainLink(position, recorded_at, hash_),
    )


async def _configure(conn: AsyncConnection[Any]) -> None:
    # Appends rely on each statement taking a fresh snapshot: once the advisory lock is granted,
    # reading the head must see the append that held it before. A server or role default of
    # REPEATABLE READ would keep the snapshot from before the lock: a stale head, a refused insert.
    await conn.set_autocommit(True)
    await conn.set_isolation_level(IsolationLevel.READ_COMMITTED)


class PostgresEventStore(EventStore):
    """The event store in one PostgreSQL database named by a libpq URL (`postgresql://...`).

    Ordering: every append runs in one transaction that first takes a transaction-scoped
    advisory lock (`pg_advisory_xact_lock(APPEND_LOCK)`), then reads the head (position, hash),
    checks the expected version and inserts at head+1, head+2, ... chained onto the head's hash.
    The lock is released only after the commit is visible, so the next append sees it: positions
    commit one after another, without gaps, in every process. A reader can therefore never see
    position N+1 while N is still uncommitted, and "everything after my last position" is exact.
    The price is one writer at a time per database, as in SQLite.

    Subscriptions: the append NOTIFYs `CHANNEL` in its own transaction (delivered on commit). A
    store LISTENs on one connection of its own and wakes its subscribers, which then read what
    is past their position; they also read every `poll_interval` seconds, so a notification lost
    with a dropped connection only delays them.
    """

    def __init__(self, url: str, *, poll_interval: float = 1.0, max_connections: int = 10) -> None:
        self.url = url
        self._poll_interval = poll_interval
        self._max_connections = max_connections
        self._pool: AsyncConnectionPool[AsyncConnection[Any]] | None = None
        self._opening = asyncio.Lock()
        self._listener: asyncio.Task[None] | None = None
        self._appended = asyncio.Event()
        self._closed = False

    async def _ready(self) -> AsyncConnectionPool[AsyncConnection[Any]]:
        """The connection pool, opened with the schema made on first use."""
        if self._closed:
            raise EventStoreError("the event store is closed")
        if self._pool is not None:
            return self._pool
        async with self._opening:
            if self._pool is None:
                pool: AsyncConnectionPool[AsyncConnection[Any]] = AsyncConnectionPool(
                    self.url,
                    min_size=1,
                    max_size=self._max_connections,
                    open=False,
                    configure=_configure,
                    name="wvggz-eventstore",
                )
                await pool.open()
                try:
                    async with pool.connection() as conn:
                        await _create_schema(conn)
                except BaseException:
                    await pool.close()
                    raise
                self._pool = pool
        return self._pool

    async def append(self, stream: str, events: Sequence[NewEvent], expected_version: int) -> int:
        if not events:
            raise ValueError("append needs at least one event")
        pool = await self._ready()
        try:
            async with pool.connection() as conn, conn.transaction():
                position = await self._append_locked(conn, stream, events, expected_version)
        except psycopg.errors.IntegrityError as refused:
            raise EventStoreError(str(refused)) from refused
        self._wake_subscribers()
        return position

    @staticmethod
    async def _append_locked(
        conn: AsyncConnection[Any], stream: str, events: Sequence[NewEvent], expected_version: int
    ) -> int:
        """Inside the append's transaction: lock, check, chain and insert (see the class doc)."""
        await conn.execute("SELECT pg_advisory_xact_lock(%s)", (APPEND_LOCK,))
        ids = [str(event.event_id) for event in events]
        cursor = await conn.execute(
            "SELECT event_id::text, stream, version, position FROM events"
            " WHERE event_id = ANY(%s::uuid[])",
            (ids,),
        )
        stored = await cursor.fetchall()
        if stored:
            return idempotent_position(stream, ids, stored)
        cursor = await conn.execute(
            "SELECT COALESCE(MAX(version), -1) FROM events WHERE stream = %s", (stream,)
        )
        current = int(_one(await cursor.fetchone()))
        if expected_version != ANY_VERSION and expected_version != current:
            raise WrongExpectedVersion(stream, expected_version, current)
        cursor = await conn.execute(
            "SELECT position, hash FROM events ORDER BY position DESC LIMIT 1"
        )
        head = await cursor.fetchone()
        now = datetime.now(UTC).isoformat()
        rows = chained_rows(
            events, stream, current, (int(head[0]), str(head[1])) if head else None, now
        )
        position = rows[-1][0]
        async with conn.cursor() as insert:
            await insert.executemany(
                "INSERT INTO events"
                " (position, event_id, stream, version, type, data, metadata, recorded_at, hash)"
                " VALUES (%s, %s::uuid, %s, %s, %s, %s::json, %s::json, %s, %s)",
                rows,
            )
        await conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, str(position)))
        return position

    async def read(self, stream: str) -> list[RecordedEvent]:
        return await self._select(
            f"SELECT {_COLUMNS} FROM events WHERE stream = %s ORDER BY version", (stream,)
        )

    async def _page(self, after_position: int, limit: int) -> list[RecordedEvent]:
        return await self._select(
            f"SELECT {_COLUMNS} FROM events WHERE position > %s ORDER BY position LIMIT %s",
            (after_position, limit),
        )

    async def _select(self, query: str, params: tuple[Any, ...] = ()) -> list[RecordedEvent]:
        pool = await self._ready()
        async with pool.connection() as conn:
            cursor = await conn.execute(query, params)
            return [_row_to_event(row) for row in await cursor.fetchall()]

    async def read_all(
        self, after_position: int = 0, limit: int = 1000
    ) -> AsyncIterator[RecordedEvent]:
        """Reads pages of `limit` events; no connection is held while the caller holds one."""
        if limit < 1:
            raise ValueError("limit must be at least 1")
        position = after_position
        while page := await self._page(position, limit):
            for event in page:
                yield event
            position = page[-1].position
            if len(page) < limit:
                return

    async def subscribe(self, after_position: int = 0) -> AsyncIterator[RecordedEvent]:
        await self._listen_started()
        position = after_position
        while not self._closed:
            appended = self._appended  # taken before reading so no wake-up falls between
            page = await self._page(position, 500)
            for event in page:
                yield event
                position = event.position
            if len(page) < 500:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(appended.wait(), timeout=self._poll_interval)

    def _wake_subscribers(self) -> None:
        woken, self._appended = self._appended, asyncio.Event()
        woken.set()

    async def _listen_started(self) -> None:
        """Start the shared listener; LISTEN is in force before a subscriber's first read."""
        await self._ready()
        async with self._opening:
            if self._listener is None:
                conn = await self._listening_connection()
                self._listener = asyncio.create_task(self._listen(conn), name="eventstore-listen")

    async def _listening_connection(self) -> AsyncConnection[Any]:
        conn = await AsyncConnection.connect(
            self.url, autocommit=True, application_name=LISTENER_NAME
        )
        await conn.execute(f"LISTEN {CHANNEL}")
        return conn

    async def _listen(self, conn: AsyncConnection[Any] | None) -> None:
        """Wake the subscribers on every notification; reconnect when the connection drops."""
        while not self._closed:
            try:
                if conn is None:
                    conn = await self._listening_connection()
                    self._wake_subscribers()  # what was appended while nobody listened
                async for _ in conn.notifies():
                    self._wake_subscribers()
            except psycopg.Error as lost:
                log.warning("event store listener lost (%s); subscribers poll meanwhile", lost)
                await asyncio.sleep(self._poll_interval)
            finally:
                if conn is not None:
                    await conn.close()
                conn = None

    async def find(self, event_id: UUID) -> RecordedEvent | None:
        found = await self._select(
            f"SELECT {_COLUMNS} FROM events WHERE event_id = %s::uuid", (str(event_id),)
        )
        return found[0] if found else None

    async def last_event(self) -> RecordedEvent | None:
        found = await self._select(f"SELECT {_COLUMNS} FROM events ORDER BY position DESC LIMIT 1")
        return found[0] if found else None

    async def last_position(self) -> int:
        pool = await self._ready()
        async with pool.connection() as conn:
            cursor = await conn.execute("SELECT COALESCE(MAX(position), 0) FROM events")
            return int(_one(await cursor.fetchone()))

    async def close(self) -> None:
        """Refuse new work, stop listening, then close the pool (appends under way finish)."""
        self._closed = True
        self._wake_subscribers()
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        if self._pool is not None:
            await self._pool.close()


async def _create_schema(conn: AsyncConnection[Any]) -> None:
    """Make the table and its triggers once; the lock keeps two processes from racing to it."""
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(%s)", (APPEND_LOCK,))
        cursor = await conn.execute("SELECT to_regclass('events') IS NOT NULL")
        if not _one(await cursor.fetchone()):
            await conn.execute(_SCHEMA)


def _one(row: tuple[Any, ...] | None) -> Any:
    if row is None:
        raise EventStoreError("the database answered no row")
    return row[0]
