"""The SQLite adapter passes the store contract, and the database itself refuses changes."""

from __future__ import annotations

import sqlite3

import pytest

from kernel.eventstore import NO_STREAM
from tests.kernel.eventstore.contract import EventStoreContract, new_events


class TestSqliteEventStore(EventStoreContract):
    @pytest.fixture
    def store_url(self, tmp_path) -> str:
        return f"sqlite:///{tmp_path}/events.db"


@pytest.mark.parametrize(
    "statement",
    ["UPDATE events SET data = '{}'", "DELETE FROM events", "UPDATE events SET stream = 'x'"],
)
async def test_the_database_refuses_to_change_stored_events(tmp_path, statement):
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
