"""Two meldpunt processes on one store (PostgreSQL, and SQLite on one machine): they share the
commands, each keeps views of its own, one relays; the leader SIGKILLed under load loses and
duplicates nothing."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import psycopg
import pytest

from kernel.testing.postgres import PostgresServer
from tests.integration.faults import (
    MELDING_ONTVANGEN,
    Sender,
    Stored,
    StreamTap,
    batch,
    connect,
    metric,
    ready,
    sigkill,
    steady,
    store_path,
    stored_events,
    tally,
    wait_until,
)
from tests.integration.platforms import local_platform
from wvggz.runner import Platform, PlatformError

pytestmark = [pytest.mark.integration, pytest.mark.slow]

REPLICAS = ("meldpunt", "meldpunt.2")
TAKEOVER_BOUND_S = 5.0
"""Leader SIGKILLed → the other replica leads (its lease check runs every second; PostgreSQL
ends the dead session at once, since the kernel closes its socket, as it drops a flock)."""
RELAY_CATCH_UP_S = 30.0


@pytest.fixture(params=["postgres", "sqlite"])
def store_url(request: pytest.FixtureRequest, postgres: PostgresServer) -> str | None:
    """The shared PostgreSQL database, or None: the SQLite file in the data folder."""
    return postgres.new_database() if request.param == "postgres" else None


@pytest.fixture
def platform(tmp_path: Path, store_url: str | None) -> Iterator[Platform]:
    platform = local_platform(tmp_path / "var", ("meldpunt",), replicas={"meldpunt": 2})
    if store_url:
        platform.extra_env |= {"WVGGZ_STORE": "postgres", "WVGGZ_POSTGRES_URL": store_url}
    platform.start(timeout=60)
    try:
        yield platform
    finally:
        platform.stop()


@pytest.fixture
async def triagist(platform: Platform) -> AsyncIterator[Sender]:
    connection = platform.connection()
    client = await connect(connection)
    token = await asyncio.to_thread(connection.token, "triagist.gm0402")
    yield Sender(client, token)
    await client.close()


def leaders(platform: Platform) -> list[str]:
    """The replicas that say they hold the lease (one that does not answer does not)."""
    return [r for r in REPLICAS if platform.exit_code(r) is None and _leads(platform, r)]


def _leads(platform: Platform, replica: str) -> bool:
    try:
        return metric(platform, replica, "wvggz_meldpunt_leider") == 1
    except OSError:
        return False


def handled(platform: Platform, replica: str) -> float:
    return metric(
        platform, replica, "wvggz_meldpunt_commands_handled_total", command="registreer-melding"
    )


def stored(platform: Platform, url: str | None) -> list[Stored]:
    """Every event in the meldpunt's store."""
    if url is None:
        return stored_events(store_path(platform, "meldpunt"))
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT position, event_id::text, stream, type, metadata::text, data::text"
            " FROM events ORDER BY position"
        ).fetchall()
    return [
        Stored(position, event_id, stream, type_, json.loads(meta).get("causation_id"), {})
        for position, event_id, stream, type_, meta, _data in rows
    ]


def meldingen_in_views(platform: Platform, replica: str) -> int:
    """Rows of the werkvoorraad in one replica's own views file."""
    folder = platform.data_dir / "meldpunt"
    path = folder / "views.db" if replica == "meldpunt" else folder / "replica-2" / "views.db"
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        [(count,)] = conn.execute(
            "SELECT count(*) FROM view_rows WHERE view = 'werkvoorraad'"
        ).fetchall()
    finally:
        conn.close()
    return int(count)


async def views_hold(platform: Platform, replica: str, count: int) -> bool:
    return await asyncio.to_thread(meldingen_in_views, platform, replica) >= count


async def test_replicas_share_the_commands_keep_their_own_views_and_one_relays(
    platform: Platform, triagist: Sender, store_url: str | None
) -> None:
    assert len(leaders(platform)) == 1

    sent = await batch(8, 60, triagist.registreer_melding)

    assert all(handled(platform, r) > 0 for r in REPLICAS), "the queue group shares the load"
    for replica in REPLICAS:
        assert await wait_until(lambda r=replica: views_hold(platform, r, 60), 10) is not None  # type: ignore[misc]
    observer = await connect(platform.connection(), "bootstrap")
    try:
        tap = StreamTap(observer.jetstream(), 1)
        ids = {e for s in sent for e in s.event_ids}
        assert await wait_until(lambda: tap.holds(ids), RELAY_CATCH_UP_S) is not None
        counts = tally(sent, stored(platform, store_url), await tap.catch_up(), MELDING_ONTVANGEN)
    finally:
        await observer.close()
    assert (counts.lost, counts.duplicated) == (0, 0), counts.problems
    relayed = [metric(platform, r, "wvggz_meldpunt_events_relayed_total") for r in REPLICAS]
    assert sorted(relayed) == [0, len(ids)], "only the leader relays"


async def test_the_leader_killed_under_load_loses_and_duplicates_nothing(
    platform: Platform, triagist: Sender, store_url: str | None
) -> None:
    [leader] = leaders(platform)
    [follower] = [r for r in REPLICAS if r != leader]
    observer = await connect(platform.connection(), "bootstrap")
    tap = await StreamTap.at_end(observer.jetstream())
    stop = asyncio.Event()
    load = asyncio.create_task(steady(4, triagist.registreer_melding, stop))
    try:
        await asyncio.sleep(1.5)
        killed_at = sigkill(platform, leader)
        took_over = await wait_until(
            lambda: asyncio.to_thread(lambda: leaders(platform) == [follower]), TAKEOVER_BOUND_S
        )
        await asyncio.sleep(1.5)
    finally:
        stop.set()
        sent = await load
    try:
        assert took_over is not None, f"{follower} did not take over within {TAKEOVER_BOUND_S} s"
        ids = {e for s in sent for e in s.event_ids}
        await wait_until(lambda: tap.holds(ids), RELAY_CATCH_UP_S)
        counts = tally(sent, stored(platform, store_url), await tap.catch_up(), MELDING_ONTVANGEN)
        after_kill = [s for s in sent if s.acked > killed_at]
        assert (counts.lost, counts.duplicated) == (0, 0), counts.problems
        assert after_kill, "commands went on after the kill"
        print(
            f"\n{len(sent)} commands ({len(after_kill)} after the kill,"
            f" {sum(s.attempts > 1 for s in sent)} retried); {follower} led after"
            f" {took_over - killed_at:.2f} s"
        )

        # The killed replica comes back as a follower and catches its own views up.
        platform.restart(leader)
        await ready(platform, leader, within=30)
        assert leaders(platform) == [follower]
        assert await wait_until(lambda: views_hold(platform, leader, len(sent)), 15) is not None
    finally:
        await observer.close()


def test_a_service_that_keeps_state_beside_its_store_runs_as_one_process(tmp_path: Path) -> None:
    with pytest.raises(PlatformError, match="notificaties runs as one process only"):
        local_platform(tmp_path, ("notificaties",), replicas={"notificaties": 2})
    with pytest.raises(PlatformError, match="not a service this platform runs"):
        local_platform(tmp_path, ("meldpunt",), replicas={"crisis": 2})
    with pytest.raises(PlatformError, match="17 is not 1 to 16"):
        local_platform(tmp_path, ("meldpunt",), replicas={"meldpunt": 17})
