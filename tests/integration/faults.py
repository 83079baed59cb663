"""Fault injection on the running platform: the supervisor in a thread, loads of commands sent
as clients must send them (retried with the same command id until answered), and what arrived
counted in the services' event stores and in the JetStream stream."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import signal
import sqlite3
import threading
import time
import urllib.request
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import nats
from nats.aio.client import Client as Nats
from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig, DeliverPolicy
from prometheus_client.parser import text_string_to_metric_families
from wvggz_contracts.subjects import EVENTS_STREAM, command_subject

from tests.integration.route import melding, triage
from wvggz.connection import Connection
from wvggz.runner import Platform
from wvggz.supervisor import Supervisor

T = TypeVar("T")

REPORT_PATH = Path(__file__).resolve().parents[2] / "var" / "fault-injection" / "latest.md"
"""Where the table of the last run goes (var/ is not versioned)."""

RETRYABLE = frozenset({"conflict", "unavailable", "internal"})
"""Refusals a client retries with the same command id; any other refusal fails the test."""

MELDING_ONTVANGEN = "nl.wvggz.meldpunt.melding-ontvangen.v1"
VO_GEOPEND = "nl.wvggz.onderzoek.vo-geopend.v1"
GEPARKEERD = "nl.wvggz.audit.gebeurtenis-geparkeerd.v1"


# --- the report -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Outcome:
    """One experiment's row in the report."""

    experiment: str
    load: str
    lost: int
    duplicated: int
    recovery_s: float
    bound_s: float
    measured: str = ""

    @property
    def within_bound(self) -> bool:
        return self.recovery_s <= self.bound_s


RESULTS: list[Outcome] = []
"""Rows of this session's experiments, in the order they ran."""


def markdown(rows: Iterable[Outcome]) -> str:
    """The rows as a Markdown table."""
    lines = [
        "| experiment | load | lost | duplicated | recovery (s) | bound (s) | measured |",
        "| ---------- | ---- | ---: | ---------: | -----------: | --------: | -------- |",
    ]
    for row in rows:
        recovery = f"{row.recovery_s:.2f}" + ("" if row.within_bound else " (over)")
        lines.append(
            f"| {row.experiment} | {row.load} | {row.lost} | {row.duplicated} | {recovery}"
            f" | {row.bound_s:.0f} | {row.measured} |"
        )
    return "\n".join(lines) + "\n"


def write_report(rows: list[Outcome], path: Path = REPORT_PATH) -> Path:
    """Write the table, with when and where it was measured."""
    path.parent.mkdir(parents=True, exist_ok=True)
    when = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    header = (
        "# Fault injection: latest run\n\n"
        f"{when}, {os.cpu_count()} CPUs; `tests/integration/test_fault_injection.py`.\n"
        "Lost and duplicated are counted in the event stores and the JetStream stream;"
        " recovery is measured as each row says.\n\n"
    )
    path.write_text(header + markdown(rows))
    return path


# --- the supervisor -------------------------------------------------------------------------


