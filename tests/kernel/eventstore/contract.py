"""The one contract every event store adapter must pass; adapters subclass it."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from kernel.eventstore import (
    ANY_VERSION,
    NO_STREAM,
    EventStore,
    EventStoreError,
    NewEvent,
    RecordedEvent,
    WrongExpectedVersion,
)
from kernel.eventstore.chain import GENESIS, event_hash
from kernel.eventstore.factory import open_store

ROOT = Path(__file__).resolve().parents[3]


def new_events(count: int, kind: str = "nl.wvggz.test.iets-gebeurd.v1") -> list[NewEvent]:
    return [
        NewEvent(uuid.uuid4(), kind, {"n": n, "tekst": "één"}, {"gemeente": "GM0402"})
        for n in range(count)
    ]


def assert_chained(head: RecordedEvent | None, events: list[RecordedEvent]) -> None:
    """Each event's hash covers the one before it, and the chain numbers them without gaps."""
    previous = head.chain.hash if head is not None and head.chain is not None else GENESIS
    sequence = head.chain.sequence if head is not None and head.chain is not None else 0
    for event in events:
        assert event.chain is not None, f"event at {event.position} has no chain link"
        assert event.chain.sequence == sequence + 1
        assert event.chain.hash == event_hash(previous, event)
        previous, sequence = event.chain.hash, event.chain.sequence


