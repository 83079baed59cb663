"""Benchmark: fan-out of 10,000 events to 5 webhook partners, against a raw HTTP POST loop to the
same receivers, in the same run.

The notificaties service runs for real (its own process on the locked bus). Five partners are
registered with a webhook subscription each, pointing at five receivers in this process
(`wvggz.proefontvanger`: they check every signature and de-duplicate by id). Then 10,000
`melding-ontvangen` events (5,000 cases, two each) are published on the event stream as the
meldpunt would, and the time until all 50,000 deliveries arrived is measured, with the latency
from each event's publication to its delivery. The baseline is a plain loop that POSTs signed
CloudEvents one after another to the same receivers over one kept-alive connection. A burst's
latencies are mostly its own backlog, so 500 more events then go at a steady 50 per second, and
their p50/p99 from publication to delivery are the service's own.
Prints deliveries/s of both, their ratio (aim >= 0.5) and both latencies; writes
var/bench/notificaties.json.

    make bench            or    .venv/bin/python bench/notificaties_fanout.py --help
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx2
import nats
from registreer_melding import percentile
from wvggz_contracts.envelope import CloudEvent, source_urn
from wvggz_contracts.subjects import command_subject, event_subject, query_subject

from kernel.settings import ServiceSettings
from kernel.testing import free_port
from services.notificaties.levering.webhook import CONTENT_TYPE, HEADER_ID, sign
from wvggz.proefontvanger import Ontvangst, ProefOntvanger
from wvggz.runner import Platform

REPO = Path(__file__).resolve().parent.parent
ONTVANGEN = "nl.wvggz.meldpunt.melding-ontvangen.v1"
BEHEER = "functioneel-beheer.gm0402"
AIM = 0.5
STEADY_PER_S = 50
"""Events per second of the steady phase (each to every partner): a busy region's pace."""


def platform_for(data_dir: Path) -> Platform:
    """The notificaties service alone on free ports."""
    return Platform(
        data_dir=data_dir,
        nats_port=free_port(),
        monitor_port=free_port(),
        oidc_port=free_port(),
        http_ports={"notificaties": free_port()},
        services=("notificaties",),
        extra_env={"WVGGZ_LOG_LEVEL": "WARNING", "WVGGZ_SQLITE_SYNCHRONOUS": "NORMAL"},
        progress=lambda line: print(line, flush=True),
    )


async def subscribe(platform: Platform, ontvangers: list[ProefOntvanger]) -> None:
    """One partner per receiver, each subscribed by webhook; their secrets go to the receivers."""
    connection = platform.connection()
    client = await connection.client()
    headers = connection.headers(BEHEER)
    try:
        for nummer, ontvanger in enumerate(ontvangers):
            partner_id = str(uuid.uuid4())
            for name, payload in (
                (
                    "registreer-partner",
                    {
                        "partner_id": partner_id,
                        "naam": f"Partner {nummer}",
                        "oin": "00000001003214345000",
                        "soort": "ggz-aanbieder",
                        "beheerd_door": "GM0402",
                    },
                ),
                (
                    "abonneer",
                    {
                        "partner_id": partner_id,
                        "abonnement_id": str(uuid.uuid4()),
                        "gebeurtenissen": [ONTVANGEN],
                        "kanaal": "webhook",
                        "url": ontvanger.url,
                    },
                ),
            ):
                body = {"command_id": str(uuid.uuid4()), "payload": payload}
                reply = await client.request(
                    command_subject("notificaties", name),
                    json.dumps(body).encode(),
                    headers=headers,
                    timeout=10,
                )
                answer = json.loads(reply.data)
                assert answer["ok"], answer
            query = {"params": {"partner_id": partner_id}, "min_position": answer["position"]}
            reply = await client.request(
                query_subject("notificaties", "webhook-geheimen"),
                json.dumps(query).encode(),
                headers=headers,
                timeout=10,
            )
            found = json.loads(reply.data)
            ontvanger.secret = bytes.fromhex(found["data"][0]["geheim"])
    finally:
        await client.close()


def events(cases: int, per_case: int, oin: str) -> list[CloudEvent]:
    """Events as the meldpunt publishes them: `per_case` for each case, cases interleaved."""
    ids = [uuid.uuid4() for _ in range(cases)]
    now = datetime.now(UTC)
    return [
        CloudEvent(
            id=uuid.uuid4(),
            source=source_urn(oin, "meldpunt"),
            type=ONTVANGEN,
            time=now,
            subject=case,
            gemeente="GM0402",
            correlationid=case,
            causationid=case,
            actor="bench",
            sequence=str(n * cases + i + 1),
            data={},
        )
        for n in range(per_case)
        for i, case in enumerate(ids)
    ]


