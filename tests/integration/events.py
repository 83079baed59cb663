"""Helpers to put events in a store and read the JetStream event stream back."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

from nats.js import JetStreamContext
from wvggz_contracts.subjects import EVENTS_STREAM

from kernel.eventstore import ANY_VERSION, EventStore, NewEvent


def melding_event(n: int = 0, gemeente: str = "GM0402") -> NewEvent:
    """A stored event with the metadata the relay needs (no personal data)."""
    case = uuid.uuid4()
    cause = uuid.uuid4()
    return NewEvent(
        uuid.uuid4(),
        "nl.wvggz.test.iets-gebeurd.v1",
        {"n": n},
        {
            "case_id": str(case),
            "gemeente": gemeente,
            "correlation_id": str(cause),
            "causation_id": str(cause),
            "actor": "test-actor",
            "occurred_at": datetime.now(UTC).isoformat(),
        },
    )


async def append_one(store: EventStore, n: int = 0) -> NewEvent:
    event = melding_event(n)
    await store.append(f"test-{event.metadata['case_id']}", [event], ANY_VERSION)
    return event


async def published_ids(js: JetStreamContext) -> list[str]:
    """`Nats-Msg-Id` of every message in the event stream, in stream order."""
    info = await js.stream_info(EVENTS_STREAM)
    ids = []
    for sequence in range(info.state.first_seq, info.state.last_seq + 1):
        message = await js.get_msg(EVENTS_STREAM, sequence)
        ids.append((message.headers or {})["Nats-Msg-Id"])
    return ids


async def eventually(condition, within: float = 20.0, what: str = "condition") -> None:
    """Wait until an async condition holds."""
    deadline = asyncio.get_running_loop().time() + within
    while not await condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"{what} did not happen within {within} s")
        await asyncio.sleep(0.05)
