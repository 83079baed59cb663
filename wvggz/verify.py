"""`wvggz verify`: recompute each service's event store hash chain from the first event, check it
against the signed checkpoints (from the store and, with `--nats-url`, from the bus, which a
rewritten file cannot reach) and name the first broken position.

A SQLite store is read read-only, exactly as stored; a KurrentDB store (`--store-url`) through
the adapter. The exit code is 1 when any chain is broken, 2 when a store cannot be checked.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from wvggz_contracts.audit import KettingGetekend

from kernel.eventstore.chain import Row, event_row
from kernel.eventstore.factory import open_store
from kernel.eventstore.verification import (
    Checkpoint,
    Outcome,
    sqlite_has_chain,
    sqlite_rows,
    verify_rows,
)
from kernel.ketting import key_path, public_key_path, signature_valid
from wvggz.connection import Connection

Say = Callable[[str], None]
PROGRESS_EVERY_S = 2.0
STREAM_WAIT_S = 2.0
"""How long to wait for the first checkpoint on the bus before concluding there is none."""


def checkpoint_from(data: Mapping[str, Any], source: str) -> Checkpoint | None:
    """A checkpoint event's data as a checkpoint (None when it is not one at all)."""
    try:
        event = KettingGetekend.model_validate(data)
    except ValidationError:
        return None
    return Checkpoint(
        position=event.positie,
        hash=event.hash,
        source=source,
        signed_at=event.getekend_op.isoformat(timespec="seconds"),
        public_key=event.publieke_sleutel,
        valid=signature_valid(data),
    )


def store_checkpoints(rows: Iterable[tuple[str, str]], service: str) -> list[Checkpoint]:
    """The service's checkpoints among (type, data JSON) rows of its store."""
    found = []
    for type_, data in rows:
        if type_ != KettingGetekend.event_type:
            continue
        checkpoint = checkpoint_from(json.loads(data), "store")
        if checkpoint is not None and json.loads(data).get("service") == service:
            found.append(checkpoint)
    return found


async def stream_checkpoints(nats_url: str, bus_dir: Path, service: str) -> list[Checkpoint]:
    """The service's checkpoints in the event stream, read as the operators' identity."""
    import nats
    from nats.errors import TimeoutError as NatsTimeout
    from nats.js.api import DeliverPolicy
    from wvggz_contracts.subjects import EVENTS_STREAM

    _procedure, event, version = KettingGetekend.event_type.rsplit(".", 3)[1:]
    client = await nats.connect(**Connection(nats_url, bus_dir, "").nats_options("bootstrap"))
    found: list[Checkpoint] = []
    try:
        subscription = await client.jetstream().subscribe(
            f"wvggz.evt.{service}.*.{event}.{version}",
            stream=EVENTS_STREAM,
            ordered_consumer=True,
            deliver_policy=DeliverPolicy.ALL,
        )
        while True:
            try:
                message = await subscription.next_msg(timeout=STREAM_WAIT_S)
            except NatsTimeout:
                break
            checkpoint = checkpoint_from(json.loads(message.data).get("data", {}), "stream")
            if checkpoint is not None:
                found.append(checkpoint)
            if message.metadata.num_pending == 0:
                break
        await subscription.unsubscribe()
    finally:
        await client.close()
    return found


def stores_in(data_dir: Path) -> list[str]:
    """The services with a SQLite event store in a data folder."""
    return sorted(p.parent.name for p in data_dir.glob("*/events.db") if p.is_file())


def trusted_key(explicit: Path | None, data_dir: Path, service: str) -> str | None:
    """The public key checkpoints must be signed with: given, or the one beside the service's
    private key; None: the key of the first checkpoint."""
    path = explicit or public_key_path(key_path(data_dir, service))
    return path.read_text().strip() if path.exists() else None


def report(service: str, outcome: Outcome, seconds: float) -> str:
    """One line on a service's chain."""
    rate = outcome.events / seconds if seconds > 0 else 0.0
    sources = ", ".join(f"{n} uit {source}" for source, n in sorted(outcome.by_source.items()))
    counts = (
        f"{outcome.events} events, {outcome.checkpoints} controlepunten"
        f"{f' ({sources})' if sources else ''}, {seconds:.2f} s, {rate:.0f} events/s"
    )
    if outcome.broken is None:
        return f"{service}: keten intact ({counts})"
    broken = outcome.broken
    where = f"BREUK op positie {broken.position} ({broken.kind})"
    return f"{service}: {where}: {broken.detail} [{counts}]"


