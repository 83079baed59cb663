"""The audit trail stores every record once, also when a flush is cut off after it committed."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest
from wvggz_contracts.audit import Inzageuitkomst
from wvggz_contracts.commands import Actor, Rol

from kernel.audit import AuditTrail
from kernel.eventstore import NewEvent
from kernel.eventstore.sqlite import SqliteEventStore

NU = datetime(2026, 11, 23, 9, tzinfo=UTC)
TRIAGIST = Actor(id="t-1", rol=Rol.TRIAGIST, gemeente="GM0402")


class CutOffOnce(SqliteEventStore):
    """A store whose first append commits and then reports a cancellation (a stop mid-flush)."""

    cut = False

    async def append(self, stream: str, events: Sequence[NewEvent], expected_version: int) -> int:
        position = await super().append(stream, events, expected_version)
        if not self.cut:
            self.cut = True
            raise asyncio.CancelledError
        return position


async def test_a_flush_cut_off_after_its_commit_stores_each_record_once(tmp_path: Path) -> None:
    store = CutOffOnce(tmp_path / "events.db")
    trail = AuditTrail(store, "test", lambda: NU)
    trail.read("werkvoorraad", TRIAGIST, Inzageuitkomst.GETOOND)

    with pytest.raises(asyncio.CancelledError):
        await trail.flush()
    trail.read("dossier", TRIAGIST, Inzageuitkomst.GEWEIGERD)
    await trail.flush()

    stored = await store.read("audit-test")
    assert [r.data["query"] for r in stored] == ["werkvoorraad", "dossier"]
    assert trail.pending == 0
    await store.close()
