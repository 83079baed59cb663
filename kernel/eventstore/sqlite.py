"""SQLite event store: the embedded default, WAL mode, immutable by trigger, hash-chained, with
group commit."""

from __future__ import annotations

import asyncio
import contextlib
import json
import sqlite3
from collections.abc import AsyncIterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal
from uuid import UUID

from kernel.eventstore.chain import GENESIS, chained_rows, link_hash
from kernel.eventstore.port import (
    ANY_VERSION,
    ChainLink,
    EventStore,
    EventStoreError,
    NewEvent,
    RecordedEvent,
    WrongExpectedVersion,
)
from kernel.private_files import private_database

Synchronous = Literal["OFF", "NORMAL", "FULL", "EXTRA"]

_TABLE = """
CREATE TABLE IF NOT EXISTS events (
    position    INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id    TEXT    NOT NULL UNIQUE,
    stream      TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    type        TEXT    NOT NULL,
    data        TEXT    NOT NULL,
    metadata    TEXT    NOT NULL,
    recorded_at TEXT    NOT NULL,
    hash        TEXT    NOT NULL,
    UNIQUE (stream, version)
)
"""
_REFUSE_UPDATE = """
CREATE TRIGGER IF NOT EXISTS events_refuse_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are immutable: UPDATE refused'); END
"""
_REFUSE_DELETE = """
CREATE TRIGGER IF NOT EXISTS events_refuse_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are immutable: DELETE refused'); END
"""

_COLUMNS = "event_id, stream, version, position, type, data, metadata, recorded_at, hash"


@dataclass(slots=True)
class _AppendRequest:
    stream: str
    events: Sequence[NewEvent]
    expected_version: int
    done: asyncio.Future[int] = field(repr=False)


def _row_to_event(row: tuple[Any, ...]) -> RecordedEvent:
    event_id, stream, version, position, type_, data, metadata, recorded_at, hash_ = row
    return RecordedEvent(
        event_id=UUID(event_id),
        stream=stream,
        version=version,
        position=position,
        type=type_,
        data=json.loads(data),
        metadata=json.loads(metadata),
        recorded_at=datetime.fromisoformat(recorded_at),
        chain=ChainLink(position, recorded_at, hash_) if hash_ else None,
    )


def _connect(path: Path, synchronous: Synchronous) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(f"PRAGMA synchronous={synchronous}")
    return conn


