"""The whole platform as separate processes: the first slice seen from outside, and a restart."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from cloudevents.core.formats.json import JSONFormat
from cloudevents.core.v1.event import CloudEvent as SdkCloudEvent
from nats.aio.client import Client as Nats
from nats.js import JetStreamContext
from nats.js.api import DeliverPolicy
from wvggz_contracts.envelope import CloudEvent
from wvggz_contracts.subjects import EVENTS_STREAM, command_subject, events_of

from kernel.settings import ServiceSettings
from kernel.sleutels import Veldsleutels
from kernel.sleutels.bestand import open_kluis
from tests.integration.events import eventually
from tests.integration.platforms import local_platform
from wvggz.connection import Connection, demo_user
from wvggz.demo import registreer_melding_request, run_demo, run_route
from wvggz.demo_crisis import run_crisis
from wvggz.runner import Platform

pytestmark = pytest.mark.integration

Connected = tuple[Connection, Nats, Nats]
"""The platform's connection, a client application and an operator's observer."""


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[Platform]:
    platform = local_platform(tmp_path / "var")
    platform.start(timeout=60)
    yield platform
    platform.stop()


async def assert_every_published_event_parses_with_the_sdk(js: JetStreamContext) -> int:
    info = await js.stream_info(EVENTS_STREAM)
    for sequence in range(info.state.first_seq, info.state.last_seq + 1):
        message = await js.get_msg(EVENTS_STREAM, sequence)
        assert message.data is not None and message.headers is not None
        event = JSONFormat().read(SdkCloudEvent, message.data)
        assert event.get_id() == message.headers["Nats-Msg-Id"]
        CloudEvent.model_validate_json(message.data)
    return info.state.messages


async def _messages_at_least(js: JetStreamContext, count: int) -> bool:
    return await _meldpunt_messages(js) >= count


async def _meldpunt_messages(js: JetStreamContext) -> int:
    """Messages the meldpunt published (the notificaties publish its letters' life too)."""
    info = await js.stream_info(EVENTS_STREAM, subjects_filter="wvggz.evt.meldpunt.>")
    return sum((info.state.subjects or {}).values())


def http_get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read().decode()


@pytest.fixture
async def connected(platform: Platform) -> AsyncIterator[Connected]:
    """The platform's connection, a client application and an operator's observer."""
    connection = platform.connection()
    client, observer = await connection.client(), await connection.client("bootstrap")
    yield connection, client, observer
    await client.close()
    await observer.close()


def http_status(url: str, method: str) -> int:
    request = urllib.request.Request(url, method=method, data=b"{}")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as refused:
        return refused.code


async def register(
    connection: Connection, client: Nats, request: dict[str, Any], user: str = demo_user("triagist")
) -> dict[str, Any]:
    subject = command_subject("meldpunt", "registreer-melding")
    reply = await client.request(
        subject, json.dumps(request).encode(), timeout=5, headers=connection.headers(user)
    )
    answer: dict[str, Any] = json.loads(reply.data)
    return answer


async def test_an_observer_receives_a_registered_melding_as_a_valid_cloudevent(
    connected: Connected,
) -> None:
    connection, client, observer = connected
    watcher = await observer.jetstream().subscribe(
        events_of("meldpunt", "GM0402"),
        stream=EVENTS_STREAM,
        ordered_consumer=True,
        deliver_policy=DeliverPolicy.ALL,
    )

    reply = await register(connection, client, registreer_melding_request())
    message = await watcher.next_msg(timeout=10)

    assert reply["ok"], reply
    assert message.subject == "wvggz.evt.meldpunt.GM0402.melding-ontvangen.v1"
    assert message.headers is not None
    assert message.headers["Nats-Msg-Id"] == reply["event_ids"][0]
    sdk_event = JSONFormat().read(SdkCloudEvent, message.data)
    assert sdk_event.get_type() == "nl.wvggz.meldpunt.melding-ontvangen.v1"
    assert sdk_event.get_subject() == reply["case_id"]
    assert sdk_event.get_extension("gemeente") == "GM0402"
    envelope = CloudEvent.model_validate_json(message.data)
    # Personal data travels sealed under the dossier's key; the region's services open it.
    assert set(envelope.data["betrokkene"]["bsn"]) == {"vercijferd", "sleutel"}
    assert "111222333" not in message.data.decode()
    velden = Veldsleutels(open_kluis(ServiceSettings(data_dir=connection.bus_dir.parent)))
    assert velden.open(envelope.data)["betrokkene"]["bsn"] == "111222333"
    assert "111222333" not in message.subject and "Voorbeeld" not in message.subject


async def test_bad_input_gets_a_clear_error_and_nothing_is_published(connected: Connected) -> None:
    connection, client, observer = connected
    request = registreer_melding_request()
    request["payload"]["kanaal"] = "postduif"

    invalid = await register(connection, client, request)
    refused = await register(
        connection, client, registreer_melding_request(), demo_user("consulent")
    )

    assert invalid["error"]["code"] == "validation_failed"
    assert invalid["error"]["field"] == "payload.kanaal"
    assert refused["error"]["code"] == "forbidden"
    js = observer.jetstream()
    await eventually(lambda: _messages_at_least(js, 2), what="both refusals published")
    await asyncio.sleep(0.3)  # nothing else arrives
    info = await js.stream_info(EVENTS_STREAM, subjects_filter=">")
    assert info.state.messages == 2, "only the two audited refusals are published"
    assert info.state.subjects is not None
    assert sorted(info.state.subjects) == [
        "wvggz.evt.meldpunt.GM0402.autorisatie-geweigerd.v1",
        "wvggz.evt.meldpunt.GM0402.verzoek-geweigerd.v1",
    ]
    assert await assert_every_published_event_parses_with_the_sdk(js) == 2


async def test_every_service_serves_health_metrics_and_asyncapi_only(
    connected: Connected, platform: Platform
) -> None:
    connection, client, _observer = connected
    await register(connection, client, registreer_melding_request())

    for name in platform.services:
        base = f"http://127.0.0.1:{platform.port_of(name)}"
        assert http_get(f"{base}/health/live")[0] == 200
        assert http_get(f"{base}/health/ready")[0] == 200
        status, document = http_get(f"{base}/docs/asyncapi")
        assert status == 200 and json.loads(document)["asyncapi"] == "3.0.0"
        assert "<script" not in document
        assert http_status(f"{base}/docs/asyncapi/try", "POST") == 404, "no try-it endpoint"
        status, metrics = http_get(f"{base}/metrics")
        assert status == 200 and f"wvggz_{name}_relay_position" in metrics
    metrics = http_get(f"http://127.0.0.1:{platform.port_of('meldpunt')}/metrics")[1]
    assert (
        'wvggz_meldpunt_commands_handled_total{command="registreer-melding",outcome="ok"} 1.0'
        in metrics
    )
    assert "process_cpu_seconds_total" in metrics and "python_gc_collections_total" in metrics

    async def deadline_shown() -> bool:
        page = http_get(f"http://127.0.0.1:{platform.port_of('meldpunt')}/metrics")[1]
        return 'deadlines_open{bucket="later",gemeente="GM0402",soort="vo-termijn"}' in page

    await eventually(deadline_shown, within=15, what="the VO term in the deadline gauges")

    async def relayed() -> bool:
        # The service appends events of its own too (a signed checkpoint shortly after start),
        # each lagging for the moment until the relay publishes it.
        page = http_get(f"http://127.0.0.1:{platform.port_of('meldpunt')}/metrics")[1]
        return "wvggz_meldpunt_relay_lag_events 0.0" in page

    await eventually(relayed, within=15, what="the relay caught up with the store")
    assert 'wvggz_meldpunt_consumer_pending_messages{consumer="meldpunt-vo-afgesloten"}' in metrics
    assert "111222333" not in metrics


async def test_the_demo_shows_the_event_arriving_and_walks_the_route(platform: Platform) -> None:
    lines: list[str] = []
    connection = platform.connection()

    event = await run_demo(connection, say=lines.append)
    letters = await run_route(connection, say=lines.append)
    copies = await run_crisis(connection, say=lines.append)

    assert event.type == "nl.wvggz.meldpunt.melding-ontvangen.v1"
    assert any("unauthenticated" in line for line in lines)
    assert any("elfproef" in line for line in lines)
    assert letters == ["ontvangstbevestiging", "triage-vervolg", "vo-uitkomst", "ovj-besluit"]
    assert sorted(copies) == sorted(
        ["betrokkene", "advocaat", "geneesheer-directeur", "igj", "ovj", "pvp"]
    )


async def test_a_restart_keeps_every_event_and_recognises_a_retried_command(
    platform: Platform,
) -> None:
    connection = platform.connection()
    client = await connection.client()
    request = registreer_melding_request()
    first = await register(connection, client, request)
    await client.close()

    platform.stop()
    platform.start(timeout=60)
    client, observer = await connection.client(), await connection.client("bootstrap")
    again = await register(connection, client, request)
    other = await register(
        connection, client, registreer_melding_request() | {"command_id": str(uuid.uuid4())}
    )
    js = observer.jetstream()
    # Each registration is MeldingOntvangen plus a receipt letter for the melder.
    await eventually(lambda: _messages_at_least(js, 4), what="the second melding published")
    await assert_every_published_event_parses_with_the_sdk(js)
    published = await _meldpunt_messages(js)
    await client.close()
    await observer.close()

    assert again["duplicate"] and again["case_id"] == first["case_id"]
    assert other["ok"] and other["position"] == first["position"] + 2
    assert published == 4
