"""Benchmark: from the meldpunt's reply to a triage to the onderzoek acting on it, in ms.

Runs the platform with the meldpunt and the onderzoek as their own processes on the locked bus.
A triagist registers a melding and ends its triage with outcome verkennend onderzoek, one after
the other; the meldpunt's relay publishes TriageAfgerond, the onderzoek's durable consumer takes
it and opens the VO. Measured per triage, against raw nats-py request/reply in the same run:

- reply → on the bus: until TriageAfgerond reached a subscriber (the meldpunt's relay and the
  stream; the onderzoek's consumer can have it from then on);
- reply → consumer: until the onderzoek decided to open the VO (the `time` of its VoGeopend,
  stamped by its pipeline right after its consumer took the event; one machine, one clock);
- reply → its event: until VoGeopend itself reached a subscriber on the bus (the whole chain:
  relay, stream, consumer, decision, store, the onderzoek's relay).

Figures go to var/bench/latest.json (section `keten`).

    .venv/bin/python bench/keten.py [--count 300]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from nats.aio.msg import Msg
from registreer_melding import TRIAGIST, melding_request, percentile, progress, raw_request_reply
from uitkomsten import bewaar
from wvggz_contracts.subjects import command_subject

from kernel.testing import NatsServer, distinct_free_ports
from wvggz.connection import Connection
from wvggz.demo import triage_naar_vo
from wvggz.runner import Platform

SERVICES = ("meldpunt", "onderzoek")


async def request(client: Any, name: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
    reply = await client.request(
        command_subject("meldpunt", name), json.dumps(body).encode(), timeout=10, headers=headers
    )
    answer = json.loads(reply.data)
    if not answer["ok"]:
        raise RuntimeError(f"{name} refused: {reply.data!r}")
    return answer


async def chain(connection: Connection, count: int) -> dict[str, list[float]]:
    client = await connection.client("cli")
    observer = await connection.client("bootstrap")
    headers = connection.headers(TRIAGIST)
    opened: dict[str, tuple[float, float]] = {}
    """melding id → (VoGeopend's own time, when it reached the subscriber), wall clock."""
    published: dict[str, float] = {}
    """melding id → when its TriageAfgerond reached the subscriber."""

    async def note(message: Msg) -> None:
        event = json.loads(message.data)
        if event.get("type") == "nl.wvggz.onderzoek.vo-geopend.v1":
            decided = datetime.fromisoformat(event["time"]).timestamp()
            opened[event["data"]["melding_id"]] = (decided, time.time())
        elif event.get("type") == "nl.wvggz.meldpunt.triage-afgerond.v1":
            published[event["subject"]] = time.time()

    await observer.subscribe("wvggz.evt.>", cb=note)
    replied: dict[str, float] = {}
    try:
        for n in range(count + 20):  # the first 20 warm up imports, caches and consumers
            melding = await request(client, "registreer-melding", melding_request(), headers)
            melding_id = melding["case_id"]
            body = {"command_id": str(uuid.uuid4()), "payload": triage_naar_vo(melding_id)}
            await request(client, "rond-triage-af", body, headers)
            if n >= 20:
                replied[melding_id] = time.time()
                progress("triage → VO", n - 19, count)
        deadline = time.monotonic() + 30
        while not replied.keys() <= opened.keys() and time.monotonic() < deadline:  # noqa: ASYNC110 - waits for the subscriber
            await asyncio.sleep(0.05)
    finally:
        await client.close()
        await observer.close()
    missing = replied.keys() - opened.keys()
    if missing:
        raise RuntimeError(f"{len(missing)} VOs never opened")
    return {
        "reply_to_bus": [(published[m] - at) * 1000 for m, at in replied.items()],
        "reply_to_consumer": [(opened[m][0] - at) * 1000 for m, at in replied.items()],
        "reply_to_its_event": [(opened[m][1] - at) * 1000 for m, at in replied.items()],
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--count", type=int, default=300, help="triages (default 300)")
    args = parser.parse_args()
    if args.count < 50:
        parser.error("--count must be at least 50")

    with tempfile.TemporaryDirectory(prefix="wvggz-bench-") as scratch:
        root = Path(scratch)
        server = NatsServer(store_dir=root / "raw-nats")
        server.start()
        try:
            raw_latency, _rate = asyncio.run(raw_request_reply(server.url, 2000, 64))
        finally:
            server.stop()
        raw_p50 = percentile(raw_latency, 50)
        nats_port, monitor_port, oidc_port, *http = distinct_free_ports(3 + len(SERVICES))
        platform = Platform(
            data_dir=root / "var",
            nats_port=nats_port,
            monitor_port=monitor_port,
            oidc_port=oidc_port,
            http_ports=dict(zip(SERVICES, http, strict=True)),
            services=SERVICES,
            extra_env={"WVGGZ_LOG_LEVEL": "WARNING"},
            progress=lambda line: print(line, flush=True),
        )
        platform.start()
        try:
            samples = asyncio.run(chain(platform.connection(), args.count))
        finally:
            platform.stop()

    figures: dict[str, float] = {"raw_req_reply_p50_ms": round(raw_p50, 3), "count": args.count}
    for name, values in samples.items():
        figures[f"{name}_p50_ms"] = round(percentile(values, 50), 3)
        figures[f"{name}_p99_ms"] = round(percentile(values, 99), 3)
    print(f"\n{'measure':<44}{'ms':>9}{'x raw':>8}")
    for name in samples:
        for p in ("p50", "p99"):
            value = figures[f"{name}_{p}_ms"]
            print(f"{name.replace('_', ' ') + ' ' + p:<44}{value:>9.2f}{value / raw_p50:>8.1f}")
    print(f"{'raw request/reply p50':<44}{raw_p50:>9.2f}")
    print(f"\nFigures in {bewaar('keten', figures)}")
    met = "met" if figures["reply_to_consumer_p99_ms"] <= 20 * raw_p50 else "NOT met"
    print(f"\nAim (issue 15): reply -> consumer p99 <= 20 x raw request/reply: {met}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
