"""One trace runs from the command, through the stored event and the relay, to a consumer."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from faststream.nats import JStream, NatsBroker, PullSub
from faststream.nats.opentelemetry import NatsTelemetryMiddleware
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from wvggz_contracts.subjects import EVENTS_STREAM, command_subject

from kernel.identity.testing import TestIssuer
from kernel.testing import NatsServer
from services.meldpunt.app import DEFINITION, MeldpuntSettings
from tests.identity import bearer
from tests.services.meldpunt.fixtures import registreer_melding

pytestmark = pytest.mark.integration


async def test_the_command_trace_reaches_the_consumer_of_its_event(
    tmp_path: Path, nats_server: NatsServer, issuer: tuple[TestIssuer, dict[str, Any]]
) -> None:
    token_issuer, oidc = issuer
    exporter = InMemorySpanExporter()
    outside = TracerProvider(resource=Resource.create({"service.name": "partner"}))
    outside.add_span_processor(SimpleSpanProcessor(exporter))
    settings = MeldpuntSettings(data_dir=tmp_path, nats_url=nats_server.url, **oidc)
    app = DEFINITION.build(settings, span_exporter=exporter)
    client = NatsBroker(
        nats_server.url, middlewares=[NatsTelemetryMiddleware(tracer_provider=outside)]
    )
    partner = NatsBroker(
        nats_server.url, middlewares=[NatsTelemetryMiddleware(tracer_provider=outside)]
    )
    received: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    @partner.subscriber(
        "wvggz.evt.meldpunt.>",
        stream=JStream(EVENTS_STREAM, declare=False),
        durable="partner",
        pull_sub=PullSub(timeout=0.5),
    )
    async def on_event(body: dict[str, Any]) -> None:
        received.set_result(None)

    async with app:
        await client.start()
        await partner.start()
        now = datetime.now(UTC)
        body = {
            "command_id": str(uuid.uuid4()),
            "payload": registreer_melding(now).model_dump(mode="json"),
        }
        reply = await client.request(
            body,
            command_subject("meldpunt", "registreer-melding"),
            headers=bearer(token_issuer.token("t-1", ["triagist"], ["GM0402"])),
            timeout=5,
        )
        answer = await reply.decode()
        assert answer is not None
        assert answer["ok"]
        await asyncio.wait_for(received, timeout=10)
        await partner.stop()
        await client.stop()

    spans = exporter.get_finished_spans()
    [sent] = [s for s in spans if s.name.endswith("registreer-melding publish")]
    trace = [s for s in spans if s.context.trace_id == sent.context.trace_id]
    names = {(s.resource.attributes["service.name"], s.name) for s in trace}
    assert ("wvggz-meldpunt", "wvggz.cmd.meldpunt.registreer-melding process") in names
    assert ("wvggz-meldpunt", "wvggz.evt.meldpunt.GM0402.melding-ontvangen.v1 publish") in names
    assert ("partner", "wvggz.evt.meldpunt.GM0402.melding-ontvangen.v1 process") in names
