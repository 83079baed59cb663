"""The crisismaatregel's term rules: whole days on the Amsterdam clock, the Atw, the voortzetting
and zorgmachtiging path. Each row names its source.

Sources: Wvggz art. 7:8 lid 3 (court decides within 3 days of receiving the request), 7:9
(voortzetting: three weeks after its date), 7:10 sub a with 6:2 lid 1 sub b (a zorgmachtiging
request keeps it until the court decides, at the latest three weeks after receipt); Algemene
termijnenwet (Atw) art. 1 (an end on a Saturday, Sunday or holiday moves to the next working
day), art. 2 (a term of 3+ days holds two working days), art. 3 (holidays; lid 2 Goede Vrijdag;
lid 3 days equated by decree); HR 22-09-2023, ECLI:NL:HR:2023:1279 (Atw art. 2 applies to art.
7:8 lid 3: a request of Friday may be decided on Tuesday); HR 22-01-2021, ECLI:NL:HR:2021:107
(the first day is not counted, a term ends at the end of its last day; six weeks at most).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from wvggz_contracts.rechtstijd import TIJDZONE, met_gelijkgestelde_dagen

from services.crisis.app import CrisisSettings, termijnregels
from services.crisis.domain import Termijnregels
from services.crisis.domain.termijnen import (
    dagtermijn,
    einde_crisismaatregel,
    einde_voortzetting,
    einde_voortzetting_met_zorgmachtiging,
    rechter_beslist_uiterlijk,
    rechter_beslist_zorgmachtiging_uiterlijk,
    uiterste_einde_met_zorgmachtiging,
)


def ams(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TIJDZONE)


def einde_van(year: int, month: int, day: int) -> datetime:
    """24:00 of that Amsterdam day: the next day's midnight."""
    return ams(year, month, day) + timedelta(days=1)


