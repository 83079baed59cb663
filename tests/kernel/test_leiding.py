"""One replica at a time holds a service's lease and runs its once-only loops; a dead or cut-off
holder loses it to the next, on a file lock and on a real PostgreSQL."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from kernel.background import BackgroundLoop
from kernel.leiding import FileLease, Lease, Leiding, PostgresLease, lease_key, open_lease
from kernel.settings import ServiceSettings
from kernel.testing.postgres import PostgresServer


class Teller(BackgroundLoop):
    """A once-only loop that counts its turns."""

    def __init__(self) -> None:
        self.turns = 0

    async def _run(self) -> None:
        while True:
            self.turns += 1
            await asyncio.sleep(0.01)


def leiding(lease: Lease, teller: Teller, changes: list[bool] | None = None) -> Leiding:
    seen = changes if changes is not None else []
    return Leiding(lease, lambda: [teller], interval=0.05, on_change=seen.append)


async def test_a_file_lease_is_held_by_one_holder_until_it_is_released(tmp_path: Path) -> None:
    first, second = FileLease(tmp_path / "l.lock"), FileLease(tmp_path / "l.lock")

    assert await first.try_acquire()
    assert await first.try_acquire()  # taking it again changes nothing
    assert not await second.try_acquire()
    await first.release()
    assert await second.try_acquire()
    assert not await first.still_held()
    await second.release()


def test_a_file_lease_is_free_again_when_its_holder_is_killed(tmp_path: Path) -> None:
    path = tmp_path / "l.lock"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import asyncio, sys, time\n"
            "from pathlib import Path\n"
            "from kernel.leiding import FileLease\n"
            f"assert asyncio.run(FileLease(Path({str(path)!r})).try_acquire())\n"
            "print('held', flush=True)\n"
            "time.sleep(60)\n",
        ],
        stdout=subprocess.PIPE,
        cwd=Path(__file__).parents[2],
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
        lease = FileLease(path)
        assert not asyncio.run(lease.try_acquire())
        holder.send_signal(signal.SIGKILL)
        holder.wait()
        assert asyncio.run(lease.try_acquire())
        asyncio.run(lease.release())
    finally:
        holder.kill()
        holder.wait()


async def test_only_the_lease_holder_runs_the_loops_and_the_next_takes_over(
    tmp_path: Path,
) -> None:
    path = tmp_path / "l.lock"
    a_loop, b_loop = Teller(), Teller()
    a_changes: list[bool] = []
    a, b = leiding(FileLease(path), a_loop, a_changes), leiding(FileLease(path), b_loop)

    assert await a.neem_over()
    assert not await b.neem_over()
    a.start()
    b.start()
    await asyncio.sleep(0.2)
    assert a.leider and a_loop.running and a_loop.turns > 0
    assert not b.leider and b_loop.turns == 0

    await a.stop()
    assert a_loop.running, "stopping the watch alone leaves the loops to the shutdown"
    await a.treed_af()
    assert not a_loop.running and a_changes == [True, False]
    for _ in range(100):
        if b.leider:
            break
        await asyncio.sleep(0.02)
    assert b.leider and b_loop.running
    await b.stop()
    await b.treed_af()
    assert not b_loop.running


class Verloren(Lease):
    """A lease whose holder is cut off after taking it (its store no longer knows it)."""

    def __init__(self) -> None:
        self.released = False

    async def try_acquire(self) -> bool:
        return not self.released

    async def still_held(self) -> bool:
        return False

    async def release(self) -> None:
        self.released = True


async def test_a_lost_lease_stops_the_loops_and_gives_it_up() -> None:
    teller, lease = Teller(), Verloren()
    changes: list[bool] = []
    lead = leiding(lease, teller, changes)
    lead.start()
    for _ in range(100):
        if lease.released:
            break
        await asyncio.sleep(0.02)
    assert lease.released and changes == [True, False]
    assert not teller.running and not lead.leider
    await lead.stop()


class Onbereikbaar(Lease):
    """A lease whose store cannot be reached once taken."""

    def __init__(self) -> None:
        self.released = False

    async def try_acquire(self) -> bool:
        return True

    async def still_held(self) -> bool:
        raise OSError("connection refused")

    async def release(self) -> None:
        self.released = True


async def test_a_lease_that_cannot_be_checked_stops_the_loops_before_trying_again() -> None:
    teller, lease = Teller(), Onbereikbaar()
    lead = leiding(lease, teller)
    assert await lead.neem_over()
    lead.start()
    for _ in range(100):
        if lease.released:
            break
        await asyncio.sleep(0.02)
    assert lease.released and not teller.running
    await lead.stop()


async def test_a_postgres_lease_is_one_holders_and_freed_when_its_session_ends(
    postgres: PostgresServer,
) -> None:
    url = postgres.new_database()
    first, second = PostgresLease(url, "meldpunt"), PostgresLease(url, "meldpunt")
    other_service = PostgresLease(url, "onderzoek")

    assert await first.try_acquire()
    assert not await second.try_acquire()
    assert await other_service.try_acquire()
    assert await first.still_held()

    # The holder dies as far as PostgreSQL can tell: its session is ended by the server.
    with psycopg.connect(url, autocommit=True) as admin:
        [(holder,)] = admin.execute(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = %s",
            (lease_key("meldpunt") & 0xFFFFFFFF,),
        ).fetchall()
        admin.execute("SELECT pg_terminate_backend(%s)", (holder,))
    assert not await first.still_held()
    assert await second.try_acquire()
    for lease in (first, second, other_service):
        await lease.release()


def test_the_lease_lives_in_the_postgres_store_or_beside_the_data(tmp_path: Path) -> None:
    url = "postgresql://wvggz@db/meldpunt"
    in_postgres = open_lease(
        ServiceSettings(service_name="meldpunt", store="postgres", postgres_url=url)
    )
    on_file = open_lease(ServiceSettings(service_name="meldpunt", data_dir=tmp_path))

    assert isinstance(in_postgres, PostgresLease) and in_postgres.url == url
    assert isinstance(on_file, FileLease)
    assert on_file.path == tmp_path / "meldpunt" / "leiding.lock"


@pytest.mark.parametrize("replica", [1, 2, 3])
def test_each_replica_keeps_views_and_checkpoints_of_its_own(tmp_path: Path, replica: int) -> None:
    settings = ServiceSettings(service_name="crisis", data_dir=tmp_path, replica=replica)
    own = tmp_path / "crisis" if replica == 1 else tmp_path / "crisis" / f"replica-{replica}"

    assert settings.views_path == own / "views.db"
    assert settings.checkpoint_path == own / "checkpoints.db"
    assert settings.store_path == tmp_path / "crisis" / "events.db"