class EventStoreContract:
    """Subclasses provide a `store_url` fixture naming a fresh or shared store."""

    @pytest.fixture
    async def store(self, store_url: str) -> AsyncIterator[EventStore]:
        store = open_store(store_url)
        yield store
        await store.close()

    @pytest.fixture
    def prefix(self) -> str:
        """Streams of one test never meet those of another, even on a shared server."""
        return f"t{uuid.uuid4().hex[:12]}"

    async def test_appended_events_read_back_in_order_with_versions(
        self, store: EventStore, prefix: str
    ) -> None:
        events = new_events(3)
        position = await store.append(f"{prefix}-a", events, NO_STREAM)

        stored = await store.read(f"{prefix}-a")

        assert [e.event_id for e in stored] == [e.event_id for e in events]
        assert [e.version for e in stored] == [0, 1, 2]
        assert stored[-1].position == position
        assert stored[0].data == {"n": 0, "tekst": "één"}
        assert stored[0].metadata == {"gemeente": "GM0402"}
        assert stored[0].position < stored[1].position < stored[2].position

    async def test_an_unknown_stream_reads_as_empty(self, store: EventStore, prefix: str) -> None:
        assert await store.read(f"{prefix}-nothing") == []

    async def test_wrong_expected_version_is_refused_and_appends_nothing(
        self, store: EventStore, prefix: str
    ) -> None:
        await store.append(f"{prefix}-a", new_events(2), NO_STREAM)

        with pytest.raises(WrongExpectedVersion) as refused:
            await store.append(f"{prefix}-a", new_events(1), 0)
        with pytest.raises(WrongExpectedVersion):
            await store.append(f"{prefix}-a", new_events(1), NO_STREAM)

        assert refused.value.actual == 1
        assert len(await store.read(f"{prefix}-a")) == 2

    async def test_expected_version_continues_a_stream(
        self, store: EventStore, prefix: str
    ) -> None:
        await store.append(f"{prefix}-a", new_events(2), NO_STREAM)
        await store.append(f"{prefix}-a", new_events(1), 1)
        await store.append(f"{prefix}-a", new_events(1), ANY_VERSION)

        assert [e.version for e in await store.read(f"{prefix}-a")] == [0, 1, 2, 3]

    async def test_retrying_the_same_event_ids_appends_nothing_new(
        self, store: EventStore, prefix: str
    ) -> None:
        events = new_events(2)
        first = await store.append(f"{prefix}-a", events, NO_STREAM)

        again = await store.append(f"{prefix}-a", events, NO_STREAM)

        assert again == first
        assert len(await store.read(f"{prefix}-a")) == 2

    async def test_an_event_id_cannot_be_reused_in_another_stream(
        self, store: EventStore, prefix: str
    ) -> None:
        events = new_events(1)
        await store.append(f"{prefix}-a", events, NO_STREAM)

        with pytest.raises(EventStoreError):
            await store.append(f"{prefix}-b", events, NO_STREAM)

        assert await store.read(f"{prefix}-b") == []

    async def test_find_returns_a_stored_event_by_id(self, store: EventStore, prefix: str) -> None:
        events = new_events(2)
        await store.append(f"{prefix}-a", events, NO_STREAM)

        found = await store.find(events[1].event_id)

        assert found is not None
        assert (found.stream, found.version) == (f"{prefix}-a", 1)
        assert await store.find(uuid.uuid4()) is None

    async def test_read_all_gives_global_order_after_a_position(
        self, store: EventStore, prefix: str
    ) -> None:
        await store.append(f"{prefix}-a", new_events(2), NO_STREAM)
        middle = await store.append(f"{prefix}-b", new_events(2), NO_STREAM)
        await store.append(f"{prefix}-a", new_events(1), 1)

        everything = [e async for e in store.read_all(0, limit=2) if e.stream.startswith(prefix)]
        after = [e async for e in store.read_all(middle) if e.stream.startswith(prefix)]

        assert [(e.stream[-1], e.version) for e in everything] == [
            ("a", 0),
            ("a", 1),
            ("b", 0),
            ("b", 1),
            ("a", 2),
        ]
        assert [(e.stream[-1], e.version) for e in after] == [("a", 2)]
        positions = [e.position for e in everything]
        assert positions == sorted(positions)
        assert await store.last_position() >= positions[-1]

    async def test_subscription_catches_up_then_continues_live(
        self, store: EventStore, prefix: str
    ) -> None:
        start = await store.last_position()
        await store.append(f"{prefix}-a", new_events(2), NO_STREAM)
        received: list[int] = []

        async def follow() -> None:
            async for event in store.subscribe(start):
                if event.stream.startswith(prefix):
                    received.append(event.data["n"])
                    if len(received) == 5:
                        return

        follower = asyncio.create_task(follow())
        await asyncio.sleep(0.1)
        await store.append(f"{prefix}-a", new_events(3), 1)
        await asyncio.wait_for(follower, timeout=10)

        assert received == [0, 1, 0, 1, 2]

    async def test_concurrent_appends_to_one_stream_let_exactly_one_win(
        self, store: EventStore, prefix: str
    ) -> None:
        await store.append(f"{prefix}-a", new_events(1), NO_STREAM)

        outcomes = await asyncio.gather(
            *(store.append(f"{prefix}-a", new_events(1), 0) for _ in range(5)),
            return_exceptions=True,
        )

        assert sum(not isinstance(o, Exception) for o in outcomes) == 1
        assert all(
            isinstance(o, WrongExpectedVersion) for o in outcomes if isinstance(o, Exception)
        )
        assert len(await store.read(f"{prefix}-a")) == 2

    async def test_appended_events_are_hash_chained_across_streams(
        self, store: EventStore, prefix: str
    ) -> None:
        head = await store.last_event()
        await store.append(f"{prefix}-a", new_events(2), NO_STREAM)
        await store.append(f"{prefix}-b", new_events(3), NO_STREAM)
        await store.append(f"{prefix}-a", new_events(1), ANY_VERSION)

        events = [e async for e in store.read_all(head.position if head else 0)]

        assert len(events) == 6
        assert_chained(head, events)
        assert len({e.chain.hash for e in events if e.chain}) == 6
        assert await store.last_event() == events[-1]
        assert (await store.read(f"{prefix}-a"))[2].chain == events[-1].chain
        assert await store.find(events[3].event_id) == events[3]

    async def test_concurrent_appends_still_chain_in_position_order(
        self, store: EventStore, prefix: str
    ) -> None:
        head = await store.last_event()

        await asyncio.gather(
            *(store.append(f"{prefix}-{n}", new_events(1 + n % 3), NO_STREAM) for n in range(12))
        )

        events = [e async for e in store.read_all(head.position if head else 0)]
        assert len(events) == sum(1 + n % 3 for n in range(12))
        assert [e.position for e in events] == sorted(e.position for e in events)
        assert_chained(head, events)

    async def test_a_retried_append_adds_no_link(self, store: EventStore, prefix: str) -> None:
        events = new_events(2)
        await store.append(f"{prefix}-a", events, NO_STREAM)
        head = await store.last_event()

        await store.append(f"{prefix}-a", events, NO_STREAM)
        await store.append(f"{prefix}-b", new_events(1), NO_STREAM)

        assert_chained(head, [e async for e in store.read_all(head.position if head else 0)])

    def test_a_process_killed_mid_append_leaves_no_partial_batch(
        self, store_url: str, prefix: str
    ) -> None:
        batch = 2000
        child = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.kernel.eventstore.append_until_killed",
                store_url,
                prefix,
                str(batch),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ},
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "appending"
        # Each batch takes tens of milliseconds; by now the child is inside one of them.
        subprocess.run(["sleep", "0.4"], check=True)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)

        counts = asyncio.run(_stream_sizes(store_url, prefix))

        assert counts, "the child appended nothing before it was killed"
        assert set(counts.values()) == {batch}, f"partial batch left behind: {counts}"


async def _stream_sizes(store_url: str, prefix: str) -> dict[str, int]:
    store = open_store(store_url)
    try:
        sizes: dict[str, int] = {}
        async for event in store.read_all(0):
            if event.stream.startswith(prefix):
                sizes[event.stream] = sizes.get(event.stream, 0) + 1
        return sizes
    finally:
        await store.close()
