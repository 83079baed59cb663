"""When the regio-overleg is owed a signal: a quarter with no meeting planned in time, a year
without the client and family organisations; each due at a fixed moment, once."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from kernel.deadlines import DueSignal
from services.overleg.signalen import (
    CLIENTENPERSPECTIEF_ONTBREEKT,
    OVERLEG_ONTBREEKT,
    due_signalen,
    signaal_payload,
)

OVERLEG = uuid.UUID(int=1)


@dataclass
class Vergadering:
    kwartaal: str
    met_clientenperspectief: bool = False


@dataclass
class Overleg:
    ingesteld_op: datetime = datetime(2026, 1, 5, tzinfo=UTC)
    vergaderingen: list[Vergadering] = field(default_factory=list)
    ontbrekende_kwartalen: list[str] = field(default_factory=list)
    ontbrekende_jaren: list[int] = field(default_factory=list)
    overleg_id: uuid.UUID = OVERLEG
    gemeente: str = "GM0402"


def due(overleg: Overleg, now: datetime) -> list[tuple[str, dict[str, object]]]:
    signals: list[DueSignal] = due_signalen([overleg], now, planning_dagen=14, clienten_maand=10)
    return [(s.signal, signaal_payload(s)) for s in signals]


def test_a_quarter_without_a_planned_meeting_is_signalled_from_its_fifteenth_day() -> None:
    # 15 April 00:00 in Amsterdam is 14 April 22:00 UTC (summer time).
    assert due(Overleg(), datetime(2026, 4, 14, 21, 59, tzinfo=UTC)) == []
    assert due(Overleg(), datetime(2026, 4, 14, 22, 0, tzinfo=UTC)) == [
        (OVERLEG_ONTBREEKT, {"overleg_id": str(OVERLEG), "kwartaal": "2026-K2"})
    ]


def test_a_planned_meeting_or_an_earlier_signal_leaves_nothing_due() -> None:
    nu = datetime(2026, 5, 1, tzinfo=UTC)
    assert due(Overleg(vergaderingen=[Vergadering("2026-K2")]), nu) == []
    assert due(Overleg(ontbrekende_kwartalen=["2026-K2"]), nu) == []
    assert due(Overleg(vergaderingen=[Vergadering("2026-K3")]), nu) != []


def test_the_due_moment_is_the_same_on_every_tick() -> None:
    [eerste] = due_signalen(
        [Overleg()], datetime(2026, 5, 1, tzinfo=UTC), planning_dagen=14, clienten_maand=10
    )
    [later] = due_signalen(
        [Overleg()], datetime(2026, 6, 30, tzinfo=UTC), planning_dagen=14, clienten_maand=10
    )
    assert eerste.command_id == later.command_id


def test_an_overleg_set_up_after_the_deadline_is_not_signalled_for_that_quarter() -> None:
    laat = Overleg(ingesteld_op=datetime(2026, 5, 20, tzinfo=UTC))
    assert due(laat, datetime(2026, 5, 21, tzinfo=UTC)) == []
    assert due(laat, datetime(2026, 7, 20, tzinfo=UTC)) == [
        (OVERLEG_ONTBREEKT, {"overleg_id": str(OVERLEG), "kwartaal": "2026-K3"})
    ]


def test_a_year_without_the_clients_perspective_is_signalled_from_october() -> None:
    elk_kwartaal = [Vergadering("2026-K3"), Vergadering("2026-K4")]
    met = Overleg(vergaderingen=[*elk_kwartaal, Vergadering("2026-K2", True)])
    zonder = Overleg(vergaderingen=[*elk_kwartaal, Vergadering("2025-K4", True)])
    assert due(zonder, datetime(2026, 9, 29, 21, tzinfo=UTC)) == []
    assert due(met, datetime(2026, 10, 20, tzinfo=UTC)) == []
    assert due(zonder, datetime(2026, 10, 20, tzinfo=UTC)) == [
        (CLIENTENPERSPECTIEF_ONTBREEKT, {"overleg_id": str(OVERLEG), "jaar": 2026})
    ]
