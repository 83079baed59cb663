"""Owner-only files of the bus: private folders, atomic private writes and nkey seeds."""

from __future__ import annotations

import os
from pathlib import Path

import nkeys


def seed_path(dir: Path, identity: str) -> Path:
    """Where the nkey seed of an identity lives under a bus folder."""
    return dir / "creds" / f"{identity}.nk"


def private_dir(path: Path) -> None:
    """Create a folder (and its parents) only its owner may enter."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)


def ensure_seed(path: Path) -> str:
    """The public key of the seed in `path`, generating the seed when there is none."""
    if not path.exists():
        seed = nkeys.encode_seed(os.urandom(32), nkeys.PREFIX_BYTE_USER)
        write_private(path, seed + b"\n", exclusive=True)
    path.chmod(0o600)
    keys = nkeys.from_seed(bytearray(path.read_bytes().strip()))
    public = str(keys.public_key.decode())
    keys.wipe()
    return public


def write_private(path: Path, data: bytes, *, exclusive: bool = False) -> None:
    """Write a file only its owner can read; atomically, so a reader never sees half of it."""
    if exclusive:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        return
    partial = path.with_name(f".{path.name}.tmp")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as file:
        os.fchmod(file.fileno(), 0o600)
        file.write(data)
    os.replace(partial, path)
