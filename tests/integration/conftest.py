"""Fixtures of the integration tests that run the whole platform."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator

import pytest

from tests.integration.route import Clients, clients_of
from wvggz.runner import Platform


@pytest.fixture
async def clients(platform: Platform) -> AsyncIterator[Clients]:
    """A client application, an operator's observer of the bus, and demo users' tokens.

    Needs a `platform` fixture in the test module (started `wvggz.runner.Platform`).
    """
    async with clients_of(platform) as clients:
        yield clients


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The fault-injection table, when those experiments ran (tests/integration/faults.py)."""
    faults = sys.modules.get("tests.integration.faults")
    results = getattr(faults, "RESULTS", None)
    if faults is None or not results:
        return
    terminalreporter.write_sep("=", "fault injection")
    terminalreporter.write(faults.markdown(results))
    terminalreporter.write_line(f"written to {faults.REPORT_PATH}")
