"""The generic command pipeline against a real SQLite store: replies, refusals, retries."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from wvggz_contracts.audit import EVENTS as AUDIT_EVENTS
from wvggz_contracts.commands import Actor, ErrorCode, Rol

from kernel.eventstore import EventStore, NewEvent, RecordedEvent
from kernel.eventstore.port import NO_STREAM
from kernel.eventstore.sqlite import SqliteEventStore
from kernel.pipeline import CommandPipeline
from kernel.sleutels.kluis import SleutelVernietigd
from tests.kernel.teller import EVENTS, TELLER, VERHOOG, Verhoogd

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)
TRIAGIST = Actor(id="t-1", rol=Rol.TRIAGIST, gemeente="GM0402")


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqliteEventStore]:
    store = SqliteEventStore(tmp_path / "events.db")
    yield store
    await store.close()


@pytest.fixture
def outcomes() -> list[tuple[str, str]]:
    return []


@pytest.fixture
def pipeline(store: SqliteEventStore, outcomes: list[tuple[str, str]]) -> CommandPipeline:
    return CommandPipeline(
        store,
        EVENTS.merged(AUDIT_EVENTS),
        "test",
        lambda: NOW,
        on_outcome=lambda c, o: outcomes.append((c, o)),
    )


def body(
    teller_id: uuid.UUID,
    met: int = 1,
    command_id: uuid.UUID | None = None,
    gemeente: str = "GM0402",
) -> dict[str, Any]:
    return {
        "command_id": str(command_id or uuid.uuid4()),
        "payload": {"teller_id": str(teller_id), "gemeente": gemeente, "met": met},
    }


async def everything(store: EventStore) -> list[RecordedEvent]:
    return [e async for e in store.read_all(0)]


async def test_a_valid_command_appends_its_events_and_replies_version_and_position(
    pipeline: CommandPipeline, store: SqliteEventStore, outcomes: list[tuple[str, str]]
) -> None:
    teller = uuid.uuid4()

    reply = await pipeline.handle(TELLER, VERHOOG, json.dumps(body(teller, 3)), TRIAGIST)

    assert reply.ok and reply.error is None
    assert (reply.case_id, reply.version, reply.position) == (teller, 0, 1)
    [stored] = await store.read(f"teller-{teller}")
    assert stored.event_id == reply.event_ids[0]
    assert stored.data == {"teller_id": str(teller), "gemeente": "GM0402", "met": 3}
    assert stored.metadata["causation_id"] == stored.metadata["correlation_id"]
    assert stored.metadata["actor"] == "t-1" and stored.metadata["gemeente"] == "GM0402"
    assert stored.metadata["occurred_at"] == NOW.isoformat()
    assert outcomes == [("verhoog", "ok")]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"met": 0}, "payload.met"),
        ({"gemeente": "Hilversum"}, "payload.gemeente"),
        ({"teller_id": "geen-uuid"}, "payload.teller_id"),
    ],
)
async def test_invalid_input_names_the_field_and_appends_nothing(
    pipeline: CommandPipeline, store: SqliteEventStore, change: dict[str, Any], field: str
) -> None:
    request = body(uuid.uuid4())
    request["payload"].update(change)

    reply = await pipeline.handle(TELLER, VERHOOG, request, TRIAGIST)

    assert not reply.ok
    assert reply.error is not None
    assert reply.error.code is ErrorCode.VALIDATION_FAILED
    assert reply.error.field == field and field in reply.error.message
    assert await everything(store) == []


async def test_malformed_json_is_a_validation_error(
    pipeline: CommandPipeline, store: SqliteEventStore
) -> None:
    reply = await pipeline.handle(TELLER, VERHOOG, b"{not json", TRIAGIST)

    assert reply.error is not None
    assert reply.error.code is ErrorCode.VALIDATION_FAILED
    assert await everything(store) == []


async def test_a_broken_rule_replies_its_code_and_appends_nothing(
    pipeline: CommandPipeline, store: SqliteEventStore
) -> None:
    teller = uuid.uuid4()
    await pipeline.handle(TELLER, VERHOOG, body(teller, 9), TRIAGIST)

    reply = await pipeline.handle(TELLER, VERHOOG, body(teller, 2), TRIAGIST)

    assert reply.error is not None
    assert reply.error.code is ErrorCode.RULE_VIOLATED and reply.error.field == "met"
    assert len(await store.read(f"teller-{teller}")) == 1


async def test_a_refusal_appends_nothing_to_the_case_but_is_audited_for_both_gemeenten(
    pipeline: CommandPipeline, store: SqliteEventStore
) -> None:
    teller = uuid.uuid4()
    await pipeline.handle(TELLER, VERHOOG, body(teller), TRIAGIST)
    huizen = Actor(id="t-9", rol=Rol.TRIAGIST, gemeente="GM0406")

    reply = await pipeline.handle(TELLER, VERHOOG, body(teller, gemeente="GM0406"), huizen)

    assert reply.error is not None
    assert reply.error.code is ErrorCode.FORBIDDEN
    assert len(await store.read(f"teller-{teller}")) == 1
    audits = await store.read("audit-test")
    assert {a.metadata["gemeente"] for a in audits} == {"GM0402", "GM0406"}, "owner and actor"
    for audit in audits:
        assert audit.type == "nl.wvggz.audit.autorisatie-geweigerd.v1"
        assert audit.data["actor"] == "t-9" and audit.data["case_id"] == str(teller)
        assert audit.data["reden"] == "andere gemeente"
        assert audit.data["zaak_gemeente"] == "GM0402"


async def test_a_refusal_in_the_actors_own_gemeente_is_audited_once(
    pipeline: CommandPipeline, store: SqliteEventStore
) -> None:
    teller = uuid.uuid4()
    await pipeline.handle(TELLER, VERHOOG, body(teller, 9), TRIAGIST)
    hoorder = Actor(id="h-1", rol=Rol.HOORDER, gemeente="GM0402")

    reply = await pipeline.handle(TELLER, VERHOOG, body(teller), hoorder)

    assert reply.error is not None
    assert reply.error.code is ErrorCode.FORBIDDEN, reply.error
    [audit] = await store.read("audit-test")
    assert audit.metadata["gemeente"] == "GM0402"


async def test_a_retried_command_is_answered_again_without_new_events(
    pipeline: CommandPipeline, store: SqliteEventStore, outcomes: list[tuple[str, str]]
) -> None:
    request = body(uuid.uuid4(), 2)
    first = await pipeline.handle(TELLER, VERHOOG, request, TRIAGIST)

    again = await pipeline.handle(TELLER, VERHOOG, request, TRIAGIST)

    assert again.duplicate and again.ok
    assert (again.version, again.position, again.event_ids) == (
        first.version,
        first.position,
        first.event_ids,
    )
    assert len(await everything(store)) == 1
    assert outcomes[-1] == ("verhoog", "duplicate")


class _InterleavingStore(SqliteEventStore):
    """Lets another writer slip in between the pipeline's read and its append, `times` times."""

    times = 1

    async def append(self, stream: str, events: Sequence[NewEvent], expected_version: int) -> int:
        if self.times and events[0].type == Verhoogd.event_type:
            self.times -= 1
            other = Verhoogd(teller_id=events[0].data["teller_id"], gemeente="GM0402", met=1)
            await super().append(
                stream,
                [NewEvent(uuid.uuid4(), other.event_type, other.model_dump(mode="json"))],
                expected_version,
            )
        return await super().append(stream, events, expected_version)


