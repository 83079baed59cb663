"""Benchmark: what tracing costs a command at sampling ratios 0 %, 10 % and 100 %.

Four meldpunt platforms run side by side on the locked bus, as in `registreer_melding.py`: one
without an OTLP endpoint (the baseline) and one per ratio exporting to an OTLP/HTTP endpoint in
this process that accepts and discards the spans. RegistreerMelding commands go to them one by
one in blocks whose order alternates (ABCD, DCBA, ...), then in bursts with many in flight, also
in alternating order, so drift on the machine hits every target alike. Prints p50 and commands/s
of each against the baseline; the figures go to var/bench/latest.json (section `tracing`).

    .venv/bin/python bench/tracing.py [--count 800] [--block 50] [--burst 3200]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from registreer_melding import (
    SUBJECT,
    TRIAGIST,
    bench_platform,
    commands,
    concurrent_rate,
    percentile,
    sequential_latency,
)
from uitkomsten import bewaar

from wvggz.runner import Platform

RATIOS = (0.0, 0.1, 1.0)


@contextmanager
def discarding_endpoint() -> Iterator[tuple[str, list[int]]]:
    """An OTLP/HTTP traces endpoint that answers 200 and keeps only the size of each export."""
    received: list[int] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            received.append(len(self.rfile.read(int(self.headers.get("Content-Length", 0)))))
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1/traces", received
    finally:
        server.shutdown()


@contextmanager
def started(platform_dir: Path, env: dict[str, str]) -> Iterator[Platform]:
    """One meldpunt platform, stopped afterwards."""
    platform = bench_platform(platform_dir)
    platform.extra_env |= env
    platform.start()
    try:
        yield platform
    finally:
        platform.stop()


async def measure(
    platforms: dict[str, Platform], count: int, block: int, burst: int
) -> dict[str, tuple[float, float]]:
    """Per target: p50 in ms of sequential commands, and commands/s with 64 in flight."""
    targets = {}
    for name, platform in platforms.items():
        connection = platform.connection()
        headers = connection.headers(TRIAGIST)
        client = await connection.client("cli")
        for payload in commands(50):  # warm-up
            await client.request(SUBJECT, payload, timeout=5, headers=headers)
        targets[name] = (client, headers)
    latency: dict[str, list[float]] = {name: [] for name in targets}
    rates: dict[str, list[float]] = {name: [] for name in targets}
    order = list(targets)
    for round_ in range(max(1, count // block)):
        for name in order if round_ % 2 == 0 else reversed(order):
            client, headers = targets[name]
            latency[name] += await sequential_latency(
                client, commands(block), SUBJECT, f"{name} block {round_ + 1}", headers
            )
    for round_ in range(2):
        for name in order if round_ % 2 == 0 else reversed(order):
            client, headers = targets[name]
            rates[name].append(
                await concurrent_rate(client, commands(burst // 2), SUBJECT, 64, headers)
            )
    for client, _headers in targets.values():
        await client.close()
    return {name: (percentile(latency[name], 50), max(rates[name])) for name in targets}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=800, help="sequential commands per target")
    parser.add_argument("--block", type=int, default=50, help="commands per alternating block")
    parser.add_argument("--burst", type=int, default=3200, help="commands in flight per target")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="wvggz-tracing-") as scratch, ExitStack() as stack:
        root = Path(scratch)
        endpoint, received = stack.enter_context(discarding_endpoint())
        settings = {"zonder": {"WVGGZ_TRACE_SAMPLE_RATIO": "0"}}
        for ratio in RATIOS:
            settings[f"{ratio:.0%}"] = {
                "WVGGZ_OTLP_ENDPOINT": endpoint,
                "WVGGZ_TRACE_SAMPLE_RATIO": str(ratio),
            }
        platforms = {}
        for n, (name, env) in enumerate(settings.items()):
            print(f"starting {name} ({'no OTLP' if n == 0 else 'OTLP'})", flush=True)
            platforms[name] = stack.enter_context(started(root / f"p{n}", env))
        results = asyncio.run(measure(platforms, args.count, args.block, args.burst))
        exports = len(received)
    base_p50, base_rate = results["zonder"]
    print(f"\n{'sampling':<12}{'p50 ms':>9}{'ratio':>8}{'commands/s':>12}{'ratio':>8}")
    for name, (p50, rate) in results.items():
        print(f"{name:<12}{p50:>9.2f}{p50 / base_p50:>8.2f}{rate:>12,.0f}{base_rate / rate:>8.2f}")
    print(f"(OTLP exports received: {exports})")
    bewaar(
        "tracing",
        {
            f"sampling_{name.rstrip('%')}": {
                "p50_ms": round(p50, 3),
                "commands_per_s": round(rate),
                "p50_ratio": round(p50 / base_p50, 3),
                "rate_cost_ratio": round(base_rate / rate, 3),
            }
            for name, (p50, rate) in results.items()
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
