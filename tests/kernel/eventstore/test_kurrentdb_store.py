"""The KurrentDB adapter passes the store contract against a real server, when one is named."""

from __future__ import annotations

import os

import pytest

from tests.kernel.eventstore.contract import EventStoreContract

pytestmark = pytest.mark.skipif(
    not os.environ.get("WVGGZ_KURRENTDB_URL"),
    reason="WVGGZ_KURRENTDB_URL is not set: no KurrentDB server to run the contract suite against",
)


class TestKurrentDbEventStore(EventStoreContract):
    @pytest.fixture
    def store_url(self) -> str:
        """A shared server is fine: every test writes streams under its own prefix."""
        return os.environ["WVGGZ_KURRENTDB_URL"]