async def test_a_concurrent_write_makes_the_pipeline_decide_again_on_fresh_state(
    tmp_path: Path,
) -> None:
    store = _InterleavingStore(tmp_path / "events.db")
    pipeline = CommandPipeline(store, EVENTS, "test", lambda: NOW)
    teller = uuid.uuid4()

    reply = await pipeline.handle(TELLER, VERHOOG, body(teller, 5), TRIAGIST)

    assert reply.ok and reply.version == 1
    assert [e.data["met"] for e in await store.read(f"teller-{teller}")] == [1, 5]
    await store.close()


async def test_endless_conflicts_give_up_with_a_conflict_error(tmp_path: Path) -> None:
    store = _InterleavingStore(tmp_path / "events.db")
    store.times = 99
    pipeline = CommandPipeline(store, EVENTS, "test", lambda: NOW, max_attempts=3)
    teller = uuid.uuid4()

    reply = await pipeline.handle(TELLER, VERHOOG, body(teller, 1), TRIAGIST)

    assert reply.error is not None
    assert reply.error.code is ErrorCode.CONFLICT
    assert all(
        e.data["met"] == 1 and e.metadata == {} for e in await store.read(f"teller-{teller}")
    )
    await store.close()


async def test_a_command_id_reused_for_another_case_or_actor_is_refused(
    pipeline: CommandPipeline, store: SqliteEventStore
) -> None:
    used = uuid.uuid4()
    first = await pipeline.handle(TELLER, VERHOOG, body(uuid.uuid4(), command_id=used), TRIAGIST)
    other_actor = Actor(id="t-2", rol=Rol.TRIAGIST, gemeente="GM0402")
    assert first.case_id is not None

    other_case = await pipeline.handle(
        TELLER, VERHOOG, body(uuid.uuid4(), command_id=used), TRIAGIST
    )
    other_person = await pipeline.handle(
        TELLER, VERHOOG, body(first.case_id, command_id=used), other_actor
    )

    assert first.ok
    for reply in (other_case, other_person):
        assert reply.error is not None
        assert reply.error.code is ErrorCode.IDEMPOTENCY_KEY_REUSED
        assert reply.error.field == "command_id"
        assert "een ander commando" in reply.error.message
        assert reply.event_ids == [] and not reply.duplicate
    assert len(await everything(store)) == 1


