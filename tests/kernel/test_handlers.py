"""Commands over request/reply: the message reaches its handler in the event loop, verified."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import anyio.to_thread
import pytest
from faststream.nats import NatsBroker, NatsRouter, TestNatsBroker
from wvggz_contracts.commands import Actor, CommandReply
from wvggz_contracts.subjects import command_subject

from kernel.access import Gate
from kernel.audit import AuditTrail
from kernel.eventstore.sqlite import SqliteEventStore
from kernel.handlers import serve_command
from kernel.identity import TokenVerifier
from kernel.identity.testing import TestIssuer
from kernel.settings import ServiceSettings
from tests.identity import bearer

SUBJECT = command_subject("proef", "doe-iets")

Handled = list[tuple[threading.Thread, bytes, str]]


@pytest.fixture
def token_issuer() -> TestIssuer:
    return TestIssuer()


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqliteEventStore]:
    store = SqliteEventStore(tmp_path / "events.db")
    yield store
    await store.close()


@pytest.fixture
def handled() -> Handled:
    return []


@pytest.fixture
def broker(
    tmp_path: Path, token_issuer: TestIssuer, store: SqliteEventStore, handled: Handled
) -> NatsBroker:
    settings = ServiceSettings(
        service_name="proef", data_dir=tmp_path, **token_issuer.settings_overrides()
    )
    audit = AuditTrail(store, "proef", lambda: datetime.now(UTC))
    gate = Gate(TokenVerifier(settings, token_issuer.key_source()), audit, "_INBOX_wvggz-proef")

    async def handle(body: bytes, actor: Actor) -> CommandReply:
        handled.append((threading.current_thread(), body, actor.id))
        return CommandReply(ok=True, command_id=uuid.uuid4())

    router = NatsRouter()
    serve_command(router, "proef", "doe-iets", gate, handle, description="Doe iets.", concurrency=4)
    broker = NatsBroker()
    broker.include_router(router)
    return broker


@pytest.fixture
def worker_threads(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Whatever FastStream's dependency injection hands to a worker thread."""
    sent: list[object] = []
    run_sync = anyio.to_thread.run_sync

    async def counted(func: Any, *args: Any, **kwargs: Any) -> Any:
        sent.append(func)
        return await run_sync(func, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counted)
    return sent


async def ask(broker: NatsBroker, body: bytes, headers: dict[str, str]) -> dict[str, Any]:
    reply = await (await broker.request(body, SUBJECT, headers=headers)).decode()
    assert isinstance(reply, dict), reply
    return reply


async def test_the_raw_body_and_verified_actor_reach_the_handler_in_the_event_loop(
    broker: NatsBroker,
    token_issuer: TestIssuer,
    handled: Handled,
    worker_threads: list[object],
) -> None:
    body = json.dumps({"command_id": str(uuid.uuid4()), "payload": {"a": 1}}).encode()

    async with TestNatsBroker(broker) as test_broker:
        reply = await ask(
            test_broker, body, bearer(token_issuer.token("t-1", ["triagist"], ["GM0402"]))
        )

    assert reply["ok"] is True, reply
    assert handled == [(threading.main_thread(), body, "t-1")]
    assert worker_threads == [], "a thread hop for every command"


async def test_without_a_valid_token_the_handler_never_runs(
    broker: NatsBroker, handled: Handled, worker_threads: list[object]
) -> None:
    async with TestNatsBroker(broker) as test_broker:
        reply = await ask(test_broker, b"{}", bearer("not-a-jwt"))

    assert reply["ok"] is False
    assert reply["error"]["code"] == "unauthenticated"
    assert handled == [] and worker_threads == []
