"""The SQLite adapter passes the store contract, and the database itself refuses changes."""

from __future__ import annotations

import asyncio
import sqlite3
import uuid
from pathlib import Path
from typing import Any

import pytest

from kernel.eventstore import NO_STREAM
from tests.kernel.eventstore.contract import EventStoreContract, new_events


class TestSqliteEventStore(EventStoreContract):
    @pytest.fixture
    def store_url(self, tmp_path: Path) -> str:
        return f"sqlite:///{tmp_path}/events.db"


@pytest.mark.parametrize(
    "statement",
    ["UPDATE events SET data = '{}'", "DELETE FROM events", "UPDATE events SET stream = 'x'"],
)
async def test_the_database_refuses_to_change_stored_events(tmp_path: Path, statement: str) -> None:
    url = f"sqlite:///{tmp_path}/events.db"
    from kernel.eventstore.factory import open_store

    store = open_store(url)
    await store.append("melding-1", new_events(2), NO_STREAM)
    await store.close()

    with (
        sqlite3.connect(tmp_path / "events.db") as conn,
        pytest.raises(sqlite3.IntegrityError, match="events are immutable"),
    ):
        conn.execute(statement)

    with sqlite3.connect(tmp_path / "events.db") as conn:
        assert conn.execute("SELECT COUNT(*) FROM events").fetchone() == (2,)


async def test_closing_commits_every_queued_append_and_refuses_new_ones(tmp_path: Path) -> None:
    from kernel.eventstore import EventStoreError
    from kernel.eventstore.sqlite import SqliteEventStore

    store = SqliteEventStore(tmp_path / "events.db")
    pending = [
        asyncio.create_task(store.append(f"s-{n}", new_events(1), NO_STREAM)) for n in range(200)
    ]
    await asyncio.sleep(0)  # every append is queued, a group may be committing

    await store.close()
    outcomes = await asyncio.wait_for(asyncio.gather(*pending, return_exceptions=True), 5)

    assert all(isinstance(outcome, int) for outcome in outcomes), outcomes
    with pytest.raises(EventStoreError, match="closed"):
        await store.append("s-late", new_events(1), NO_STREAM)
    reopened = SqliteEventStore(tmp_path / "events.db")
    assert await reopened.last_position() == 200
    await reopened.close()


async def test_appends_made_while_a_group_commits_share_the_next_commit(tmp_path: Path) -> None:
    from kernel.eventstore.sqlite import SqliteEventStore

    store = SqliteEventStore(tmp_path / "events.db")
    groups: list[int] = []
    commit = store._commit_group

    def counted(batch: list[Any]) -> list[int | Exception]:
        groups.append(len(batch))
        return commit(batch)

    store._commit_group = counted  # type: ignore[method-assign]
    positions = await asyncio.gather(
        *(store.append(f"s-{n}", new_events(1), NO_STREAM) for n in range(100))
    )
    await asyncio.gather(*(store.append(f"t-{n}", new_events(1), NO_STREAM) for n in range(3)))
    await store.close()

    assert sorted(positions) == list(range(1, 101))
    assert groups[0] == 100, "appends made in one turn of the loop are one group"
    assert sum(groups) == 103 and len(groups) <= 3


_BEFORE_THE_CHAIN = """
CREATE TABLE events (
    position    INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id    TEXT    NOT NULL UNIQUE,
    stream      TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    type        TEXT    NOT NULL,
    data        TEXT    NOT NULL,
    metadata    TEXT    NOT NULL,
    recorded_at TEXT    NOT NULL,
    UNIQUE (stream, version)
);
CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are immutable: UPDATE refused'); END;
CREATE TRIGGER events_refuse_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are immutable: DELETE refused'); END;
"""


async def test_a_store_from_before_the_chain_is_chained_once_when_opened(tmp_path: Path) -> None:
    from kernel.eventstore.sqlite import SqliteEventStore, add_chain
    from tests.kernel.eventstore.contract import assert_chained

    path = tmp_path / "events.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(_BEFORE_THE_CHAIN)
        for version in range(3):
            conn.execute(
                "INSERT INTO events (event_id, stream, version, type, data, metadata, recorded_at)"
                " VALUES (?, 'melding-1', ?, 'nl.wvggz.test.oud.v1', '{\"n\":1}', '{}',"
                " '2026-01-05T10:00:00+00:00')",
                (str(uuid.uuid4()), version),
            )

    store = SqliteEventStore(path)
    await store.append("melding-1", new_events(1), 2)
    events = [event async for event in store.read_all()]
    await store.close()

    assert_chained(None, events)
    with sqlite3.connect(path) as conn:
        assert add_chain(conn) == 0  # once only
        with pytest.raises(sqlite3.IntegrityError, match="events are immutable"):
            conn.execute("UPDATE events SET hash = ''")
