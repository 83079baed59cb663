"""Benchmark: what tracing costs a command at sampling ratios 0 %, 10 % and 100 %.

The meldpunt runs on the locked bus as in `registreer_melding.py`, once without an OTLP endpoint
(the baseline) and once per ratio exporting to an OTLP/HTTP endpoint in this process that
accepts and discards the spans. Each run sends the same RegistreerMelding commands one by one
(p50) and then many in flight (commands/s). The runs follow each other, so slow drift on the
machine shows; the table prints each ratio against the baseline. Figures also go to
var/bench/latest.json (section `tracing`).

    .venv/bin/python bench/tracing.py [--count 1000] [--burst 4000]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
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


async def measure(
    platform_dir: Path, env: dict[str, str], count: int, burst: int
) -> tuple[float, float]:
    """p50 in ms of sequential commands, and commands/s with 64 in flight."""
    platform = bench_platform(platform_dir)
    platform.extra_env |= env
    platform.start()
    try:
        connection = platform.connection()
        headers = connection.headers(TRIAGIST)
        client = await connection.client("cli")
        for payload in commands(50):  # warm-up
            await client.request(SUBJECT, payload, timeout=5, headers=headers)
        latency = await sequential_latency(client, commands(count), SUBJECT, "commands", headers)
        rate = await concurrent_rate(client, commands(burst), SUBJECT, 64, headers)
        await client.close()
    finally:
        platform.stop()
    return percentile(latency, 50), rate


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000, help="sequential commands per run")
    parser.add_argument("--burst", type=int, default=4000, help="commands in flight per run")
    args = parser.parse_args()
    results: dict[str, tuple[float, float]] = {}
    with (
        tempfile.TemporaryDirectory(prefix="wvggz-tracing-") as scratch,
        discarding_endpoint() as (
            endpoint,
            received,
        ),
    ):
        root = Path(scratch)
        print("baseline: no OTLP endpoint, sampling 0 %", flush=True)
        results["zonder"] = asyncio.run(
            measure(root / "zonder", {"WVGGZ_TRACE_SAMPLE_RATIO": "0"}, args.count, args.burst)
        )
        for ratio in RATIOS:
            print(f"exporting to OTLP, sampling {ratio:.0%}", flush=True)
            env = {"WVGGZ_OTLP_ENDPOINT": endpoint, "WVGGZ_TRACE_SAMPLE_RATIO": str(ratio)}
            results[f"{ratio:.0%}"] = asyncio.run(
                measure(root / f"r{ratio}", env, args.count, args.burst)
            )
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
