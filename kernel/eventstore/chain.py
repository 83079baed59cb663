"""The hash chain over a store's events: its canonical encoding, shared by adapters and verifier.

Each event's hash is SHA-256 over the tag `wvggz-ketting/1` followed by nine fields, each as an
8-byte big-endian length and then its UTF-8 bytes, in this order:

    previous   the previous event's hash as 64 hex digits (GENESIS for the first event)
    sequence   the event's number in the chain as decimal text (SQLite: its position)
    event_id   the event id, canonical lower-case UUID text
    stream     the stream name
    version    the version in its stream, decimal text
    type       the event type
    data       the data exactly as stored: compact JSON (`encode`)
    metadata   the metadata exactly as stored, without the chain's own fields: compact JSON
    at         the recorded time exactly as stored, ISO 8601 text

Length prefixes make the encoding unambiguous without escaping; hashing the stored JSON text
means the verifier needs no JSON parser on the fast path and sees any change to a stored byte.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from kernel.eventstore.port import NewEvent, RecordedEvent

TAG = b"wvggz-ketting/1"
GENESIS = "0" * 64
"""The `previous` of the first event in a chain."""


def encode(value: Mapping[str, Any]) -> str:
    """Data or metadata as the adapters store it: compact JSON, keys in insertion order."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str)


def link_hash(
    previous: str,
    sequence: int,
    event_id: str,
    stream: str,
    version: int,
    type_: str,
    data: str,
    metadata: str,
    at: str,
) -> str:
    """The hex hash of one event given the previous event's hash (see the module doc)."""
    digest = hashlib.sha256(TAG)
    for field in (
        previous,
        str(sequence),
        event_id,
        stream,
        str(version),
        type_,
        data,
        metadata,
        at,
    ):
        raw = field.encode("utf-8")
        digest.update(len(raw).to_bytes(8, "big"))
        digest.update(raw)
    return digest.hexdigest()


def chained_rows(
    events: Sequence[NewEvent],
    stream: str,
    version: int,
    head: tuple[int, str] | None,
    at: str,
) -> list[Row]:
    """The rows that append these events after the store's head (position, hash; None when
    empty) to a stream at `version`: position, event id, stream, version, type, data, metadata,
    time and hash, each hash chained onto the one before."""
    position, previous = head or (0, GENESIS)
    rows = []
    for offset, event in enumerate(events, start=1):
        row = (
            position + offset,
            str(event.event_id),
            stream,
            version + offset,
            event.type,
            encode(event.data),
            encode(event.metadata),
            at,
        )
        previous = link_hash(previous, *row)
        rows.append((*row, previous))
    return rows


Row = tuple[int, str, str, int, str, str, str, str, str]
"""A stored event as the chain sees it: position, id, stream, version, type, data, metadata,
time, hash."""


def event_row(event: RecordedEvent) -> Row | None:
    """A decoded event as a row (None when it has no chain link, e.g. stored before the chain).

    Re-encoding gives the stored text back, since adapters store what `encode` writes.
    """
    if event.chain is None:
        return None
    return (
        event.chain.sequence,
        str(event.event_id),
        event.stream,
        event.version,
        event.type,
        encode(event.data),
        encode(event.metadata),
        event.chain.at,
        event.chain.hash,
    )


def event_hash(previous: str, event: RecordedEvent) -> str:
    """The hash a recorded event should carry, recomputed from its decoded content."""
    row = event_row(event)
    if row is None:
        raise ValueError(f"event at position {event.position} has no chain link")
    return link_hash(previous, *row[:-1])
