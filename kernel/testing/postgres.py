"""A throwaway PostgreSQL server for tests and benchmarks: initdb in a temporary folder, pg_ctl."""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import stat
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

_SERVER_BINARIES = ("initdb", "pg_ctl", "postgres")

# Speed over durability: the data is thrown away after the tests.
_SETTINGS = """
listen_addresses = '127.0.0.1'
port = {port}
unix_socket_directories = '{sockets}'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
"""


def server_bindir() -> Path:
    """The folder with PostgreSQL's server binaries: $PG_BINDIR, pg_config, Debian's, or PATH."""
    candidates: list[Path] = []
    if os.environ.get("PG_BINDIR"):
        candidates.append(Path(os.environ["PG_BINDIR"]))
    if pg_config := shutil.which("pg_config"):
        with contextlib.suppress(OSError, subprocess.CalledProcessError):
            bindir = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, check=True
            ).stdout.strip()
            candidates.append(Path(bindir))
    debian = Path("/usr/lib/postgresql").glob("*/bin")
    candidates += sorted(debian, key=lambda p: _major(p.parent.name), reverse=True)
    if initdb := shutil.which("initdb"):
        candidates.append(Path(initdb).parent)
    for folder in candidates:
        if all(os.access(folder / name, os.X_OK) for name in _SERVER_BINARIES):
            return folder
    raise RuntimeError(
        "PostgreSQL's server binaries (initdb, pg_ctl) were not found: `make postgres` installs"
        " Debian's postgresql package, or set PG_BINDIR to the folder that holds them"
    )


def _major(name: str) -> int:
    return int(name) if name.isdigit() else 0


def _server_user() -> pwd.struct_passwd | None:
    """Who runs the server: None for ourselves; as root (which initdb refuses) another user."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise RuntimeError("running as root, but there is no 'postgres' user to run PostgreSQL as")


def _reachable_by_anyone(folder: Path) -> bool:
    """Whether every folder up to `folder` lets other users pass (the server user must)."""
    return all(os.stat(part).st_mode & stat.S_IXOTH for part in [folder, *folder.parents])


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True, slots=True)
class PostgresServer:
    """A running server; `url` names its `postgres` database as the superuser `postgres`."""

    port: int
    root: Path

    @property
    def url(self) -> str:
        return self.database_url("postgres")

    def database_url(self, name: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def new_database(self) -> str:
        """Create an empty database and return its URL."""
        name = f"t{uuid.uuid4().hex[:16]}"
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.database_url(name)


@contextlib.contextmanager
def running_postgres() -> Iterator[PostgresServer]:
    """Start a fresh server (trust auth, 127.0.0.1 on a free port), stop and remove it after."""
    bindir = server_bindir()
    user = _server_user()
    parent = Path(tempfile.gettempdir())
    if user is not None and not _reachable_by_anyone(parent):
        parent = Path("/tmp")
    root = Path(tempfile.mkdtemp(prefix="wvggz-pg-", dir=parent))
    as_user: dict[str, Any] = {}
    if user is not None:
        os.chown(root, user.pw_uid, user.pw_gid)
        as_user = {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env |= {"HOME": str(root), "LC_ALL": "C"}

    def run(*args: str) -> None:
        done = subprocess.run(
            [str(bindir / args[0]), *args[1:]],
            capture_output=True,
            text=True,
            env=env,
            cwd=root,
            check=False,
            **as_user,
        )
        if done.returncode != 0:
            log = root / "server.log"
            tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
            raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}{done.stderr}\n{tail}")

    data = root / "data"
    started = False
    try:
        run("initdb", "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync")
        for attempt in range(3):
            port = _free_port()
            with (data / "postgresql.conf").open("a") as conf:
                conf.write(_SETTINGS.format(port=port, sockets=root))
            try:
                run("pg_ctl", "-D", str(data), "-l", str(root / "server.log"), "-w", "start")
            except RuntimeError:
                if attempt == 2:  # else the port was taken between probing and binding it
                    raise
                continue
            started = True
            yield PostgresServer(port, root)
            break
    finally:
        if started:
            run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)
