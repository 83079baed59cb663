"""A list query asked by page answers that page, the total, and audits the rows shown."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from wvggz_contracts.commands import Actor, Rol
from wvggz_contracts.events import EventRegistry

from kernel.eventstore.sqlite import SqliteEventStore
from kernel.projection import Projector, ViewStore
from kernel.queries import Inzage, NoParams, answer_query

TRIAGIST = Actor(id="t-1", rol=Rol.TRIAGIST, gemeente="GM0402")


@pytest.fixture
async def projector(tmp_path: Path) -> AsyncIterator[Projector]:
    store = SqliteEventStore(tmp_path / "events.db")
    views = ViewStore(tmp_path / "views.db")
    yield Projector(store, views, [], EventRegistry())
    views.close()
    await store.close()


async def rows(_actor: Actor, _params: Any, inzage: Inzage) -> list[int]:
    inzage.aantal = 120
    return list(range(120))


async def test_a_page_of_a_list_comes_with_the_total_and_only_its_rows_are_audited(
    projector: Projector,
) -> None:
    inzage = Inzage()
    body = json.dumps({"params": {}, "page": 3, "page_size": 50})

    reply = await answer_query(body, TRIAGIST, NoParams, rows, projector, inzage)

    assert reply.ok and reply.data == list(range(100, 120)) and reply.total == 120
    assert inzage.aantal == 20


async def test_without_a_page_the_whole_list_comes_as_before(projector: Projector) -> None:
    reply = await answer_query(
        json.dumps({"params": {}}), TRIAGIST, NoParams, rows, projector, Inzage()
    )

    assert reply.ok and reply.data == list(range(120)) and reply.total is None


@pytest.mark.parametrize("page", [{"page": 0}, {"page_size": 501}, {"page_size": 0}])
async def test_an_impossible_page_is_refused(projector: Projector, page: dict[str, int]) -> None:
    body = json.dumps({"params": {}, **page})

    reply = await answer_query(body, TRIAGIST, NoParams, rows, projector, Inzage())

    assert reply.error is not None and reply.error.code == "validation_failed"


async def lights(_actor: Actor, _params: Any, inzage: Inzage) -> list[dict[str, str]]:
    return [{"n": str(n), "stoplicht": ("rood", "groen")[n % 2]} for n in range(10)]


async def test_a_list_is_filtered_on_a_declared_field_before_it_is_paged(
    projector: Projector,
) -> None:
    inzage = Inzage()
    body = json.dumps({"params": {}, "filters": {"stoplicht": "rood"}, "page": 1, "page_size": 2})

    reply = await answer_query(
        body, TRIAGIST, NoParams, lights, projector, inzage, filters=("stoplicht",)
    )

    assert reply.data == [{"n": "0", "stoplicht": "rood"}, {"n": "2", "stoplicht": "rood"}]
    assert reply.total == 5 and inzage.aantal == 2


async def test_a_filter_the_query_does_not_offer_is_refused(projector: Projector) -> None:
    body = json.dumps({"params": {}, "filters": {"naam": "J. Voorbeeld"}})

    reply = await answer_query(
        body, TRIAGIST, NoParams, lights, projector, Inzage(), filters=("stoplicht",)
    )

    assert reply.error is not None and reply.error.field == "filters.naam"


async def test_a_value_ending_in_a_star_finds_the_rows_that_start_with_it(
    projector: Projector,
) -> None:
    body = json.dumps({"params": {}, "filters": {"n": "1*"}})

    reply = await answer_query(body, TRIAGIST, NoParams, wide, projector, Inzage(), filters=("n",))

    assert [row["n"] for row in reply.data] == ["1", "10", "11"]


async def wide(_actor: Actor, _params: Any, _inzage: Inzage) -> list[dict[str, str]]:
    return [{"n": str(n)} for n in range(12)]


async def test_a_long_list_asked_whole_is_refused_with_its_length(projector: Projector) -> None:
    async def many(_actor: Actor, _params: Any, _inzage: Inzage) -> list[int]:
        return list(range(1001))

    reply = await answer_query(
        json.dumps({"params": {}}), TRIAGIST, NoParams, many, projector, Inzage()
    )

    assert reply.error is not None and reply.error.field == "page" and reply.total == 1001
