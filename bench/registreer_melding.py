"""Benchmark: RegistreerMelding through NATS into the SQLite store, beside raw baselines.

Runs the platform's locked nats-server, its development identity provider and the meldpunt as
its own process (SQLite synchronous=FULL); commands go as the bus identity `cli` with a triagist's
access token in the Authorization header. Prints latency percentiles and throughput next to
baselines measured in the same run: raw nats-py request/reply (on a separate open nats-server,
since the locked bus allows no echo responder), a raw SQLite single-event append (WAL,
synchronous=FULL) and the command pipeline alone, plain and with personal data sealed. Also the
time from a command's reply to its event reaching a subscriber on the bus. The named figures go
to var/bench/latest.json (section `registreer_melding`).

    make bench            or    .venv/bin/python bench/registreer_melding.py --help
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import nats
from nats.aio.client import Client as Nats
from nats.aio.msg import Msg
from uitkomsten import bewaar
from wvggz_contracts.commands import Actor, Rol
from wvggz_contracts.gemeenten import GOOI_EN_VECHTSTREEK
from wvggz_contracts.meldpunt import EVENTS
from wvggz_contracts.subjects import EVENTS_STREAM, command_subject

from kernel.eventstore import EventStore
from kernel.eventstore.sqlite import SqliteEventStore
from kernel.pipeline import CommandPipeline
from kernel.sleutels import Veldsleutels, VercijferdeStore
from kernel.sleutels.bestand import BestandsKluis, hoofdsleutel
from kernel.testing import NatsServer, free_port
from services.meldpunt.domain import REGISTREER_MELDING, SAMENHANG, make_rulebook
from wvggz.connection import Connection, demo_user
from wvggz.demo import registreer_melding_request
from wvggz.runner import Platform

SUBJECT = command_subject("meldpunt", "registreer-melding")
TRIAGIST = demo_user("triagist")
"""The demo user whose access token every benchmark command carries."""


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def progress(label: str, done: int, total: int) -> None:
    if done % max(1, total // 20) == 0 or done == total:
        print(f"\r  {label}: {done}/{total}", end="\n" if done == total else "", flush=True)


async def sequential_latency(
    client,
    payloads: list[bytes],
    subject: str,
    label: str,
    headers: dict[str, str] | None = None,
    replied: dict[str, float] | None = None,
) -> list[float]:
    """Each request's round trip in ms; `replied` gets each command's first event id and the
    moment its reply arrived."""
    samples = []
    for n, payload in enumerate(payloads, 1):
        start = time.perf_counter()
        reply = await client.request(subject, payload, timeout=5, headers=headers)
        answered = time.perf_counter()
        samples.append((answered - start) * 1000)
        if subject == SUBJECT:
            answer = json.loads(reply.data)
            if not answer["ok"]:
                raise RuntimeError(f"command refused: {reply.data!r}")
            if replied is not None:
                replied[answer["event_ids"][0]] = answered
        progress(label, n, len(payloads))
    return samples


async def watch_arrivals(connection: Connection) -> tuple[Nats, dict[str, float]]:
    """A subscriber in another process's place (the operators' identity): when each meldpunt
    event arrives, by its id (`Nats-Msg-Id`)."""
    observer = await connection.client("bootstrap")
    arrived: dict[str, float] = {}

    async def note(message: Msg) -> None:
        arrived[(message.headers or {}).get("Nats-Msg-Id", "")] = time.perf_counter()

    await observer.subscribe("wvggz.evt.meldpunt.>", cb=note)
    return observer, arrived


def reply_to_event_ms(replied: dict[str, float], arrived: dict[str, float]) -> list[float]:
    """From each reply to its event's arrival at the subscriber, in ms (negative: the event was
    there before the reply)."""
    return [(arrived[i] - at) * 1000 for i, at in replied.items() if i in arrived]


async def concurrent_rate(
    client,
    payloads: list[bytes],
    subject: str,
    in_flight: int,
    headers: dict[str, str] | None = None,
) -> float:
    queue = iter(payloads)
    failures = []

    async def worker() -> None:
        for payload in queue:
            reply = await client.request(subject, payload, timeout=10, headers=headers)
            if subject == SUBJECT and not json.loads(reply.data)["ok"]:
                failures.append(reply.data)

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(in_flight)))
    elapsed = time.perf_counter() - start
    if failures:
        raise RuntimeError(f"{len(failures)} commands refused, e.g. {failures[0]!r}")
    return len(payloads) / elapsed


def cpu_seconds(pid: int) -> float:
    """The CPU time (user and system, all threads) a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def raw_sqlite_appends(path: Path, count: int) -> float:
    """Single-event transactions in WAL mode at synchronous=FULL: the store's floor."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE e (p INTEGER PRIMARY KEY, id TEXT UNIQUE, s TEXT, v INT, d TEXT)")
    data = json.dumps(registreer_melding_request()["payload"])
    start = time.perf_counter()
    for n in range(count):
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO e (id, s, v, d) VALUES (?, ?, 0, ?)", (str(uuid.uuid4()), f"s{n}", data)
        )
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return count / elapsed


async def raw_request_reply(url: str, count: int, in_flight: int) -> tuple[list[float], float]:
    """A nats-py responder that answers at once: the transport's floor."""
    responder = await nats.connect(url)

    async def echo(msg) -> None:
        await msg.respond(b'{"ok":true}')

    await responder.subscribe("bench.echo", cb=echo)
    client = await nats.connect(url)
    payload = json.dumps(registreer_melding_request()).encode()
    latency = await sequential_latency(client, [payload] * count, "bench.echo", "raw request/reply")
    rate = await concurrent_rate(client, [payload] * (count * 4), "bench.echo", in_flight)
    await client.close()
    await responder.close()
    return latency, rate


