"""The KurrentDB adapter without a server: its mapping helpers, and its logic over a fake client.

The fake models only the server behaviour the adapter relies on, as the kurrentdbclient
documentation describes it: forward reads of `$all` include the event at the given commit
position, backward reads and subscriptions exclude it, an unknown commit position is refused,
appends are idempotent on event ids within a stream, and event ids are not unique across
streams. The real server is covered by test_kurrentdb_store.py when WVGGZ_KURRENTDB_URL is set.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
import uuid
from collections.abc import AsyncIterator, Iterable, Sequence
from datetime import UTC, datetime
from typing import Literal, NoReturn

import kurrentdbclient as kdb
import pytest
from kurrentdbclient.exceptions import (
    CancelledByClientError,
    InvalidCommitPositionError,
    NotFoundError,
    ServiceUnavailableError,
    WrongCurrentVersionError,
)

from kernel.eventstore import (
    ANY_VERSION,
    NO_STREAM,
    EventStoreError,
    NewEvent,
    WrongExpectedVersion,
)
from kernel.eventstore.factory import open_store
from kernel.eventstore.kurrentdb import (
    KurrentDbEventStore,
    actual_version,
    expected_state,
    is_system_event,
    to_new_event,
    to_recorded_event,
)
from tests.kernel.eventstore.contract import EventStoreContract, new_events

URL = "kurrentdb://127.0.0.1:2113?tls=false"


def recorded(
    *,
    type_: str = "nl.wvggz.test.iets-gebeurd.v1",
    stream: str = "melding-1",
    data: bytes = b'{"n":1}',
    metadata: bytes = b"",
    recorded_at: datetime | None = datetime(2025, 3, 1, 12, 0, tzinfo=UTC),
    event_id: uuid.UUID | None = None,
) -> kdb.RecordedEvent:
    return kdb.RecordedEvent(
        type=type_,
        data=data,
        metadata=metadata,
        content_type="application/json",
        id=event_id or uuid.uuid4(),
        stream_name=stream,
        stream_position=3,
        commit_position=18_446,
        prepare_position=18_446,
        recorded_at=recorded_at,
    )


# --- pure mapping ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [(NO_STREAM, kdb.StreamState.NO_STREAM), (ANY_VERSION, kdb.StreamState.ANY), (0, 0), (7, 7)],
)
def test_expected_versions_map_to_stream_states_or_positions(
    ours: int, theirs: int | kdb.StreamState
) -> None:
    assert expected_state(ours) == theirs


def test_an_expected_version_below_any_is_refused() -> None:
    with pytest.raises(ValueError, match="not an expected version"):
        expected_state(-3)


@pytest.mark.parametrize(
    ("reported", "actual"),
    [(4, 4), (0, 0), (-1, NO_STREAM), (kdb.StreamState.NO_STREAM, NO_STREAM), (None, None)],
)
def test_the_actual_version_is_read_from_the_refusal(
    reported: int | kdb.StreamState | None, actual: int | None
) -> None:
    refused = WrongCurrentVersionError("nope", stream_name="s", actual_version=reported)

    assert actual_version(refused) == actual


def test_a_new_event_keeps_its_id_and_travels_as_utf8_json() -> None:
    event = NewEvent(uuid.uuid4(), "nl.wvggz.test.gemeld.v1", {"tekst": "één"}, {"g": "GM0402"})

    theirs = to_new_event(event)

    assert theirs.id == event.event_id
    assert theirs.type == "nl.wvggz.test.gemeld.v1"
    assert theirs.content_type == "application/json"
    assert json.loads(theirs.data) == {"tekst": "één"}
    assert "één".encode() in theirs.data
    assert json.loads(theirs.metadata) == {"g": "GM0402"}


def test_a_recorded_event_maps_positions_versions_and_time() -> None:
    theirs = recorded(metadata=b'{"gemeente":"GM0402"}')

    ours = to_recorded_event(theirs)

    assert ours.event_id == theirs.id
    assert ours.stream == "melding-1"
    assert ours.version == 3
    assert ours.position == 18_446
    assert ours.type == "nl.wvggz.test.iets-gebeurd.v1"
    assert ours.data == {"n": 1}
    assert ours.metadata == {"gemeente": "GM0402"}
    assert ours.recorded_at == datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
    assert ours.recorded_at.tzinfo is not None


def test_empty_metadata_and_an_unreported_time_still_map() -> None:
    ours = to_recorded_event(recorded(metadata=b"", recorded_at=None))

    assert ours.metadata == {}
    assert ours.recorded_at.tzinfo is not None


@pytest.mark.parametrize("data", [b"\x00\x01", b"[1, 2]"])
def test_data_that_is_not_a_json_object_is_an_event_store_error(data: bytes) -> None:
    with pytest.raises(EventStoreError, match="data is not"):
        to_recorded_event(recorded(data=data))


@pytest.mark.parametrize(
    ("type_", "stream", "system"),
    [
        ("nl.wvggz.test.gemeld.v1", "melding-1", False),
        ("$>", "$ce-melding", True),
        ("$metadata", "$$melding-1", True),
        ("PersistentConfig1", "$persistentSubscriptionConfig", True),
        ("$statsCollected", "$stats-127.0.0.1:2113", True),
    ],
)
def test_system_events_are_recognised_by_type_or_stream(
    type_: str, stream: str, system: bool
) -> None:
    assert is_system_event(recorded(type_=type_, stream=stream)) is system


# --- construction and guards (no server contact) --------------------------------------------


async def test_the_factory_opens_the_adapter_for_a_kurrentdb_url_and_close_needs_no_server() -> (
    None
):
    store = open_store(URL)

    assert isinstance(store, KurrentDbEventStore)
    await store.close()
    await store.close()


def test_a_find_window_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="find_window"):
        KurrentDbEventStore(URL, find_window=0)


async def test_bad_appends_are_refused_before_the_server_is_asked() -> None:
    store = KurrentDbEventStore(URL)
    with pytest.raises(ValueError, match="at least one event"):
        await store.append("s", [], NO_STREAM)
    with pytest.raises(ValueError, match="not an expected version"):
        await store.append("s", new_events(1), -5)
    await store.close()
    with pytest.raises(EventStoreError, match="closed"):
        await store.append("s", new_events(1), NO_STREAM)
    assert [e async for e in store.subscribe(0)] == []


# --- the adapter's logic over a fake server -------------------------------------------------


class FakeResponse:
    """A finished read: events handed out one by one until stopped."""

    def __init__(self, events: Iterable[kdb.RecordedEvent]) -> None:
        self._events = list(events)
        self.stopped = False

    def __aiter__(self) -> FakeResponse:
        return self

    async def __anext__(self) -> kdb.RecordedEvent:
        if self.stopped or not self._events:
            self.stopped = True
            raise StopAsyncIteration
        return self._events.pop(0)

    async def stop(self) -> None:
        self.stopped = True


class FakeSubscription:
    """A catch-up subscription: everything after a position, then new events as they come."""

    def __init__(self, server: FakeKurrentDB, after: int | None, fail_after: int | None) -> None:
        self._server = server
        self._after = after
        self._fail_after = fail_after
        self.stopped = False

    def __aiter__(self) -> FakeSubscription:
        return self

    async def __anext__(self) -> kdb.RecordedEvent:
        while True:
            if self._server.closed:
                raise CancelledByClientError
            if self.stopped:
                raise StopAsyncIteration
            if self._fail_after is not None:
                if self._fail_after == 0:
                    raise ServiceUnavailableError("connection lost")
                self._fail_after -= 1
            woken = self._server.appended
            for event in self._server.all_filtered(self._server.default_filter):
                if self._after is None or event.commit_position > self._after:
                    self._after = event.commit_position
                    return event
            await woken.wait()

    async def stop(self) -> None:
        self.stopped = True


class FakeKurrentDB:
    """The parts of AsyncKurrentDBClient the adapter uses, over an in-memory log."""

    default_filter = kdb.DEFAULT_EXCLUDE_FILTER

    def __init__(self) -> None:
        self.log: list[kdb.RecordedEvent] = []
        self.appended = asyncio.Event()
        self.closed = False
        self.subscription_failures = 0
        self.subscriptions: list[FakeSubscription] = []
        self.reads: list[FakeResponse] = []
        self._commit_position = 0
        self._record("$stats-127.0.0.1:2113", "$statsCollected", uuid.uuid4(), b"{}", b"")
        self._record("$users", "UserCreated", uuid.uuid4(), b"{}", b"")

    def _record(
        self, stream: str, type_: str, event_id: uuid.UUID, data: bytes, metadata: bytes
    ) -> kdb.RecordedEvent:
        self._commit_position += 117 + len(data)  # positions grow, with gaps
        event = kdb.RecordedEvent(
            type=type_,
            data=data,
            metadata=metadata,
            content_type="application/json",
            id=event_id,
            stream_name=stream,
            stream_position=sum(e.stream_name == stream for e in self.log),
            commit_position=self._commit_position,
            prepare_position=self._commit_position,
            recorded_at=datetime.now(UTC),
        )
        self.log.append(event)
        return event

    def _stream(self, stream: str) -> list[kdb.RecordedEvent]:
        return [e for e in self.log if e.stream_name == stream]

    def all_filtered(self, exclude: Sequence[str]) -> list[kdb.RecordedEvent]:
        regex = "^(?!(" + "|".join(s + "$" for s in exclude) + "))"
        return [e for e in self.log if re.match(regex, e.type)]

    async def append_to_stream(
        self,
        stream_name: str,
        *,
        events: Iterable[kdb.NewEvent],
        # The adapter never expects StreamState.EXISTS (see expected_state), so neither does this.
        current_version: int | Literal[kdb.StreamState.ANY, kdb.StreamState.NO_STREAM],
    ) -> int:
        await asyncio.sleep(0)  # let concurrent callers interleave, as over the network
        new = list(events)  # from here on the check and the write are one atomic step
        stored = self._stream(stream_name)
        ids = [e.id for e in new]
        if current_version is not kdb.StreamState.ANY:  # idempotent at the same place
            start = 0 if current_version is kdb.StreamState.NO_STREAM else int(current_version) + 1
            same_place = stored[start : start + len(new)]
            if [e.id for e in same_place] == ids:
                return same_place[-1].commit_position
        current = stored[-1].stream_position if stored else -1
        wanted = -1 if current_version is kdb.StreamState.NO_STREAM else current_version
        if current_version is not kdb.StreamState.ANY and wanted != current:
            raise WrongCurrentVersionError(
                "wrong version",
                stream_name=stream_name,
                actual_version=current,
                expected_version=current_version,
            )
        last = [self._record(stream_name, e.type, e.id, e.data, e.metadata) for e in new][-1]
        category = stream_name.split("-", 1)[0]
        self._record(f"$ce-{category}", "$>", uuid.uuid4(), b"0@" + stream_name.encode(), b"")
        woken, self.appended = self.appended, asyncio.Event()
        woken.set()
        return last.commit_position

    async def get_stream(
        self, stream_name: str, *, stream_position: int | None = None, limit: int = sys.maxsize
    ) -> tuple[kdb.RecordedEvent, ...]:
        stored = self._stream(stream_name)
        if not stored:
            raise NotFoundError(f"Stream {stream_name!r} not found")
        start = stream_position or 0
        return tuple(stored[start : start + limit])

    async def get_current_version(self, stream_name: str) -> int | kdb.StreamState:
        stored = self._stream(stream_name)
        return stored[-1].stream_position if stored else kdb.StreamState.NO_STREAM

    async def read_all(
        self,
        *,
        commit_position: int | None = None,
        backwards: bool = False,
        limit: int = sys.maxsize,
        filter_exclude: Sequence[str] = kdb.DEFAULT_EXCLUDE_FILTER,
    ) -> FakeResponse:
        if commit_position is not None and all(
            e.commit_position != commit_position for e in self.log
        ):
            raise InvalidCommitPositionError(commit_position)
        events = self.all_filtered(filter_exclude)
        if backwards:
            events = [
                e
                for e in reversed(events)
                if commit_position is None or e.commit_position < commit_position
            ]
        else:
            events = [
                e for e in events if commit_position is None or e.commit_position >= commit_position
            ]
        response = FakeResponse(events[:limit])
        self.reads.append(response)
        return response

    async def subscribe_to_all(self, *, commit_position: int | None = None) -> FakeSubscription:
        if commit_position is not None and all(
            e.commit_position != commit_position for e in self.log
        ):
            raise InvalidCommitPositionError(commit_position)
        fail_after = None
        if self.subscription_failures:
            self.subscription_failures -= 1
            fail_after = 1
        subscription = FakeSubscription(self, commit_position, fail_after)
        self.subscriptions.append(subscription)
        return subscription

    async def close(self) -> None:
        self.closed = True
        self.appended.set()


def over_fake(**options: float) -> tuple[KurrentDbEventStore, FakeKurrentDB]:
    store = KurrentDbEventStore(URL, **options)  # type: ignore[arg-type]
    fake = FakeKurrentDB()
    store._client = fake  # type: ignore[assignment]
    return store, fake


class TestAdapterOverAFakeServer(EventStoreContract):
    """The shared contract, run against the adapter's logic with the fake in place of a server."""

    @pytest.fixture
    def store_url(self) -> str:
        return URL

    @pytest.fixture
    async def store(self) -> AsyncIterator[KurrentDbEventStore]:
        store, _fake = over_fake()
        yield store
        await store.close()

    def test_a_process_killed_mid_append_leaves_no_partial_batch(
        self, store_url: str, prefix: str
    ) -> None:
        pytest.skip("needs a real server shared with a child process")


