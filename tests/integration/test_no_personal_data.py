"""Both routes with a marker BSN and marker names: none of it in logs, metrics, spans, subjects,
headers, the event stores or the event stream (sealed there); only what the services derived to
work with (views, notificaties' files) and the partners' own streams hold it in the open."""

from __future__ import annotations

import json
import sqlite3
import urllib.request
from contextlib import closing
from pathlib import Path

import pytest
from opentelemetry.proto.common.v1.common_pb2 import AnyValue
from opentelemetry.proto.trace.v1.trace_pb2 import Span

from kernel.settings import ServiceSettings
from kernel.sleutels import Veldsleutels
from kernel.sleutels.bestand import open_kluis
from tests.integration.bus_watch import BusWatch
from tests.integration.marked_routes import (
    a_refused_melding,
    all_consumed,
    to_the_besluit,
    to_the_ovj,
)
from tests.integration.markers import BETROKKENE, BSN, MELDER, file_leaks, leaks
from tests.integration.otlp_sink import span_sink, text_of
from tests.integration.platforms import running
from tests.integration.route import demo_tokens
from wvggz.runner import Platform

pytestmark = pytest.mark.integration

SERVICES = ("meldpunt", "onderzoek", "crisis", "notificaties", "overleg")


def metrics_of(platform: Platform) -> list[str]:
    """Each service's `/metrics` page."""
    pages = []
    for name in SERVICES:
        url = f"http://127.0.0.1:{platform.port_of(name)}/metrics"
        with urllib.request.urlopen(url, timeout=5) as response:
            pages.append(response.read().decode())
    return pages


async def walk(platform: Platform, watch: BusWatch, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both routes and a refusal, observed; then everything the bus shows about them."""
    connection = platform.connection()
    tokens = demo_tokens(connection)
    client, observer = await connection.client(), await connection.client("bootstrap")
    monkeypatch.setattr(client, "request", watch.recording(client.request))
    await watch.follow_events(observer)
    try:
        await a_refused_melding(client, tokens)
        await to_the_ovj(client, tokens)
        await to_the_besluit(client, tokens)
        await all_consumed(observer, SERVICES)
        await watch.read_streams(observer)
        watch.read_interest(platform.monitor_port)
    finally:
        await client.close()
        await observer.close()


async def test_the_routes_leave_no_personal_data_outside_the_stores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "var"
    watch = BusWatch()
    with span_sink() as sink:
        settings = {
            "WVGGZ_OTLP_ENDPOINT": sink.endpoint,
            # Short batches: spans go out while the route runs; stopping flushes the rest.
            "OTEL_BSP_SCHEDULE_DELAY": "200",
            # The most the logs ever say (per-message access logs, libraries' chatter).
            "WVGGZ_LOG_LEVEL": "DEBUG",
        }
        with running(data_dir, SERVICES, settings) as platform:
            await walk(platform, watch, monkeypatch)
            metrics = metrics_of(platform)
        spans: list[Span] = list(sink.spans)
        exporters = set(sink.resources)

    found = [
        *file_leaks(data_dir),
        *leaks("metrics", metrics),
        *leaks("bus", watch.seen),
        *leaks("spans", [text_of(span) for span in spans]),
    ]
    # The scan looked at something: every process's log, spans of each, the route's subjects.
    assert {p.name for p in data_dir.glob("*.log")} >= {f"{s}.log" for s in SERVICES}
    assert exporters == {f"wvggz-{s}" for s in SERVICES}, exporters
    assert any(s.startswith("wvggz.evt.crisis.") for s in watch.seen)
    assert any(s.startswith("wvggz.cmd.onderzoek.") for s in watch.seen)
    assert all(m.count("wvggz_") > 10 for m in metrics)
    assert {s for s in SERVICES if BETROKKENE in opened_events(data_dir, s)} >= {
        "meldpunt",
        "onderzoek",
        "crisis",
        "notificaties",
    }, "the marker travelled the routes into the stores, sealed"
    assert found == [], f"personal data outside the stores ({BSN}, {BETROKKENE}, {MELDER})"


def opened_events(data_dir: Path, service: str) -> str:
    """A stopped service's events, their sealed fields opened with the region's keys."""
    settings = ServiceSettings(data_dir=data_dir)
    velden = Veldsleutels(open_kluis(settings))
    with closing(sqlite3.connect(data_dir / service / "events.db")) as conn:
        rows = conn.execute("SELECT data FROM events").fetchall()
    return json.dumps([velden.open(json.loads(data)) for (data,) in rows], ensure_ascii=False)


def test_the_scan_finds_a_marker_outside_the_stores(tmp_path: Path) -> None:
    (tmp_path / "meldpunt").mkdir()
    (tmp_path / "meldpunt" / "views.db").write_text(f"{BETROKKENE} {BSN}")
    (tmp_path / "meldpunt" / "events.db-wal").write_text(f"naam {BETROKKENE}")
    (tmp_path / "meldpunt.log").write_text('{"message": "melding over 111.222.333"}\n')
    (tmp_path / "oidc.log").write_text(f"login {MELDER.upper()}\n")

    span = Span(name="registreer-melding process")
    span.attributes.add(key="messaging.message.body", value=AnyValue(string_value=BETROKKENE))

    assert file_leaks(tmp_path) == [
        "meldpunt/events.db-wal: Zwaantje",
        "meldpunt/events.db-wal: Markeerhuis",
        "meldpunt.log: 111.222.333",
        "oidc.log: MELCHIOR",
        "oidc.log: KLIKSMEER",
    ]
    assert leaks("spans", [text_of(span)]) == ["spans: Zwaantje", "spans: Markeerhuis"]
    assert leaks("bus", ["wvggz.evt.meldpunt.GM0402.x", "Ce-Subject: 111 222 333"]) == [
        "bus: 111 222 333"
    ]
