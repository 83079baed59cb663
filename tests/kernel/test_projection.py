"""Views follow the store from their checkpoint, answer queries, and survive restarts."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Awaitable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from wvggz_contracts.commands import Actor, CommandReply, ErrorCode, QueryReply, Rol
from wvggz_contracts.events import DomainEvent

from kernel.deadlines import DeadlineWatcher, DueSignal
from kernel.decider import refuse
from kernel.eventstore.sqlite import SqliteEventStore
from kernel.pipeline import CommandPipeline
from kernel.projection import CaseView, EventMeta, Projector, Tijdlijn, ViewStore
from kernel.queries import Inzage, answer_query
from tests.kernel.teller import EVENTS, TELLER, VERHOOG, Verhoogd

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)
TRIAGIST = Actor(id="t-1", rol=Rol.TRIAGIST, gemeente="GM0402")


class Stand(BaseModel):
    stand: int
    door: list[str]


def evolve_stand(row: Stand | None, event: DomainEvent, meta: EventMeta) -> Stand | None:
    assert isinstance(event, Verhoogd)
    stand = (row.stand if row else 0) + event.met
    return None if stand == 7 else Stand(stand=stand, door=[*(row.door if row else []), meta.actor])


STANDEN = CaseView("standen", Stand, evolve_stand, frozenset({"teller"}))


class Params(BaseModel):
    teller_id: uuid.UUID


Parts = tuple[SqliteEventStore, ViewStore, CommandPipeline]


@pytest.fixture
async def parts(tmp_path: Path) -> AsyncIterator[Parts]:
    store = SqliteEventStore(tmp_path / "events.db")
    views = ViewStore(tmp_path / "views.db")
    pipeline = CommandPipeline(store, EVENTS, "test", lambda: NOW)
    yield store, views, pipeline
    await store.close()
    views.close()


def verhoog(teller: uuid.UUID, met: int = 1, command_id: uuid.UUID | None = None) -> dict[str, Any]:
    return {
        "command_id": str(command_id or uuid.uuid4()),
        "payload": {"teller_id": str(teller), "gemeente": "GM0402", "met": met},
    }


async def test_a_view_shows_a_write_as_soon_as_the_caller_waits_for_its_position(
    parts: Parts,
) -> None:
    store, views, pipeline = parts
    projector = Projector(store, views, [STANDEN], EVENTS)
    projector.start()
    teller = uuid.uuid4()

    await pipeline.handle(TELLER, VERHOOG, verhoog(teller, 2), TRIAGIST)
    reply = await pipeline.handle(TELLER, VERHOOG, verhoog(teller, 3), TRIAGIST)
    assert reply.position is not None
    await projector.wait_for(reply.position)

    assert views.get(STANDEN, teller) == Stand(stand=5, door=["t-1", "t-1"])
    assert views.rows(STANDEN, "GM0402") == [Stand(stand=5, door=["t-1", "t-1"])]
    assert views.rows(STANDEN, "GM0406") == []
    assert views.docs(STANDEN, "GM0402") == [{"stand": 5, "door": ["t-1", "t-1"]}]
    assert views.docs(STANDEN, "GM0406") == []
    await projector.stop()


async def test_a_row_the_view_drops_is_removed(parts: Parts) -> None:
    store, views, pipeline = parts
    projector = Projector(store, views, [STANDEN], EVENTS)
    projector.start()
    teller = uuid.uuid4()

    reply = await pipeline.handle(TELLER, VERHOOG, verhoog(teller, 7), TRIAGIST)
    assert reply.position is not None
    await projector.wait_for(reply.position)

    assert views.get(STANDEN, teller) is None
    await projector.stop()


async def test_a_restarted_projector_resumes_from_its_checkpoint_without_applying_twice(
    parts: Parts, tmp_path: Path
) -> None:
    store, views, pipeline = parts
    teller = uuid.uuid4()
    first = Projector(store, views, [STANDEN], EVENTS)
    first.start()
    reply = await pipeline.handle(TELLER, VERHOOG, verhoog(teller, 2), TRIAGIST)
    assert reply.position is not None
    await first.wait_for(reply.position)
    await first.stop()
    views.close()

    reopened = ViewStore(tmp_path / "views.db")
    second = Projector(store, reopened, [STANDEN], EVENTS)
    assert second.position == reply.position
    second.start()
    reply = await pipeline.handle(TELLER, VERHOOG, verhoog(teller, 1), TRIAGIST)
    assert reply.position is not None
    await second.wait_for(reply.position)

    row = reopened.get(STANDEN, teller)
    assert row is not None
    assert row.stand == 3
    await second.stop()
    reopened.close()


async def test_a_query_waits_for_the_callers_position_or_says_it_is_unavailable(
    parts: Parts,
) -> None:
    store, views, pipeline = parts
    projector = Projector(store, views, [STANDEN], EVENTS)
    teller = uuid.uuid4()
    reply = await pipeline.handle(TELLER, VERHOOG, verhoog(teller, 4), TRIAGIST)

    async def answer(actor: Actor, params: Params, inzage: Inzage) -> Stand | None:
        if actor.gemeente != "GM0402":
            raise refuse("andere gemeente")
        return views.get(STANDEN, params.teller_id)

    def query(position: int | None, gemeente: str = "GM0402") -> Awaitable[QueryReply]:
        actor = TRIAGIST.model_copy(update={"gemeente": gemeente})
        body = {"min_position": position, "params": {"teller_id": str(teller)}}
        return answer_query(json.dumps(body), actor, Params, answer, projector, Inzage(), wait=0.3)

    lagging = await query(reply.position)
    projector.start()
    fresh = await query(reply.position)
    refused = await query(None, gemeente="GM0406")
    invalid = await answer_query(b'{"actor": {}}', TRIAGIST, Params, answer, projector, Inzage())

    assert lagging.error is not None
    assert lagging.error.code is ErrorCode.UNAVAILABLE
    assert fresh.ok and fresh.data == Stand(stand=4, door=["t-1"])
    assert refused.error is not None
    assert refused.error.code is ErrorCode.FORBIDDEN
    assert invalid.error is not None
    assert invalid.error.code is ErrorCode.VALIDATION_FAILED
    await projector.stop()


async def test_a_deadline_signal_sent_twice_appends_once(parts: Parts) -> None:
    store, _views, pipeline = parts
    teller = uuid.uuid4()
    signal = DueSignal(teller, "GM0402", "waarschuwing", NOW - timedelta(minutes=1))

    async def send(due: DueSignal) -> CommandReply:
        return await pipeline.handle(
            TELLER, VERHOOG, verhoog(due.case_id, 1, due.command_id), TRIAGIST
        )

    async def due(now: datetime) -> list[DueSignal]:
        return [signal] if signal.due <= now else []

    watcher = DeadlineWatcher(due, send, lambda: NOW)
    first = await watcher.tick()
    again = await watcher.tick()

    assert first[0].ok and not first[0].duplicate
    assert again[0].duplicate
    assert len(await store.read(f"teller-{teller}")) == 1


async def test_rows_are_found_by_their_lookup_keys_and_lose_them_when_dropped(
    parts: Parts,
) -> None:
    store, views, pipeline = parts
    by_actor = CaseView(
        "by-actor",
        Stand,
        evolve_stand,
        frozenset({"teller"}),
        lookup_keys=lambda row: [f"door:{d}" for d in row.door],
    )
    projector = Projector(store, views, [by_actor], EVENTS)
    projector.start()
    kept, dropped = uuid.uuid4(), uuid.uuid4()

    await pipeline.handle(TELLER, VERHOOG, verhoog(kept, 2), TRIAGIST)
    reply = await pipeline.handle(TELLER, VERHOOG, verhoog(dropped, 7), TRIAGIST)
    assert reply.position is not None
    await projector.wait_for(reply.position)

    assert views.find(by_actor, "door:t-1") == [Stand(stand=2, door=["t-1"])]
    assert views.find(by_actor, "door:t-1", gemeente="GM0406") == []
    assert views.find(by_actor, "door:iemand-anders") == []
    await projector.stop()


def evolve_tijdlijn(row: Tijdlijn | None, event: DomainEvent, meta: EventMeta) -> Tijdlijn:
    return (row or Tijdlijn()).met_stap(meta)


TIJDLIJNEN = CaseView("tijdlijnen", Tijdlijn, evolve_tijdlijn, frozenset({"teller"}))


async def test_a_views_row_versions_change_only_when_one_of_its_cases_does(parts: Parts) -> None:
    store, views, pipeline = parts
    projector = Projector(store, views, [TIJDLIJNEN], EVENTS)
    projector.start()
    een, twee = uuid.uuid4(), uuid.uuid4()

    await pipeline.handle(TELLER, VERHOOG, verhoog(een), TRIAGIST)
    reply = await pipeline.handle(TELLER, VERHOOG, verhoog(twee), TRIAGIST)
    assert reply.position is not None
    await projector.wait_for(reply.position)
    before = views.versions(TIJDLIJNEN)
    reply = await pipeline.handle(TELLER, VERHOOG, verhoog(een), TRIAGIST)
    assert reply.position is not None
    await projector.wait_for(reply.position)

    assert dict(before) == {str(een): 0, str(twee): 0}
    assert dict(views.versions(TIJDLIJNEN)) == {str(een): 1, str(twee): 0}
    await projector.stop()
