"""The embedded key store: data keys in an owner-only SQLite file, each wrapped by a master key.

The master key (32 random bytes, base64 in a file of its own) is what makes a copy of the
store's file worthless on its own: keep it apart from the data's backups. Destroying a key
overwrites its row (`secure_delete`, with a rollback journal deleted after each write), so no
copy of the wrapped key stays in the files; what a backup of the store still holds is for the
backup's own rotation to end (README, "Bewaren en vernietigen").
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import os
import secrets
import sqlite3
import threading
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
"""

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
    """Data keys in `<data_dir>/sleutels/kluis.db`, shared by the region's service processes."""

    def __init__(self, path: Path, master: bytes) -> None:
        private_dir(path.parent)
        private_database(path)
        self._conn = sqlite3.connect(
            path, isolation_level=None, check_same_thread=False, timeout=30
        )
        # A rollback journal, deleted after each write: no write-ahead log keeps old pages (a
        # destroyed key's) and no shared memory is mapped by the region's processes at once.
        self._conn.execute("PRAGMA journal_mode=DELETE")
        self._conn.execute("PRAGMA synchronous=FULL")
        self._conn.execute("PRAGMA secure_delete=ON")
        self._conn.executescript(_SCHEMA)
        self._wrap = AESGCM(master)
        self._lock = threading.Lock()
        self._cache: dict[str, bytes | None] = {}
        self._seen = self._data_version()
        self._hmac_key = self.maak(_INDEX_GEHEIM)

    def sleutel(self, sleutel_id: str) -> bytes | None:
        with self._lock:
            self._forget_if_changed()
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

    def maak(self, sleutel_id: str) -> bytes:
        key = self.sleutel(sleutel_id)
        if key is not None:
            return key
        if self.vernietigd(sleutel_id):
            raise SleutelVernietigd(sleutel_id)
        nonce = os.urandom(12)
        wrapped = nonce + self._wrap.encrypt(nonce, AESGCM.generate_key(256), sleutel_id.encode())
        with self._lock:
            # Two processes may make the same dossier's key at once: the first one stays.
            self._conn.execute(
                "INSERT OR IGNORE INTO sleutels (id, gewikkeld, gemaakt_op) VALUES (?, ?, ?)",
                (sleutel_id, wrapped, datetime.now(UTC).isoformat()),
            )
        made = self.sleutel(sleutel_id)
        if made is None:
            raise SleutelVernietigd(sleutel_id)
        return made

    def vernietig(self, sleutel_id: str) -> bool:
        with self._lock:
            changed = self._conn.execute(
                "UPDATE sleutels SET gewikkeld = NULL, vernietigd_op = ?"
                " WHERE id = ? AND gewikkeld IS NOT NULL",
                (datetime.now(UTC).isoformat(), sleutel_id),
            ).rowcount
            if not changed:
                # Never made (a dossier without personal data): still never to be made again.
                changed = self._conn.execute(
                    "INSERT OR IGNORE INTO sleutels (id, gemaakt_op, vernietigd_op)"
                    " VALUES (?, ?, ?)",
                    (sleutel_id, datetime.now(UTC).isoformat(), datetime.now(UTC).isoformat()),
                ).rowcount
            self._cache[sleutel_id] = None
            return bool(changed)

    def vernietigd(self, sleutel_id: str) -> bool:
        with self._lock:
            row = self._conn.execute(
                "SELECT vernietigd_op FROM sleutels WHERE id = ?", (sleutel_id,)
            ).fetchone()
        return row is not None and row[0] is not None

    def index(self, bsn: str) -> str:
        return hmac.new(self._hmac_key, bsn.encode(), hashlib.sha256).hexdigest()

    def koppel(self, index: str, sleutel_id: str) -> None:
        with self._lock:
            self._conn.execute(
                "INSERT OR IGNORE INTO koppelingen (idx, sleutel) VALUES (?, ?)",
                (index, sleutel_id),
            )

    def sleutels_van(self, index: str) -> list[str]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT sleutel FROM koppelingen WHERE idx = ? ORDER BY sleutel", (index,)
            ).fetchall()
        return [sleutel for (sleutel,) in rows]

    def close(self) -> None:
        self._conn.close()

    def _unwrap(self, sleutel_id: str, wrapped: bytes) -> bytes:
        return self._wrap.decrypt(wrapped[:12], wrapped[12:], sleutel_id.encode())

    def _data_version(self) -> int:
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def _forget_if_changed(self) -> None:
        """Another process wrote (perhaps destroyed a key): what we remember may be stale."""
        version = self._data_version()
        if version != self._seen:
            self._seen = version
            self._cache.clear()


def open_kluis(settings: ServiceSettings) -> BestandsKluis:
    """The embedded key store the settings point at."""
    return BestandsKluis(settings.kluis_path, hoofdsleutel(settings.hoofdsleutel_path))