class SqliteEventStore(EventStore):
    """One file per service; one writer thread commits the appends that queued up meanwhile."""

    def __init__(
        self,
        path: Path | str,
        *,
        synchronous: Synchronous = "FULL",
        poll_interval: float = 0.25,
    ) -> None:
        self.path = Path(path)
        private_database(self.path)
        self._writer_conn = _connect(self.path, synchronous)
        for statement in (_TABLE, _REFUSE_UPDATE, _REFUSE_DELETE):
            self._writer_conn.execute(statement)
        add_chain(self._writer_conn)
        self._reader = _connect(self.path, synchronous)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="eventstore-writer")
        self._waiting: list[_AppendRequest] = []
        self._committing: asyncio.Future[Any] | None = None
        """The group in the writer thread now (or about to be handed to it)."""
        self._appended = asyncio.Event()
        self._poll_interval = poll_interval
        self._closed = False

    async def append(self, stream: str, events: Sequence[NewEvent], expected_version: int) -> int:
        if not events:
            raise ValueError("append needs at least one event")
        if self._closed:
            raise EventStoreError("the event store is closed")
        loop = asyncio.get_running_loop()
        done: asyncio.Future[int] = loop.create_future()
        self._waiting.append(_AppendRequest(stream, list(events), expected_version, done))
        if self._committing is None:
            # Handed over once this turn of the loop is done: appends made in it join the group.
            self._committing = loop.create_future()
            loop.call_soon(self._commit_waiting, self._committing)
        return await done

    def _commit_waiting(self, started: asyncio.Future[Any]) -> None:
        """Hand every waiting append to the writer thread as one group (group commit)."""
        batch, self._waiting = self._waiting, []
        commit = asyncio.get_running_loop().run_in_executor(
            self._executor, self._commit_group, batch
        )
        commit.add_done_callback(lambda commit: self._committed(batch, commit))
        self._committing = commit
        started.set_result(None)

    def _committed(self, batch: list[_AppendRequest], commit: asyncio.Future[Any]) -> None:
        """Answer every caller of a committed group, then hand over what waited meanwhile."""
        outcomes: list[Any]
        if commit.cancelled():
            outcomes = [EventStoreError("the append was cancelled")] * len(batch)
        elif (failure := commit.exception()) is not None:
            outcomes = [failure] * len(batch)  # the whole group failed: every caller learns why
        else:
            outcomes = commit.result()
        for request, outcome in zip(batch, outcomes, strict=True):
            if request.done.done():
                continue
            if isinstance(outcome, BaseException):
                request.done.set_exception(outcome)
            else:
                request.done.set_result(outcome)
        loop = commit.get_loop()
        if self._waiting:
            self._commit_waiting(loop.create_future())
        else:
            self._committing = None
        # After the callers' next step, which sends their replies: those go out before the
        # subscribers read what was appended.
        loop.call_soon(self._wake_subscribers)

    def _wake_subscribers(self) -> None:
        woken, self._appended = self._appended, asyncio.Event()
        woken.set()

    def _commit_group(self, batch: list[_AppendRequest]) -> list[int | Exception]:
        """Runs in the writer thread: one transaction, one savepoint per append request."""
        conn = self._writer_conn
        outcomes: list[int | Exception] = []
        conn.execute("BEGIN IMMEDIATE")
        try:
            for request in batch:
                conn.execute("SAVEPOINT append_request")
                try:
                    outcomes.append(self._append_in_transaction(conn, request))
                    conn.execute("RELEASE append_request")
                except (EventStoreError, sqlite3.IntegrityError) as exc:
                    conn.execute("ROLLBACK TO append_request")
                    conn.execute("RELEASE append_request")
                    outcomes.append(
                        exc if isinstance(exc, EventStoreError) else EventStoreError(str(exc))
                    )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return outcomes

    @staticmethod
    def _append_in_transaction(conn: sqlite3.Connection, request: _AppendRequest) -> int:
        stream, events = request.stream, request.events
        ids = [str(e.event_id) for e in events]
        marks = ",".join("?" * len(ids))
        stored = conn.execute(
            f"SELECT event_id, stream, version, position FROM events WHERE event_id IN ({marks})",
            ids,
        ).fetchall()
        if stored:
            return idempotent_position(stream, ids, stored)
        (current,) = conn.execute(
            "SELECT COALESCE(MAX(version), -1) FROM events WHERE stream = ?", (stream,)
        ).fetchone()
        if request.expected_version != ANY_VERSION and request.expected_version != current:
            raise WrongExpectedVersion(stream, request.expected_version, current)
        now = datetime.now(UTC).isoformat()
        # The writer holds the database lock (BEGIN IMMEDIATE): nobody appends between reading
        # the head and inserting, so positions are given here, the hash can cover them, and the
        # chain follows the positions even when appends race.
        head = conn.execute(
            "SELECT position, hash FROM events ORDER BY position DESC LIMIT 1"
        ).fetchone()
        rows = chained_rows(events, stream, current, (int(head[0]), head[1]) if head else None, now)
        conn.executemany(
            "INSERT INTO events"
            " (position, event_id, stream, version, type, data, metadata, recorded_at, hash)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        position = rows[-1][0]
        return position

    async def read(self, stream: str) -> list[RecordedEvent]:
        rows = self._reader.execute(
            f"SELECT {_COLUMNS} FROM events WHERE stream = ? ORDER BY version", (stream,)
        ).fetchall()
        return [_row_to_event(row) for row in rows]

    def _page(self, after_position: int, limit: int) -> list[RecordedEvent]:
        rows = self._reader.execute(
            f"SELECT {_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?",
            (after_position, limit),
        ).fetchall()
        return [_row_to_event(row) for row in rows]

    async def read_all(
        self, after_position: int = 0, limit: int = 1000
    ) -> AsyncIterator[RecordedEvent]:
        position = after_position
        while page := self._page(position, limit):
            for event in page:
                yield event
            position = page[-1].position
            if len(page) < limit:
                return

    async def subscribe(self, after_position: int = 0) -> AsyncIterator[RecordedEvent]:
        position = after_position
        while not self._closed:
            appended = self._appended  # taken before reading so no wake-up falls between
            page = self._page(position, 500)
            for event in page:
                yield event
                position = event.position
            if len(page) < 500:
                # On a time-out read again anyway: another process may have appended.
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self._poll_interval):
                        await appended.wait()

    async def find(self, event_id: UUID) -> RecordedEvent | None:
        row = self._reader.execute(
            f"SELECT {_COLUMNS} FROM events WHERE event_id = ?", (str(event_id),)
        ).fetchone()
        return _row_to_event(row) if row else None

    async def last_event(self) -> RecordedEvent | None:
        row = self._reader.execute(
            f"SELECT {_COLUMNS} FROM events ORDER BY position DESC LIMIT 1"
        ).fetchone()
        return _row_to_event(row) if row else None

    async def last_position(self) -> int:
        (position,) = self._reader.execute(
            "SELECT COALESCE(MAX(position), 0) FROM events"
        ).fetchone()
        return int(position)

    async def close(self) -> None:
        """Commit what is queued, refuse new appends, then release the files."""
        self._closed = True
        self._wake_subscribers()
        while (committing := self._committing) is not None:
            await asyncio.wait([committing])
            await asyncio.sleep(0)  # its callback runs, and hands over what waited meanwhile
        self._executor.shutdown(wait=True)
        self._writer_conn.close()
        self._reader.close()


