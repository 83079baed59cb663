"""A batch is folded into the views in one transaction: rows, lookup keys and positions together."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import BaseModel
from wvggz_contracts.events import DomainEvent

from kernel.projection import CaseView, EventMeta, ViewStore
from tests.kernel.teller import Verhoogd

AT = datetime(2026, 11, 23, 12, tzinfo=UTC)


class Stand(BaseModel):
    stand: int
    sleutels: list[str]


def evolve(row: Stand | None, event: DomainEvent, meta: EventMeta) -> Stand | None:
    assert isinstance(event, Verhoogd)
    if event.met == 9:
        raise ValueError("a fold that fails halfway through a batch")
    stand = (row.stand if row else 0) + event.met
    return None if stand == 7 else Stand(stand=stand, sleutels=[f"stand:{stand}"])


STANDEN = CaseView(
    "standen", Stand, evolve, frozenset({"teller"}), lookup_keys=lambda row: row.sleutels
)


@pytest.fixture
def views(tmp_path: Path) -> Iterator[ViewStore]:
    store = ViewStore(tmp_path / "views.db")
    yield store
    store.close()


class Events:
    """Events of counters, numbered through the store as the event store would."""

    def __init__(self) -> None:
        self.position = 0

    def __call__(self, teller: uuid.UUID, met: int) -> tuple[DomainEvent, EventMeta]:
        self.position += 1
        meta = EventMeta(
            teller, "teller", "GM0402", Verhoogd.event_type, self.position, 0, AT, "t-1", "triagist"
        )
        return Verhoogd(teller_id=teller, gemeente="GM0402", met=met), meta


def test_a_case_changed_by_several_events_of_a_batch_ends_as_their_fold(views: ViewStore) -> None:
    event, een, twee = Events(), uuid.uuid4(), uuid.uuid4()
    views.apply([STANDEN], [event(een, 1), event(twee, 2), event(een, 3)], event.position)

    assert views.get(STANDEN, een) == Stand(stand=4, sleutels=["stand:4"])
    assert views.get(STANDEN, twee) == Stand(stand=2, sleutels=["stand:2"])
    assert views.position("standen") == 3


def test_a_row_stored_by_an_earlier_batch_is_evolved_further(views: ViewStore) -> None:
    event, teller = Events(), uuid.uuid4()
    views.apply([STANDEN], [event(teller, 2)], event.position)
    views.apply([STANDEN], [event(teller, 3)], event.position)

    assert views.get(STANDEN, teller) == Stand(stand=5, sleutels=["stand:5"])


def test_a_changed_row_is_found_by_its_new_lookup_keys_only(views: ViewStore) -> None:
    event, teller = Events(), uuid.uuid4()
    views.apply([STANDEN], [event(teller, 2)], event.position)
    views.apply([STANDEN], [event(teller, 1)], event.position)

    assert views.find(STANDEN, "stand:2") == []
    assert views.find(STANDEN, "stand:3") == [Stand(stand=3, sleutels=["stand:3"])]


def test_a_row_dropped_in_a_batch_leaves_no_lookup_keys(views: ViewStore) -> None:
    event, teller = Events(), uuid.uuid4()
    views.apply([STANDEN], [event(teller, 4)], event.position)
    views.apply([STANDEN], [event(teller, 1), event(teller, 2)], event.position)

    assert views.get(STANDEN, teller) is None
    assert views.find(STANDEN, "stand:4") == views.find(STANDEN, "stand:7") == []


def test_a_batch_of_many_cases_loads_and_evolves_each_of_them(views: ViewStore) -> None:
    event, tellers = Events(), [uuid.uuid4() for _ in range(1_200)]
    views.apply([STANDEN], [event(teller, 1) for teller in tellers], event.position)
    views.apply([STANDEN], [event(teller, 1) for teller in tellers], event.position)

    assert {row.stand for row in views.rows(STANDEN)} == {2}
    assert len(views.find(STANDEN, "stand:2")) == len(tellers)


def test_a_batch_that_fails_leaves_rows_keys_and_position_as_they_were(views: ViewStore) -> None:
    event, een, twee = Events(), uuid.uuid4(), uuid.uuid4()
    views.apply([STANDEN], [event(een, 1)], event.position)

    with pytest.raises(ValueError, match="halfway"):
        views.apply([STANDEN], [event(een, 2), event(twee, 3), event(twee, 9)], event.position)

    assert views.get(STANDEN, een) == Stand(stand=1, sleutels=["stand:1"])
    assert views.get(STANDEN, twee) is None
    assert views.find(STANDEN, "stand:3") == []
    assert views.position("standen") == 1


def test_each_view_skips_the_events_it_already_applied(views: ViewStore) -> None:
    event, teller = Events(), uuid.uuid4()
    later = CaseView("later", Stand, evolve, frozenset({"teller"}))
    first = event(teller, 2)
    views.apply([STANDEN], [first], event.position)
    second = event(teller, 1)
    views.apply([STANDEN, later], [first, second], event.position)

    assert views.get(STANDEN, teller) == Stand(stand=3, sleutels=["stand:3"])
    assert views.get(later, teller) == Stand(stand=3, sleutels=["stand:3"])
    assert views.position("standen") == views.position("later") == 2