async def pipeline_alone(
    path: Path, payloads: list[bytes], in_flight: int, *, sealed: bool = False
) -> float:
    """The command pipeline and store in this process, without NATS, FastStream or a token;
    `sealed`: with the personal data sealed per dossier, as the platform runs it."""
    actor = Actor(id=TRIAGIST, rol=Rol.TRIAGIST, gemeente="GM0402")
    store: EventStore = SqliteEventStore(path, synchronous="FULL")
    kluis = None
    if sealed:
        sleutels = path.parent / f"{path.stem}-sleutels"
        kluis = BestandsKluis(sleutels / "kluis.db", hoofdsleutel(sleutels / "hoofdsleutel"))
        store = VercijferdeStore(store, EVENTS, Veldsleutels(kluis))
    pipeline = CommandPipeline(store, EVENTS, "meldpunt", lambda: datetime.now(UTC))
    rulebook = make_rulebook(frozenset(GOOI_EN_VECHTSTREEK))
    [spec] = [s for s in rulebook.specs if s.name == REGISTREER_MELDING]
    slots = asyncio.Semaphore(in_flight)

    async def none_related(_command: object) -> frozenset[object]:
        return frozenset()

    pipeline.provide(SAMENHANG, none_related)

    async def one(payload: bytes) -> None:
        async with slots:
            if not (await pipeline.handle(rulebook.decider, spec, payload, actor)).ok:
                raise RuntimeError("command refused")

    start = time.perf_counter()
    await asyncio.gather(*(one(p) for p in payloads))
    elapsed = time.perf_counter() - start
    await store.close()
    if kluis is not None:
        kluis.close()
    return len(payloads) / elapsed


async def sealing_overhead(root: Path, count: int, in_flight: int) -> tuple[float, float]:
    """The pipeline alone, plain and sealed, interleaved three times; the best of each."""
    plain, sealed = [], []
    for round_ in range(3):
        plain.append(await pipeline_alone(root / f"plain{round_}.db", commands(count), in_flight))
        sealed.append(
            await pipeline_alone(
                root / f"sealed{round_}.db", commands(count), in_flight, sealed=True
            )
        )
    return max(plain), max(sealed)


def melding_request() -> dict[str, Any]:
    """A melding about a new person, as on a real meldpunt (so samenhang finds few links)."""
    request = registreer_melding_request()
    person = uuid.uuid4().int
    born = f"19{40 + person % 60:02d}-{1 + person % 12:02d}-{1 + person % 28:02d}"
    request["payload"]["betrokkene"] = {"naam": f"Persoon {person % 10**9}", "geboortedatum": born}
    return request


