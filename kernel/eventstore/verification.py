"""Recomputes a store's hash chain, checks it against signed checkpoints, names the first break."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kernel.eventstore.chain import GENESIS, Row, link_hash

"""sequence, event_id, stream, version, type, data, metadata, at, hash: as hashed and stored."""

BEWERKT = "bewerkt"
VERWIJDERD = "verwijderd"
VOLGORDE = "volgorde"
HERSCHREVEN = "herschreven"
ONGEKETEND = "ongeketend"
HANDTEKENING = "handtekening"


@dataclass(frozen=True, slots=True)
class Break:
    """The first place where the store differs from what its chain or a checkpoint says."""

    position: int
    kind: str
    detail: str


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A signed statement "the chain's hash at `position` was `hash`", from store or stream."""

    position: int
    hash: str
    source: str
    signed_at: str
    public_key: str
    valid: bool


@dataclass(slots=True)
class Outcome:
    """What a verification found."""

    events: int = 0
    checkpoints: int = 0
    broken: Break | None = None
    head: str = GENESIS
    by_source: dict[str, int] = field(default_factory=dict)


def sqlite_rows(path: Path, batch: int = 5000) -> Iterator[Row]:
    """Every row of a SQLite store in position order, read-only, exactly as stored."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        cursor = conn.execute(
            "SELECT position, event_id, stream, version, type, data, metadata, recorded_at,"
            " COALESCE(hash, '') FROM events ORDER BY position"
        )
        while rows := cursor.fetchmany(batch):
            yield from rows
    finally:
        conn.close()


def sqlite_has_chain(path: Path) -> bool:
    """Whether a SQLite store has the `hash` column (stores made before the chain do not)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return "hash" in {row[1] for row in conn.execute("PRAGMA table_info(events)")}
    finally:
        conn.close()


def verify_rows(
    rows: Iterable[Row],
    checkpoints: Iterable[Checkpoint],
    *,
    trusted_key: str | None,
    stored_hashes: Callable[[], Iterable[tuple[int, str]]],
    progress: Callable[[int], None] = lambda _count: None,
) -> Outcome:
    """Walk the rows in order, recomputing each hash; stop at the first break.

    `stored_hashes` reads (sequence, stored hash) of every row again; it is asked only after a
    hash mismatch, to tell an event moved from elsewhere from an edited one.
    """
    outcome = Outcome()
    due: dict[int, list[Checkpoint]] = {}
    for checkpoint in checkpoints:
        due.setdefault(checkpoint.position, []).append(checkpoint)
        outcome.checkpoints += 1
        outcome.by_source[checkpoint.source] = outcome.by_source.get(checkpoint.source, 0) + 1
    key = trusted_key or next((c.public_key for c in sorted_checkpoints(due)), None)
    previous, expected = GENESIS, 1
    versions: dict[str, int] = {}
    last_good = 0
    for row in rows:
        sequence, stream, version, stored = row[0], row[2], row[3], row[8]
        found = _row_break(row, previous, expected, versions, stored_hashes)
        if found is not None:
            outcome.broken = found
            return outcome
        previous, expected = stored, sequence + 1
        versions[stream] = version
        outcome.events += 1
        for checkpoint in due.pop(sequence, []):
            found = _checkpoint_break(checkpoint, stored, key, last_good)
            if found is not None:
                outcome.broken = found
                return outcome
            last_good = sequence
        if outcome.events % 65_536 == 0:
            progress(outcome.events)
    outcome.head = previous
    beyond = sorted_checkpoints(due)
    if beyond:
        first = beyond[0]
        outcome.broken = Break(
            expected,
            VERWIJDERD,
            f"het {first.source}-controlepunt van {first.signed_at} tekende positie"
            f" {first.position}, maar de store eindigt bij {expected - 1}: het einde is weg",
        )
    return outcome


def sorted_checkpoints(due: dict[int, list[Checkpoint]]) -> list[Checkpoint]:
    """The checkpoints not yet compared, by position."""
    return [c for position in sorted(due) for c in due[position]]


def _row_break(
    row: Row,
    previous: str,
    expected: int,
    versions: dict[str, int],
    stored_hashes: Callable[[], Iterable[tuple[int, str]]],
) -> Break | None:
    sequence, _event_id, stream, version, type_, *_content, stored = row
    if sequence > expected:
        missing = f"{expected}" if sequence == expected + 1 else f"{expected} t/m {sequence - 1}"
        return Break(expected, VERWIJDERD, f"positie {missing} ontbreekt")
    if sequence < expected:
        return Break(sequence, VOLGORDE, f"positie {sequence} komt na {expected - 1}")
    if not stored:
        return Break(sequence, ONGEKETEND, f"event ({type_}) zonder hash")
    seen = versions.get(stream, -1)
    if link_hash(previous, *row[:8]) == stored:
        if version != seen + 1:
            return _version_break(sequence, stream, version, seen)
        return None
    moved = _moved_from(row, stored_hashes)
    if moved is not None:
        return Break(
            sequence, VOLGORDE, f"het event hier ({type_}) stond op positie {moved}: verplaatst"
        )
    if version != seen + 1:
        return _version_break(sequence, stream, version, seen)
    return Break(sequence, BEWERKT, f"de hash klopt niet met de inhoud ({type_}): gewijzigd")


def _version_break(sequence: int, stream: str, version: int, seen: int) -> Break:
    if version > seen + 1:
        return Break(sequence, VERWIJDERD, f"stream {stream}: versie {seen + 1} ontbreekt")
    return Break(sequence, VOLGORDE, f"stream {stream}: versie {version} na versie {seen}")


def _moved_from(row: Row, stored_hashes: Callable[[], Iterable[tuple[int, str]]]) -> int | None:
    """The position this row's own hash says it was written at, if not where it is now."""
    sequence, stored = row[0], row[8]
    for position, before in [(0, GENESIS), *stored_hashes()]:
        candidate = position + 1
        if candidate != sequence and link_hash(before, candidate, *row[1:8]) == stored:
            return candidate
    return None


def _checkpoint_break(
    checkpoint: Checkpoint, recomputed: str, key: str | None, last_good: int
) -> Break | None:
    where = f"het {checkpoint.source}-controlepunt van {checkpoint.signed_at}"
    if not checkpoint.valid:
        return Break(checkpoint.position, HANDTEKENING, f"{where}: handtekening ongeldig")
    if key is not None and checkpoint.public_key != key:
        return Break(checkpoint.position, HANDTEKENING, f"{where}: getekend met een andere sleutel")
    if checkpoint.hash != recomputed:
        return Break(
            checkpoint.position,
            HERSCHREVEN,
            f"{where} tekende een andere hash: de keten is herschreven, op of na positie"
            f" {last_good + 1} en op of voor {checkpoint.position}",
        )
    return None
