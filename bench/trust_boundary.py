"""Benchmark: what the trust boundary costs, before and after, measured in the same run.

"before" is the meldpunt of commit 79f3df2 (checked out in a temporary git worktree and run as
its own process on an open nats-server): the actor is in the request body and trusted as is.
"after" is the meldpunt of this working tree on the platform's locked bus: requests go as the bus
identity `cli` with a triagist's access token in the Authorization header, which the service
verifies (per-token cache), and every query answer leaves a batched read-audit record.

Both run side by side. After the same warm-up (which also puts a few meldingen in both stores),
the werkvoorraad query and then RegistreerMelding are sent sequentially, in blocks that alternate
between before and after (ABBA), so drift on the machine hits both alike. Then both take a burst
of commands with many in flight, also in alternating order. Prints p50/p99 latency, commands/s
and the ratios after/before beside the aims (commands p50 <= 1.2x, query p50 <= 1.5x).

    make bench            or    .venv/bin/python bench/trust_boundary.py --help
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import nats
from nats.aio.client import Client as Nats
from registreer_melding import (
    SUBJECT,
    TRIAGIST,
    bench_platform,
    concurrent_rate,
    melding_request,
    percentile,
    progress,
)
from wvggz_contracts.subjects import query_subject

from kernel.testing import NatsServer, free_port
from wvggz.connection import Connection

BEFORE = "79f3df2"
"""The last commit before the trust boundary (its parent 5aff5a1 runs the same code paths)."""

REPO = Path(__file__).resolve().parent.parent
QUERY = query_subject("meldpunt", "werkvoorraad")
OLD_ACTOR = {"id": "t-1", "rol": "triagist", "gemeente": "GM0402"}
"""Who the old request bodies said they came from (the old meldpunt believed it)."""


@dataclass
class Target:
    """One meldpunt to measure: how to reach it and how its requests look."""

    label: str
    client: Nats
    headers: dict[str, str] | None
    actor: dict[str, str] | None

    def command(self) -> bytes:
        """A RegistreerMelding body; the old format names its actor."""
        request = melding_request()
        if self.actor is not None:
            request["actor"] = self.actor
        return json.dumps(request).encode()

    def query(self) -> bytes:
        """A werkvoorraad query body in this target's format."""
        if self.actor is not None:
            return json.dumps({"actor": self.actor, "params": {}}).encode()
        return json.dumps({"params": {}, "min_position": None}).encode()


@dataclass
class Results:
    """Latencies (ms) per target label, and commands/s at many in flight."""

    commands: dict[str, list[float]]
    queries: dict[str, list[float]]
    rates: dict[str, float]
    rows: dict[str, int]


# --- the old meldpunt -------------------------------------------------------------------------


@contextmanager
def worktree(commit: str) -> Iterator[Path]:
    """A detached checkout of `commit` in a temporary folder, removed afterwards."""
    parent = Path(tempfile.mkdtemp(prefix="wvggz-before-"))
    source = parent / "src"
    git = ["git", "-C", str(REPO), "worktree"]
    subprocess.run([*git, "add", "--detach", "--quiet", str(source), commit], check=True)
    try:
        yield source
    finally:
        subprocess.run([*git, "remove", "--force", str(source)], check=False)
        shutil.rmtree(parent, ignore_errors=True)
        subprocess.run([*git, "prune"], check=False)


def old_environment(source: Path, nats_url: str, data_dir: Path, port: int) -> dict[str, str]:
    """The old service's environment: its own sources first on the path, an open bus."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("WVGGZ_")}
    return {
        **inherited,
        "PYTHONPATH": f"{source}{os.pathsep}{source / 'contracts'}",
        "WVGGZ_NATS_URL": nats_url,
        "WVGGZ_DATA_DIR": str(data_dir),
        "WVGGZ_HTTP_PORT": str(port),
        "WVGGZ_SQLITE_SYNCHRONOUS": os.environ.get("BENCH_SYNC", "FULL"),
        "WVGGZ_LOG_LEVEL": "WARNING",
    }


def check_old_imports(source: Path, env: dict[str, str]) -> None:
    """Refuse to measure unless the old process really imports the old checkout."""
    probe = "import kernel, wvggz, wvggz_contracts as c; print(kernel.__file__, c.__file__)"
    found = subprocess.run(
        [sys.executable, "-c", probe], cwd=source, env=env, capture_output=True, text=True
    )
    paths = found.stdout.split()
    if found.returncode != 0 or not paths or not all(p.startswith(str(source)) for p in paths):
        raise RuntimeError(f"the old checkout is not what Python imports: {found!r}")


def wait_ready(port: int, process: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    """Until the service's /health/ready answers 200 (or its process ended)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the old meldpunt exited ({process.returncode}); see {log}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/ready", timeout=1) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the old meldpunt was not ready within {timeout:.0f} s; see {log}")


