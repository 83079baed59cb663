"""The delivery loop on a real queue file with a channel the test controls: order per case,
cases side by side, back-off, and giving up at the horizon exactly once."""

from __future__ import annotations

import asyncio
import random
import sqlite3
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry

from services.notificaties.levering.bezorger import Bezorger, Tellers
from services.notificaties.levering.stand import WachtrijStand
from services.notificaties.levering.wachtrij import Levering, Wachtrij
from services.notificaties.levering.webhook import Poging

START = datetime(2026, 12, 1, 12, tzinfo=UTC)
GELUKT = Poging(afgeleverd=True, status=204, reden="afgeleverd")
MISLUKT = Poging(afgeleverd=False, status=500, reden="serverfout")


class Klok:
    def __init__(self) -> None:
        self.nu = START

    def __call__(self) -> datetime:
        return self.nu


class Kanaal:
    """Answers what `antwoord` says, after `wacht` is set (so deliveries can overlap)."""

    def __init__(self) -> None:
        self.antwoord = GELUKT
        self.pogingen: list[tuple[str, str]] = []
        self.wacht: asyncio.Event | None = None

    async def bezorg(self, levering: Levering) -> Poging:
        self.pogingen.append((levering.zaak, levering.event_id))
        if self.wacht is not None:
            await self.wacht.wait()
        return self.antwoord


def stand(wachtrij: Wachtrij) -> tuple[int, float]:
    """Attempts made and the next moment of the only row."""
    [row] = wachtrij.van_partner("p1")
    return int(str(row["pogingen"])), float(str(row["volgende"]))


def levering(
    zaak: str, event: str, *, partner: str = "p1", geplaatst: datetime = START
) -> Levering:
    return Levering(
        partner_id=partner,
        event_id=event,
        zaak=zaak,
        type="nl.wvggz.meldpunt.melding-ontvangen.v1",
        gemeente="GM0402",
        kanaal="test",
        bestemming="http://127.0.0.1:1/webhook",
        abonnement_id="a1",
        body=b'{"time": "2026-12-01T12:00:00+00:00"}',
        geplaatst=geplaatst.timestamp(),
    )


async def until(condition: Callable[[], bool], what: str) -> None:
    for _ in range(200):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(what)


def setup(
    tmp_path: Path,
) -> tuple[Wachtrij, Kanaal, Klok, list[tuple[str, int, str]], Bezorger, CollectorRegistry]:
    wachtrij = Wachtrij(tmp_path / "leveringen.db")
    kanaal, klok = Kanaal(), Klok()
    opgegeven: list[tuple[str, int, str]] = []

    async def geef_op(lv: Levering, pogingen: int, reden: str, _sinds: datetime) -> int:
        opgegeven.append((lv.event_id, pogingen, reden))
        return len(opgegeven)

    registry = CollectorRegistry()
    registry.register(WachtrijStand(wachtrij, klok))
    bezorger = Bezorger(
        wachtrij,
        {"test": kanaal},
        geef_op,
        lambda: None,
        klok,
        horizon=timedelta(hours=24),
        tellers=Tellers.voor(registry),
        rng=random.Random(7),
    )
    return wachtrij, kanaal, klok, opgegeven, bezorger, registry


def running(bezorger: Bezorger, body: Callable[[], Awaitable[None]]) -> None:
    async def run() -> None:
        bezorger.start()
        try:
            await body()
        finally:
            await bezorger.stop()

    asyncio.run(run())


def test_a_case_is_delivered_in_order_while_other_cases_go_side_by_side(tmp_path: Path) -> None:
    wachtrij, kanaal, _klok, _op, bezorger, _registry = setup(tmp_path)
    kanaal.wacht = asyncio.Event()
    wachtrij.plaats([levering("z1", "e1"), levering("z1", "e2"), levering("z2", "e3")])

    async def body() -> None:
        bezorger.wek()
        await until(lambda: len(kanaal.pogingen) == 2, "both cases started")
        assert kanaal.pogingen == [("z1", "e1"), ("z2", "e3")], "e2 waits for e1"
        assert kanaal.wacht is not None
        kanaal.wacht.set()
        await until(lambda: len(kanaal.pogingen) == 3, "e2 after e1")
        await until(lambda: wachtrij.stand() == [], "all delivered")

    running(bezorger, body)
    assert kanaal.pogingen[2] == ("z1", "e2")