def commands(count: int) -> list[bytes]:
    """RegistreerMelding bodies (no actor: the token says who sends them)."""
    return [json.dumps(melding_request()).encode() for _ in range(count)]


async def platform_run(
    connection: Connection, headers: dict[str, str], count: int, in_flight: int, pid: int
) -> tuple[list[float], float, float, list[float], float]:
    """Latencies, commands/s, relay lag, reply-to-event ms, service CPU ms per burst command."""
    client = await connection.client("cli")
    for payload in commands(50):  # warm-up: imports, caches, the token's first verification
        await client.request(SUBJECT, payload, timeout=5, headers=headers)
    observer, arrived = await watch_arrivals(connection)
    replied: dict[str, float] = {}
    latency = await sequential_latency(
        client, commands(count), SUBJECT, "RegistreerMelding", headers, replied
    )
    await asyncio.sleep(1.0)  # the last events on their way
    await observer.close()
    e2e = reply_to_event_ms(replied, arrived)
    if len(e2e) < len(replied):
        raise RuntimeError(f"{len(replied) - len(e2e)} events never reached the subscriber")
    burst = commands(count * 4)
    print(f"  RegistreerMelding, {in_flight} in flight: {len(burst)} commands ...", flush=True)
    before = cpu_seconds(pid)
    rate = await concurrent_rate(client, burst, SUBJECT, in_flight, headers)
    cpu_ms = (cpu_seconds(pid) - before) / len(burst) * 1000
    await client.close()
    relay_lag = await wait_for_stream(connection, 50 + count + len(burst))
    return latency, rate, relay_lag, e2e, cpu_ms


