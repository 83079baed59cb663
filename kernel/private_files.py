"""Owner-only data: folders 0700 and files 0600, whatever the umask of the process."""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

OWNER_ONLY_UMASK = 0o077
"""The umask of every platform process: what a library creates is its owner's alone."""

SQLITE_SIDECARS = ("-wal", "-shm", "-journal")
"""Files SQLite keeps beside a database; it creates them with the database file's mode."""


def private_dir(path: Path) -> Path:
    """A folder (created with its parents) only its owner may enter; tightened if it existed."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def private_file(path: Path) -> Path:
    """A file only its owner may read or write: created empty if missing, tightened if not."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    path.chmod(0o600)
    return path


def private_database(path: Path | str) -> None:
    """Before SQLite opens a file: the file 0600 (its sidecars follow) and existing sidecars too.

    `:memory:` and SQLite URIs are left alone: there is no file to protect, or not ours to name.
    """
    if str(path) == ":memory:" or str(path).startswith("file:"):
        return
    database = private_file(Path(path))
    for suffix in SQLITE_SIDECARS:
        sidecar = database.with_name(database.name + suffix)
        if sidecar.exists():
            sidecar.chmod(0o600)


def private_log(path: Path) -> BinaryIO:
    """A log file opened for appending, created 0600 (tightened if it existed)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    os.fchmod(descriptor, 0o600)
    return os.fdopen(descriptor, "ab")
