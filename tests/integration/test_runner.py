"""`wvggz up` starts every process, reports them ready, restarts any that ends, and stops all of
them on SIGTERM."""

from __future__ import annotations

import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import IO

import pytest

from kernel.testing import distinct_free_ports, quiet_port_run
from tests.integration.platforms import local_platform
from wvggz.catalog import PROCESSES
from wvggz.runner import Platform
from wvggz.supervisor import Supervisor

pytestmark = pytest.mark.integration


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def up_command(tmp_path: Path) -> list[str]:
    base = quiet_port_run(len(PROCESSES))
    services = range(base, base + len(PROCESSES))
    # Free ports outside the services' run: the OS may hand out a port of the run next.
    nats_port, monitor_port, oidc_port = _ports_outside(services, 3)
    return [
        sys.executable, "-m", "wvggz.cli", "up", "--data-dir", str(tmp_path / "var"),
        "--nats-port", str(nats_port), "--monitor-port", str(monitor_port),
        "--http-base-port", str(base), "--oidc-port", str(oidc_port),
    ]  # fmt: skip


def _ports_outside(taken: range, count: int) -> list[int]:
    while True:
        ports = distinct_free_ports(count)
        if not set(ports) & set(taken):
            return ports


_RUNNERS: list[subprocess.Popen[str]] = []


def launch(command: list[str]) -> subprocess.Popen[str]:
    """Start `wvggz up`; whatever a test leaves running is stopped after it (see `cleanup`)."""
    runner = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    _RUNNERS.append(runner)
    return runner


@pytest.fixture(autouse=True)
def cleanup() -> Iterator[None]:
    """A failed assertion must not leave a platform running (it would slow every later test)."""
    yield
    while _RUNNERS:
        runner = _RUNNERS.pop()
        if runner.poll() is None:
            runner.terminate()
            try:
                runner.wait(timeout=60)
            except subprocess.TimeoutExpired:
                runner.kill()


def start_runner(command: list[str]) -> tuple[subprocess.Popen[str], list[int]]:
    """Start `wvggz up`, read its table, return it with the pids of its eight children."""
    runner = launch(command)
    pids, _health = read_table(runner)
    return runner, list(pids.values())


def read_table(runner: subprocess.Popen[str]) -> tuple[dict[str, int], dict[str, str]]:
    """Read the runner's table: the pid and the health URL of each child, by name."""
    pids: dict[str, int] = {}
    health: dict[str, str] = {}
    assert runner.stdout is not None
    for line in runner.stdout:
        if line.startswith("NATS:"):
            break
        cells = line.split()
        if cells[1:2] and cells[1].isdigit():
            pids[cells[0]], health[cells[0]] = int(cells[1]), cells[2]
    # nats-server, the identity provider, five services and the portaal
    assert set(pids) == {"nats-server", "oidc-provider", *PROCESSES}, pids
    return pids, health