class Supervision:
    """`wvggz up`'s supervisor loop in a thread; its report lines stamped with when they came.

    A child the test stops with `Platform.stop_process` leaves the platform's processes and so
    is not restarted; `Platform.restart` brings it back under supervision.
    """

    def __init__(self, platform: Platform, interval: float = 0.1) -> None:
        self.reports: list[tuple[float, str]] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._interval = interval
        self._supervisor = Supervisor(platform, report=self._report)
        self._thread = threading.Thread(target=self._run, name="supervisor", daemon=True)

    def _report(self, line: str) -> None:
        with self._lock:
            self.reports.append((time.monotonic(), line))

    def _run(self) -> None:
        while not self._stopping.wait(self._interval):
            try:
                self._supervisor.watch_once(time.monotonic())
            except Exception as failure:  # keep supervising; the test sees the line
                self._report(f"supervisor failed: {failure!r}")

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=10)

    def lines(self, after: float = 0.0) -> list[str]:
        with self._lock:
            return [line for at, line in self.reports if at >= after]

    async def wait_for(self, text: str, *, after: float, within: float) -> float:
        """When a report line containing `text` came (not before `after`)."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            with self._lock:
                found = [at for at, line in self.reports if at >= after and text in line]
            if found:
                return found[0]
            await asyncio.sleep(0.02)
        raise AssertionError(f"no {text!r} within {within} s; supervisor: {self.lines(after)}")


def sigkill(platform: Platform, name: str) -> float:
    """SIGKILL a child of the platform; returns when."""
    pid = platform.pid(name)
    assert pid is not None and platform.exit_code(name) is None, f"{name} is not running"
    os.kill(pid, signal.SIGKILL)
    return time.monotonic()


async def ready(platform: Platform, *names: str, within: float = 30.0) -> float:
    """Wait until each child answers its readiness check; returns when they all did."""
    deadline = time.monotonic() + within
    waiting = list(names)
    while waiting:
        if not await asyncio.to_thread(platform.ready, waiting[0]):
            if time.monotonic() > deadline:
                raise AssertionError(f"{waiting} not ready within {within} s")
            await asyncio.sleep(0.05)
            continue
        waiting.pop(0)
    return time.monotonic()


async def wait_until(condition: Callable[[], Awaitable[bool]], within: float) -> float | None:
    """When the condition first held, or None if not within `within` seconds."""
    deadline = time.monotonic() + within
    while True:
        if await condition():
            return time.monotonic()
        if time.monotonic() > deadline:
            return None
        await asyncio.sleep(0.05)


# --- clients --------------------------------------------------------------------------------


async def connect(connection: Connection, identity: str = "cli") -> Nats:
    """A NATS connection as this identity that reconnects quickly and for ever."""
    return await nats.connect(
        **connection.nats_options(identity),
        allow_reconnect=True,
        max_reconnect_attempts=-1,
        reconnect_time_wait=0.2,
    )


@dataclass(frozen=True, slots=True)
class Sent:
    """A command the platform acknowledged, after this many attempts with the same id."""

    name: str
    command_id: uuid.UUID
    reply: dict[str, Any]
    attempts: int
    started: float
    acked: float

    @property
    def event_ids(self) -> list[str]:
        return [str(e) for e in self.reply.get("event_ids") or []]


@dataclass
class Sender:
    """Sends commands as one user, as the client contract says: an unanswered or failed request
    is sent again with the same command id until the platform acknowledges it."""

    client: Nats
    token: str
    request_timeout: float = 2.0
    retry_pause: float = 0.1
    give_up_after: float = 60.0

    async def send(self, service: str, name: str, payload: dict[str, Any]) -> Sent:
        command_id = uuid.uuid4()
        body = json.dumps({"command_id": str(command_id), "payload": payload}).encode()
        headers = {"Authorization": f"Bearer {self.token}"}
        started, attempts, last = time.monotonic(), 0, ""
        while True:
            attempts += 1
            try:
                message = await self.client.request(
                    command_subject(service, name),
                    body,
                    timeout=self.request_timeout,
                    headers=headers,
                )
            except (nats.errors.Error, TimeoutError) as failure:
                last = repr(failure)
            else:
                reply: dict[str, Any] = json.loads(message.data)
                if reply.get("ok"):
                    return Sent(name, command_id, reply, attempts, started, time.monotonic())
                code = (reply.get("error") or {}).get("code")
                if code not in RETRYABLE:
                    raise AssertionError(f"{name} {command_id} refused: {reply}")
                last = str(code)
            if time.monotonic() - started > self.give_up_after:
                raise AssertionError(
                    f"{name} {command_id} not acknowledged after {attempts} attempts in"
                    f" {self.give_up_after} s (last: {last})"
                )
            await asyncio.sleep(self.retry_pause)

    async def registreer_melding(self) -> Sent:
        """A melding about a person of its own (no samenhang with earlier ones)."""
        return await self.send("meldpunt", "registreer-melding", melding_payload())

    async def triage_to_vo(self) -> tuple[Sent, Sent]:
        """A melding and its triage with outcome verkennend onderzoek (meldpunt → onderzoek)."""
        registered = await self.registreer_melding()
        outcome = triage(registered.reply["case_id"], uitkomst="verkennend-onderzoek")
        return registered, await self.send("meldpunt", "rond-triage-af", outcome)


def _bsns() -> Iterator[str]:
    """Distinct BSNs that pass the elfproef."""
    for number in itertools.count(20_000_000):
        digits = f"{number:08d}"
        check = sum(int(d) * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if check < 10:
            yield f"{digits}{check}"


_BSN = _bsns()


def melding_payload() -> dict[str, Any]:
    """RegistreerMelding by a neighbour about a betrokkene nobody reported before: a BSN and a
    name of its own, so that samenhang links it to nothing (as most meldingen)."""
    payload = melding("buur")
    bsn = next(_BSN)
    payload["betrokkene"] |= {"bsn": bsn, "naam": f"J. Voorbeeld-{bsn}"}
    return payload


async def steady(senders: int, unit: Callable[[], Awaitable[T]], stop: asyncio.Event) -> list[T]:
    """Concurrent senders each repeating a unit of work until `stop` is set; what they did."""
    done: list[T] = []

    async def sender() -> None:
        while not stop.is_set():
            done.append(await unit())

    await asyncio.gather(*(sender() for _ in range(senders)))
    return done


async def batch(senders: int, count: int, unit: Callable[[], Awaitable[T]]) -> list[T]:
    """`count` units of work shared by concurrent senders."""
    left = iter(range(count))
    done: list[T] = []

    async def sender() -> None:
        for _ in left:
            done.append(await unit())

    await asyncio.gather(*(sender() for _ in range(senders)))
    return done


# --- the event stores -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Stored:
    """An event in a service's store."""

    position: int
    event_id: str
    stream: str
    type: str
    causation_id: str | None
    data: dict[str, Any]