async def test_a_command_id_reused_with_other_content_is_refused_and_the_same_content_replays(
    pipeline: CommandPipeline, store: SqliteEventStore
) -> None:
    used, teller = uuid.uuid4(), uuid.uuid4()
    first = await pipeline.handle(TELLER, VERHOOG, body(teller, 2, command_id=used), TRIAGIST)

    changed = await pipeline.handle(TELLER, VERHOOG, body(teller, 3, command_id=used), TRIAGIST)
    again = await pipeline.handle(TELLER, VERHOOG, body(teller, 2, command_id=used), TRIAGIST)

    assert changed.error is not None
    assert changed.error.code is ErrorCode.IDEMPOTENCY_KEY_REUSED
    assert "andere inhoud" in changed.error.message and changed.error.field == "command_id"
    assert again.ok and again.duplicate and again.event_ids == first.event_ids
    [stored] = await store.read(f"teller-{teller}")
    assert stored.data["met"] == 2, "the first content stays; nothing new was appended"


async def test_events_stored_before_fingerprints_existed_still_replay(
    pipeline: CommandPipeline, store: SqliteEventStore
) -> None:
    used, teller = uuid.uuid4(), uuid.uuid4()
    first = await pipeline.handle(TELLER, VERHOOG, body(teller, 2, command_id=used), TRIAGIST)
    [stored] = await store.read(f"teller-{teller}")
    old = {k: v for k, v in stored.metadata.items() if k != "payload_sha256"}
    other_store = SqliteEventStore(store.path.with_name("old.db"))
    await other_store.append(
        stored.stream, [NewEvent(stored.event_id, stored.type, stored.data, old)], NO_STREAM
    )
    old_pipeline = CommandPipeline(other_store, pipeline.registry, "test", lambda: NOW)

    again = await old_pipeline.handle(TELLER, VERHOOG, body(teller, 2, command_id=used), TRIAGIST)

    assert again.ok and again.duplicate and again.event_ids == first.event_ids
    await other_store.close()


