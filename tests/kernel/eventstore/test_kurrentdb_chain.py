"""The KurrentDB adapter keeps the hash chain in each event's metadata (over the fake server)."""

from __future__ import annotations

import json
import uuid

import pytest

from kernel.eventstore import NO_STREAM, ChainLink, EventStoreError, NewEvent
from kernel.eventstore.chain import event_row
from kernel.eventstore.verification import verify_rows
from tests.kernel.eventstore.contract import new_events
from tests.kernel.eventstore.test_kurrentdb_mapping import over_fake


async def test_the_chain_link_travels_in_the_metadata_and_is_taken_out_on_reading() -> None:
    store, fake = over_fake()
    await store.append("melding-1", new_events(2), NO_STREAM)

    raw = [e for e in fake.log if e.stream_name == "melding-1"]
    link = json.loads(raw[1].metadata)["ketting"]
    stored = await store.read("melding-1")

    assert link["n"] == 2
    assert stored[1].metadata == {"gemeente": "GM0402"}
    assert stored[1].chain == ChainLink(link["n"], link["op"], link["hash"])


async def test_metadata_may_not_use_the_chain_key() -> None:
    store, _fake = over_fake()
    event = NewEvent(uuid.uuid4(), "nl.wvggz.test.iets-gebeurd.v1", {}, {"ketting": 1})

    with pytest.raises(EventStoreError, match="ketting"):
        await store.append("melding-1", [event], NO_STREAM)


async def test_a_chain_read_through_the_adapter_verifies_and_an_edit_does_not() -> None:
    store, _fake = over_fake()
    for n in range(3):
        await store.append(f"melding-{n}", new_events(2), NO_STREAM)

    rows = [row async for event in store.read_all(0) if (row := event_row(event))]
    edited = [*rows[:3], (*rows[3][:5], '{"n":9}', *rows[3][6:]), *rows[4:]]

    assert verify_rows(rows, [], trusted_key=None, stored_hashes=list).broken is None
    broken = verify_rows(edited, [], trusted_key=None, stored_hashes=list).broken
    assert broken is not None and (broken.position, broken.kind) == (4, "bewerkt")