@pytest.mark.parametrize(
    ("besloten_op", "eindigt_op"),
    [
        pytest.param(ams(2026, 11, 2, 14), einde_van(2026, 11, 5), id="ma-3-werkdagen-atw2"),
        # Thursday, Friday, Saturday hold two working days (art. 2); Saturday moves on (art. 1)
        pytest.param(ams(2026, 11, 4, 14), einde_van(2026, 11, 9), id="wo-eindigt-za-atw1"),
        # Friday only: art. 2 adds Monday
        pytest.param(ams(2026, 11, 5, 14), einde_van(2026, 11, 9), id="do-weekend-atw2"),
        # Saturday, Sunday, Monday hold one working day: art. 2 adds Tuesday
        pytest.param(ams(2026, 11, 6, 14), einde_van(2026, 11, 10), id="vr-weekend-atw2"),
        pytest.param(ams(2026, 11, 7, 9), einde_van(2026, 11, 10), id="za-start-atw2"),
        # the hour of the decision does not matter: the first day is not counted (HR 2021:107)
        pytest.param(ams(2026, 11, 6, 23, 59), einde_van(2026, 11, 10), id="vr-2359-hr2021-107"),
        pytest.param(ams(2026, 11, 6, 0, 0), einde_van(2026, 11, 10), id="vr-0000-hr2021-107"),
        # a decision given in UTC counts from its Amsterdam day (23:30 UTC Friday is Saturday)
        pytest.param(
            datetime(2026, 11, 6, 23, 30, tzinfo=UTC), einde_van(2026, 11, 10), id="utc-za"
        ),
        # Christmas (art. 3 lid 1): 24th only, then the weekend: to Monday 28 December
        pytest.param(ams(2026, 12, 23, 10), einde_van(2026, 12, 28), id="kerst-atw3-1"),
        # ending on Christmas Day (a Friday): art. 1 moves it past the weekend to Monday
        pytest.param(ams(2026, 12, 22, 10), einde_van(2026, 12, 28), id="eindigt-kerst-atw1"),
        # Goede Vrijdag (art. 3 lid 2) and tweede Paasdag: Thursday 2 April to Wednesday 8 April
        pytest.param(ams(2026, 4, 2, 16), einde_van(2026, 4, 8), id="pasen-atw3-2"),
        # Koningsdag Monday 27 April (art. 3 lid 1): Friday 24 April to Wednesday 29 April
        pytest.param(ams(2026, 4, 24, 8), einde_van(2026, 4, 29), id="koningsdag-atw3-1"),
        # Hemelvaartsdag Thursday 14 May (art. 3 lid 1): Wednesday 13 to Monday 18 May
        pytest.param(ams(2026, 5, 13, 12), einde_van(2026, 5, 18), id="hemelvaart-atw3-1"),
        # 5 mei counts every year, not only in lustrum years (art. 3 lid 1 "de vijfde mei")
        pytest.param(ams(2026, 5, 2, 12), einde_van(2026, 5, 6), id="5-mei-2026-atw3-1"),
        pytest.param(ams(2025, 5, 2, 12), einde_van(2025, 5, 7), id="5-mei-2025-lustrum"),
        # spring DST night (29 March): ends at midnight CEST, one hour less in UTC
        pytest.param(ams(2026, 3, 27, 10), einde_van(2026, 3, 31), id="dst-voorjaar"),
        # autumn DST night (25 October): Thursday 22 October, ends Monday 26 at 24:00 CET
        pytest.param(ams(2026, 10, 22, 10), einde_van(2026, 10, 26), id="dst-najaar"),
        # the example of issue 9: Thursday 4 June 2026 to the end of Monday 8 June
        pytest.param(ams(2026, 6, 4, 10), einde_van(2026, 6, 8), id="issue-9-cm"),
    ],
)
def test_a_crisismaatregel_ends_at_the_end_of_its_third_day_extended_per_the_atw(
    besloten_op: datetime, eindigt_op: datetime
) -> None:
    eind = einde_crisismaatregel(besloten_op, Termijnregels())

    assert eind == eindigt_op
    assert eind.astimezone(TIJDZONE).time().isoformat() == "00:00:00"
    assert eind.utcoffset() == eind.astimezone(TIJDZONE).utcoffset()
    assert datetime.fromisoformat(eind.isoformat()) == eind


def test_the_end_of_a_day_is_midnight_on_the_amsterdam_clock_across_dst() -> None:
    # spring: Tuesday 31 March 24:00 is 22:00 UTC (CEST); autumn: Monday 26 October 23:00 UTC
    assert einde_crisismaatregel(ams(2026, 3, 27, 10), Termijnregels()).isoformat() == (
        "2026-04-01T00:00:00+02:00"
    )
    assert einde_crisismaatregel(ams(2026, 10, 22, 10), Termijnregels()) == datetime(
        2026, 10, 26, 23, 0, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("regels", "besloten_op", "eindigt_op"),
    [
        # without the Atw: three calendar days, whatever the weekday
        pytest.param(
            Termijnregels(atw_toepassen=False),
            ams(2026, 11, 6, 14),
            einde_van(2026, 11, 9),
            id="zonder-atw",
        ),
        # without art. 1: Wednesday's term ends on Saturday
        pytest.param(
            Termijnregels(einde_op_werkdag=False),
            ams(2026, 11, 4, 14),
            einde_van(2026, 11, 7),
            id="zonder-atw1",
        ),
        # one working day suffices: Friday ends Monday
        pytest.param(
            Termijnregels(min_werkdagen=1),
            ams(2026, 11, 6, 14),
            einde_van(2026, 11, 9),
            id="een-werkdag",
        ),
        # a day equated by royal decree (art. 3 lid 3 Atw): Friday 15 May 2026 after Ascension
        pytest.param(
            Termijnregels(feestdagen=met_gelijkgestelde_dagen([date(2026, 5, 15)])),
            ams(2026, 5, 13, 12),
            einde_van(2026, 5, 19),
            id="brugdag-atw3-3",
        ),
        # a fixed set instead of a provider: only Monday 9 November is a holiday
        pytest.param(
            Termijnregels(feestdagen=frozenset({date(2026, 11, 9)})),
            ams(2026, 11, 5, 14),
            einde_van(2026, 11, 10),
            id="vaste-set",
        ),
        pytest.param(
            Termijnregels(dagen_cm=4), ams(2026, 11, 2, 14), einde_van(2026, 11, 6), id="4-dagen"
        ),
    ],
)
def test_the_term_rules_are_configurable(
    regels: Termijnregels, besloten_op: datetime, eindigt_op: datetime
) -> None:
    assert einde_crisismaatregel(besloten_op, regels) == eindigt_op


