"""Deadline gauges and counters: bounded labels, fixed buckets, the nearest deadline per kind and
gemeente, each warning and breach counted once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry

from kernel.eventstore.sqlite import SqliteEventStore
from kernel.ops import OpsMetrics, OpsWatcher, Termijn, bucket

NU = datetime(2026, 11, 23, 9, tzinfo=UTC)
ZAAK = "5f0c1a52-0d6e-4a8f-9d57-6b1f3c2e8a41"


@pytest.mark.parametrize(
    ("over", "naam"),
    [
        (timedelta(minutes=-1), "verstreken"),
        (timedelta(minutes=30), "binnen-1u"),
        (timedelta(hours=5), "binnen-6u"),
        (timedelta(hours=18), "binnen-24u"),
        (timedelta(days=2), "binnen-3d"),
        (timedelta(days=6), "binnen-7d"),
        (timedelta(days=14), "later"),
    ],
)
def test_a_deadline_falls_in_the_bucket_of_how_soon_it_is_due(over: timedelta, naam: str) -> None:
    assert bucket(NU + over, NU) == naam


def test_the_gauges_show_what_is_open_now_and_forget_what_closed() -> None:
    registry = CollectorRegistry()
    metrics = OpsMetrics("test", registry)
    open_nu = [
        Termijn("crisis-besluit", "GM0402", NU + timedelta(hours=3), zaak="a"),
        Termijn("crisis-besluit", "GM0402", NU + timedelta(hours=5), zaak="b"),
        Termijn("crisis-besluit", "GM0406", NU - timedelta(minutes=10), zaak="c"),
    ]

    metrics.show_deadlines(open_nu, NU)
    counted = registry.get_sample_value(
        "wvggz_test_deadlines_open",
        {"soort": "crisis-besluit", "gemeente": "GM0402", "bucket": "binnen-6u"},
    )
    nearest = registry.get_sample_value(
        "wvggz_test_deadline_nearest_seconds", {"soort": "crisis-besluit", "gemeente": "GM0402"}
    )
    passed = registry.get_sample_value(
        "wvggz_test_deadline_nearest_seconds", {"soort": "crisis-besluit", "gemeente": "GM0406"}
    )
    metrics.show_deadlines([], NU)
    gone = registry.get_sample_value(
        "wvggz_test_deadlines_open",
        {"soort": "crisis-besluit", "gemeente": "GM0402", "bucket": "binnen-6u"},
    )

    assert counted == 2
    assert nearest == 3 * 3600
    assert passed == -600
    assert gone is None


@dataclass
class Klok:
    """A clock the test moves by hand."""

    nu: datetime = NU

    def __call__(self) -> datetime:
        return self.nu


@dataclass
class Opzet:
    """A watcher over a hand-filled list of open deadlines, with its registry and clock."""

    watcher: OpsWatcher
    registry: CollectorRegistry
    klok: Klok
    open: list[Termijn] = field(default_factory=list)

    def count(self, naam: str, soort: str = "crisis-besluit", gemeente: str = "GM0402") -> float:
        value = self.registry.get_sample_value(
            f"wvggz_test_deadline_{naam}_total", {"soort": soort, "gemeente": gemeente}
        )
        assert value is not None, naam
        return value


@pytest.fixture
async def opzet(tmp_path: Path) -> AsyncIterator[Opzet]:
    store = SqliteEventStore(tmp_path / "events.db")
    registry = CollectorRegistry()
    klok = Klok()
    open_nu: list[Termijn] = []
    watcher = OpsWatcher(
        OpsMetrics("test", registry),
        store,
        klok,
        termijnen=lambda: open_nu,
        relay_position=lambda: None,
        js=lambda: None,
        consumers=[],
    )
    yield Opzet(watcher, registry, klok, open_nu)
    await store.close()


def crisis_besluit(zaak: str = ZAAK, over: timedelta = timedelta(hours=18)) -> Termijn:
    """A crisis decision due `over` from NU, warned 6 hours before."""
    uiterlijk = NU + over
    return Termijn(
        "crisis-besluit",
        "GM0402",
        uiterlijk,
        zaak=zaak,
        waarschuwing=uiterlijk - timedelta(hours=6),
    )


async def ticks_until(opzet: Opzet, tot: datetime, stap: timedelta = timedelta(hours=1)) -> None:
    """Tick as the watcher would, moving the clock a step each time up to `tot`."""
    while opzet.klok.nu < tot:
        opzet.klok.nu = min(tot, opzet.klok.nu + stap)
        await opzet.watcher.tick()


async def test_a_warning_is_counted_once_however_many_ticks_see_it(opzet: Opzet) -> None:
    opzet.open.append(crisis_besluit())
    await opzet.watcher.tick()

    await ticks_until(opzet, NU + timedelta(hours=12))
    at_warning = opzet.count("warnings")
    await ticks_until(opzet, NU + timedelta(hours=17), stap=timedelta(minutes=5))

    assert at_warning == 1
    assert opzet.count("warnings") == 1
    assert opzet.count("breaches") == 0


async def test_a_breach_is_counted_once_while_the_deadline_stays_open(opzet: Opzet) -> None:
    opzet.open.append(crisis_besluit())
    await opzet.watcher.tick()

    await ticks_until(opzet, NU + timedelta(days=2))

    assert opzet.count("breaches") == 1
    assert opzet.count("warnings") == 1


async def test_a_deadline_closed_before_its_warning_is_never_counted(opzet: Opzet) -> None:
    opzet.open.append(crisis_besluit())
    await opzet.watcher.tick()
    await ticks_until(opzet, NU + timedelta(hours=11))

    opzet.open.clear()
    await ticks_until(opzet, NU + timedelta(days=2))

    assert opzet.count("warnings") == 0
    assert opzet.count("breaches") == 0


async def test_what_has_passed_at_the_first_tick_is_the_baseline_and_not_counted(
    opzet: Opzet,
) -> None:
    opzet.open.extend(
        [
            crisis_besluit("gewaarschuwd", over=timedelta(hours=2)),
            crisis_besluit("verstreken", over=timedelta(hours=-2)),
        ]
    )

    await opzet.watcher.tick()
    await ticks_until(opzet, NU + timedelta(hours=1), stap=timedelta(minutes=5))

    assert opzet.count("warnings") == 0
    assert opzet.count("breaches") == 0


async def test_a_deadline_first_seen_after_the_baseline_already_passed_counts_as_both(
    opzet: Opzet,
) -> None:
    await opzet.watcher.tick()

    opzet.open.append(crisis_besluit(over=timedelta(minutes=-30)))
    await ticks_until(opzet, NU + timedelta(hours=1))

    assert opzet.count("warnings") == 1
    assert opzet.count("breaches") == 1


async def test_a_term_that_moves_is_a_new_deadline(opzet: Opzet) -> None:
    opzet.open.append(crisis_besluit())
    await opzet.watcher.tick()
    await ticks_until(opzet, NU + timedelta(hours=13))

    opzet.open[0] = crisis_besluit(over=timedelta(days=3))
    await ticks_until(opzet, NU + timedelta(days=3, hours=1))

    assert opzet.count("warnings") == 2
    assert opzet.count("breaches") == 1


async def test_a_deadline_without_a_warning_moment_counts_only_its_breach(opzet: Opzet) -> None:
    opzet.open.append(Termijn("crisis-besluit", "GM0402", NU + timedelta(hours=1), zaak=ZAAK))
    await opzet.watcher.tick()

    await ticks_until(opzet, NU + timedelta(hours=2))

    assert opzet.count("warnings") == 0
    assert opzet.count("breaches") == 1


async def test_the_counters_are_per_soort_and_gemeente_and_never_hold_the_case_key(
    opzet: Opzet,
) -> None:
    opzet.open.append(crisis_besluit())
    await opzet.watcher.tick()
    await ticks_until(opzet, NU + timedelta(days=1))

    labels = [
        sample.labels
        for family in opzet.registry.collect()
        for sample in family.samples
        if family.name.startswith("wvggz_test_deadline")
    ]

    assert labels
    assert all(set(label) <= {"soort", "gemeente", "bucket"} for label in labels)
    assert all(ZAAK not in value for label in labels for value in label.values())


async def test_the_watcher_forgets_deadlines_that_closed(opzet: Opzet) -> None:
    await opzet.watcher.tick()
    opzet.open.extend(crisis_besluit(f"zaak-{n}", over=timedelta(hours=n)) for n in range(50))
    await ticks_until(opzet, NU + timedelta(days=3))
    remembered = len(opzet.watcher.crossings.gewaarschuwd), len(opzet.watcher.crossings.verstreken)

    opzet.open.clear()
    await opzet.watcher.tick()

    assert remembered == (50, 50)
    assert opzet.watcher.crossings.gewaarschuwd == set()
    assert opzet.watcher.crossings.verstreken == set()
    assert opzet.count("breaches") == 50


async def test_a_replica_that_does_not_lead_counts_no_crossing_and_lags_nothing(
    opzet: Opzet,
) -> None:
    leidt = False
    opzet.watcher.leidt = lambda: leidt
    opzet.watcher.relay_position = lambda: 3 if leidt else None
    opzet.open.append(crisis_besluit())
    await opzet.watcher.tick()
    await ticks_until(opzet, NU + timedelta(days=2))

    labels = {"soort": "crisis-besluit", "gemeente": "GM0402"}
    for naam in ("warnings", "breaches"):
        assert opzet.registry.get_sample_value(f"wvggz_test_deadline_{naam}_total", labels) is None
    assert opzet.registry.get_sample_value("wvggz_test_relay_lag_events") == 0

    # It takes over: what the leader before it saw is its baseline; what crosses later counts.
    leidt = True
    await opzet.watcher.tick()
    opzet.open.append(crisis_besluit("later", over=timedelta(days=1, hours=1)))
    await ticks_until(opzet, NU + timedelta(days=4))

    assert (opzet.count("warnings"), opzet.count("breaches")) == (1, 1)
