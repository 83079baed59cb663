"""The overleg's own file of observed events (SQLite, 0600): written before an event is acked, each
event once, read whole to compute the figures."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from services.overleg.cijfers.bron import Waarneming

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS waarneming (event_id TEXT PRIMARY KEY, soort TEXT NOT NULL,"
    " zaak TEXT NOT NULL, gemeente TEXT NOT NULL, op REAL NOT NULL, feiten TEXT NOT NULL)"
)


class Waarnemingen:
    """Observed events, kept so that every figure can be computed again from the start."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not path.exists():
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=FULL")
        self._conn.execute(_SCHEMA)
        self.versie = 0
        """Grows with every write that added something: a cache of figures keys on it."""

    def voeg_toe(self, waarnemingen: Iterable[Waarneming]) -> int:
        """Keep these observations; one already kept (a redelivered event) is not added again."""
        rows = [
            (w.event_id, w.soort, w.zaak, w.gemeente, w.op.timestamp(), json.dumps(w.feiten))
            for w in waarnemingen
        ]
        before = self._conn.total_changes
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            self._conn.executemany("INSERT OR IGNORE INTO waarneming VALUES (?,?,?,?,?,?)", rows)
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")
        added = self._conn.total_changes - before
        if added:
            self.versie += 1
        return added

    def alle(self) -> Iterator[Waarneming]:
        """Every observation in the order it was kept."""
        cursor = self._conn.execute(
            "SELECT event_id, soort, zaak, gemeente, op, feiten FROM waarneming ORDER BY rowid"
        )
        for event_id, soort, zaak, gemeente, op, feiten in cursor:
            yield Waarneming(
                event_id, soort, zaak, gemeente, datetime.fromtimestamp(op, UTC), json.loads(feiten)
            )

    def aantal(self) -> int:
        """How many observations are kept."""
        return int(self._conn.execute("SELECT count(*) FROM waarneming").fetchone()[0])

    def close(self) -> None:
        """Close the file."""
        self._conn.close()
