"""Fault injection on the whole platform as real processes: the reliability experiments, each
asserting that nothing acknowledged is lost, nothing is done twice, and that the platform
recovers within a stated bound.

One platform (locked bus, identity provider, five services, the supervisor of `wvggz up`) serves
every experiment; each counts only its own commands, meldingen and stream messages. The table of
measured numbers goes to `var/fault-injection/latest.md` and the end of the pytest output.

Bounds are about three times what a 2-core machine measures, for slower CI machines.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, replace

import pytest
from nats.aio.client import Client as Nats
from nats.js import JetStreamContext
from wvggz_contracts.subjects import EVENTS_STREAM, events_of

from tests.integration.faults import (
    GEPARKEERD,
    MELDING_ONTVANGEN,
    RESULTS,
    VO_GEOPEND,
    Outcome,
    Sender,
    Sent,
    StreamTap,
    Supervision,
    batch,
    connect,
    last_position,
    messages_on,
    metric,
    ready,
    sigkill,
    steady,
    store_path,
    stored_events,
    tally,
    wait_until,
    write_report,
)
from tests.integration.platforms import local_platform
from wvggz.connection import Connection
from wvggz.runner import Platform

pytestmark = [pytest.mark.integration, pytest.mark.slow]

SENDERS = 4
"""Concurrent clients in the load experiments."""
BACKLOG_SENDERS = 8
"""Concurrent clients producing the backlog (the meldpunt's best throughput here)."""
LOAD_BEFORE_FAULT_S = 1.5
LOAD_AFTER_RECOVERY_S = 1.0
RELAY_CATCH_UP_S = 30.0
"""How long to wait for the relay to publish what was acknowledged, before counting it lost."""

SERVICE_READY_BOUND_S = 6.0
"""meldpunt SIGKILLed under load → the supervisor reports it ready again (measured 1.3-2.0 s:
the first back-off of 0.5 s, then the process's start)."""
NATS_RECOVERY_BOUND_S = 7.0
"""nats-server SIGKILLed under load → every service ready again (measured 2.1 s: nats-server
is back after 0.7 s, the services reconnect after nats-py's 2-s reconnect wait)."""
CONSUMER_READY_BOUND_S = 10.0
"""onderzoek SIGKILLed while VOs open → the supervisor reports it ready again (1.3-3.4 s)."""
CONSUMER_CATCH_UP_BOUND_S = 10.0
"""onderzoek SIGKILLed → every triage outcome's VO open: the consumer's ack wait (JetStream
redelivers what the killed process had fetched only then: ACK_WAIT_S, 10 s) plus this (measured
with 30 s: 30.0-30.1 s in all, so at most ~0.1 s after the ack wait)."""
BACKLOG = 2000
"""Triage outcomes waiting for a stopped onderzoek, as in the original experiment. Producing them
through the meldpunt (2 commands each, ~60 a second) makes this test ~33 s on 2 cores."""
BACKLOG_DRAIN_BOUND_S = 25.0
"""onderzoek process started → all BACKLOG VOs open (measured 5.5-7.9 s, 250-365 events/s)."""
LOST_CHECKPOINT_READY_BOUND_S = 5.0
"""meldpunt started without its relay checkpoint → ready (measured 0.8-1.5 s)."""
POISON = 1000
"""Undecodable messages a buggy or compromised meldpunt publishes ahead of a valid outcome."""
POISON_BOUND_S = 20.0
"""Valid triage outcome behind POISON poison messages acknowledged → its VO open (measured
1.7-6.1 s: onderzoek and crisis each record 1,000 parkings in their stores first)."""


@dataclass
class Bus:
    """A client application sending as a triagist, and an operator's observer of the stream."""

    client: Nats
    observer: Nats
    triagist: Sender

    @property
    def js(self) -> JetStreamContext:
        return self.observer.jetstream()


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    platform = local_platform(tmp_path_factory.mktemp("fault-injection") / "var")
    platform.start(timeout=60)
    try:
        yield platform
    finally:
        platform.stop()


@pytest.fixture(scope="module")
def supervision(platform: Platform) -> Iterator[Supervision]:
    """The platform kept running as `wvggz up` keeps it: crashed children are restarted."""
    supervision = Supervision(platform)
    supervision.start()
    yield supervision
    supervision.stop()


@pytest.fixture(scope="module")
def connection(platform: Platform) -> Connection:
    return platform.connection()


@pytest.fixture(scope="module", autouse=True)
def report() -> Iterator[None]:
    """After the module: the table of every experiment that ran."""
    RESULTS.clear()
    yield
    if RESULTS:
        write_report(RESULTS)


@pytest.fixture
async def bus(connection: Connection, supervision: Supervision) -> AsyncIterator[Bus]:
    client, observer = await connect(connection), await connect(connection, "bootstrap")
    token = await asyncio.to_thread(connection.token, "triagist.gm0402")
    yield Bus(client, observer, Sender(client, token))
    await client.close()
    await observer.close()


def record(outcome: Outcome) -> Outcome:
    RESULTS.append(outcome)
    return outcome


@dataclass
class UnderFault:
    """Registrations acknowledged while a process was SIGKILLed and restarted."""

    sent: list[Sent]
    killed_at: float
    back_at: float  # the supervisor reported the victim ready again
    all_ready_at: float  # every service answered its readiness check again
    tap: StreamTap  # the stream from before the load
    since: int  # the meldpunt store's position before the load


async def commands_under_fault(
    platform: Platform, supervision: Supervision, bus: Bus, victim: str
) -> UnderFault:
    """Registrations by SENDERS clients; `victim` SIGKILLed mid-load and restarted by the
    supervisor; the load goes on for LOAD_AFTER_RECOVERY_S after every service is ready."""
    since = last_position(store_path(platform, "meldpunt"))
    tap = await StreamTap.at_end(bus.js)
    stop = asyncio.Event()
    load = asyncio.create_task(steady(SENDERS, bus.triagist.registreer_melding, stop))
    try:
        await asyncio.sleep(LOAD_BEFORE_FAULT_S)
        killed_at = sigkill(platform, victim)
        label = "nats-server" if victim == "nats" else victim
        back_at = await supervision.wait_for(f"{label} ready again", after=killed_at, within=60)
        all_ready_at = await ready(platform, *platform.services, within=60)
        await asyncio.sleep(LOAD_AFTER_RECOVERY_S)
    finally:
        stop.set()
        sent = await load
    return UnderFault(sent, killed_at, back_at, all_ready_at, tap, since)


async def counted(
    platform: Platform, sent: list[Sent], tap: StreamTap, since: int
) -> tuple[int, int, tuple[str, ...]]:
    """Lost and duplicated registrations, once the relay published what it will."""
    ids = {event_id for command in sent for event_id in command.event_ids}
    await wait_until(lambda: tap.holds(ids), RELAY_CATCH_UP_S)
    stored = stored_events(store_path(platform, "meldpunt"), after=since)
    counts = tally(sent, stored, await tap.catch_up(), MELDING_ONTVANGEN)
    return counts.lost, counts.duplicated, counts.problems


async def test_a_service_killed_under_load_loses_and_duplicates_no_command(
    platform: Platform, supervision: Supervision, bus: Bus
) -> None:
    await ready(platform, *platform.services)

    run = await commands_under_fault(platform, supervision, bus, "meldpunt")
    lost, duplicated, problems = await counted(platform, run.sent, run.tap, run.since)

    retried = [s for s in run.sent if s.attempts > 1]
    replayed = sum(1 for s in run.sent if s.reply.get("duplicate"))
    slowest = max(s.acked - s.started for s in run.sent)
    row = record(
        Outcome(
            "meldpunt SIGKILL under load",
            f"{SENDERS} senders, {len(run.sent)} registreer-melding",
            lost,
            duplicated,
            run.back_at - run.killed_at,
            SERVICE_READY_BOUND_S,
            f"kill → supervisor: ready again; {len(retried)} commands retried with their id"
            f" ({replayed} answered as already done), slowest acknowledged after {slowest:.1f} s",
        )
    )
    assert retried, "the kill hit no command in flight: the experiment did not happen"
    assert (lost, duplicated) == (0, 0), problems
    assert row.within_bound, f"ready again after {row.recovery_s:.1f} s"


async def test_nats_killed_under_load_loses_and_duplicates_no_command(
    platform: Platform, supervision: Supervision, bus: Bus
) -> None:
    await ready(platform, *platform.services)

    run = await commands_under_fault(platform, supervision, bus, "nats")
    lost, duplicated, problems = await counted(platform, run.sent, run.tap, run.since)

    retried = [s for s in run.sent if s.attempts > 1]
    replayed = sum(1 for s in run.sent if s.reply.get("duplicate"))
    first_ack = min(s.acked for s in run.sent if s.acked > run.back_at) - run.killed_at
    row = record(
        Outcome(
            "nats-server SIGKILL under load",
            f"{SENDERS} senders, {len(run.sent)} registreer-melding",
            lost,
            duplicated,
            run.all_ready_at - run.killed_at,
            NATS_RECOVERY_BOUND_S,
            f"kill → every service ready again; nats-server ready again after"
            f" {run.back_at - run.killed_at:.1f} s, first command acknowledged after"
            f" {first_ack:.1f} s; {len(retried)} commands retried with their id ({replayed}"
            " answered as already done)",
        )
    )
    assert retried, "the kill hit no command in flight: the experiment did not happen"
    assert (lost, duplicated) == (0, 0), problems
    assert row.within_bound, f"every service ready again after {row.recovery_s:.1f} s"


def vos_opened(platform: Platform, since: int) -> Counter[str]:
    """VOs opened in onderzoek after a store position, by melding id."""
    opened = stored_events(store_path(platform, "onderzoek"), after=since, types=[VO_GEOPEND])
    return Counter(str(e.data["melding_id"]) for e in opened)


async def _opened_at_least(platform: Platform, since: int, count: int) -> bool:
    return sum((vos_opened(platform, since)).values()) >= count


def lost_and_doubled(opened: Counter[str], meldingen: set[str]) -> tuple[int, int]:
    lost = sum(1 for m in meldingen if opened[m] == 0)
    doubled = sum(opened[m] - 1 for m in meldingen if opened[m] > 1)
    return lost, doubled


async def test_a_consumer_killed_mid_stream_opens_each_vo_exactly_once(
    platform: Platform, supervision: Supervision, bus: Bus
) -> None:
    await ready(platform, "meldpunt", "onderzoek")
    consumer = await bus.js.consumer_info(EVENTS_STREAM, "onderzoek-triage")
    ack_wait = float(consumer.config.ack_wait or 30.0)
    since = last_position(store_path(platform, "onderzoek"))
    stop = asyncio.Event()
    load = asyncio.create_task(steady(SENDERS, bus.triagist.triage_to_vo, stop))
    try:
        await wait_until(lambda: _opened_at_least(platform, since, 10), 30)
        killed_at = sigkill(platform, "onderzoek")
        ready_at = await supervision.wait_for("onderzoek ready again", after=killed_at, within=60)
        await asyncio.sleep(LOAD_AFTER_RECOVERY_S)
    finally:
        stop.set()
        flows = await load
    meldingen = {registered.reply["case_id"] for registered, _triaged in flows}

    async def all_open() -> bool:
        return set(vos_opened(platform, since)) >= meldingen

    # What the killed process had fetched but not acknowledged comes back after the ack wait.
    caught_up_at = await wait_until(all_open, CONSUMER_CATCH_UP_BOUND_S)
    held = len(meldingen - set(vos_opened(platform, since)))
    if caught_up_at is None:
        caught_up_at = await wait_until(all_open, ack_wait + CONSUMER_CATCH_UP_BOUND_S)
    lost, doubled = lost_and_doubled(vos_opened(platform, since), meldingen)

    during_outage = [t for _r, t in flows if killed_at < t.acked < ready_at]
    recovery = (caught_up_at or float("inf")) - killed_at
    row = record(
        Outcome(
            "onderzoek (consumer) SIGKILL while VOs open",
            f"{SENDERS} senders, {len(flows)} triage outcomes → VO",
            lost,
            doubled,
            recovery,
            ack_wait + CONSUMER_CATCH_UP_BOUND_S,
            f"kill → every VO open; ready again after {ready_at - killed_at:.1f} s;"
            f" {len(during_outage)} outcomes came while it was down; {held} held by the killed"
            f" process came back after the ack wait ({ack_wait:.0f} s)",
        )
    )
    assert during_outage, "no triage outcome came while onderzoek was down"
    assert (lost, doubled) == (0, 0)
    assert ready_at - killed_at <= CONSUMER_READY_BOUND_S, f"ready after {ready_at - killed_at} s"
    assert row.within_bound, f"every VO open {row.recovery_s:.1f} s after the kill"


async def test_a_backlog_of_triage_outcomes_drains_exactly_once(
    platform: Platform, supervision: Supervision, bus: Bus
) -> None:
    await ready(platform, "meldpunt", "onderzoek")
    since = last_position(store_path(platform, "onderzoek"))
    tap = await StreamTap.at_end(bus.js)
    platform.stop_process("onderzoek")  # out of the supervisor's sight until restarted below

    flows = await batch(BACKLOG_SENDERS, BACKLOG, bus.triagist.triage_to_vo)
    outcomes = {event_id for _registered, triaged in flows for event_id in triaged.event_ids}
    all_published = await wait_until(lambda: tap.holds(outcomes), RELAY_CATCH_UP_S)
    assert all_published, "the triage outcomes did not reach the stream"
    meldingen = {registered.reply["case_id"] for registered, _triaged in flows}
    assert len(meldingen) == BACKLOG
    assert not vos_opened(platform, since), "onderzoek was not stopped"

    started = time.monotonic()
    platform.restart("onderzoek")
    came_up = asyncio.create_task(ready(platform, "onderzoek", within=60))

    async def drained() -> bool:
        return sum((vos_opened(platform, since)).values()) >= BACKLOG

    drained_at = await wait_until(drained, BACKLOG_DRAIN_BOUND_S * 2)
    await asyncio.sleep(0.5)  # anything opened twice would show by now
    lost, doubled = lost_and_doubled(vos_opened(platform, since), meldingen)
    ready_at = await came_up

    drain = (drained_at or float("inf")) - started
    row = record(
        Outcome(
            "backlog: onderzoek stopped, then started",
            f"{BACKLOG} triage outcomes waiting",
            lost,
            doubled,
            drain,
            BACKLOG_DRAIN_BOUND_S,
            f"process start → all VOs open, {BACKLOG / drain:.0f} events/s; ready after"
            f" {ready_at - started:.1f} s",
        )
    )
    assert (lost, doubled) == (0, 0)
    assert row.within_bound, f"drained in {drain:.1f} s"


async def test_a_lost_relay_checkpoint_republishes_nothing_and_commands_still_flow(
    platform: Platform, supervision: Supervision, bus: Bus
) -> None:
    await ready(platform, "meldpunt")
    # What the relay must not publish again: events older than the duplicate window, so that
    # JetStream would store a republished copy rather than drop it. The window is shortened for
    # the experiment (as the bootstrap identity, the only one allowed to) and restored after.
    tap = await StreamTap.at_end(bus.js)
    before = await batch(SENDERS, 20, bus.triagist.registreer_melding)
    assert await wait_until(
        lambda: tap.holds({i for s in before for i in s.event_ids}), RELAY_CATCH_UP_S
    )
    meldpunt = events_of("meldpunt")
    config = (await bus.js.stream_info(EVENTS_STREAM)).config
    await bus.js.update_stream(replace(config, duplicate_window=1.0))
    try:
        shortened = (await bus.js.stream_info(EVENTS_STREAM)).config.duplicate_window
        assert shortened == 1.0, shortened
        platform.stop_process("meldpunt")
        await asyncio.sleep(1.5)  # past the shortened window
        on_stream = await messages_on(bus.js, meldpunt)
        checkpoint = platform.data_dir / "meldpunt" / "checkpoints.db"
        assert checkpoint.exists()
        for path in checkpoint.parent.glob("checkpoints.db*"):
            path.unlink()

        started = time.monotonic()
        platform.restart("meldpunt")
        ready_at = await ready(platform, "meldpunt")
        await asyncio.sleep(1.0)  # time enough for a relay starting from zero to republish
        republished = await messages_on(bus.js, meldpunt) - on_stream
        relayed = metric(platform, "meldpunt", "wvggz_meldpunt_events_relayed_total")

        tap = await StreamTap.at_end(bus.js)
        since = last_position(store_path(platform, "meldpunt"))
        after = await batch(SENDERS, 10, bus.triagist.registreer_melding)
        lost, duplicated, problems = await counted(platform, after, tap, since)
        new_events = sum(len(s.event_ids) for s in after)
        added = await messages_on(bus.js, meldpunt) - on_stream
    finally:
        await bus.js.update_stream(config)
    row = record(
        Outcome(
            "meldpunt restarted without its relay checkpoint",
            f"{len(before)} registrations before, {len(after)} after",
            lost,
            duplicated + republished,
            ready_at - started,
            LOST_CHECKPOINT_READY_BOUND_S,
            f"start → ready; republished {republished} of {on_stream} meldpunt messages"
            f" (relay counted {relayed:.0f}); {new_events} new events published",
        )
    )
    assert republished == 0 and relayed == 0, "the relay published old events again"
    assert (lost, duplicated) == (0, 0), problems
    assert added == new_events
    assert row.within_bound, f"ready after {row.recovery_s:.1f} s"


def parked(platform: Platform, service: str, since: dict[str, int]) -> Counter[int]:
    """How often `<service>-triage` parked each stream position as unreadable since then."""
    records = stored_events(store_path(platform, service), since[service], types=[GEPARKEERD])
    return Counter(
        int(r.data["stream_sequence"])
        for r in records
        if r.data["consumer"] == f"{service}-triage" and r.data["reden"] == "onleesbaar"
    )


async def test_a_poison_flood_is_parked_and_the_valid_outcome_behind_it_is_handled(
    platform: Platform, supervision: Supervision, bus: Bus, connection: Connection
) -> None:
    consumers = ("onderzoek", "crisis")  # both consume the meldpunt's triage outcomes
    await ready(platform, "meldpunt", *consumers)
    since = {service: last_position(store_path(platform, service)) for service in consumers}
    parked_metric = "wvggz_onderzoek_events_parked_total"
    parked_before = metric(platform, "onderzoek", parked_metric, consumer="onderzoek-triage")
    # A buggy or compromised producer: the meldpunt's own bus identity, so the bus lets it.
    rogue = await connect(connection, "meldpunt")
    try:
        js = rogue.jetstream()
        subject = "wvggz.evt.meldpunt.GM0402.triage-afgerond.v1"
        flooded = time.monotonic()
        acks = [
            await js.publish_async(subject, b"\x00 not an event %d" % n, stream=EVENTS_STREAM)
            for n in range(POISON)
        ]
        poison = {ack.seq for ack in await asyncio.gather(*acks)}
    finally:
        await rogue.close()
    registered, triaged = await bus.triagist.triage_to_vo()
    melding_id = registered.reply["case_id"]

    async def handled() -> bool:
        return melding_id in vos_opened(platform, since["onderzoek"])

    async def all_parked() -> bool:
        return all(poison <= set(parked(platform, service, since)) for service in consumers)

    handled_at = await wait_until(handled, POISON_BOUND_S * 2)
    parked_at = await wait_until(all_parked, POISON_BOUND_S * 2)
    await asyncio.sleep(0.5)  # a message parked twice would show by now
    opened = (vos_opened(platform, since["onderzoek"]))[melding_id]
    times = {service: parked(platform, service, since) for service in consumers}
    parked_after = metric(platform, "onderzoek", parked_metric, consumer="onderzoek-triage")

    unparked = sum(1 for service in consumers for seq in poison if times[service][seq] == 0)
    twice = sum(n - 1 for counts in times.values() for n in counts.values())
    lost = unparked + (1 if opened == 0 else 0)
    duplicated = twice + max(opened - 1, 0)
    took = (handled_at or float("inf")) - triaged.acked
    row = record(
        Outcome(
            "poison flood on the meldpunt's triage subject",
            f"{POISON} undecodable messages as the meldpunt, then 1 valid triage outcome",
            lost,
            duplicated,
            took,
            POISON_BOUND_S,
            f"valid outcome acknowledged → its VO open; lost counts each poison message"
            f" onderzoek-triage or crisis-triage did not park; all parked"
            f" {(parked_at or float('inf')) - flooded:.1f} s after the flood began; onderzoek's"
            f" parked metric +{parked_after - parked_before:.0f}",
        )
    )
    assert (lost, duplicated) == (0, 0), f"{unparked} not parked, {twice} twice; VO {opened}x"
    assert parked_after - parked_before == POISON
    assert row.within_bound, f"the valid outcome took {took:.1f} s"
