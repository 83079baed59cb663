"""What ops watch in Prometheus: legal deadlines by bucket, their warnings and breaches, relay lag,
consumer backlog.

Labels are bounded sets only: the deadline's kind (declared by the service), the gemeente (the
region's codes) and fixed buckets; never a case id, a person or a subject token from a message.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import KW_ONLY, dataclass
from datetime import datetime, timedelta

from nats.js import JetStreamContext
from prometheus_client import CollectorRegistry, Counter, Gauge
from wvggz_contracts.subjects import EVENTS_STREAM

from kernel.background import BackgroundLoop
from kernel.eventstore import EventStore
from kernel.logsafe import describe

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Termijn:
    """One open legal deadline, as a service's views know it."""

    soort: str
    """What is due, from a fixed set per service, e.g. `crisis-besluit`, `vo-besluit`."""
    gemeente: str
    uiterlijk: datetime
    _: KW_ONLY
    zaak: str
    """Opaque key telling this deadline from others of its soort (the case id); never a label."""
    waarschuwing: datetime | None = None
    """When a warning is due; `None` when the soort has no warning moment."""


BUCKETS: Sequence[tuple[str, timedelta]] = (
    ("verstreken", timedelta(0)),
    ("binnen-1u", timedelta(hours=1)),
    ("binnen-6u", timedelta(hours=6)),
    ("binnen-24u", timedelta(hours=24)),
    ("binnen-3d", timedelta(days=3)),
    ("binnen-7d", timedelta(days=7)),
)
"""Upper bounds of the buckets; a deadline further off than the last counts as `later`."""


def bucket(uiterlijk: datetime, nu: datetime) -> str:
    """The bucket of a deadline seen from now."""
    over = uiterlijk - nu
    for naam, grens in BUCKETS:
        if over <= grens:
            return naam
    return "later"


class OpsMetrics:
    """The gauges, registered once per process."""

    def __init__(self, service: str, registry: CollectorRegistry) -> None:
        self.deadlines_open = Gauge(
            f"wvggz_{service}_deadlines_open",
            "Open legal deadlines by kind, gemeente and how soon they fall due.",
            ["soort", "gemeente", "bucket"],
            registry=registry,
        )
        self.deadline_nearest = Gauge(
            f"wvggz_{service}_deadline_nearest_seconds",
            "Seconds until the nearest open deadline of a kind in a gemeente (negative: passed).",
            ["soort", "gemeente"],
            registry=registry,
        )
        self.deadline_warnings = Counter(
            f"wvggz_{service}_deadline_warnings",
            "Open legal deadlines seen reaching their warning moment, by kind and gemeente.",
            ["soort", "gemeente"],
            registry=registry,
        )
        self.deadline_breaches = Counter(
            f"wvggz_{service}_deadline_breaches",
            "Legal deadlines seen passing while still open, by kind and gemeente.",
            ["soort", "gemeente"],
            registry=registry,
        )
        self.store_head = Gauge(
            f"wvggz_{service}_store_head_position",
            "Position of the last event in the service's store.",
            registry=registry,
        )
        self.leider = Gauge(
            f"wvggz_{service}_leider",
            "1 while this replica holds the service's lease and runs its relay and once-only"
            " loops, else 0.",
            registry=registry,
        )
        self.relay_lag = Gauge(
            f"wvggz_{service}_relay_lag_events",
            "Stored events the relay has not yet published (store head minus relay position).",
            registry=registry,
        )
        self.consumer_pending = Gauge(
            f"wvggz_{service}_consumer_pending_messages",
            "Messages in the stream a durable consumer has not yet been given.",
            ["consumer"],
            registry=registry,
        )
        self.consumer_ack_pending = Gauge(
            f"wvggz_{service}_consumer_ack_pending_messages",
            "Messages a durable consumer was given but has not yet acknowledged.",
            ["consumer"],
            registry=registry,
        )
        self.consumer_redelivered = Gauge(
            f"wvggz_{service}_consumer_redelivered_messages",
            "Messages a durable consumer has had delivered more than once.",
            ["consumer"],
            registry=registry,
        )

    def show_deadlines(self, termijnen: Iterable[Termijn], nu: datetime) -> None:
        """Replace the deadline gauges by what is open now."""
        counts: dict[tuple[str, str, str], int] = {}
        nearest: dict[tuple[str, str], float] = {}
        for termijn in termijnen:
            key = (termijn.soort, termijn.gemeente, bucket(termijn.uiterlijk, nu))
            counts[key] = counts.get(key, 0) + 1
            over = (termijn.uiterlijk - nu).total_seconds()
            waar = (termijn.soort, termijn.gemeente)
            nearest[waar] = min(over, nearest.get(waar, over))
        self.deadlines_open.clear()
        for (soort, gemeente, naam), count in counts.items():
            self.deadlines_open.labels(soort=soort, gemeente=gemeente, bucket=naam).set(count)
        self.deadline_nearest.clear()
        for (soort, gemeente), seconds in nearest.items():
            self.deadline_nearest.labels(soort=soort, gemeente=gemeente).set(seconds)


