"""The whole platform on free ports, as the integration tests start it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kernel.testing import distinct_free_ports
from wvggz.catalog import SERVICES
from wvggz.runner import Platform, replica_names


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
