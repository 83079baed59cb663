"""Fixtures of the integration tests that run the whole platform."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.integration.route import Clients, demo_tokens
from wvggz.runner import Platform


@pytest.fixture
async def clients(platform: Platform) -> AsyncIterator[Clients]:
    """A client application, an operator's observer of the bus, and demo users' tokens.

    Needs a `platform` fixture in the test module (started `wvggz.runner.Platform`).
    """
    connection = platform.connection()
    client, observer = await connection.client(), await connection.client("bootstrap")
    yield client, observer, demo_tokens(connection)
    await client.close()
    await observer.close()
