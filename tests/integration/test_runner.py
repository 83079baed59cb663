"""`wvggz up` starts every process, reports them ready, and stops all of them on SIGTERM."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kernel.testing import free_port

pytestmark = pytest.mark.integration


def free_port_run(length: int) -> int:
    """The first of `length` consecutive free ports."""
    for _ in range(50):
        base = free_port()
        if all(_free(base + n) for n in range(length)):
            return base
    raise RuntimeError("no run of free ports found")


def _free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def up_command(tmp_path: Path) -> list[str]:
    return [
        sys.executable, "-m", "wvggz.cli", "up", "--data-dir", str(tmp_path / "var"),
        "--nats-port", str(free_port()), "--monitor-port", str(free_port()),
        "--http-base-port", str(free_port_run(5)), "--oidc-port", str(free_port()),
    ]  # fmt: skip


def start_runner(command: list[str]) -> tuple[subprocess.Popen[str], list[int]]:
    """Start `wvggz up`, read its table, return it with the pids of its seven children."""
    runner = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert runner.stdout is not None
    output: list[str] = []
    for line in runner.stdout:
        output.append(line)
        if line.startswith("NATS:"):
            break
    table = "".join(output)
    assert all(f"{name} " in table for name in ("meldpunt", "onderzoek", "crisis", "overleg"))
    pids = [int(row.split()[1]) for row in output if row.split()[1:2] and row.split()[1].isdigit()]
    assert len(pids) == 7, table  # nats-server, the identity provider, five services
    return runner, pids


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
