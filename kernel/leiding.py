"""Leadership among a service's replicas: the loops that must run once run where the lease is."""

from __future__ import annotations

import abc
import asyncio
import contextlib
import fcntl
import hashlib
import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import psycopg
from psycopg import AsyncConnection

from kernel.background import BackgroundLoop
from kernel.private_files import private_dir

log = logging.getLogger(__name__)


class Lease(abc.ABC):
    """Held by at most one replica of a service at a time, and given up when its holder dies."""

    @abc.abstractmethod
    async def try_acquire(self) -> bool:
        """Take the lease if nobody holds it; never waits for a holder."""

    @abc.abstractmethod
    async def still_held(self) -> bool:
        """Whether the lease taken is still ours (False: it may be someone else's now)."""

    @abc.abstractmethod
    async def release(self) -> None:
        """Give the lease up (nothing when not held)."""


class FileLease(Lease):
    """An exclusive `flock` on a file beside the store: the kernel drops it when the process
    ends, however it ends. For replicas on one machine (or a volume whose locks are shared)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    async def try_acquire(self) -> bool:
        if self._fd is not None:
            return True
        private_dir(self.path.parent)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    async def still_held(self) -> bool:
        return self._fd is not None

    async def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the lock
            self._fd = None


def lease_key(name: str) -> int:
    """A stable signed 64-bit advisory-lock key for a lease name."""
    digest = hashlib.blake2b(f"wvggz-leiding:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class PostgresLease(Lease):
    """A session-level advisory lock on a connection of its own: PostgreSQL drops it when that
    session ends (the holder died, or its connection broke), so another replica can take it."""

    def __init__(self, url: str, name: str) -> None:
        self.url = url
        self.key = lease_key(name)
        self._conn: AsyncConnection[Any] | None = None

    async def try_acquire(self) -> bool:
        if self._conn is not None:
            return True
        conn = await AsyncConnection.connect(
            self.url, autocommit=True, application_name="wvggz-leiding"
        )
        cursor = await conn.execute("SELECT pg_try_advisory_lock(%s)", (self.key,))
        row = await cursor.fetchone()
        if not (row and row[0]):
            await conn.close()
            return False
        self._conn = conn
        return True

    async def still_held(self) -> bool:
        if self._conn is None:
            return False
        try:
            # The lock lives as long as this session: a session that answers still holds it.
            await asyncio.wait_for(self._conn.execute("SELECT 1"), timeout=2.0)
        except (psycopg.Error, OSError, TimeoutError):
            return False
        return True

    async def release(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(psycopg.Error, OSError):
                await conn.close()  # ending the session drops the lock


def open_lease(settings: Any) -> Lease:
    """The lease of the service's replicas: in its PostgreSQL store when it has one, else a
    file lock beside its data."""
    if settings.store == "postgres" and settings.postgres_url:
        return PostgresLease(settings.postgres_url, settings.service_name)
    return FileLease(Path(settings.data_dir) / settings.service_name / "leiding.lock")


class Leiding(BackgroundLoop):
    """Runs the loops that must run once per service (relay, deadline watcher, chain signer,
    retention) in whichever replica holds the lease, and stops them when the lease is lost.

    Taking over is safe while a lost leader may still run for a moment: the relay goes on after
    what the stream already holds (and JetStream drops a repeated message id), and every
    command these loops send has an id derived from what it is about.
    """

    def __init__(
        self,
        lease: Lease,
        loops: Callable[[], Sequence[BackgroundLoop]],
        *,
        interval: float = 1.0,
        on_change: Callable[[bool], None] = lambda _leider: None,
    ) -> None:
        self.lease = lease
        self.loops = loops
        self.interval = interval
        self.on_change = on_change
        self.actief: Sequence[BackgroundLoop] = ()
        """The once-only loops running here; empty while another replica leads."""

    @property
    def leider(self) -> bool:
        """Whether this replica runs the once-only loops now."""
        return bool(self.actief)

    async def neem_over(self) -> bool:
        """Take the lease and start the loops if it is free (also done once at start-up, so a
        single replica has its relay running before it reports ready)."""
        if not self.actief and await self.lease.try_acquire():
            self.actief = tuple(self.loops())
            for loop in self.actief:
                loop.start()
            log.info("this replica leads: it runs the relay and the once-only loops")
            self.on_change(True)
        return self.leider

    async def treed_af(self) -> None:
        """Stop the loops and give the lease up (`stop` only ends the watching of the lease)."""
        actief, self.actief = self.actief, ()
        for loop in actief:
            await loop.stop()
        await self.lease.release()
        if actief:
            self.on_change(False)

    async def _run(self) -> None:
        try:
            while True:
                if not self.actief:
                    await self.neem_over()
                elif not await self.lease.still_held():
                    log.warning("the lease was lost: stopping the once-only loops")
                    await self.treed_af()
                await asyncio.sleep(self.interval)
        except Exception:
            # The lease cannot be checked (its store is unreachable): another replica may lead
            # by now, so stop ours before the supervisor retries.
            await self.treed_af()
            raise