_Sleutel = tuple[str, str, datetime]


class DeadlineCrossings:
    """Counts an open deadline once when seen past its warning moment, once when seen past its term.

    The first observation after start is the baseline and counts nothing: Prometheus counters
    restart at 0 (`increase()` handles the reset), and counting every deadline already warned or
    passed again after each restart would inflate the totals. Later observations count every
    crossing they see, including that of a deadline first seen already past its moment (opened
    late; one already passed counts as both). Deadlines are told apart by soort, zaak and
    uiterlijk, so a term that moves (a measure extended) is a new deadline. Only deadlines still
    open are remembered.
    """

    def __init__(self, metrics: OpsMetrics) -> None:
        self.metrics = metrics
        self.baseline_taken = False
        self.gewaarschuwd: set[_Sleutel] = set()
        self.verstreken: set[_Sleutel] = set()

    def observe(self, termijnen: Iterable[Termijn], nu: datetime) -> None:
        """Count the crossings since the last observation; forget the deadlines no longer open."""
        gewaarschuwd: set[_Sleutel] = set()
        verstreken: set[_Sleutel] = set()
        for termijn in termijnen:
            sleutel = (termijn.soort, termijn.zaak, termijn.uiterlijk)
            # Touching the labels makes the series exist at 0 before the first crossing, so that
            # `increase()` sees that crossing too.
            warnings = self.metrics.deadline_warnings.labels(
                soort=termijn.soort, gemeente=termijn.gemeente
            )
            breaches = self.metrics.deadline_breaches.labels(
                soort=termijn.soort, gemeente=termijn.gemeente
            )
            if termijn.waarschuwing is not None and termijn.waarschuwing <= nu:
                gewaarschuwd.add(sleutel)
                if self.baseline_taken and sleutel not in self.gewaarschuwd:
                    warnings.inc()
            if termijn.uiterlijk < nu:
                verstreken.add(sleutel)
                if self.baseline_taken and sleutel not in self.verstreken:
                    breaches.inc()
        self.gewaarschuwd = gewaarschuwd
        self.verstreken = verstreken
        self.baseline_taken = True


class OpsWatcher(BackgroundLoop):
    """Every interval, reads the views, the store head and the consumers into the metrics.

    Every replica shows the open deadlines and the store head; only the one that leads counts
    deadline crossings (else a region with two replicas counts each crossing twice) and shows a
    relay lag (a replica without a relay lags nothing).
    """

    def __init__(
        self,
        metrics: OpsMetrics,
        store: EventStore,
        clock: Callable[[], datetime],
        *,
        termijnen: Callable[[], Iterable[Termijn]],
        relay_position: Callable[[], int | None],
        js: Callable[[], JetStreamContext | None],
        consumers: Sequence[str],
        interval: float = 5.0,
        leidt: Callable[[], bool] = lambda: True,
    ) -> None:
        self.metrics = metrics
        self.leidt = leidt
        self.store = store
        self.clock = clock
        self.termijnen = termijnen
        self.relay_position = relay_position
        self.js = js
        self.consumers = consumers
        self.interval = interval
        self.crossings = DeadlineCrossings(metrics)

    async def tick(self) -> None:
        """Refresh every gauge and count the deadline crossings once."""
        open_nu = list(self.termijnen())
        nu = self.clock()
        self.metrics.show_deadlines(open_nu, nu)
        if self.leidt():
            self.crossings.observe(open_nu, nu)
        else:
            # Once it leads, its first look is a baseline again: the leader before counted these.
            self.crossings = DeadlineCrossings(self.metrics)
        head = await self.store.last_position()
        self.metrics.store_head.set(head)
        position = self.relay_position()
        self.metrics.relay_lag.set(0 if position is None else max(0, head - position))
        js = self.js()
        if js is not None:
            for durable in self.consumers:
                info = await js.consumer_info(EVENTS_STREAM, durable, timeout=2)
                self.metrics.consumer_pending.labels(consumer=durable).set(info.num_pending or 0)
                self.metrics.consumer_ack_pending.labels(consumer=durable).set(
                    info.num_ack_pending or 0
                )
                self.metrics.consumer_redelivered.labels(consumer=durable).set(
                    info.num_redelivered or 0
                )

    async def _run(self) -> None:
        while True:
            try:
                await self.tick()
            except Exception as failure:  # metrics must never take the service down
                log.warning("ops metrics not refreshed (%s)", describe(failure))
            await asyncio.sleep(self.interval)
