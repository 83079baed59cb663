"""The whole platform on free ports, as the integration tests start it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kernel.testing import free_port
from wvggz.catalog import SERVICES
from wvggz.runner import Platform


def distinct_free_ports(count: int) -> list[int]:
    """Ports nobody listens on, each different (the OS may hand out a port twice in a row)."""
    ports: list[int] = []
    while len(ports) < count:
        if (port := free_port()) not in ports:
            ports.append(port)
    return ports


def local_platform(data_dir: Path, services: tuple[str, ...] = tuple(SERVICES)) -> Platform:
    """A platform (locked bus, identity provider, services) on ports nobody else uses."""
    nats_port, monitor_port, oidc_port, *http = distinct_free_ports(3 + len(services))
    return Platform(
        data_dir=data_dir,
        nats_port=nats_port,
        monitor_port=monitor_port,
        oidc_port=oidc_port,
        http_ports=dict(zip(services, http, strict=True)),
        services=services,
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