def test_a_failure_is_retried_later_with_growing_jittered_waits(tmp_path: Path) -> None:
    wachtrij, kanaal, klok, opgegeven, bezorger, registry = setup(tmp_path)
    kanaal.antwoord = MISLUKT
    wachtrij.plaats([levering("z1", "e1")])
    waits: list[float] = []

    async def body() -> None:
        for attempt in range(1, 6):
            bezorger.wek()
            await until(lambda n=attempt: len(kanaal.pogingen) == n, f"attempt {attempt}")  # type: ignore[misc]
            await until(lambda n=attempt: stand(wachtrij)[0] == n, "rescheduled")  # type: ignore[misc]
            volgende = stand(wachtrij)[1]
            waits.append(volgende - klok.nu.timestamp())
            # A millisecond on: the clock's microseconds must not round it to just before.
            klok.nu = datetime.fromtimestamp(volgende + 0.001, UTC)

    running(bezorger, body)
    assert all(0 <= wait <= 2 ** (n - 1) for n, wait in enumerate(waits, start=1)), waits
    assert max(waits) > 1.0, "the waits grow"
    assert len(kanaal.pogingen) == 5 and opgegeven == []
    backlog = registry.get_sample_value("wvggz_notificaties_deliveries_waiting", {"partner": "p1"})
    assert backlog == 1


def test_after_the_horizon_a_delivery_is_given_up_once_and_holds_its_case(tmp_path: Path) -> None:
    wachtrij, kanaal, klok, opgegeven, bezorger, registry = setup(tmp_path)
    kanaal.antwoord = MISLUKT
    wachtrij.plaats([levering("z1", "e1"), levering("z1", "e2")])

    async def body() -> None:
        bezorger.wek()
        await until(lambda: len(kanaal.pogingen) == 1, "first attempt")
        klok.nu = START + timedelta(hours=24, seconds=1)
        bezorger.wek()
        await until(lambda: opgegeven != [], "given up")
        klok.nu += timedelta(days=3)
        bezorger.wek()
        await asyncio.sleep(0.1)

    running(bezorger, body)
    assert opgegeven == [("e1", 2, "serverfout (HTTP 500)")]
    assert kanaal.pogingen == [("z1", "e1"), ("z1", "e1")], "e2 is held back behind e1"
    sample = registry.get_sample_value
    assert sample("wvggz_notificaties_deliveries_given_up", {"partner": "p1"}) == 1
    assert sample("wvggz_notificaties_oldest_undelivered_age_seconds", {"partner": "p1"}) == (
        pytest.approx(timedelta(days=4, seconds=1).total_seconds())
    )
    assert wachtrij.herlever([("p1", "e1")], klok.nu.timestamp()) == 1
    assert [lv.event_id for lv in wachtrij.aan_de_beurt(klok.nu.timestamp(), [])] == ["e1"]


def test_a_permanent_refusal_is_given_up_at_once(tmp_path: Path) -> None:
    wachtrij, kanaal, _klok, opgegeven, bezorger, _registry = setup(tmp_path)
    kanaal.antwoord = Poging(afgeleverd=False, status=410, reden="weg", blijvend=True)
    wachtrij.plaats([levering("z1", "e1")])

    async def body() -> None:
        bezorger.wek()
        await until(lambda: opgegeven != [], "given up")

    running(bezorger, body)
    assert opgegeven == [("e1", 1, "weg (HTTP 410)")]


def test_the_same_notification_is_queued_once(tmp_path: Path) -> None:
    wachtrij = Wachtrij(tmp_path / "leveringen.db")

    assert wachtrij.plaats([levering("z1", "e1")]) == 1
    assert wachtrij.plaats([levering("z1", "e1"), levering("z1", "e2")]) == 1


def test_many_cases_each_in_order_all_marked_delivered(tmp_path: Path) -> None:
    wachtrij, kanaal, _klok, _op, bezorger, _registry = setup(tmp_path)
    zaken = [f"z{n}" for n in range(10)]
    wachtrij.plaats([levering(z, f"{z}-e{i}") for i in range(3) for z in zaken])

    async def body() -> None:
        bezorger.wek()
        await until(lambda: len(kanaal.pogingen) == 30, "all attempted")
        await until(lambda: wachtrij.stand() == [], "all marked delivered")

    running(bezorger, body)
    for z in zaken:
        assert [e for zaak, e in kanaal.pogingen if zaak == z] == [f"{z}-e{i}" for i in range(3)]
    assert wachtrij.van_partner("p1") == [] and wachtrij.volgende_moment() is None


LATER = (START + timedelta(days=30)).timestamp()


def beurt(
    wachtrij: Wachtrij, nu: float = LATER, bezig: Sequence[tuple[str, str]] = ()
) -> list[str]:
    """The events handed out at `nu` (by default when whatever waits is due)."""
    return [lv.event_id for lv in wachtrij.aan_de_beurt(nu, list(bezig))]


