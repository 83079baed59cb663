"""Benchmark: RegistreerMelding at 64 in flight on 1, 2 and 4 meldpunt replicas sharing one
PostgreSQL event store, with the CPU each part used, measured in the same run.

Each round starts a fresh database and the platform with the meldpunt only, as N processes in
its queue group (`wvggz up --replicas meldpunt=N` does the same); commands go as `cli` with a
triagist's token over the locked bus. Printed: commands/s and its ratio to one replica, how the
commands spread over the replicas, and CPU seconds per 1,000 commands of the replicas, of
PostgreSQL and of nats-server (from /proc), which shows where the ceiling is. Figures also go to
var/bench/latest.json (section `replicas`).

    .venv/bin/python bench/replicas.py [--count 2000] [--in-flight 64] [--replicas 1 2 4]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import tempfile
import urllib.request
from pathlib import Path
from typing import Any

from prometheus_client.parser import text_string_to_metric_families
from registreer_melding import SUBJECT, TRIAGIST, commands, concurrent_rate
from uitkomsten import bewaar

from kernel.testing import distinct_free_ports
from kernel.testing.postgres import PostgresServer, running_postgres
from wvggz.runner import Platform, PlatformError, replica_names

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User and system CPU of one process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def family_pids(root: int) -> list[int]:
    """A process and all its descendants (PostgreSQL's backends are the postmaster's)."""
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        for task in Path(f"/proc/{pid}/task").glob("*"):
            children = (task / "children").read_text().split()
            todo.extend(int(c) for c in children)
    return found


def postmaster_pid(server: PostgresServer) -> int:
    return int((server.root / "data" / "postmaster.pid").read_text().split()[0])


def cpu_of(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):  # a backend that ended
            total += cpu_seconds(pid)
    return total


def handled(platform: Platform, process: str) -> float:
    """Commands this replica answered (its Prometheus counter)."""
    url = f"http://127.0.0.1:{platform.port_of(process)}/metrics"
    with urllib.request.urlopen(url, timeout=5) as response:
        text = response.read().decode()
    return sum(
        s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.name == "wvggz_meldpunt_commands_handled_total"
    )


async def load(platform: Platform, count: int, in_flight: int) -> float:
    connection = platform.connection()
    client = await connection.client("cli")
    headers = connection.headers(TRIAGIST)
    try:
        for payload in commands(100):  # warm-up: imports, caches, each replica's first token
            await client.request(SUBJECT, payload, timeout=10, headers=headers)
        return await concurrent_rate(client, commands(count), SUBJECT, in_flight, headers)
    finally:
        await client.close()


def one_round(
    server: PostgresServer, root: Path, replicas: int, count: int, in_flight: int
) -> dict[str, Any]:
    processes = ["meldpunt", *replica_names("meldpunt", replicas)]
    # Outside the ephemeral range: the replicas' many connections must not take a chosen port.
    nats_port, monitor_port, oidc_port, *http = distinct_free_ports(3 + len(processes))
    platform = Platform(
        data_dir=root / f"var-{replicas}",
        nats_port=nats_port,
        monitor_port=monitor_port,
        oidc_port=oidc_port,
        http_ports=dict(zip(processes, http, strict=True)),
        services=("meldpunt",),
        replicas={"meldpunt": replicas},
        extra_env={
            "WVGGZ_STORE": "postgres",
            "WVGGZ_POSTGRES_URL": server.new_database(),
            "WVGGZ_LOG_LEVEL": "WARNING",
        },
    )
    print(f"  {replicas} replica(s): starting ...", flush=True)
    try:
        platform.start()
    except PlatformError:
        for log in sorted(platform.data_dir.glob("meldpunt*.log")):  # gone with the scratch
            print(f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}", file=sys.stderr)
        raise
    try:
        parts = {
            "replicas": lambda: [p for name in processes if (p := platform.pid(name))],
            "postgres": lambda: family_pids(postmaster_pid(server)),
            "nats": lambda: [p for p in [platform.pid("nats")] if p],
        }
        before = {part: cpu_of(pids()) for part, pids in parts.items()}
        before_handled = {p: handled(platform, p) for p in processes}
        rate = asyncio.run(load(platform, count, in_flight))
        used = {part: cpu_of(pids()) - before[part] for part, pids in parts.items()}
        shares = [handled(platform, p) - before_handled[p] for p in processes]
    finally:
        platform.stop()
    # The warm-up's commands fall between the two readings too.
    per_thousand = {part: round(1000 * cpu / (count + 100), 2) for part, cpu in used.items()}
    print(
        f"  {replicas} replica(s): {rate:,.0f} commands/s; spread {[int(s) for s in shares]};"
        f" CPU s per 1,000 commands {per_thousand}",
        flush=True,
    )
    return {"commands_per_s": round(rate), "spread": [int(s) for s in shares], "cpu": per_thousand}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--count", type=int, default=2000, help="commands per round (2000)")
    parser.add_argument("--in-flight", type=int, default=64, help="concurrent requests (64)")
    parser.add_argument(
        "--replicas", type=int, nargs="+", default=[1, 2, 4], help="replica counts (1 2 4)"
    )
    args = parser.parse_args()
    if args.count < 100 or args.in_flight < 1 or not all(1 <= r <= 16 for r in args.replicas):
        parser.error("--count >= 100, --in-flight >= 1, replicas 1 to 16")

    print(f"RegistreerMelding on a shared PostgreSQL store ({os.cpu_count()} cores):", flush=True)
    results: dict[int, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="wvggz-bench-") as scratch, running_postgres() as pg:
        for replicas in args.replicas:
            results[replicas] = one_round(pg, Path(scratch), replicas, args.count, args.in_flight)

    base = results[min(results)]["commands_per_s"]
    print(f"\n{'replicas':<10}{'commands/s':>12}{'ratio':>8}   CPU s / 1,000 commands")
    for replicas, figures in results.items():
        ratio = figures["commands_per_s"] / base
        print(f"{replicas:<10}{figures['commands_per_s']:>12,}{ratio:>8.2f}   {figures['cpu']}")
    written = bewaar(
        "replicas",
        {
            "in_flight": args.in_flight,
            "cores": os.cpu_count(),
            **{f"replicas_{n}": f for n, f in results.items()},
        },
    )
    print(f"\nFigures in {written}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