def store_path(platform: Platform, service: str) -> Path:
    """The SQLite event store of a service (`ServiceSettings.store_path`)."""
    return platform.data_dir / service / "events.db"


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)


def last_position(path: Path) -> int:
    """The position of the newest event in a store."""
    with closing(_read_only(path)) as db:
        (position,) = db.execute("SELECT COALESCE(MAX(position), 0) FROM events").fetchone()
    return int(position)


def stored_events(path: Path, after: int = 0, types: Iterable[str] = ()) -> list[Stored]:
    """Events of a store after a position (of these types only, when given), read-only."""
    wanted = tuple(types)
    query = "SELECT position, event_id, stream, type, metadata, data FROM events WHERE position > ?"
    if wanted:
        query += f" AND type IN ({','.join('?' * len(wanted))})"
    with closing(_read_only(path)) as db:
        rows = db.execute(query + " ORDER BY position", (after, *wanted)).fetchall()
    return [
        Stored(
            position=position,
            event_id=event_id,
            stream=stream,
            type=type_,
            causation_id=json.loads(metadata).get("causation_id"),
            data=json.loads(data),
        )
        for position, event_id, stream, type_, metadata, data in rows
    ]


# --- the stream -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Published:
    """A message in the event stream; id, type and causation are None when it is no CloudEvent."""

    sequence: int
    subject: str
    msg_id: str | None
    event_id: str | None
    type: str | None
    causation_id: str | None
    data: dict[str, Any]


def _published(
    sequence: int, subject: str, headers: dict[str, str] | None, body: bytes
) -> Published:
    try:
        event = json.loads(body)
    except ValueError:
        event = None
    if not isinstance(event, dict):
        event = {}
    data = event.get("data")
    return Published(
        sequence=sequence,
        subject=subject,
        msg_id=(headers or {}).get("Nats-Msg-Id"),
        event_id=event.get("id"),
        type=event.get("type"),
        causation_id=event.get("causationid"),
        data=data if isinstance(data, dict) else {},
    )