def test_a_case_hands_out_its_oldest_until_that_is_delivered(tmp_path: Path) -> None:
    wachtrij = Wachtrij(tmp_path / "leveringen.db")
    wachtrij.plaats([levering("z1", "e1"), levering("z1", "e2"), levering("z2", "e3")])
    wachtrij.plaats([levering("z1", "e4", partner="p2")])
    assert beurt(wachtrij) == ["e1", "e3", "e4"], "each partner's case on its own"
    assert beurt(wachtrij, bezig=[("p1", "z1")]) == ["e3", "e4"]

    wachtrij.afgeleverd([("p1", "e1")], START.timestamp())
    assert beurt(wachtrij) == ["e2", "e3", "e4"]
    wachtrij.afgeleverd([("p1", "e2"), ("p1", "e3"), ("p2", "e4")], START.timestamp())
    assert beurt(wachtrij) == []

    assert wachtrij.plaats([levering("z1", "e1")]) == 0, "a delivered one is not queued again"
    wachtrij.plaats([levering("z1", "e5"), levering("z1", "e6")])
    assert beurt(wachtrij) == ["e5"], "a case with only delivered ones gets a new head"


def test_a_given_up_head_holds_its_case_back_until_it_is_released(tmp_path: Path) -> None:
    wachtrij = Wachtrij(tmp_path / "leveringen.db")
    wachtrij.plaats([levering("z1", "e1"), levering("z1", "e2"), levering("z2", "e3")])
    wachtrij.opgegeven(("p1", "e1"), positie=7, reden="weg")
    assert beurt(wachtrij) == ["e3"]
    wachtrij.afgeleverd([("p1", "e3")], START.timestamp())
    assert beurt(wachtrij) == [] and wachtrij.volgende_moment() is None, "e2 is no head"

    assert wachtrij.herlever([("p1", "e1")], START.timestamp() + 5) == 1
    assert wachtrij.volgende_moment() == START.timestamp() + 5
    assert beurt(wachtrij) == ["e1"]
    wachtrij.afgeleverd([("p1", "e1")], START.timestamp())
    assert beurt(wachtrij) == ["e2"]


def test_a_retried_head_waits_for_its_moment_and_the_longest_due_goes_first(
    tmp_path: Path,
) -> None:
    wachtrij = Wachtrij(tmp_path / "leveringen.db")
    t = START.timestamp()
    wachtrij.plaats([levering("z1", "e1"), levering("z1", "e2"), levering("z2", "e3")])
    wachtrij.later(("p1", "e1"), poging=t, volgende=t + 60, reden="serverfout")
    wachtrij.plaats([levering("z3", "e4", geplaatst=START + timedelta(seconds=30))])

    assert beurt(wachtrij, t + 1) == ["e3"], "e1 is not due yet, e2 waits behind it"
    assert beurt(wachtrij, t + 90) == ["e3", "e4", "e1"]
    wachtrij.afgeleverd([("p1", "e3"), ("p1", "e4")], t)
    assert wachtrij.volgende_moment() == t + 60


def test_a_queue_file_from_before_the_heads_gets_them_marked(tmp_path: Path) -> None:
    path = tmp_path / "leveringen.db"
    conn = sqlite3.connect(path)
    conn.executescript(
        "CREATE TABLE leveringen ("
        " volgnr INTEGER PRIMARY KEY AUTOINCREMENT,"
        " partner_id TEXT NOT NULL, event_id TEXT NOT NULL, zaak TEXT NOT NULL,"
        " type TEXT NOT NULL, gemeente TEXT NOT NULL, kanaal TEXT NOT NULL,"
        " bestemming TEXT NOT NULL, abonnement_id TEXT NOT NULL, body BLOB NOT NULL,"
        " staat TEXT NOT NULL DEFAULT 'wachtend', pogingen INTEGER NOT NULL DEFAULT 0,"
        " eerste_poging REAL, volgende REAL NOT NULL DEFAULT 0, reden TEXT,"
        " opgegeven_positie INTEGER, geplaatst REAL NOT NULL,"
        " UNIQUE (partner_id, event_id));"
    )
    for zaak, event, staat in [
        ("z1", "e1", "afgeleverd"),
        ("z1", "e2", "wachtend"),
        ("z1", "e3", "wachtend"),
        ("z2", "e4", "opgegeven"),
        ("z2", "e5", "wachtend"),
    ]:
        conn.execute(
            "INSERT INTO leveringen (partner_id, event_id, zaak, type, gemeente, kanaal,"
            " bestemming, abonnement_id, body, staat, geplaatst)"
            " VALUES ('p1', ?, ?, 't', 'GM0402', 'test', 'u', 'a', x'', ?, 0)",
            (event, zaak, staat),
        )
    conn.commit()
    conn.close()

    wachtrij = Wachtrij(path)
    assert beurt(wachtrij) == ["e2"], "z2 is held back by its given-up head"
    wachtrij.herlever([("p1", "e4")], 0)
    assert beurt(wachtrij) == ["e2", "e4"]
    wachtrij.close()
    assert beurt(Wachtrij(path)) == ["e2", "e4"], "opened again, nothing changes"