def idempotent_position(stream: str, ids: list[str], stored: list[tuple[Any, ...]]) -> int:
    """A retry of an append that already happened returns its position; anything else is refused."""
    by_id = {row[0]: row for row in stored}
    rows = [by_id.get(event_id) for event_id in ids]
    if any(row is None for row in rows):
        raise EventStoreError("some of these event ids are stored already, others are not")
    versions = [row[2] for row in rows if row is not None]
    if any(row[1] != stream for row in rows if row is not None) or versions != list(
        range(versions[0], versions[0] + len(versions))
    ):
        raise EventStoreError("these event ids are stored already in another place")
    return int(max(row[3] for row in rows if row is not None))


def add_chain(conn: sqlite3.Connection) -> int:
    """Give a store made before the hash chain its `hash` column and chain; returns rows chained.

    Runs once per file, in one transaction: the column is added, the update trigger is set
    aside while each existing row gets its hash in position order, and is then put back. The
    chain then vouches for those rows only from this moment on: what was changed in them before
    cannot be told apart. A file that has the column is left alone.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(events)")}
        if "hash" in columns:
            conn.execute("COMMIT")
            return 0
        conn.execute("ALTER TABLE events ADD COLUMN hash TEXT NOT NULL DEFAULT ''")
        conn.execute("DROP TRIGGER IF EXISTS events_refuse_update")
        previous, count = GENESIS, 0
        rows = conn.execute(
            "SELECT position, event_id, stream, version, type, data, metadata, recorded_at"
            " FROM events ORDER BY position"
        ).fetchall()
        for row in rows:
            previous = link_hash(previous, *row)
            conn.execute("UPDATE events SET hash = ? WHERE position = ?", (previous, row[0]))
            count += 1
        conn.execute(_REFUSE_UPDATE)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return count
