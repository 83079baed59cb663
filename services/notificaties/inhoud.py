"""What partners may fetch of events, kept for the partner retention and nothing more: only the
fields some partner kind has a legal basis to fetch, in the service's own SQLite file."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wvggz_contracts.envelope import CloudEvent

from kernel.private_files import private_database


@dataclass(frozen=True, slots=True)
class Inhoud:
    """The kept fields of one event, with what identifies it."""

    event_id: str
    type: str
    gemeente: str
    zaak: str
    data: dict[str, Any]


class InhoudStore:
    """The file; each call is one short statement on the event loop's thread."""

    def __init__(self, path: Path, bewaar_s: float) -> None:
        private_database(path)
        self.bewaar_s = bewaar_s
        self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=FULL")
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS inhoud (event_id TEXT PRIMARY KEY, type TEXT NOT NULL,"
            " gemeente TEXT NOT NULL, zaak TEXT NOT NULL, data TEXT NOT NULL,"
            " bewaard REAL NOT NULL)"
        )

    def bewaar(self, event: CloudEvent, velden: Iterable[str], nu: float) -> None:
        """Keep these fields of an event (again: no change)."""
        data = {k: event.data[k] for k in sorted(velden) if k in event.data}
        self._conn.execute(
            "INSERT OR IGNORE INTO inhoud VALUES (?, ?, ?, ?, ?, ?)",
            (str(event.id), event.type, event.gemeente, str(event.subject), json.dumps(data), nu),
        )

    def lees(self, event_id: str, nu: float) -> Inhoud | None:
        """An event's kept fields, unless past the retention."""
        row = self._conn.execute(
            "SELECT event_id, type, gemeente, zaak, data FROM inhoud"
            " WHERE event_id = ? AND bewaard >= ?",
            (event_id, nu - self.bewaar_s),
        ).fetchone()
        if row is None:
            return None
        return Inhoud(row[0], row[1], row[2], row[3], json.loads(row[4]))

    def ruim_op(self, ouder_dan: float) -> int:
        """Forget what was kept before `ouder_dan`; how many."""
        return self._conn.execute("DELETE FROM inhoud WHERE bewaard < ?", (ouder_dan,)).rowcount

    def close(self) -> None:
        """Close the file."""
        self._conn.close()
