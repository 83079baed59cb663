"""An event stored as v1 is read back from the store as v2 through its upcaster."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any, ClassVar

import pytest
from wvggz_contracts.events import DomainEvent, EventRegistry, UnknownEventType

from kernel.eventstore import NO_STREAM, NewEvent
from kernel.eventstore.sqlite import SqliteEventStore


class TelefoonGenoteerdV2(DomainEvent):
    """v2 split the single `nummer` into an optional mobile and landline number."""

    event_type: ClassVar[str] = "nl.wvggz.test.telefoon-genoteerd.v2"

    mobiel: str | None
    vast: str | None


def v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    nummer = data["nummer"]
    return {
        "mobiel": nummer if nummer.startswith("06") else None,
        "vast": None if nummer.startswith("06") else nummer,
    }


@pytest.fixture
def registry() -> EventRegistry:
    registry = EventRegistry([TelefoonGenoteerdV2])
    registry.register_upcaster(
        "nl.wvggz.test.telefoon-genoteerd.v1", TelefoonGenoteerdV2.event_type, v1_to_v2
    )
    return registry


async def test_a_stored_v1_event_reads_back_as_the_current_v2_model(
    tmp_path: Path, registry: EventRegistry
) -> None:
    store = SqliteEventStore(tmp_path / "events.db")
    old = NewEvent(uuid.uuid4(), "nl.wvggz.test.telefoon-genoteerd.v1", {"nummer": "0612345678"})
    await store.append("zaak-1", [old], NO_STREAM)

    [stored] = await store.read("zaak-1")
    event = registry.parse(stored.type, stored.data)

    assert stored.type.endswith(".v1"), "the store keeps what was written"
    assert event == TelefoonGenoteerdV2(mobiel="0612345678", vast=None)
    await store.close()


def test_a_current_event_is_parsed_without_upcasting(registry: EventRegistry) -> None:
    event = registry.parse(TelefoonGenoteerdV2.event_type, {"mobiel": None, "vast": "035-1"})

    assert event == TelefoonGenoteerdV2(mobiel=None, vast="035-1")


def test_an_unknown_type_is_a_clear_error(registry: EventRegistry) -> None:
    with pytest.raises(UnknownEventType, match=r"nl\.wvggz\.test\.onbekend\.v1"):
        registry.parse("nl.wvggz.test.onbekend.v1", {})


def test_a_type_cannot_be_registered_twice(registry: EventRegistry) -> None:
    with pytest.raises(ValueError, match="registered twice"):
        registry.register(TelefoonGenoteerdV2)