@contextmanager
def old_meldpunt(source: Path, data_dir: Path) -> Iterator[str]:
    """The meldpunt of the old checkout on its own open nats-server; yields the bus URL."""
    server = NatsServer(store_dir=data_dir / "nats")
    server.start()
    port = free_port()
    env = old_environment(source, server.url, data_dir, port)
    log = data_dir / "meldpunt.log"
    process = None
    try:
        check_old_imports(source, env)
        with open(log, "ab") as output:
            process = subprocess.Popen(
                [sys.executable, "-m", "wvggz.serve", "meldpunt"],
                cwd=source,  # `-m` puts the working folder first on the path
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_ready(port, process, log, timeout=60)
        print(f"  before: meldpunt of {BEFORE} ready (open nats-server {server.url})", flush=True)
        yield server.url
    finally:
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        server.stop()


# --- measuring ----------------------------------------------------------------------------------


async def timed(target: Target, subject: str, body: bytes) -> float:
    """One request's round trip in ms; any refusal stops the benchmark."""
    start = time.perf_counter()
    reply = await target.client.request(subject, body, timeout=5, headers=target.headers)
    elapsed = (time.perf_counter() - start) * 1000
    answer = json.loads(reply.data)
    if not answer.get("ok"):
        raise RuntimeError(f"{target.label}: {subject} refused: {reply.data!r}")
    return elapsed


async def interleaved(
    targets: list[Target],
    subject: str,
    body: Callable[[Target], bytes],
    count: int,
    block: int,
    label: str,
) -> dict[str, list[float]]:
    """`count` sequential requests per target, in blocks whose order alternates (ABBA)."""
    samples: dict[str, list[float]] = {t.label: [] for t in targets}
    done, total = 0, count * len(targets)
    for round_ in range(-(-count // block)):
        order = targets if round_ % 2 == 0 else targets[::-1]
        for target in order:
            for _ in range(min(block, count - len(samples[target.label]))):
                samples[target.label].append(await timed(target, subject, body(target)))
                done += 1
                progress(label, done, total)
    return samples


async def rates(targets: list[Target], count: int, in_flight: int) -> dict[str, float]:
    """Commands/s with `in_flight` requests outstanding; two bursts per target, ABBA."""
    half = count // 2
    elapsed = dict.fromkeys((t.label for t in targets), 0.0)
    for target in [*targets, *targets[::-1]]:
        print(f"  {target.label}: {half} commands, {in_flight} in flight ...", flush=True)
        bodies = [target.command() for _ in range(half)]
        elapsed[target.label] += half / await concurrent_rate(
            target.client, bodies, SUBJECT, in_flight, target.headers
        )
    return {label: 2 * half / seconds for label, seconds in elapsed.items()}


async def warm_up(targets: list[Target], meldingen: int) -> None:
    """First requests (imports, caches, token verification); leaves `meldingen` in each store."""
    print(f"  warm-up: {meldingen} commands and 50 queries per target ...", flush=True)
    for target in targets:
        for _ in range(meldingen):
            await timed(target, SUBJECT, target.command())
        for _ in range(50):
            await timed(target, QUERY, target.query())


async def werkvoorraad_rows(targets: list[Target]) -> dict[str, int]:
    """How many rows the werkvoorraad query answers, per target."""
    rows = {}
    for target in targets:
        reply = await target.client.request(
            QUERY, target.query(), timeout=5, headers=target.headers
        )
        rows[target.label] = len(json.loads(reply.data)["data"])
    return rows


async def measure(
    before_url: str, after: Connection, headers: dict[str, str], args: argparse.Namespace
) -> Results:
    """Connect to both meldpunten and run every measurement."""
    old = Target("before", await nats.connect(before_url), None, OLD_ACTOR)
    new = Target("after", await after.client("cli"), headers, None)
    targets = [old, new]
    try:
        await warm_up(targets, args.meldingen)
        queries = await interleaved(
            targets, QUERY, Target.query, args.count, args.block, "werkvoorraad, interleaved"
        )
        rows = await werkvoorraad_rows(targets)
        commands = await interleaved(
            targets,
            SUBJECT,
            Target.command,
            args.count,
            args.block,
            "RegistreerMelding, interleaved",
        )
        throughput = await rates(targets, args.burst, args.in_flight)
    finally:
        for target in targets:
            await target.client.close()
    return Results(commands, queries, throughput, rows)


# --- report -----------------------------------------------------------------------------------


def report(results: Results, args: argparse.Namespace) -> None:
    """The table of before, after and ratios, and whether the aims are met."""
    print(f"\n{'measure':<44}{'before':>9}{'after':>9}{'ratio':>8}  aim")
    cmd, qry = results.commands, results.queries
    rows = results.rows
    cmd_p50 = line("RegistreerMelding p50 ms", cmd, 50, 1.2)
    line("RegistreerMelding p99 ms", cmd, 99)
    label = f"werkvoorraad p50 ms ({rows['before']}/{rows['after']} rows)"
    qry_p50 = line(label, qry, 50, 1.5)
    line("werkvoorraad p99 ms", qry, 99)
    before, after = results.rates["before"], results.rates["after"]
    print(
        f"{f'commands/s, {args.in_flight} in flight':<44}{before:>9,.0f}{after:>9,.0f}"
        f"{after / before:>8.2f}"
    )
    met = {True: "met", False: "NOT met"}
    print(
        f"\nAim: command p50 after/before <= 1.2 ({met[cmd_p50 <= 1.2]}),"
        f" query p50 after/before <= 1.5 ({met[qry_p50 <= 1.5]})."
    )
    print(
        f"({args.count} sequential requests per target and kind, in alternating blocks of"
        f" {args.block};\n before = {BEFORE} on an open bus, after = this working tree.)"
    )


def line(label: str, samples: dict[str, list[float]], p: float, aim: float | None = None) -> float:
    """One row: percentile `p` before and after, their ratio, and the aim if there is one."""
    before, after = percentile(samples["before"], p), percentile(samples["after"], p)
    ratio = after / before
    goal = f"  <= {aim}" if aim is not None else ""
    print(f"{label:<44}{before:>9.2f}{after:>9.2f}{ratio:>8.2f}{goal}")
    return ratio


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--count", type=int, default=1000, help="sequential requests per target")
    parser.add_argument("--block", type=int, default=100, help="requests per alternating block")
    parser.add_argument("--burst", type=int, default=4000, help="commands per target, in flight")
    parser.add_argument("--in-flight", type=int, default=64, help="concurrent commands")
    parser.add_argument("--meldingen", type=int, default=25, help="meldingen in each store")
    args = parser.parse_args()
    if args.count < 100 or args.block < 1 or args.burst < 2 or args.in_flight < 1:
        parser.error("--count >= 100, --block >= 1, --burst >= 2, --in-flight >= 1")

    print(f"Trust boundary: before = {BEFORE}, after = this working tree (same run):", flush=True)
    with tempfile.TemporaryDirectory(prefix="wvggz-bench-tb-") as scratch:
        root = Path(scratch)
        (root / "before").mkdir()
        with worktree(BEFORE) as source, old_meldpunt(source, root / "before") as before_url:
            platform = bench_platform(root / "after")
            platform.start()
            try:
                connection = platform.connection()
                headers = connection.headers(TRIAGIST)
                results = asyncio.run(measure(before_url, connection, headers, args))
            finally:
                platform.stop()
    report(results, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