async def test_a_command_for_the_version_the_sender_read_is_carried_out(
    pipeline: CommandPipeline, store: SqliteEventStore
) -> None:
    teller = uuid.uuid4()
    first = await pipeline.handle(TELLER, VERHOOG, body(teller), TRIAGIST)

    second = await pipeline.handle(
        TELLER, VERHOOG, body(teller) | {"expected_version": first.version}, TRIAGIST
    )

    assert second.ok and second.version == 1
    assert len(await store.read(f"teller-{teller}")) == 2


async def test_a_command_on_a_case_that_moved_on_is_a_conflict_and_appends_nothing(
    pipeline: CommandPipeline, store: SqliteEventStore
) -> None:
    teller = uuid.uuid4()
    read = await pipeline.handle(TELLER, VERHOOG, body(teller), TRIAGIST)
    await pipeline.handle(TELLER, VERHOOG, body(teller), TRIAGIST)  # someone else, meanwhile

    stale = await pipeline.handle(
        TELLER, VERHOOG, body(teller) | {"expected_version": read.version}, TRIAGIST
    )

    assert stale.error is not None and stale.error.code == ErrorCode.CONFLICT
    assert stale.error.field == "expected_version" and stale.version == 1
    assert len(await store.read(f"teller-{teller}")) == 2


async def test_a_command_whose_payload_names_another_case_than_meant_is_refused(
    pipeline: CommandPipeline, store: SqliteEventStore
) -> None:
    teller, other = uuid.uuid4(), uuid.uuid4()

    refused = await pipeline.handle(
        TELLER, VERHOOG, body(teller) | {"case_id": str(other)}, TRIAGIST
    )
    meant = await pipeline.handle(
        TELLER, VERHOOG, body(teller) | {"case_id": str(teller)}, TRIAGIST
    )

    assert refused.error is not None and refused.error.code == ErrorCode.VALIDATION_FAILED
    assert refused.error.field == "case_id"
    assert meant.ok
    assert len(await store.read(f"teller-{teller}")) == 1


async def test_a_case_whose_personal_data_was_destroyed_takes_no_more_commands(
    store: SqliteEventStore,
) -> None:
    asked: list[str] = []
    destroyed: set[str] = set()

    def vernietigd(stream: str) -> bool:
        asked.append(stream)
        return stream in destroyed

    pipeline = CommandPipeline(store, EVENTS, "test", lambda: NOW, vernietigd=vernietigd)
    teller = uuid.uuid4()
    first = await pipeline.handle(TELLER, VERHOOG, body(teller), TRIAGIST)
    destroyed.add(f"teller-{teller}")

    refused = await pipeline.handle(TELLER, VERHOOG, body(teller), TRIAGIST)

    assert first.ok
    assert asked == [f"teller-{teller}"], "a new case is not looked up in the key store"
    assert refused.error is not None and refused.error.code is ErrorCode.CONFLICT
    assert "vernietigd" in refused.error.message
    assert len(await store.read(f"teller-{teller}")) == 1


class _DestroyedKeyStore(SqliteEventStore):
    """Refuses to seal under a key destroyed meanwhile, as the sealing store does."""

    async def append(self, stream: str, events: Sequence[NewEvent], expected_version: int) -> int:
        raise SleutelVernietigd(stream)


async def test_a_new_case_whose_key_was_destroyed_is_refused_as_destroyed(tmp_path: Path) -> None:
    store = _DestroyedKeyStore(tmp_path / "events.db")
    pipeline = CommandPipeline(store, EVENTS, "test", lambda: NOW)

    reply = await pipeline.handle(TELLER, VERHOOG, body(uuid.uuid4()), TRIAGIST)

    assert reply.error is not None and reply.error.code is ErrorCode.CONFLICT
    assert "vernietigd" in reply.error.message
    await store.close()
