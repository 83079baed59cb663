"""The whole platform on free ports, as the integration tests start it."""

from __future__ import annotations

import random
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from wvggz.catalog import SERVICES
from wvggz.runner import Platform, replica_names

QUIET_PORTS = range(20_000, 32_700)
"""Below Linux's ephemeral range (32768-60999): a port chosen here is never taken meanwhile by
the outgoing connection of a process started earlier (a service connecting to NATS), which a
port the OS handed out as free can be, between the choice and the bind."""


def bindable(port: int) -> bool:
    """Whether a server could listen on this loopback port now."""
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def quiet_port_run(length: int) -> int:
    """The first of `length` consecutive free ports outside the ephemeral range."""
    for _ in range(200):
        base = random.randrange(QUIET_PORTS.start, QUIET_PORTS.stop - length)
        if all(bindable(base + n) for n in range(length)):
            return base
    raise RuntimeError("no run of free ports found")


def distinct_free_ports(count: int) -> list[int]:
    """Free ports, each different, outside the ephemeral range."""
    ports: list[int] = []
    while len(ports) < count:
        if (port := quiet_port_run(1)) not in ports:
            ports.append(port)
    return ports


def local_platform(
    data_dir: Path,
    services: tuple[str, ...] = tuple(SERVICES),
    replicas: dict[str, int] | None = None,
) -> Platform:
    """A platform (locked bus, identity provider, services and their further replicas) on
    ports nobody else uses."""
    replicas = replicas or {}
    processes = [
        *services,
        *(r for name, count in replicas.items() for r in replica_names(name, count)),
    ]
    nats_port, monitor_port, oidc_port, *http = distinct_free_ports(3 + len(processes))
    return Platform(
        data_dir=data_dir,
        nats_port=nats_port,
        monitor_port=monitor_port,
        oidc_port=oidc_port,
        http_ports=dict(zip(processes, http, strict=True)),
        services=services,
        replicas=replicas,
    )


@contextmanager
def running(
    data_dir: Path, services: tuple[str, ...], extra_env: dict[str, str] | None = None
) -> Iterator[Platform]:
    """A started local platform of these services, stopped afterwards."""
    platform = local_platform(data_dir, services)
    platform.extra_env |= extra_env or {}
    platform.start()
    try:
        yield platform
    finally:
        platform.stop()