async def test_read_all_skips_system_events_and_pages_without_repeats() -> None:
    store, fake = over_fake()
    await store.append("melding-1", new_events(3), NO_STREAM)
    await store.append("melding-2", new_events(2), NO_STREAM)

    everything = [e async for e in store.read_all(0, limit=1)]

    assert [(e.stream, e.version) for e in everything] == [
        ("melding-1", 0), ("melding-1", 1), ("melding-1", 2), ("melding-2", 0), ("melding-2", 1),
    ]  # fmt: skip
    assert all(r.stopped for r in fake.reads)
    assert await store.last_position() == everything[-1].position
    assert [e async for e in store.read_all(everything[-1].position)] == []


async def test_an_empty_store_reads_nothing_and_is_at_position_zero() -> None:
    store, _fake = over_fake()

    assert [e async for e in store.read_all()] == []
    assert await store.last_position() == 0
    assert await store.find(uuid.uuid4()) is None


async def test_a_retry_found_in_the_window_returns_the_original_position_whatever_it_expects() -> (
    None
):
    store, _fake = over_fake()
    events = new_events(3)
    first = await store.append("melding-1", events, NO_STREAM)
    await store.append("melding-2", new_events(1), NO_STREAM)

    again = await store.append("melding-1", events, ANY_VERSION)

    assert again == first
    assert len(await store.read("melding-1")) == 3


