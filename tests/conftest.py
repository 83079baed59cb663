"""Shared fixtures: a real nats-server, a real PostgreSQL, actors and times."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from wvggz_contracts.commands import Actor, Rol

from kernel.identity.testing import TestIssuer
from kernel.testing import NatsServer
from kernel.testing.postgres import PostgresServer, running_postgres
from tests.identity import served_issuer


@pytest.fixture
def nats_server(tmp_path: Path) -> Iterator[NatsServer]:
    server = NatsServer(store_dir=tmp_path / "jetstream")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def triagist() -> Actor:
    return Actor(id="triagist-7", rol=Rol.TRIAGIST, gemeente="GM0402")


@pytest.fixture
def now() -> datetime:
    return datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="session")
def issuer() -> Iterator[tuple[TestIssuer, dict[str, Any]]]:
    """A token issuer for handler tests, and the oidc_* settings that trust it."""
    with served_issuer() as served:
        yield served


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the session; tests make a database each (`new_database`)."""
    with running_postgres() as server:
        yield server
