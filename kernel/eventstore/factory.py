"""Opens the event store a URL names: `sqlite:///path/events.db`, `kurrentdb://host:2113` or
`postgresql://user@host/db`."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from kernel.eventstore.port import EventStore


def open_store(url: str) -> EventStore:
    """Build the adapter for a store URL; KurrentDB URLs go to the client unchanged."""
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        from kernel.eventstore.sqlite import SqliteEventStore

        parts = urlsplit(url)
        synchronous = parse_qs(parts.query).get("synchronous", ["FULL"])[0].upper()
        if synchronous not in ("OFF", "NORMAL", "FULL", "EXTRA"):
            raise ValueError(f"unknown SQLite synchronous mode: {synchronous}")
        return SqliteEventStore(Path(parts.path), synchronous=synchronous)  # type: ignore[arg-type]
    if scheme in ("kurrentdb", "kurrentdb+discover", "esdb", "esdb+discover"):
        from kernel.eventstore.kurrentdb import KurrentDbEventStore

        store: EventStore = KurrentDbEventStore(url)
        return store
    if scheme in ("postgresql", "postgres"):
        from kernel.eventstore.postgres import PostgresEventStore

        return PostgresEventStore(url)
    raise ValueError(f"unsupported event store URL scheme: {scheme!r}")