async def wait_for_stream(connection: Connection, total: int) -> float:
    """Seconds until the stream holds `total` events, watched as operators do (`bootstrap`)."""
    observer = await connection.client("bootstrap")
    js = observer.jetstream()
    start = time.perf_counter()
    while (await js.stream_info(EVENTS_STREAM)).state.messages < total:  # noqa: ASYNC110 - polls a server
        await asyncio.sleep(0.05)
    lag = time.perf_counter() - start
    await observer.close()
    return lag


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--count", type=int, default=2000, help="sequential requests (2000)")
    parser.add_argument("--in-flight", type=int, default=64, help="concurrent requests (64)")
    args = parser.parse_args()
    if args.count < 100 or args.in_flight < 1:
        parser.error("--count must be at least 100 and --in-flight at least 1")

    with tempfile.TemporaryDirectory(prefix="wvggz-bench-") as scratch:
        root = Path(scratch)
        print("Baselines (same machine, same run):", flush=True)
        sqlite_rate = raw_sqlite_appends(root / "raw.db", args.count)
        print(f"  raw SQLite append: {sqlite_rate:,.0f} events/s")
        used = time.process_time()
        alone = asyncio.run(
            pipeline_alone(root / "alone.db", commands(args.count * 4), args.in_flight)
        )
        alone_cpu_ms = (time.process_time() - used) / (args.count * 4) * 1000
        print(f"  pipeline alone (no NATS): {alone:,.0f}/s, {alone_cpu_ms:.2f} ms CPU each")
        plain, sealed = asyncio.run(sealing_overhead(root, args.count * 2, args.in_flight))
        print(f"  pipeline alone, best of 3: plain {plain:,.0f}/s, sealed {sealed:,.0f}/s")
        print("  (raw request/reply on an open nats-server: the locked bus allows no echo)")
        server = NatsServer(store_dir=root / "raw-nats")
        server.start()
        try:
            raw_latency, raw_rate = asyncio.run(
                raw_request_reply(server.url, args.count, args.in_flight)
            )
        finally:
            server.stop()

        print("Platform (locked bus, `cli` with a triagist's token; meldpunt's own process):")
        platform = bench_platform(root / "var")
        platform.start()
        try:
            connection = platform.connection()
            headers = connection.headers(TRIAGIST)
            pid = platform.pid("meldpunt")
            assert pid is not None
            latency, rate, relay_lag, e2e, cpu_ms = asyncio.run(
                platform_run(connection, headers, args.count, args.in_flight, pid)
            )
        finally:
            platform.stop()

    p50, p99 = percentile(latency, 50), percentile(latency, 99)
    raw_p50, raw_p99 = percentile(raw_latency, 50), percentile(raw_latency, 99)
    print(f"\n{'measure':<46}{'platform':>11}{'baseline':>11}{'ratio':>8}")
    row("RegistreerMelding p50 ms / raw req-reply", p50, raw_p50, ".2f")
    row("RegistreerMelding p99 ms / raw req-reply", p99, raw_p99, ".2f")
    row("mean ms / raw req-reply", statistics.fmean(latency), statistics.fmean(raw_latency), ".2f")
    row("commands/s / raw SQLite single appends/s", rate, sqlite_rate, ",.0f")
    row("commands/s / raw req-reply/s", rate, raw_rate, ",.0f")
    row("commands/s / pipeline alone/s", rate, alone, ",.0f")
    row("CPU ms per command: service / pipeline alone", cpu_ms, alone_cpu_ms, ".2f")
    e2e_p50, e2e_p99 = percentile(e2e, 50), percentile(e2e, 99)
    row("reply -> event at a subscriber p50 ms / raw", e2e_p50, raw_p50, ".2f")
    row("reply -> event at a subscriber p99 ms / raw", e2e_p99, raw_p50, ".2f")
    print(f"{'relay lag after the burst (s)':<46}{relay_lag:>11.2f}")
    row("sealing: plain/s / sealed/s (cost, aim <= 1.3)", plain, sealed, ",.0f")
    written = bewaar(
        "registreer_melding",
        {
            "commands_per_s": round(rate),
            "pipeline_alone_per_s": round(alone),
            "cpu_ms_per_command": round(cpu_ms, 3),
            "pipeline_alone_cpu_ms": round(alone_cpu_ms, 3),
            "raw_sqlite_appends_per_s": round(sqlite_rate),
            "raw_req_reply_p50_ms": round(raw_p50, 3),
            "raw_req_reply_per_s": round(raw_rate),
            "p50_ms": round(p50, 3),
            "p99_ms": round(p99, 3),
            "e2e_p50_ms": round(e2e_p50, 3),
            "e2e_p99_ms": round(e2e_p99, 3),
            "relay_lag_after_burst_s": round(relay_lag, 3),
            "pipeline_plain_per_s": round(plain),
            "pipeline_sealed_per_s": round(sealed),
            "sealing_cost_ratio": round(plain / sealed, 3),
            "in_flight": args.in_flight,
        },
    )
    print(f"\nFigures in {written}")
    aims = {
        "commands/s >= 0.5 x pipeline alone": rate >= 0.5 * alone,
        "p50 <= 5 x raw request/reply": p50 <= 5 * raw_p50,
        "p99 <= 3 x p50": p99 <= 3 * p50,
        "reply -> event p99 <= 20 x raw request/reply": e2e_p99 <= 20 * raw_p50,
        "sealing cost <= 1.3": plain / sealed <= 1.3,
    }
    print("\nAims (issues 14 and 15):")
    for aim, met in aims.items():
        print(f"  {aim}: {'met' if met else 'NOT met'}")
    return 0


def bench_platform(data_dir: Path) -> Platform:
    """The platform with the meldpunt only, on free ports, printing its start-up progress."""
    return Platform(
        data_dir=data_dir,
        nats_port=free_port(),
        monitor_port=free_port(),
        oidc_port=free_port(),
        http_ports={"meldpunt": free_port()},
        services=("meldpunt",),
        extra_env={
            "WVGGZ_SQLITE_SYNCHRONOUS": os.environ.get("BENCH_SYNC", "FULL"),
            "WVGGZ_LOG_LEVEL": "WARNING",
        },
        progress=lambda line: print(line, flush=True),
    )


def row(label: str, value: float, baseline: float, fmt: str) -> None:
    print(f"{label:<46}{value:>11{fmt}}{baseline:>11{fmt}}{value / baseline:>8.2f}")


if __name__ == "__main__":
    sys.exit(main())
