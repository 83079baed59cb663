"""Benchmark: how fast `wvggz verify` recomputes a SQLite store's hash chain (events/s).

Fills a fresh store (synchronous=OFF, it is a throw-away file) with `--events` events of a
realistic size in streams of ten, signs one checkpoint at the end, then verifies it as the
command does (`--runs` times) and prints the rate of each run.

    .venv/bin/python bench/verify.py [--events 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from uitkomsten import bewaar

from kernel.audit import AuditTrail
from kernel.eventstore import NO_STREAM, NewEvent
from kernel.eventstore.sqlite import SqliteEventStore
from kernel.ketting import ChainSigner, key_path, signing_key
from wvggz.verify import trusted_key, verify_sqlite

SERVICE = "meldpunt"


def event(n: int) -> NewEvent:
    """An event about as large as a MeldingOntvangen (about 700 bytes of JSON)."""
    data = {
        "melding_id": str(uuid.uuid4()),
        "gemeente": "GM0402",
        "situatie": "Buren maken zich zorgen; " * 12,
        "ernstig_nadeel": ["levensgevaar", "verwaarlozing"],
        "n": n,
    }
    metadata = {
        "gemeente": "GM0402",
        "case_id": str(uuid.uuid4()),
        "correlation_id": str(uuid.uuid4()),
        "causation_id": str(uuid.uuid4()),
        "actor": "triagist-7",
        "occurred_at": datetime.now(UTC).isoformat(),
    }
    return NewEvent(uuid.uuid4(), "nl.wvggz.meldpunt.melding-ontvangen.v1", data, metadata)


async def fill(data_dir: Path, count: int) -> None:
    """Append `count` events in streams of ten, then one signed checkpoint."""
    store = SqliteEventStore(data_dir / SERVICE / "events.db", synchronous="OFF")
    await asyncio.gather(
        *(
            store.append(f"melding-{n}", [event(n * 10 + i) for i in range(10)], NO_STREAM)
            for n in range(count // 10)
        )
    )
    signer = ChainSigner(
        store,
        AuditTrail(store, SERVICE, lambda: datetime.now(UTC)),
        signing_key(key_path(data_dir, SERVICE)),
        lambda: datetime.now(UTC),
        gemeente="GM0402",
        interval=60,
    )
    await signer.sign_now()
    await store.close()


def main() -> int:
    """Fill, verify, print."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3, help="verify the same store this often")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder)
        started = time.perf_counter()
        asyncio.run(fill(data_dir, args.events))
        print(f"filled {args.events} events in {time.perf_counter() - started:.1f} s")
        key = trusted_key(None, data_dir, SERVICE)
        best = 0.0
        for run in range(1, args.runs + 1):
            started = time.perf_counter()
            outcome = verify_sqlite(data_dir / SERVICE / "events.db", SERVICE, [], key, print)
            seconds = time.perf_counter() - started
            if outcome is None or outcome.broken is not None or outcome.checkpoints != 1:
                print(f"verification did not pass: {outcome}", file=sys.stderr)
                return 1
            rate = outcome.events / seconds
            print(f"run {run}: {outcome.events} events in {seconds:.2f} s = {rate:,.0f} events/s")
            best = max(best, rate)
    bewaar("verify", {"events": args.events, "verify_events_per_s": round(best)})
    return 0


if __name__ == "__main__":
    sys.exit(main())