class Lines:
    """The runner's further output, read in a thread so a test can wait with a timeout."""

    def __init__(self, runner: subprocess.Popen[str]) -> None:
        self.seen: list[str] = []
        self._lines: queue.Queue[str] = queue.Queue()
        assert runner.stdout is not None
        threading.Thread(target=self._read, args=(runner.stdout,), daemon=True).start()

    def _read(self, stdout: IO[str]) -> None:
        for line in stdout:
            self._lines.put(line)

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self._lines.get(timeout=0.2)
            except queue.Empty:
                continue
            self.seen.append(line)
            if text in line:
                return line
        raise AssertionError(f"no line with {text!r} within {timeout} s: {self.seen}")


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def _eventually(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def _stop(runner: subprocess.Popen[str], pids: list[int]) -> None:
    runner.send_signal(signal.SIGTERM)
    assert runner.wait(timeout=30) == 0
    assert _eventually(lambda: not [pid for pid in pids if _alive(pid)], 5), "a child survived"


def test_sigterm_stops_every_process_cleanly_and_a_restart_keeps_state(tmp_path: Path) -> None:
    command = up_command(tmp_path)

    for _run in range(2):
        runner, pids = start_runner(command)
        runner.send_signal(signal.SIGTERM)
        assert runner.stdout is not None
        rest = runner.stdout.read()
        assert runner.wait(timeout=30) == 0
        assert "Stopped" in rest
        assert not [pid for pid in pids if _alive(pid)], "a child outlived the runner"
    assert (tmp_path / "var" / "meldpunt" / "events.db").exists()


def test_children_end_when_the_runner_is_killed(tmp_path: Path) -> None:
    runner, pids = start_runner(up_command(tmp_path))

    runner.kill()
    runner.wait(timeout=10)
    deadline = time.monotonic() + 20
    while [pid for pid in pids if _alive(pid)] and time.monotonic() < deadline:
        time.sleep(0.2)

    assert not [pid for pid in pids if _alive(pid)], "children outlived a killed runner"


def test_a_killed_service_is_restarted_and_ready_again(tmp_path: Path) -> None:
    runner = launch(up_command(tmp_path))
    pids, health = read_table(runner)
    lines = Lines(runner)

    os.kill(pids["meldpunt"], signal.SIGKILL)
    os.kill(pids["oidc-provider"], signal.SIGKILL)
    lines.wait_for("meldpunt exited with code -9; restarting in 0.5 s (restart 1)")
    again = [lines.wait_for("ready again"), lines.wait_for("ready again")]

    assert sorted(line.split()[0] for line in again) == ["meldpunt", "oidc-provider"]
    assert _ready(health["meldpunt"])
    assert _ready(health["oidc-provider"])
    assert runner.poll() is None
    restarted = {"meldpunt", "oidc-provider"}
    assert {name for name, pid in pids.items() if _alive(pid)} == set(pids) - restarted
    new_pids = [int(line.rsplit("pid ", 1)[1].rstrip(")\n")) for line in again]
    _stop(runner, [*pids.values(), *new_pids])


def test_a_killed_nats_server_is_restarted_and_the_services_recover(tmp_path: Path) -> None:
    runner = launch(up_command(tmp_path))
    pids, health = read_table(runner)
    lines = Lines(runner)

    os.kill(pids["nats-server"], signal.SIGKILL)
    lines.wait_for("nats-server exited with code -9; restarting in 0.5 s (restart 1)")
    again = lines.wait_for("nats-server ready again")

    assert _eventually(lambda: all(_ready(health[name]) for name in ("meldpunt", "crisis")), 30)
    assert runner.poll() is None
    assert all(_alive(pid) for name, pid in pids.items() if name != "nats-server")
    new_pid = int(again.rsplit("pid ", 1)[1].rstrip(")\n"))
    _stop(runner, [*pids.values(), new_pid])


def test_a_service_stops_cleanly_and_closes_its_store_when_nats_is_gone(tmp_path: Path) -> None:
    platform = local_platform(tmp_path / "var", services=("meldpunt",))
    platform.start()
    try:
        nats = platform.processes["nats"]
        nats.kill()
        nats.wait()
        service = platform.processes["meldpunt"]
        ready = f"http://127.0.0.1:{platform.port_of('meldpunt')}/health/ready"
        assert _eventually(lambda: not _ready(ready), 10), "the service did not notice"

        service.send_signal(signal.SIGTERM)
        # uvicorn re-raises the SIGTERM it handled once it has shut down: -15 is a clean exit.
        assert service.wait(timeout=15) in (0, -signal.SIGTERM)
    finally:
        platform.stop()
    stores = sorted((tmp_path / "var" / "meldpunt").glob("*.db"))
    assert stores
    log = (tmp_path / "var" / "meldpunt.log").read_text()
    assert "Application shutdown complete" in log, log[-2000:]
    # SQLite removes the write-ahead log when the last connection closes: the store was closed.
    assert not [s for s in stores if s.with_name(s.name + "-wal").exists()], "store not closed"
    for store in stores:
        with closing(sqlite3.connect(store)) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",), store


class _Flaky(Platform):
    """A platform whose children end when a test says so, with no processes at all."""

    def __init__(self, data_dir: Path) -> None:
        super().__init__(data_dir=data_dir, services=("meldpunt",))
        self.ended: dict[str, int] = {}
        self.restarted: list[str] = []

    def exit_code(self, name: str) -> int | None:
        return self.ended.get(name)

    def restart(self, name: str, timeout: float = 15.0) -> None:
        self.ended.pop(name)
        self.restarted.append(name)

    def ready(self, name: str) -> bool:
        return True

    def pid(self, name: str) -> int | None:
        return 42


def test_restarts_back_off_and_the_back_off_resets_after_a_stable_minute(tmp_path: Path) -> None:
    platform, lines = _Flaky(tmp_path), list[str]()
    supervisor = Supervisor(platform, report=lines.append)
    supervisor.watch_once(0.0)
    now = 100.0
    for _crash in range(7):  # each crash right after the restart came up
        platform.ended["meldpunt"] = -9
        supervisor.watch_once(now)
        delay = float(lines[-1].split("restarting in ")[1].split()[0])
        supervisor.watch_once(now + delay - 0.1)  # not yet
        supervisor.watch_once(now + delay)  # restarted
        supervisor.watch_once(now + delay + 0.3)  # ready
        now += delay + 1
    assert [line.split("; ")[1] for line in lines if "exited" in line] == [
        f"restarting in {d} s (restart {n})"
        for n, d in enumerate(("0.5", "1.0", "2.0", "5.0", "10.0", "30.0", "30.0"), 1)
    ]
    assert lines[:3] == [
        "meldpunt exited with code -9; restarting in 0.5 s (restart 1)",
        "meldpunt ready again (pid 42)",
        "meldpunt exited with code -9; restarting in 1.0 s (restart 2)",
    ]
    assert platform.restarted == ["meldpunt"] * 7

    supervisor.watch_once(now + 61)  # up for a minute: the next crash starts over
    platform.ended["meldpunt"] = 1
    supervisor.watch_once(now + 62)
    assert lines[-1] == "meldpunt exited with code 1; restarting in 0.5 s (restart 1)"