async def test_a_retry_older_than_the_window_relies_on_kurrentdb_idempotency() -> None:
    store, _fake = over_fake(find_window=1)
    events = new_events(2)
    first = await store.append("melding-1", events, NO_STREAM)
    await store.append("melding-2", new_events(1), NO_STREAM)

    assert await store.find(events[0].event_id) is None  # out of the window
    assert await store.append("melding-1", events, NO_STREAM) == first
    assert len(await store.read("melding-1")) == 2


async def test_part_of_a_batch_stored_already_is_refused() -> None:
    store, _fake = over_fake()
    events = new_events(2)
    await store.append("melding-1", events[:1], NO_STREAM)

    with pytest.raises(EventStoreError, match="not as this same batch"):
        await store.append("melding-1", events, 0)


async def test_a_refusal_without_an_actual_version_looks_the_stream_up() -> None:
    store, fake = over_fake()
    await store.append("melding-1", new_events(2), NO_STREAM)

    async def refuse(
        stream_name: str,
        *,
        events: Iterable[kdb.NewEvent],
        current_version: int | kdb.StreamState,
    ) -> NoReturn:
        raise WrongCurrentVersionError("refused", stream_name=stream_name)

    fake.append_to_stream = refuse  # type: ignore[method-assign]
    with pytest.raises(WrongExpectedVersion) as refused:
        await store.append("melding-1", new_events(1), 0)

    assert (refused.value.expected, refused.value.actual) == (0, 1)


async def test_a_lost_subscription_resumes_after_the_last_event_without_repeats() -> None:
    store, fake = over_fake(resubscribe_delay=0)
    fake.subscription_failures = 2
    await store.append("melding-1", new_events(4), NO_STREAM)

    received: list[int] = []
    async for event in store.subscribe(0):
        received.append(event.data["n"])
        if len(received) == 4:
            break

    assert received == [0, 1, 2, 3]
    assert len(fake.subscriptions) == 3


async def test_closing_the_store_ends_a_waiting_subscription() -> None:
    store, _fake = over_fake()
    await store.append("melding-1", new_events(1), NO_STREAM)
    received: list[int] = []

    async def follow() -> None:
        async for event in store.subscribe(0):
            received.append(event.version)

    follower = asyncio.create_task(follow())
    await asyncio.sleep(0.05)
    await store.close()
    await asyncio.wait_for(follower, timeout=2)

    assert received == [0]
