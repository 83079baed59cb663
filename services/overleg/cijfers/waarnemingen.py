"""The overleg's own file of observed events (SQLite, 0600): written before an event is acked, each
event once, read whole to compute the figures."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

from kernel.private_files import private_database
from services.overleg.cijfers.bron import Waarneming
from services.overleg.cijfers.feiten import Rij

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS waarneming (event_id TEXT PRIMARY KEY, soort TEXT NOT NULL,"
    " zaak TEXT NOT NULL, gemeente TEXT NOT NULL, op REAL NOT NULL, feit, jeugd INTEGER)"
)


class Waarnemingen:
    """Observed events, kept so that every figure can be computed again from the start."""

    def __init__(self, path: Path) -> None:
        private_database(path)
        self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=FULL")
        self._conn.execute(_SCHEMA)

    def voeg_toe(self, waarnemingen: Iterable[Waarneming]) -> int:
        """Keep these observations; one already kept (a redelivered event) is not added again."""
        rows = [(w.event_id, *w.rij) for w in waarnemingen]
        before = self._conn.total_changes
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            self._conn.executemany("INSERT OR IGNORE INTO waarneming VALUES (?,?,?,?,?,?,?)", rows)
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")
        return self._conn.total_changes - before

    def rijen(self) -> Iterator[Rij]:
        """Every observation in the order it was kept, as the fold takes it."""
        return iter(
            self._conn.execute(
                "SELECT soort, zaak, gemeente, op, feit, jeugd FROM waarneming ORDER BY rowid"
            )
        )

    def aantal(self) -> int:
        """How many observations are kept."""
        return int(self._conn.execute("SELECT count(*) FROM waarneming").fetchone()[0])

    def close(self) -> None:
        """Close the file."""
        self._conn.close()