def progress_line(service: str, say: Say) -> Callable[[int], None]:
    """A progress report that speaks at most every PROGRESS_EVERY_S seconds."""
    last = time.monotonic()

    def tell(count: int) -> None:
        nonlocal last
        if time.monotonic() - last >= PROGRESS_EVERY_S:
            last = time.monotonic()
            say(f"{service}: {count} events gecontroleerd ...")

    return tell


def verify_sqlite(
    path: Path, service: str, checkpoints: list[Checkpoint], key: str | None, say: Say
) -> Outcome | None:
    """Verify one SQLite store file; None (and why) when it cannot be."""
    if not path.is_file():
        say(f"{service}: geen event store in {path}")
        return None
    if not sqlite_has_chain(path):
        say(f"{service}: de store heeft nog geen hashketen (start de dienst één keer)")
        return None
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        found = store_checkpoints(
            conn.execute(
                "SELECT type, data FROM events WHERE type = ? ORDER BY position",
                (KettingGetekend.event_type,),
            ),
            service,
        )
    finally:
        conn.close()

    def stored_hashes() -> Iterable[tuple[int, str]]:
        return ((row[0], row[8]) for row in sqlite_rows(path))

    return verify_rows(
        sqlite_rows(path),
        [*found, *checkpoints],
        trusted_key=key,
        stored_hashes=stored_hashes,
        progress=progress_line(service, say),
    )


async def verify_url(
    url: str, service: str, checkpoints: list[Checkpoint], key: str | None, say: Say
) -> Outcome:
    """Verify a store behind a URL (KurrentDB) through its adapter."""
    store = open_store(url)
    try:
        rows: list[Row] = []
        found: list[Checkpoint] = []
        async for event in store.read_all(0):
            row = event_row(event)
            if row is None:
                continue  # stored before the chain existed
            rows.append(row)
            if event.type == KettingGetekend.event_type:
                found += store_checkpoints([(event.type, row[5])], service)
    finally:
        await store.close()
    return verify_rows(
        rows,
        [*found, *checkpoints],
        trusted_key=key,
        stored_hashes=lambda: ((row[0], row[8]) for row in rows),
        progress=progress_line(service, say),
    )


async def run(args: argparse.Namespace, say: Say) -> int:
    """Verify every named service (default: every service folder with a store)."""
    data_dir = Path(args.data_dir)
    services: list[str] = args.dienst or stores_in(data_dir)
    if not services:
        say(f"Geen event stores gevonden in {data_dir}.")
        return 2
    if args.store_url and not args.dienst:
        say("--store-url hoort bij één --dienst.")
        return 2
    broken = unchecked = False
    for service in services:
        key = trusted_key(Path(args.sleutel) if args.sleutel else None, data_dir, service)
        checkpoints: list[Checkpoint] = []
        if args.nats_url:
            checkpoints = await stream_checkpoints(args.nats_url, data_dir / "bus", service)
        started = time.perf_counter()
        if args.store_url:
            outcome = await verify_url(args.store_url, service, checkpoints, key, say)
        else:
            checked = await asyncio.to_thread(
                verify_sqlite, data_dir / service / "events.db", service, checkpoints, key, say
            )
            if checked is None:
                unchecked = True
                continue
            outcome = checked
        say(report(service, outcome, time.perf_counter() - started))
        broken = broken or outcome.broken is not None
    return 1 if broken else 2 if unchecked else 0


def parser(parent: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `verify` to the `wvggz` command line."""
    command = parent.add_parser(
        "verify", help="check the event stores' hash chains against the signed checkpoints"
    )
    command.add_argument("--data-dir", default=os.environ.get("WVGGZ_DATA_DIR", "var"))
    command.add_argument(
        "--dienst", action="append", help="only this service (repeatable); default: all"
    )
    command.add_argument(
        "--nats-url", default=None, help="also check the checkpoints published on this bus"
    )
    command.add_argument(
        "--store-url", default=None, help="a KurrentDB store instead of the SQLite files"
    )
    command.add_argument(
        "--sleutel", default=None, help="public key file (hex); default: <dienst>/ketting.pub"
    )
    command.set_defaults(run=command_main)


def command_main(args: argparse.Namespace) -> int:
    """Entry point of `wvggz verify`."""
    return asyncio.run(run(args, lambda line: print(line, flush=True)))
