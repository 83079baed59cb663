"""Personal data sealed per dossier in a real store: unreadable in the file, open to readers,
gone for good when the dossier's key is destroyed, while the events and their chain stay."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.exceptions import InvalidTag
from wvggz_contracts.meldpunt import EVENTS, MeldingOntvangen
from wvggz_contracts.personal import INVOER, VERNIETIGD
from wvggz_contracts.personen import Betrokkene

from kernel.eventstore import NewEvent
from kernel.eventstore.port import NO_STREAM
from kernel.eventstore.sqlite import SqliteEventStore
from kernel.eventstore.verification import sqlite_rows, verify_rows
from kernel.sleutels import SleutelVernietigd, Veldsleutels, VercijferdeStore
from kernel.sleutels.bestand import BestandsKluis, hoofdsleutel
from tests.services.meldpunt.fixtures import ontvangen

AT = datetime(2026, 11, 23, 12, tzinfo=UTC)
STREAM = f"melding-{uuid.uuid4()}"


@pytest.fixture
def kluis(tmp_path: Path) -> BestandsKluis:
    return BestandsKluis(tmp_path / "kluis.db", hoofdsleutel(tmp_path / "hoofdsleutel"))


@pytest.fixture
async def raw(tmp_path: Path) -> AsyncIterator[SqliteEventStore]:
    store = SqliteEventStore(tmp_path / "events.db")
    yield store
    await store.close()


@pytest.fixture
def store(raw: SqliteEventStore, kluis: BestandsKluis) -> VercijferdeStore:
    return VercijferdeStore(raw, EVENTS, Veldsleutels(kluis))


def new(event: MeldingOntvangen) -> NewEvent:
    return NewEvent(uuid.uuid4(), event.event_type, event.model_dump(mode="json"))


def file_text(tmp_path: Path) -> str:
    return b"".join(p.read_bytes() for p in tmp_path.glob("events.db*")).decode("latin-1")


async def test_personal_fields_are_sealed_in_the_file_and_open_to_readers(
    store: VercijferdeStore, raw: SqliteEventStore, tmp_path: Path
) -> None:
    event = ontvangen(AT)
    await store.append(STREAM, [new(event)], NO_STREAM)
    for marker in ("Voorbeeld", "111222333", "afgeluisterd"):
        assert marker not in file_text(tmp_path)
    stored = (await raw.read(STREAM))[0].data
    assert set(stored["betrokkene"]["naam"]) == {"vercijferd", "sleutel"}
    assert stored["gemeente"] == "GM0402"  # what is not personal stays readable
    assert stored["betrokkene"]["verblijfplaats"] is None
    (read,) = await store.read(STREAM)
    assert EVENTS.parse(read.type, read.data) == event
    assert [e.data async for e in store.read_all()] == [read.data]


async def test_a_destroyed_key_leaves_the_events_with_their_facts_and_vernietigd(
    store: VercijferdeStore, kluis: BestandsKluis, tmp_path: Path
) -> None:
    await store.append(STREAM, [new(ontvangen(AT))], NO_STREAM)
    assert kluis.vernietig(STREAM)
    (read,) = await store.read(STREAM)
    event = EVENTS.parse(read.type, read.data)
    assert isinstance(event, MeldingOntvangen)
    assert event.betrokkene.naam == event.betrokkene.bsn == event.situatie == VERNIETIGD
    nadeel: object = event.ernstig_nadeel
    assert nadeel == VERNIETIGD  # a list, read as the marker too
    assert event.gemeente == "GM0402" and event.kanaal.value == "telefoon"
    chain = verify_rows(
        sqlite_rows(tmp_path / "events.db"), [], trusted_key=None, stored_hashes=list
    )
    assert chain.broken is None and chain.events == 1  # the trail is intact
    with pytest.raises(SleutelVernietigd):
        await store.append(STREAM, [new(ontvangen(AT))], 0)


async def test_new_input_may_not_claim_to_be_destroyed_data() -> None:
    with pytest.raises(ValueError, match="vernietigde gegevens"):
        Betrokkene.model_validate({"naam": VERNIETIGD}, context={INVOER: True})


async def test_each_dossier_has_its_own_key_and_the_bsn_index_finds_both(
    store: VercijferdeStore, raw: SqliteEventStore, kluis: BestandsKluis
) -> None:
    other = f"melding-{uuid.uuid4()}"
    await store.append(STREAM, [new(ontvangen(AT))], NO_STREAM)
    await store.append(other, [new(ontvangen(AT))], NO_STREAM)
    assert kluis.sleutels_van(kluis.index("111222333")) == sorted([STREAM, other])
    kluis.vernietig(STREAM)
    kept = EVENTS.parse(*_typed(await store.read(other)))
    assert isinstance(kept, MeldingOntvangen)
    assert kept.betrokkene.naam == "J. Voorbeeld"


async def test_a_sealed_value_moved_to_another_field_or_dossier_does_not_open(
    store: VercijferdeStore, raw: SqliteEventStore
) -> None:
    await store.append(STREAM, [new(ontvangen(AT))], NO_STREAM)
    data: dict[str, Any] = json.loads(json.dumps((await raw.read(STREAM))[0].data))
    moved = {**data, "situatie": data["betrokkene"]["naam"]}
    with pytest.raises(InvalidTag):
        store.velden.open(moved)
    data["betrokkene"]["naam"]["sleutel"] = "melding-other"
    store.velden.kluis.maak("melding-other")
    with pytest.raises(InvalidTag):
        store.velden.open(data)


async def test_a_retried_append_stays_one_event(store: VercijferdeStore) -> None:
    event = new(ontvangen(AT))
    first = await store.append(STREAM, [event], NO_STREAM)
    assert await store.append(STREAM, [event], NO_STREAM) == first
    assert len(await store.read(STREAM)) == 1


def _typed(recorded: list[Any]) -> tuple[str, Any]:
    return recorded[0].type, recorded[0].data