async def fan_out(
    platform: Platform,
    ontvangers: list[ProefOntvanger],
    batch: list[CloudEvent],
    ontvangen: list[tuple[str, float]],
    tempo: float | None = None,
) -> dict[str, float]:
    """Publish every event as the meldpunt (all at once, or `tempo` per second); wait until each
    receiver has them all.

    `ontvangen`: (id, arrival time) of every delivery the receivers accept, appended as they
    arrive (read here as it grows: going through every receiver's whole list each time took a
    quarter of this process's time by the end of a run).
    """
    assert platform.bus is not None
    producer = await nats.connect(
        servers=platform.nats_url,
        nkeys_seed=str(platform.bus.seed_file("meldpunt")),
        inbox_prefix=platform.bus.inbox_prefix("meldpunt"),
    )
    js = producer.jetstream()
    published: dict[str, float] = {}
    subject = event_subject(ONTVANGEN, "GM0402")
    start = time.monotonic()
    pending = []
    for event in batch:
        published[str(event.id)] = time.monotonic()
        pending.append(
            await js.publish_async(
                subject, event.model_dump_json().encode(), headers={"Nats-Msg-Id": str(event.id)}
            )
        )
        if len(pending) >= 512 or tempo:
            await asyncio.gather(*pending)
            pending.clear()
        if tempo:
            await asyncio.sleep(1 / tempo)
    await asyncio.gather(*pending)
    await js.publish_async_completed()
    total = len(batch) * len(ontvangers)

    arrived: list[tuple[str, float]] = []
    read = 0
    while True:
        new, read = ontvangen[read:], len(ontvangen)
        arrived += [(event_id, at) for event_id, at in new if event_id in published]
        if len(arrived) >= total:
            break
        print(f"\r  delivered {len(arrived)}/{total}", end="", flush=True)
        await asyncio.sleep(0.5)
    print(f"\r  delivered {total}/{total}", flush=True)
    await producer.close()
    arrivals = [at for _id, at in arrived]
    latencies = [(at - published[event_id]) * 1000 for event_id, at in arrived]
    return {
        "deliveries_per_s": total / (max(arrivals) - start),
        "p50_ms": percentile(latencies, 50),
        "p99_ms": percentile(latencies, 99),
        "duplicates": float(sum(o.dubbel for o in ontvangers)),
    }


async def raw_posts(ontvanger: ProefOntvanger, count: int) -> float:
    """POSTs/s of a plain loop: signed CloudEvents, one after another, one connection."""
    bodies = [
        json.dumps({"specversion": "1.0", "id": str(uuid.uuid4()), "type": ONTVANGEN}).encode()
        for _ in range(count)
    ]
    async with httpx2.AsyncClient() as client:
        start = time.monotonic()
        for body in bodies:
            msg_id = json.loads(body)["id"]
            headers = {
                "content-type": CONTENT_TYPE,
                HEADER_ID: msg_id,
                "webhook-timestamp": str(int(time.time())),
                "webhook-signature": sign(ontvanger.secret, msg_id, int(time.time()), body),
            }
            response = await client.post(ontvanger.url, content=body, headers=headers)
            assert response.status_code < 300, response.status_code
        return count / (time.monotonic() - start)


async def run(
    platform: Platform, cases: int, per_case: int, partners: int, raw: int, steady: int
) -> dict[str, Any]:
    ontvangen: list[tuple[str, float]] = []

    def bij_ontvangst(ontvangst: Ontvangst) -> None:
        ontvangen.append((ontvangst.id, ontvangst.monotoon))

    ontvangers = [
        ProefOntvanger(b"nog-onbekend", bij_ontvangst=bij_ontvangst) for _ in range(partners)
    ]
    for ontvanger in ontvangers:
        await ontvanger.start()
    try:
        await subscribe(platform, ontvangers)
        baseline = await raw_posts(ontvangers[0], raw)
        print(f"  raw POST loop: {baseline:,.0f}/s", flush=True)
        batch = events(cases, per_case, ServiceSettings().oin)
        figures = await fan_out(platform, ontvangers, batch, ontvangen)
        # The burst's latencies are its backlog; at a steady pace they are the service's own.
        print(f"  steady: {steady} events at {STEADY_PER_S}/s", flush=True)
        rustig = await fan_out(
            platform,
            ontvangers,
            events(steady, 1, ServiceSettings().oin),
            ontvangen,
            tempo=STEADY_PER_S,
        )
    finally:
        for ontvanger in ontvangers:
            await ontvanger.stop()
    return {
        "events": len(batch),
        "partners": partners,
        "raw_posts_per_s": baseline,
        **figures,
        "ratio": figures["deliveries_per_s"] / baseline,
        "steady_events": steady,
        "steady_per_s": STEADY_PER_S,
        "steady_p50_ms": rustig["p50_ms"],
        "steady_p99_ms": rustig["p99_ms"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=5_000)
    parser.add_argument("--per-case", type=int, default=2)
    parser.add_argument("--partners", type=int, default=5)
    parser.add_argument("--raw", type=int, default=5_000, help="POSTs of the baseline loop")
    parser.add_argument("--steady", type=int, default=500, help="events at a steady pace")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="wvggz-bench-notificaties-") as tmp:
        platform = platform_for(Path(tmp))
        platform.start()
        try:
            result = asyncio.run(
                run(platform, args.cases, args.per_case, args.partners, args.raw, args.steady)
            )
        finally:
            platform.stop()
    print()
    print(f"fan-out of {result['events']:,} events to {result['partners']} webhook partners")
    print(f"  raw POST loop       {result['raw_posts_per_s']:>9,.0f} POSTs/s")
    print(f"  notificaties        {result['deliveries_per_s']:>9,.0f} deliveries/s")
    verdict = "met" if result["ratio"] >= AIM else "NOT met"
    print(f"  ratio               {result['ratio']:>9.2f}   (aim >= {AIM}: {verdict})")
    print(
        f"  bus -> delivery     p50 {result['p50_ms']:,.0f} ms, p99 {result['p99_ms']:,.0f} ms"
        " (the burst: mostly its own backlog)"
    )
    print(
        f"  at {STEADY_PER_S} events/s     p50 {result['steady_p50_ms']:,.0f} ms,"
        f" p99 {result['steady_p99_ms']:,.0f} ms"
    )
    print(f"  duplicates          {result['duplicates']:>9.0f}")
    out = REPO / "var" / "bench" / "notificaties.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
