"""Persisted positions of relays and projections, in a small SQLite file per service."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kernel.private_files import private_database


class CheckpointStore:
    """Named positions that survive restarts; writes are durable before they return."""

    def __init__(self, path: Path | str) -> None:
        private_database(path)
        self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode=WAL")
        # Every save is on disk before it returns (one fsync per relay batch). The relay also
        # reconciles with the stream, but a checkpoint that went back needs that read to be right.
        self._conn.execute("PRAGMA synchronous=FULL")
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS checkpoints"
            " (name TEXT PRIMARY KEY, position INTEGER NOT NULL)"
        )

    def get(self, name: str) -> int:
        """The saved position, 0 when nothing was saved yet."""
        row = self._conn.execute(
            "SELECT position FROM checkpoints WHERE name = ?", (name,)
        ).fetchone()
        return int(row[0]) if row else 0

    def save(self, name: str, position: int) -> None:
        """Remember a position (only ever moving forward)."""
        self._conn.execute(
            "INSERT INTO checkpoints (name, position) VALUES (?, ?) ON CONFLICT(name) DO UPDATE"
            " SET position = excluded.position WHERE excluded.position > checkpoints.position",
            (name, position),
        )

    def close(self) -> None:
        """Close the file."""
        self._conn.close()