def test_the_atw_art_2_extension_applies_to_terms_of_at_least_three_days_only() -> None:
    vrijdag = ams(2026, 11, 6, 14)

    # two days end on Sunday: art. 2 does not apply, art. 1 moves the end to Monday
    assert dagtermijn(vrijdag, 2, Termijnregels()) == einde_van(2026, 11, 9)
    assert dagtermijn(vrijdag, 2, Termijnregels(einde_op_werkdag=False)) == einde_van(2026, 11, 8)
    assert dagtermijn(vrijdag, 3, Termijnregels()) == einde_van(2026, 11, 10)


@pytest.mark.parametrize(
    ("ingediend_op", "uiterlijk"),
    [
        # HR 22-09-2023, ECLI:NL:HR:2023:1279: received Friday 21 April 2023, decided Tuesday 25th
        pytest.param(ams(2023, 4, 21, 11), einde_van(2023, 4, 25), id="hr-2023-1279"),
        # issue 9: received Friday 5 June 2026 09:00, the court may decide all of Tuesday 9 June
        pytest.param(ams(2026, 6, 5, 9), einde_van(2026, 6, 9), id="issue-9-rechter"),
        # Thursday: Friday and Monday are the two working days (art. 2 Atw)
        pytest.param(ams(2026, 11, 5, 10), einde_van(2026, 11, 9), id="do-atw2"),
        # Monday: Tuesday to Thursday, no extension (art. 7:8 lid 3)
        pytest.param(ams(2026, 11, 2, 10), einde_van(2026, 11, 5), id="ma-7-8-3"),
    ],
)
def test_the_court_decides_on_a_voortzetting_within_three_days_extended_per_the_atw(
    ingediend_op: datetime, uiterlijk: datetime
) -> None:
    assert rechter_beslist_uiterlijk(ingediend_op, Termijnregels()) == uiterlijk


@pytest.mark.parametrize(
    ("ingediend_op", "uiterlijk"),
    [
        # art. 6:2 lid 1 sub b: three weeks after receipt, to the end of that day
        pytest.param(ams(2026, 6, 16, 11), einde_van(2026, 7, 7), id="6-2-1-b"),
        # three weeks end on Whit Monday 25 May 2026 (art. 3 lid 1): art. 1 moves it to Tuesday
        pytest.param(ams(2026, 5, 4, 11), einde_van(2026, 5, 26), id="pinksteren-atw1"),
        # three weeks end on Saturday: art. 1 moves it to Monday
        pytest.param(ams(2026, 11, 7, 11), einde_van(2026, 11, 30), id="zaterdag-atw1"),
    ],
)
def test_the_court_decides_on_a_zorgmachtiging_within_three_weeks(
    ingediend_op: datetime, uiterlijk: datetime
) -> None:
    assert rechter_beslist_zorgmachtiging_uiterlijk(ingediend_op, Termijnregels()) == uiterlijk


