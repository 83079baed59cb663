"""Benchmark: rebuilding every view of the meldpunt from its store, against reading the same
events raw, in the same run (issue 15's aim: rebuild events/s >= 0.3 x raw read events/s).

The store is filled through the real command pipeline with personal data sealed, as the
platform runs it: RegistreerMelding for new persons, and triage for every other melding. "Raw"
reads every row back as the adapter does (JSON decoded, nothing opened or parsed). "Rebuild"
is what the projector does after its views are deleted: every event read through the sealing
store (personal fields opened), parsed into its model and folded into the meldpunt's views
(werkvoorraad, dossiers, the samenhang index, the vernietigingen), in batches of 256, each in
one transaction of a fresh views file. Best of three interleaved runs each; figures also go to
var/bench/latest.json (section `rebuild_views`).

    .venv/bin/python bench/rebuild_views.py [--meldingen 10000] [--profiel 15]

`--profiel N` adds one more rebuild under cProfile and prints its top N entries by cumulative
and by own time (profiled, so slower than the timed rounds; the figures come from those).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from registreer_melding import TRIAGIST, commands
from uitkomsten import bewaar
from wvggz_contracts.audit import PARKING_EVENTS
from wvggz_contracts.bewaring import BEWARING_EVENTS
from wvggz_contracts.commands import Actor, Rol

from kernel.bewaring.views import VERNIETIGINGEN
from kernel.eventstore.sqlite import SqliteEventStore
from kernel.parking import parked_view
from kernel.pipeline import CommandPipeline
from kernel.projection import EventMeta, ViewStore
from kernel.sleutels import Veldsleutels, VercijferdeStore
from kernel.sleutels.bestand import BestandsKluis, hoofdsleutel
from services.meldpunt.app import DEFINITION, MeldpuntSettings
from services.meldpunt.domain import SAMENHANG
from wvggz.demo import triage_naar_vo

AIM = 0.3


async def fill(root: Path, meldingen: int) -> VercijferdeStore:
    """The meldpunt's store with `meldingen` registered and every other one triaged."""
    kluis = BestandsKluis(root / "sleutels" / "kluis.db", hoofdsleutel(root / "sleutels" / "key"))
    registry = DEFINITION.events.merged(BEWARING_EVENTS)
    store = VercijferdeStore(SqliteEventStore(root / "events.db"), registry, Veldsleutels(kluis))
    pipeline = CommandPipeline(store, registry, "meldpunt", lambda: datetime.now(UTC))
    settings = MeldpuntSettings(data_dir=root)
    [rulebook] = [r for r in DEFINITION.rulebooks(settings) if r.category == "melding"]
    specs = {spec.name: spec for spec in rulebook.specs}

    async def none_related(_command: object) -> frozenset[object]:
        return frozenset()

    pipeline.provide(SAMENHANG, none_related)
    actor = Actor(id=TRIAGIST, rol=Rol.TRIAGIST, gemeente="GM0402")
    slots = asyncio.Semaphore(64)

    async def one(body: bytes, triage: bool) -> None:
        async with slots:
            reply = await pipeline.handle(
                rulebook.decider, specs["registreer-melding"], body, actor
            )
            if triage and reply.ok:
                payload = triage_naar_vo(str(reply.case_id))
                body = {"command_id": str(uuid.uuid4()), "payload": payload}
                triaged = await pipeline.handle(
                    rulebook.decider, specs["rond-triage-af"], body, actor
                )
                if not triaged.ok:
                    raise RuntimeError(f"triage refused: {triaged.error}")

    await asyncio.gather(*(one(b, n % 2 == 0) for n, b in enumerate(commands(meldingen))))
    return store


async def read_raw(store: VercijferdeStore) -> tuple[int, float]:
    """Every event as the adapter reads it."""
    start, count = time.perf_counter(), 0
    async for _event in store.inner.read_all(0, 1000):
        count += 1
    return count, time.perf_counter() - start


async def rebuild(store: VercijferdeStore, views_path: Path) -> tuple[int, float]:
    """Every view folded anew from the store, as the projector does after its file is gone."""
    await asyncio.to_thread(views_path.unlink, missing_ok=True)
    settings = MeldpuntSettings(data_dir=views_path.parent)
    views = [*DEFINITION.views(settings), parked_view("meldpunt"), VERNIETIGINGEN]
    registry = DEFINITION.events.merged(PARKING_EVENTS).merged(BEWARING_EVENTS)
    view_store = ViewStore(views_path)
    start, count, batch = time.perf_counter(), 0, []
    last = 0
    async for recorded in store.read_all(0, 1000):
        count += 1
        last = recorded.position
        if recorded.type in registry and "case_id" in recorded.metadata:
            batch.append((registry.parse(recorded.type, recorded.data), EventMeta.of(recorded)))
        if len(batch) == 256:
            view_store.apply(views, batch, last)
            batch = []
    view_store.apply(views, batch, last)
    seconds = time.perf_counter() - start
    view_store.close()
    return count, seconds


async def profile(store: VercijferdeStore, views_path: Path, top: int) -> None:
    """One more rebuild under cProfile: where its time goes."""
    profiler = cProfile.Profile()
    profiler.enable()
    await rebuild(store, views_path)
    profiler.disable()
    for order in ("cumulative", "tottime"):
        pstats.Stats(profiler, stream=sys.stdout).sort_stats(order).print_stats(top)


async def run(meldingen: int, rounds: int, profiel: int = 0) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="wvggz-rebuild-") as scratch:
        root = Path(scratch)
        print(f"filling the meldpunt's store with {meldingen:,} meldingen ...", flush=True)
        started = time.perf_counter()
        store = await fill(root, meldingen)
        print(f"  filled in {time.perf_counter() - started:.1f} s", flush=True)
        await read_raw(store)  # warm the page cache for both
        raw_s = rebuild_s = float("inf")
        for round_ in range(1, rounds + 1):  # interleaved, best of each: less noise
            events, seconds = await read_raw(store)
            raw_s = min(raw_s, seconds)
            rebuilt, seconds = await rebuild(store, root / "views.db")
            rebuild_s = min(rebuild_s, seconds)
            print(f"  round {round_} of {rounds} done", flush=True)
        if profiel:
            await profile(store, root / "views.db", profiel)
        await store.close()
    assert events == rebuilt
    raw, again = events / raw_s, rebuilt / rebuild_s
    return {
        "events": events,
        "raw_read_events_per_s": round(raw),
        "rebuild_events_per_s": round(again),
        "ratio": round(again / raw, 3),
        "aim": AIM,
        "rounds": rounds,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--meldingen", type=int, default=10_000, help="meldingen to register")
    parser.add_argument("--rondes", type=int, default=3, help="runs of each; the best counts")
    parser.add_argument("--profiel", type=int, default=0, help="top N entries of a profile")
    args = parser.parse_args()
    figures = asyncio.run(run(args.meldingen, args.rondes, args.profiel))
    events, raw = figures["events"], figures["raw_read_events_per_s"]
    print(f"  raw read of {events:,} events: {raw:>10,} events/s")
    print(f"  rebuild of every view:       {figures['rebuild_events_per_s']:>10,} events/s")
    met = "met" if figures["ratio"] >= AIM else "NOT met"
    print(f"  ratio {figures['ratio']:.2f} (aim >= {AIM}): {met}")
    bewaar("rebuild_views", figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
