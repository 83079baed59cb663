"""The whole platform on free ports, as the integration tests start it."""

from __future__ import annotations

from pathlib import Path

from kernel.testing import free_port
from wvggz.catalog import SERVICES
from wvggz.runner import Platform


def local_platform(data_dir: Path, services: tuple[str, ...] = tuple(SERVICES)) -> Platform:
    """A platform (locked bus, identity provider, services) on ports nobody else uses."""
    return Platform(
        data_dir=data_dir,
        nats_port=free_port(),
        monitor_port=free_port(),
        oidc_port=free_port(),
        http_ports={name: free_port() for name in services},
        services=services,
    )
