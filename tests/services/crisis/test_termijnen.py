"""The crisismaatregel's term rules: 3 days with two working days (Atw), weeks, configurable."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from wvggz_contracts.rechtstijd import TIJDZONE, met_gelijkgestelde_dagen

from services.crisis.domain import Termijnregels
from services.crisis.domain.termijnen import (
    dagtermijn,
    einde_crisismaatregel,
    einde_voortzetting,
    rechter_beslist_uiterlijk,
    uiterste_einde_met_zorgmachtiging,
)


def ams(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TIJDZONE)


@pytest.mark.parametrize(
    ("besloten_op", "eindigt_op"),
    [
        # Monday to Wednesday: three working days, no extension
        (ams(2026, 11, 2, 14, 0), ams(2026, 11, 5, 14, 0)),
        # Wednesday: Thursday, Friday (two working days) and Saturday, no extension
        (ams(2026, 11, 4, 14, 0), ams(2026, 11, 7, 14, 0)),
        # Thursday: Friday only, so the weekend extends it to Monday
        (ams(2026, 11, 5, 14, 0), ams(2026, 11, 9, 14, 0)),
        # Friday: Saturday, Sunday, Monday hold one working day: extended to Tuesday
        (ams(2026, 11, 6, 14, 0), ams(2026, 11, 10, 14, 0)),
        # Saturday: Sunday, Monday, Tuesday: two working days
        (ams(2026, 11, 7, 9, 0), ams(2026, 11, 10, 9, 0)),
        # a decision just before midnight counts from its own day
        (ams(2026, 11, 6, 23, 59), ams(2026, 11, 10, 23, 59)),
        # Christmas: Thursday 24th, Christmas Friday and Saturday, Sunday: to Monday the 28th
        (ams(2026, 12, 23, 10, 0), ams(2026, 12, 28, 10, 0)),
        # Easter: Goede Vrijdag and tweede Paasdag: from Thursday 2 April to Wednesday 8 April
        (ams(2026, 4, 2, 16, 0), ams(2026, 4, 8, 16, 0)),
        # Koningsdag on Monday 27 April: from Friday 24 April to Wednesday 29 April
        (ams(2026, 4, 24, 8, 0), ams(2026, 4, 29, 8, 0)),
        # Hemelvaartsdag Thursday 14 May: from Wednesday to Monday 18 May
        (ams(2026, 5, 13, 12, 0), ams(2026, 5, 18, 12, 0)),
        # 5 mei (a Tuesday in 2026): from Saturday 2 May, Monday 4 May and Wednesday 6 May count
        (ams(2026, 5, 2, 12, 0), ams(2026, 5, 6, 12, 0)),
        # across the spring DST change (29 March): same wall-clock time, one hour less in UTC
        (ams(2026, 3, 27, 10, 0), ams(2026, 3, 31, 10, 0)),
        # a decision given in UTC is read on the Amsterdam clock
        (datetime(2026, 11, 6, 23, 30, tzinfo=UTC), ams(2026, 11, 10, 0, 30)),
    ],
)
def test_a_crisismaatregel_ends_after_three_days_with_two_working_days(
    besloten_op: datetime, eindigt_op: datetime
) -> None:
    eind = einde_crisismaatregel(besloten_op, Termijnregels())

    assert eind == eindigt_op
    assert eind.utcoffset() == eind.astimezone(TIJDZONE).utcoffset()
    assert datetime.fromisoformat(eind.isoformat()) == eind


@pytest.mark.parametrize(
    ("regels", "besloten_op", "eindigt_op"),
    [
        # without the Atw: three calendar days, whatever the weekday
        (Termijnregels(atw_toepassen=False), ams(2026, 11, 6, 14, 0), ams(2026, 11, 9, 14, 0)),
        # Atw art. 1 as well: Wednesday's Saturday end moves to Monday
        (Termijnregels(einde_op_werkdag=True), ams(2026, 11, 4, 14, 0), ams(2026, 11, 9, 14, 0)),
        # one working day suffices: Friday ends Monday
        (Termijnregels(min_werkdagen=1), ams(2026, 11, 6, 14, 0), ams(2026, 11, 9, 14, 0)),
        # an extra day equated by decree (art. 3 lid 3 Atw): Friday 15 May 2026 after Ascension
        (
            Termijnregels(feestdagen=met_gelijkgestelde_dagen([date(2026, 5, 15)])),
            ams(2026, 5, 13, 12, 0),
            ams(2026, 5, 19, 12, 0),
        ),
        # a fixed set instead of a provider: only Monday 9 November is a holiday
        (
            Termijnregels(feestdagen=frozenset({date(2026, 11, 9)})),
            ams(2026, 11, 5, 14, 0),
            ams(2026, 11, 10, 14, 0),
        ),
        # a longer term
        (Termijnregels(dagen_cm=4), ams(2026, 11, 2, 14, 0), ams(2026, 11, 6, 14, 0)),
    ],
)
def test_the_term_rules_are_configurable(
    regels: Termijnregels, besloten_op: datetime, eindigt_op: datetime
) -> None:
    assert einde_crisismaatregel(besloten_op, regels) == eindigt_op


def test_the_atw_extension_applies_to_terms_of_at_least_three_days_only() -> None:
    vrijdag = ams(2026, 11, 6, 14, 0)

    assert dagtermijn(vrijdag, 2, Termijnregels()) == ams(2026, 11, 8, 14, 0)
    assert dagtermijn(vrijdag, 3, Termijnregels()) == ams(2026, 11, 10, 14, 0)


def test_the_court_decides_within_three_days_by_the_same_counting() -> None:
    assert rechter_beslist_uiterlijk(ams(2026, 11, 5, 10, 0), Termijnregels()) == ams(
        2026, 11, 9, 10, 0
    )


@pytest.mark.parametrize(
    ("start", "einde", "uiterst"),
    [
        (ams(2026, 11, 6, 14, 0), ams(2026, 11, 27, 14, 0), ams(2026, 12, 18, 14, 0)),
        # across the autumn DST change (25 October): the wall-clock time stays
        (ams(2026, 10, 16, 9, 0), ams(2026, 11, 6, 9, 0), ams(2026, 11, 27, 9, 0)),
    ],
)
def test_week_terms_are_calendar_weeks_on_the_amsterdam_clock(
    start: datetime, einde: datetime, uiterst: datetime
) -> None:
    regels = Termijnregels()

    assert einde_voortzetting(start, regels) == einde
    assert uiterste_einde_met_zorgmachtiging(start, regels) == uiterst


@pytest.mark.parametrize(
    "wijziging",
    [
        {"dagen_cm": 0},
        {"dagen_rechter": 0},
        {"weken_voortzetting": 0},
        {"max_weken_zorgmachtiging": 2},
        {"min_werkdagen": -1},
        {"min_werkdagen": 4},
    ],
)
def test_inconsistent_term_rules_are_refused(wijziging: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=next(iter(wijziging))):
        Termijnregels(**wijziging)


def test_more_working_days_than_days_is_allowed_without_the_atw() -> None:
    assert Termijnregels(min_werkdagen=4, atw_toepassen=False).dagen_cm == 3


def test_is_werkdag_follows_the_holidays_of_the_rules() -> None:
    vrijdag, maandag = date(2026, 11, 6), date(2026, 11, 9)

    assert Termijnregels().is_werkdag(maandag)
    assert not Termijnregels(feestdagen=frozenset({maandag})).is_werkdag(maandag)
    assert not Termijnregels().is_werkdag(vrijdag + timedelta(days=1))
    assert not Termijnregels().is_werkdag(date(2026, 5, 5))