@pytest.mark.parametrize(
    ("start", "einde", "uiterst"),
    [
        # art. 7:9: three weeks after its date, to the end of that day; six weeks at most
        pytest.param(ams(2026, 6, 9, 15), einde_van(2026, 6, 30), einde_van(2026, 7, 21), id="7-9"),
        # a validity period is no term to act within: the Atw does not lengthen it (Saturday)
        pytest.param(
            ams(2026, 11, 7, 14), einde_van(2026, 11, 28), einde_van(2026, 12, 19), id="zaterdag"
        ),
        # across the autumn DST change (25 October)
        pytest.param(
            ams(2026, 10, 16, 9), einde_van(2026, 11, 6), einde_van(2026, 11, 27), id="dst-najaar"
        ),
    ],
)
def test_a_voortzetting_lasts_three_weeks_after_its_date_and_six_at_most(
    start: datetime, einde: datetime, uiterst: datetime
) -> None:
    regels = Termijnregels()

    assert einde_voortzetting(start, regels) == einde
    assert uiterste_einde_met_zorgmachtiging(start, regels) == uiterst


VOORTZETTING_OP = ams(2026, 6, 9, 15)
"""Issue 9: the court grants the voortzetting on Tuesday 9 June 2026 at 15:00."""


@pytest.mark.parametrize(
    ("zorgmachtiging_ingediend_op", "eindigt_op"),
    [
        # art. 7:10 sub a with 6:2 lid 1 sub b: the court's term ends 7 July (not 21 July)
        pytest.param(ams(2026, 6, 16, 11), einde_van(2026, 7, 7), id="issue-9-16-juni"),
        # filed before the voortzetting was decided: its own three weeks (30 June) are not
        # shortened, and the court's term (29 June) ends before them (not 21 July)
        pytest.param(ams(2026, 6, 8, 11), einde_van(2026, 6, 30), id="issue-9-voor-besluit"),
        # filed on the last day of the voortzetting: six weeks exactly (HR 2021:107)
        pytest.param(ams(2026, 6, 30, 16), einde_van(2026, 7, 21), id="laatste-dag-6-weken"),
    ],
)
def test_a_zorgmachtiging_request_keeps_the_voortzetting_until_the_court_s_term_ends(
    zorgmachtiging_ingediend_op: datetime, eindigt_op: datetime
) -> None:
    eind = einde_voortzetting_met_zorgmachtiging(
        VOORTZETTING_OP, zorgmachtiging_ingediend_op, Termijnregels()
    )

    assert eind == eindigt_op


def test_the_six_weeks_cap_a_court_term_the_atw_extended() -> None:
    # voortzetting Saturday 7 November: its three weeks end Saturday 28 November; a request that
    # day gives the court until Monday 21 December (art. 1 Atw), the cap ends Saturday 19 December
    zaterdag = ams(2026, 11, 7, 14)

    eind = einde_voortzetting_met_zorgmachtiging(zaterdag, ams(2026, 11, 28, 9), Termijnregels())

    assert eind == einde_van(2026, 12, 19)


@pytest.mark.parametrize(
    "wijziging",
    [
        {"dagen_cm": 0},
        {"dagen_rechter": 0},
        {"weken_voortzetting": 0},
        {"weken_rechter_zorgmachtiging": 0},
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


def test_days_equated_by_royal_decree_are_a_setting(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    # Atw art. 3 lid 3: e.g. Friday 15 May 2026 after Ascension, set without code
    monkeypatch.setenv("WVGGZ_CM_GELIJKGESTELDE_DAGEN", '["2026-05-15"]')
    regels = termijnregels(CrisisSettings(data_dir=tmp_path))

    assert einde_crisismaatregel(ams(2026, 5, 13, 12), regels) == einde_van(2026, 5, 19)
    assert einde_crisismaatregel(ams(2026, 5, 13, 12), Termijnregels()) == einde_van(2026, 5, 18)


def test_atw_art_1_is_a_setting(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    monkeypatch.setenv("WVGGZ_CM_ATW_EINDE_OP_WERKDAG", "false")
    regels = termijnregels(CrisisSettings(data_dir=tmp_path))

    assert einde_crisismaatregel(ams(2026, 11, 4, 14), regels) == einde_van(2026, 11, 7)