@dataclass
class StreamTap:
    """The event stream from a sequence on, read as an operator observes it (bootstrap)."""

    js: JetStreamContext
    next_sequence: int
    messages: list[Published] = field(default_factory=list)

    @classmethod
    async def at_end(cls, js: JetStreamContext) -> StreamTap:
        """A tap that sees only what is published from now on."""
        return cls(js, await last_sequence(js) + 1)

    async def catch_up(self) -> list[Published]:
        """Read what was published since the last call; every message read so far."""
        last = await last_sequence(self.js)
        if last < self.next_sequence:
            return self.messages
        subscription = await self.js.subscribe(
            "wvggz.evt.>",
            stream=EVENTS_STREAM,
            ordered_consumer=True,
            config=ConsumerConfig(
                deliver_policy=DeliverPolicy.BY_START_SEQUENCE, opt_start_seq=self.next_sequence
            ),
        )
        try:
            while self.next_sequence <= last:
                message = await subscription.next_msg(timeout=5)
                sequence = message.metadata.sequence.stream
                self.messages.append(
                    _published(sequence, message.subject, message.headers, message.data)
                )
                self.next_sequence = sequence + 1
        finally:
            await subscription.unsubscribe()
        return self.messages

    async def holds(self, event_ids: set[str]) -> bool:
        """Whether every one of these events was published since the tap began."""
        return event_ids <= {m.event_id for m in await self.catch_up()}


async def last_sequence(js: JetStreamContext) -> int:
    return int((await js.stream_info(EVENTS_STREAM)).state.last_seq)


async def messages_on(js: JetStreamContext, subjects: str) -> int:
    """How many messages the stream holds on these subjects."""
    info = await js.stream_info(EVENTS_STREAM, subjects_filter=subjects)
    return sum((info.state.subjects or {}).values())


# --- metrics --------------------------------------------------------------------------------


def metric(platform: Platform, service: str, name: str, **labels: str) -> float:
    """The sum of a service's Prometheus samples of this name with these labels."""
    url = f"http://127.0.0.1:{platform.port_of(service)}/metrics"
    with urllib.request.urlopen(url, timeout=5) as response:
        text = response.read().decode()
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items())
    )


# --- counting -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tally:
    """Acknowledged commands against what the store and the stream hold of them."""

    acknowledged: int
    lost: int
    duplicated: int
    problems: tuple[str, ...]


def _count(keys: Iterable[str | None]) -> Counter[str]:
    return Counter(key for key in keys if key is not None)


def tally(
    sent: Iterable[Sent], stored: Iterable[Stored], published: Iterable[Published], first: str
) -> Tally:
    """Each acknowledged command must have exactly one `first` event (the one it is about) in
    the store and in the stream, and each of its events exactly one message in the stream,
    counted both by the CloudEvent id and by `Nats-Msg-Id` (which must be that id). Any other
    message id twice in the stream is a duplicate too."""
    commands = list(sent)
    in_store: dict[str, list[Stored]] = {}
    for event in stored:
        in_store.setdefault(event.causation_id or "", []).append(event)
    messages = list(published)
    by_msg_id = _count(m.msg_id for m in messages)
    by_event_id = _count(m.event_id for m in messages)
    firsts = _count(m.causation_id for m in messages if m.type == first)
    lost = duplicated = 0
    problems: list[str] = []
    ours: set[str] = set()
    for command in commands:
        cause = str(command.command_id)
        events = in_store.get(cause, [])
        stored_firsts = sum(1 for e in events if e.type == first)
        ids = sorted(set(command.event_ids) | {e.event_id for e in events})
        ours |= set(ids)
        copies = [(by_event_id[i], by_msg_id[i]) for i in ids]
        where = f"{command.name} {cause}: store {stored_firsts}, stream {firsts[cause]}, {copies}"
        if stored_firsts == 0 or firsts[cause] == 0 or not ids or min(c for c, _ in copies) == 0:
            lost += 1
            problems.append(f"lost {where}")
        elif stored_firsts > 1 or firsts[cause] > 1 or max(max(pair) for pair in copies) > 1:
            duplicated += 1
            problems.append(f"twice {where}")
        elif any(by_id != by_header for by_id, by_header in copies):
            lost += 1  # JetStream could not de-duplicate it: as good as unaccounted for
            problems.append(f"Nats-Msg-Id is not the event id: {where}")
    others = sum(n - 1 for msg_id, n in by_msg_id.items() if n > 1 and msg_id not in ours)
    if others:
        problems.append(f"{others} further copies of other messages in the stream")
    return Tally(len(commands), lost, duplicated + others, tuple(problems[:10]))
