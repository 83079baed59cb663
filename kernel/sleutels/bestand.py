"""The embedded key store: data keys in an owner-only SQLite file, each wrapped by a master key.

The master key (32 random bytes, base64 in a file of its own) is what makes a copy of the
store's file worthless on its own: keep it apart from the data's backups. Destroying a key
overwrites its row (`secure_delete`, with a rollback journal deleted after each write), so no
copy of the wrapped key stays in the files; what a backup of the store still holds is for the
backup's own rotation to end (README, "Personal data": keep the master key apart).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Collection
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kernel.private_files import private_database, private_dir
from kernel.settings import ServiceSettings
from kernel.sleutels.kluis import Sleutelkluis, SleutelVernietigd

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sleutels (
    id TEXT PRIMARY KEY, gewikkeld BLOB, gemaakt_op TEXT NOT NULL, vernietigd_op TEXT);
CREATE TABLE IF NOT EXISTS koppelingen (
    idx TEXT NOT NULL, sleutel TEXT NOT NULL, PRIMARY KEY (idx, sleutel)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS vernietigingen (id INTEGER PRIMARY KEY CHECK (id = 1), aantal INTEGER);
INSERT OR IGNORE INTO vernietigingen VALUES (1, 0);
"""

ONTHOUDEN = 100_000
"""How many keys, links and absences a process remembers before it starts over (memory stays
bounded in a long-running process; what is forgotten is read again when needed)."""

NAKIJKEN_S = 0.05
"""How long a process may answer from memory before it looks for destructions elsewhere."""

_INDEX_GEHEIM = "#index"
"""The row holding the secret of the BSN index (a name no case stream can have)."""


