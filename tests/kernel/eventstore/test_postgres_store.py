"""The PostgreSQL adapter passes the store contract on a real server the tests start, keeps its
global order under concurrent writers, and refuses or exposes changes to stored events."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import psycopg
import pytest

from kernel.eventstore import NO_STREAM, EventStore, RecordedEvent
from kernel.eventstore.factory import open_store
from kernel.eventstore.postgres import LISTENER_NAME, PostgresEventStore
from kernel.eventstore.verification import BEWERKT
from kernel.settings import ServiceSettings
from kernel.testing.postgres import PostgresServer
from tests.kernel.eventstore.contract import EventStoreContract, assert_chained, new_events
from wvggz.verify import verify_url


@pytest.fixture
def store_url(postgres: PostgresServer) -> str:
    """Each test its own database: its own positions, chain, locks and notifications."""
    return postgres.new_database()


class TestPostgresEventStore(EventStoreContract):
    pass


@pytest.fixture
async def store(store_url: str) -> AsyncIterator[EventStore]:
    store = open_store(store_url)
    yield store
    await store.close()


def test_postgres_urls_and_settings_open_the_postgres_adapter() -> None:
    url = "postgresql://wvggz@db:5432/meldpunt"

    assert isinstance(open_store(url), PostgresEventStore)
    assert isinstance(open_store("postgres://u@db/wvggz"), PostgresEventStore)
    assert ServiceSettings(store="postgres", postgres_url=url).store_url == url
    with pytest.raises(ValueError, match="WVGGZ_POSTGRES_URL"):
        _ = ServiceSettings(store="postgres").store_url


async def test_concurrent_writers_never_let_a_reader_see_a_later_position_first(
    store_url: str,
) -> None:
    writers, appends = 8, 50
    total = writers * appends
    appender = PostgresEventStore(store_url, max_connections=writers)
    reader = PostgresEventStore(store_url)
    polled: list[int] = []

    async def poll() -> None:
        """Reads as fast as it can: a gap that closes later would show as a skipped position."""
        while len(polled) < total:
            polled.extend([e.position async for e in reader.read_all(polled[-1] if polled else 0)])

    async def subscribe() -> list[int]:
        seen = []
        async for event in reader.subscribe(0):
            seen.append(event.position)
            if len(seen) == total:
                return seen
        return seen

    async def write(n: int) -> None:
        for version in range(appends):
            await appender.append(f"w{n}", new_events(1), version - 1)

    try:
        await appender.last_position()  # the schema exists before the readers start
        subscriber, poller = asyncio.create_task(subscribe()), asyncio.create_task(poll())
        await asyncio.sleep(0.05)
        await asyncio.gather(*(write(n) for n in range(writers)))
        seen = await asyncio.wait_for(subscriber, timeout=20)
        await asyncio.wait_for(poller, timeout=20)
        events = [e async for e in reader.read_all(0)]
    finally:
        await appender.close()
        await reader.close()

    assert seen == list(range(1, total + 1))
    assert polled == list(range(1, total + 1))
    assert_chained(None, events)
    assert {e.stream for e in events} == {f"w{n}" for n in range(writers)}


async def test_an_append_through_one_store_reaches_another_stores_subscription(
    store_url: str,
) -> None:
    """Two stores are two processes' view: only the NOTIFY can wake the other one this fast."""
    writer = PostgresEventStore(store_url)
    follower = PostgresEventStore(store_url, poll_interval=60)
    received: list[RecordedEvent] = []
    caught_up = asyncio.Event()

    async def follow() -> None:
        async for event in follower.subscribe(0):
            received.append(event)
            caught_up.set()
            if len(received) == 3:
                return

    try:
        await writer.append("melding-1", new_events(1), NO_STREAM)
        following = asyncio.create_task(follow())
        await asyncio.wait_for(caught_up.wait(), timeout=5)
        await writer.append("melding-1", new_events(2), 0)
        await asyncio.wait_for(following, timeout=5)
    finally:
        await writer.close()
        await follower.close()

    assert [(e.stream, e.version) for e in received] == [("melding-1", v) for v in range(3)]


async def test_a_lost_listener_connection_does_not_stall_a_subscriber(
    postgres: PostgresServer, store_url: str
) -> None:
    writer = PostgresEventStore(store_url)
    follower = PostgresEventStore(store_url, poll_interval=0.2)
    received: list[int] = []
    caught_up = asyncio.Event()

    async def follow() -> None:
        async for event in follower.subscribe(0):
            received.append(event.version)
            caught_up.set()
            if len(received) == 2:
                return

    try:
        await writer.append("melding-1", new_events(1), NO_STREAM)
        following = asyncio.create_task(follow())
        await asyncio.wait_for(caught_up.wait(), timeout=5)
        with psycopg.connect(postgres.url, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE application_name = %s",
                (LISTENER_NAME,),
            )
        await writer.append("melding-1", new_events(1), 0)
        await asyncio.wait_for(following, timeout=5)
    finally:
        await writer.close()
        await follower.close()

    assert received == [0, 1]


async def test_opening_twice_at_once_on_an_empty_database_makes_the_schema_once(
    store_url: str,
) -> None:
    first, second = PostgresEventStore(store_url), PostgresEventStore(store_url)
    try:
        heads = await asyncio.gather(first.last_position(), second.last_position())
        assert list(heads) == [0, 0]
        await first.append("melding-1", new_events(2), NO_STREAM)
        await second.append("melding-1", new_events(1), 1)
        assert_chained(None, [e async for e in first.read_all()])
    finally:
        await first.close()
        await second.close()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE events SET data = '{}'",
        "DELETE FROM events",
        "UPDATE events SET stream = 'x'",
        "TRUNCATE events",
    ],
)
async def test_the_database_refuses_to_change_stored_events(
    store: EventStore, store_url: str, statement: str
) -> None:
    await store.append("melding-1", new_events(2), NO_STREAM)

    with (
        psycopg.connect(store_url, autocommit=True) as conn,
        pytest.raises(psycopg.errors.RaiseException, match="events are immutable"),
    ):
        conn.execute(statement)

    assert await store.last_position() == 2


async def test_the_chain_verifies_and_a_superuser_edit_past_the_trigger_is_named(
    store: EventStore, store_url: str
) -> None:
    for n in range(3):
        await store.append(f"melding-{n}", new_events(2), NO_STREAM)
    said: list[str] = []

    clean = await verify_url(store_url, "meldpunt", [], None, said.append)
    with psycopg.connect(store_url, autocommit=True) as superuser:
        superuser.execute("SET session_replication_role = replica")  # user triggers do not fire
        superuser.execute(
            """UPDATE events SET data = '{"n":0,"tekst":"twee"}' WHERE position = 3"""
        )
    edited = await verify_url(store_url, "meldpunt", [], None, said.append)

    assert (clean.events, clean.broken) == (6, None)
    assert clean.head == (await store.last_event()).chain.hash  # type: ignore[union-attr]
    assert edited.broken is not None
    assert (edited.broken.position, edited.broken.kind) == (3, BEWERKT)