def hoofdsleutel(path: Path) -> bytes:
    """The master key in this file (base64 of 32 bytes), made (0600) when it does not exist."""
    if not path.exists():
        private_dir(path.parent)
        # Written whole beside it, then linked in: services starting together agree on one.
        draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            out.write(base64.b64encode(AESGCM.generate_key(256)) + b"\n")
            out.flush()
            os.fsync(out.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(draft, path)
        draft.unlink()
    if path.stat().st_mode & 0o077:
        raise PermissionError(f"{path}: the master key may be readable by its owner only")
    key = base64.b64decode(path.read_bytes().strip(), validate=True)
    if len(key) != 32:
        raise ValueError(f"{path}: a master key is 32 bytes (base64), not {len(key)}")
    return key


class BestandsKluis(Sleutelkluis):
    """Data keys in `<data_dir>/sleutels/kluis.db`, shared by the region's service processes.

    Keys are remembered once read; a destruction anywhere in the region counts up a number
    every process looks at (cheaply, only after the file changed) before answering from memory.
    Keys made by concurrent commands are written together, one transaction for all of them.
    """

    def __init__(self, path: Path, master: bytes) -> None:
        private_dir(path.parent)
        private_database(path)
        # Writes get a connection and a lock of their own: a reader in the event loop waits
        # for what is remembered, never for a write's fsyncs.
        self._schrijver = _connect(path)
        self._schrijver.executescript(_SCHEMA)
        self._schrijflock = threading.Lock()
        self._conn = _connect(path)
        self._peiler = _connect(path)
        """Looks whether another connection destroyed keys; it waits for no write."""
        self._wrap = AESGCM(master)
        self._lock = threading.Lock()
        """Guards what is remembered and the reading connection."""
        self._cache: dict[str, bytes | None] = {}
        self._links: set[tuple[str, str]] = set()
        self._absent: set[str] = set()
        """Keys found not to exist: not destroyed, until a destruction says otherwise."""
        self._seen = (self._data_version(), self._destroyed_count())
        self._peiler.execute("PRAGMA busy_timeout = 0")
        self._looked = time.monotonic()
        self._waiting: list[tuple[set[str], set[tuple[str, str]], asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kluis-writer")
        self._hmac_key = self.maak(_INDEX_GEHEIM)

    def sleutel(self, sleutel_id: str) -> bytes | None:
        with self._lock:
            self._forget_if_destroyed()
            if sleutel_id not in self._cache:
                row = self._conn.execute(
                    "SELECT gewikkeld FROM sleutels WHERE id = ?", (sleutel_id,)
                ).fetchone()
                if row is None:
                    return None  # not remembered: another process may make it any moment
                self._cache[sleutel_id] = (
                    None if row[0] is None else self._unwrap(sleutel_id, row[0])
                )
            return self._cache[sleutel_id]

    async def bewaar(
        self, sleutels: Collection[str], koppelingen: Collection[tuple[str, str]]
    ) -> None:
        with self._lock:
            self._forget_if_destroyed()
            # Only what is remembered: the writer looks up the rest in its own transaction.
            missing = {s for s in sleutels if self._cache.get(s) is None}
            links = set(koppelingen) - self._links
        if not missing and not links:
            return
        done = asyncio.get_running_loop().create_future()
        self._waiting.append((missing, links, done))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_waiting(), name="kluis-writer")
        await asyncio.shield(done)

    def maak(self, sleutel_id: str) -> bytes:
        if (known := self.sleutel(sleutel_id)) is not None:
            return known
        destroyed = self._write({sleutel_id}, set())
        key = self.sleutel(sleutel_id)
        if destroyed or key is None:
            raise SleutelVernietigd(sleutel_id)
        return key

    def vernietig(self, sleutel_id: str) -> bool:
        now = datetime.now(UTC).isoformat()
        with self._schrijflock:
            conn = self._schrijver
            conn.execute("BEGIN IMMEDIATE")
            try:
                changed = conn.execute(
                    "UPDATE sleutels SET gewikkeld = NULL, vernietigd_op = ?"
                    " WHERE id = ? AND gewikkeld IS NOT NULL",
                    (now, sleutel_id),
                ).rowcount
                if not changed:
                    # Never made (a dossier without personal data): never to be made again.
                    changed = conn.execute(
                        "INSERT OR IGNORE INTO sleutels (id, gemaakt_op, vernietigd_op)"
                        " VALUES (?, ?, ?)",
                        (sleutel_id, now, now),
                    ).rowcount
                conn.execute("UPDATE vernietigingen SET aantal = aantal + 1")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            with self._lock:
                self._cache[sleutel_id] = None
                self._absent.discard(sleutel_id)
            return bool(changed)

    def vernietigd(self, sleutel_id: str) -> bool:
        with self._lock:
            self._forget_if_destroyed()
            if sleutel_id in self._cache:
                return self._cache[sleutel_id] is None
            if sleutel_id in self._absent:
                return False
            row = self._conn.execute(
                "SELECT gewikkeld, vernietigd_op FROM sleutels WHERE id = ?", (sleutel_id,)
            ).fetchone()
            if row is None:
                # Only a destruction makes it destroyed, and that clears what we remember.
                self._absent.add(sleutel_id)
                return False
            wrapped, destroyed = row
            self._cache[sleutel_id] = None if wrapped is None else self._unwrap(sleutel_id, wrapped)
            return destroyed is not None

    def index(self, bsn: str) -> str:
        return hmac.new(self._hmac_key, bsn.encode(), hashlib.sha256).hexdigest()

    def sleutels_van(self, index: str) -> list[str]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT sleutel FROM koppelingen WHERE idx = ? ORDER BY sleutel", (index,)
            ).fetchall()
        return [sleutel for (sleutel,) in rows]

    def close(self) -> None:
        self._executor.shutdown(wait=True)
        for conn in (self._conn, self._peiler, self._schrijver):
            conn.close()

    async def _write_waiting(self) -> None:
        """Write what waits, in rounds, until nothing does; each round one transaction."""
        while self._waiting:
            batch, self._waiting = self._waiting, []
            keys = set().union(*(missing for missing, _, _ in batch))
            links = set().union(*(found for _, found, _ in batch))
            try:
                destroyed = await asyncio.get_running_loop().run_in_executor(
                    self._executor, self._write, keys, links
                )
            except Exception as failure:
                for _, _, done in batch:
                    done.set_exception(failure)
                continue
            for missing, _, done in batch:
                if missing & destroyed:
                    done.set_exception(SleutelVernietigd(sorted(missing & destroyed)[0]))
                else:
                    done.set_result(None)

    def _write(self, keys: set[str], links: set[tuple[str, str]]) -> set[str]:
        """Make the missing keys and record the links in one transaction; the destroyed ones."""
        now = datetime.now(UTC).isoformat()
        with self._schrijflock:
            conn = self._schrijver
            conn.execute("BEGIN IMMEDIATE")
            try:
                present = {
                    key_id: wrapped
                    for key_id in sorted(keys)
                    for (wrapped,) in conn.execute(
                        "SELECT gewikkeld FROM sleutels WHERE id = ?", (key_id,)
                    )
                }
                made = {key_id: AESGCM.generate_key(256) for key_id in keys - present.keys()}
                conn.executemany(
                    "INSERT INTO sleutels (id, gewikkeld, gemaakt_op) VALUES (?, ?, ?)",
                    [(key_id, self._wrapped(key_id, key), now) for key_id, key in made.items()],
                )
                conn.executemany(
                    "INSERT OR IGNORE INTO koppelingen (idx, sleutel) VALUES (?, ?)", sorted(links)
                )
                (count,) = conn.execute("SELECT aantal FROM vernietigingen").fetchone()
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            found: dict[str, bytes | None] = {
                key_id: None if wrapped is None else self._unwrap(key_id, wrapped)
                for key_id, wrapped in present.items()
            }
            with self._lock:
                self._links |= links
                # Unless a destruction since this transaction was already looked at (and what
                # was remembered forgotten): then these may be stale, and are read again.
                if count >= self._seen[1]:
                    self._cache.update(found)
                    self._cache.update(made)
                    self._absent -= keys
            return {key_id for key_id, key in found.items() if key is None}

    def _wrapped(self, sleutel_id: str, key: bytes) -> bytes:
        nonce = os.urandom(12)
        return nonce + self._wrap.encrypt(nonce, key, sleutel_id.encode())

    def _unwrap(self, sleutel_id: str, wrapped: bytes) -> bytes:
        return self._wrap.decrypt(wrapped[:12], wrapped[12:], sleutel_id.encode())

    def _data_version(self) -> int:
        return int(self._peiler.execute("PRAGMA data_version").fetchone()[0])

    def _destroyed_count(self) -> int:
        return int(self._peiler.execute("SELECT aantal FROM vernietigingen").fetchone()[0])

    def _forget_if_destroyed(self) -> None:
        """Another process wrote: if it destroyed a key, what we remember may be stale.

        Looked at most every NAKIJKEN_S: a destruction elsewhere takes effect here within that
        (each look is a read of the file, which would otherwise cost every event read), or at
        the first ask after it when a write was being committed then."""
        now = time.monotonic()
        if now - self._looked < NAKIJKEN_S:
            return
        if max(len(self._cache), len(self._absent), len(self._links)) > ONTHOUDEN:
            self._cache.clear()
            self._absent.clear()
            self._links.clear()
        try:
            version = self._data_version()
            count = self._seen[1] if version == self._seen[0] else self._destroyed_count()
        except sqlite3.OperationalError:
            return  # a write is being committed: look again at the next ask, not wait for it
        self._looked = now
        if count != self._seen[1]:
            self._cache.clear()
            self._absent.clear()
        self._seen = (version, count)


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
    # A rollback journal, deleted after each write: no write-ahead log keeps old pages (a
    # destroyed key's) and no shared memory is mapped by the region's processes at once.
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA secure_delete=ON")
    return conn


def open_kluis(settings: ServiceSettings) -> BestandsKluis:
    """The embedded key store the settings point at."""
    return BestandsKluis(settings.kluis_path, hoofdsleutel(settings.hoofdsleutel_path))
