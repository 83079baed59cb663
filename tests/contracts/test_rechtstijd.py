"""Legal time: the Amsterdam clock, day and hour terms, ages and the Algemene termijnenwet."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from wvggz_contracts.meldpunt import vo_termijn_eind
from wvggz_contracts.rechtstijd import (
    TIJDZONE,
    amsterdamse_tijd,
    atw_feestdagen,
    atw_termijn_dagen,
    einde_atw_termijn,
    einde_dag,
    einde_hele_dagen,
    is_werkdag,
    koningsdag,
    leeftijd_op,
    lokale_datum,
    met_gelijkgestelde_dagen,
    na_dagen,
    na_uren,
    pasen,
    werkdagen_na,
)


def ams(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TIJDZONE)


# The Amsterdam clock


@pytest.mark.parametrize(
    ("moment", "iso"),
    [
        (datetime(2026, 11, 2, 8, 15, tzinfo=UTC), "2026-11-02T09:15:00+01:00"),
        (datetime(2026, 7, 1, 8, 15, tzinfo=UTC), "2026-07-01T10:15:00+02:00"),
        # the autumn's repeated hour, first and second time
        (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), "2026-10-25T02:30:00+02:00"),
        (datetime(2026, 10, 25, 1, 30, tzinfo=UTC), "2026-10-25T02:30:00+01:00"),
    ],
)
def test_a_moment_is_shown_on_the_amsterdam_clock_with_a_fixed_offset(
    moment: datetime, iso: str
) -> None:
    lokaal = amsterdamse_tijd(moment)

    assert lokaal == moment
    assert lokaal.isoformat() == iso
    assert datetime.fromisoformat(lokaal.isoformat()) == lokaal


@pytest.mark.parametrize(
    ("moment", "datum"),
    [
        (datetime(2026, 11, 2, 22, 59, tzinfo=UTC), date(2026, 11, 2)),
        (datetime(2026, 11, 2, 23, 0, tzinfo=UTC), date(2026, 11, 3)),
        (datetime(2026, 7, 1, 21, 59, tzinfo=UTC), date(2026, 7, 1)),
        (datetime(2026, 7, 1, 22, 0, tzinfo=UTC), date(2026, 7, 2)),
    ],
)
def test_the_local_date_is_the_amsterdam_date(moment: datetime, datum: date) -> None:
    assert lokale_datum(moment) == datum


# Day and hour terms


@pytest.mark.parametrize(
    ("start", "dagen", "eind_utc"),
    [
        # winter, no DST change: plain 14 × 24 h
        (ams(2026, 11, 2, 9, 15), 14, datetime(2026, 11, 16, 8, 15, tzinfo=UTC)),
        # summer, no DST change
        (ams(2026, 6, 1, 12, 0), 14, datetime(2026, 6, 15, 10, 0, tzinfo=UTC)),
        # across the spring change (29 March 2026): 10:00 stays 10:00, one hour less in UTC
        (ams(2026, 3, 20, 10, 0), 14, datetime(2026, 4, 3, 8, 0, tzinfo=UTC)),
        # across the autumn change (25 October 2026): 10:00 stays 10:00, one hour more in UTC
        (ams(2026, 10, 20, 10, 0), 14, datetime(2026, 11, 3, 9, 0, tzinfo=UTC)),
        (ams(2026, 3, 25, 16, 45), 10, datetime(2026, 4, 4, 14, 45, tzinfo=UTC)),
        # ending in the spring gap (02:30 does not exist): moves forward to 03:30 CEST
        (ams(2026, 3, 15, 2, 30), 14, datetime(2026, 3, 29, 1, 30, tzinfo=UTC)),
        (ams(2026, 3, 26, 2, 30), 3, datetime(2026, 3, 29, 1, 30, tzinfo=UTC)),
        # ending in the ambiguous autumn hour: its first occurrence (CEST)
        (ams(2026, 10, 11, 2, 30), 14, datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
        # starting in its second occurrence counts from the same wall-clock time
        (
            datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
            14,
            datetime(2026, 11, 8, 1, 30, tzinfo=UTC),
        ),
        # a start given in UTC or another offset is read as Amsterdam wall-clock time first
        (datetime(2026, 3, 20, 9, 0, tzinfo=UTC), 14, datetime(2026, 4, 3, 8, 0, tzinfo=UTC)),
        (
            datetime(2026, 10, 20, 3, 0, tzinfo=timezone(timedelta(hours=-5))),
            14,
            datetime(2026, 11, 3, 9, 0, tzinfo=UTC),
        ),
    ],
)
def test_days_later_is_the_same_amsterdam_wall_clock_time(
    start: datetime, dagen: int, eind_utc: datetime
) -> None:
    eind = na_dagen(start, dagen)

    assert eind == eind_utc
    assert eind.utcoffset() == eind.astimezone(TIJDZONE).utcoffset()
    assert eind.isoformat() == eind_utc.astimezone(TIJDZONE).isoformat()
    assert datetime.fromisoformat(eind.isoformat()) == eind


def test_the_meldpunt_vo_term_counts_whole_days_as_every_term_does() -> None:
    start = ams(2026, 3, 20, 10, 0)

    assert vo_termijn_eind(start, atw=False) == einde_hele_dagen(start, 14)
    assert vo_termijn_eind(start, 7, atw=False).isoformat() == "2026-03-28T00:00:00+01:00"


def _vo_termijn_eind_zoals_de_meldpunt_hem_telde(start: datetime, dagen: int) -> datetime:
    """The meldpunt's own counting before this module: the fold reset before adding the days."""
    eind = (start.astimezone(TIJDZONE).replace(fold=0) + timedelta(days=dagen)).astimezone(UTC)
    return eind.astimezone(timezone(eind.astimezone(TIJDZONE).utcoffset() or timedelta()))


@pytest.mark.parametrize(
    "rond",
    [datetime(2026, 3, 29, 1, 0, tzinfo=UTC), datetime(2026, 10, 25, 1, 0, tzinfo=UTC)],
)
@pytest.mark.parametrize("dagen", [-14, -1, 1, 3, 14])
def test_the_former_meldpunt_counting_gives_the_same_ends_around_dst_changes(
    rond: datetime, dagen: int
) -> None:
    for kwartier in range(-4 * 24 * 2, 4 * 24 * 2):
        start = rond + timedelta(minutes=15 * kwartier)
        vroeger = _vo_termijn_eind_zoals_de_meldpunt_hem_telde(start, dagen)
        nu = na_dagen(start, dagen)

        assert (nu, nu.isoformat()) == (vroeger, vroeger.isoformat()), start


def test_an_hour_term_is_elapsed_time_shown_in_amsterdam_time() -> None:
    # 18 hours before the spring change are 18 real hours: 20:00 CET plus 18 h is 15:00 CEST
    eind = na_uren(ams(2026, 3, 28, 20, 0), timedelta(hours=18))

    assert eind == datetime(2026, 3, 29, 13, 0, tzinfo=UTC)
    assert eind.isoformat() == "2026-03-29T15:00:00+02:00"


# People


@pytest.mark.parametrize(
    ("geboren", "op", "leeftijd"),
    [
        (date(2010, 5, 17), date(2026, 5, 16), 15),
        (date(2010, 5, 17), date(2026, 5, 17), 16),
        (date(2008, 2, 29), date(2026, 2, 28), 17),
        (date(2008, 2, 29), date(2026, 3, 1), 18),
        (date(2008, 2, 29), date(2028, 2, 29), 20),
    ],
)
def test_age_counts_whole_years_and_a_leap_day_birthday_ages_on_1_march(
    geboren: date, op: date, leeftijd: int
) -> None:
    assert leeftijd_op(geboren, op) == leeftijd


# The Algemene termijnenwet


@pytest.mark.parametrize(
    ("jaar", "paasdag"),
    [
        (2019, date(2019, 4, 21)),
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
        (2038, date(2038, 4, 25)),
        (2285, date(2285, 3, 22)),
    ],
)
def test_easter_is_computed_with_the_anonymous_gregorian_algorithm(
    jaar: int, paasdag: date
) -> None:
    assert pasen(jaar) == paasdag


@pytest.mark.parametrize(
    ("jaar", "dag"),
    [(2026, date(2026, 4, 27)), (2025, date(2025, 4, 26)), (2013, date(2013, 4, 30))],
)
def test_koningsdag_moves_to_saturday_when_it_falls_on_a_sunday(jaar: int, dag: date) -> None:
    assert koningsdag(jaar) == dag


def test_the_atw_holidays_of_2026() -> None:
    assert sorted(atw_feestdagen(2026)) == [
        date(2026, 1, 1),  # Nieuwjaarsdag
        date(2026, 4, 3),  # Goede Vrijdag (art. 3 lid 2)
        date(2026, 4, 6),  # tweede Paasdag
        date(2026, 4, 27),  # Koningsdag
        date(2026, 5, 5),  # 5 mei
        date(2026, 5, 14),  # Hemelvaartsdag
        date(2026, 5, 25),  # tweede Pinksterdag
        date(2026, 12, 25),
        date(2026, 12, 26),
    ]


@pytest.mark.parametrize("jaar", [2025, 2026, 2027, 2030])
def test_5_mei_is_a_holiday_every_year_not_only_in_lustrum_years(jaar: int) -> None:
    # Atw art. 3 lid 1 names "de vijfde mei" without condition
    assert date(jaar, 5, 5) in atw_feestdagen(jaar)


def test_days_equated_by_decree_are_added_to_their_own_year_only() -> None:
    feestdagen = met_gelijkgestelde_dagen([date(2026, 5, 15), date(2027, 5, 7)])

    assert feestdagen(2026) == atw_feestdagen(2026) | {date(2026, 5, 15)}
    assert feestdagen(2027) == atw_feestdagen(2027) | {date(2027, 5, 7)}
    assert feestdagen(2028) == atw_feestdagen(2028)


def test_a_working_day_is_no_saturday_sunday_or_holiday() -> None:
    maandag = date(2026, 11, 2)

    assert [is_werkdag(maandag + timedelta(days=i)) for i in range(7)] == [
        True,
        True,
        True,
        True,
        True,
        False,
        False,
    ]
    assert not is_werkdag(date(2026, 5, 5))
    assert not is_werkdag(date(2026, 11, 9), frozenset({date(2026, 11, 9)}))
    assert is_werkdag(date(2026, 5, 5), frozenset())


def test_working_days_are_counted_after_the_first_day() -> None:
    donderdag = date(2026, 11, 5)

    assert werkdagen_na(donderdag, 3) == 1  # Friday; Saturday and Sunday are not
    assert werkdagen_na(donderdag, 4) == 2
    assert werkdagen_na(date(2026, 12, 23), 4) == 1  # 24th; Christmas and the weekend are not


@pytest.mark.parametrize(
    ("eerste", "dagen", "einde_op_werkdag", "lengte"),
    [
        (date(2026, 11, 2), 3, False, 3),  # Monday: no extension
        (date(2026, 11, 5), 3, False, 4),  # Thursday: to Monday
        (date(2026, 11, 6), 3, False, 4),  # Friday: to Tuesday
        (date(2026, 11, 6), 2, False, 2),  # art. 2 holds for three days or more only
        (date(2026, 11, 4), 3, False, 3),  # Wednesday: ends on Saturday
        (date(2026, 11, 4), 3, True, 5),  # art. 1 moves that end to Monday
        (date(2026, 11, 4), 2, True, 2),  # ends on Friday, a working day
        (date(2026, 4, 2), 3, False, 6),  # Easter: Thursday 2 April to Wednesday 8 April
    ],
)
def test_the_atw_extends_a_term_by_whole_days(
    eerste: date, dagen: int, einde_op_werkdag: bool, lengte: int
) -> None:
    assert atw_termijn_dagen(eerste, dagen, einde_op_werkdag=einde_op_werkdag) == lengte


def test_the_atw_takes_the_minimum_of_working_days_and_the_holidays_given() -> None:
    vrijdag = date(2026, 11, 6)

    assert atw_termijn_dagen(vrijdag, 3, min_werkdagen=1, einde_op_werkdag=False) == 3
    geen_feestdagen: frozenset[date] = frozenset()
    assert atw_termijn_dagen(date(2026, 12, 23), 3, einde_op_werkdag=False) == 5
    assert (
        atw_termijn_dagen(date(2026, 12, 23), 3, feestdagen=geen_feestdagen, einde_op_werkdag=False)
        == 3
    )


def test_an_atw_term_ends_at_the_end_of_its_last_day() -> None:
    # Friday before the spring change: extended to Tuesday (art. 2), ending at 24:00 CEST
    eind = einde_atw_termijn(ams(2026, 3, 27, 14, 0), 3, einde_op_werkdag=False)

    assert eind.isoformat() == "2026-04-01T00:00:00+02:00"
    # the first day is the Amsterdam date: 23:30 UTC on Friday is already Saturday
    zaterdag = einde_atw_termijn(
        datetime(2026, 11, 6, 23, 30, tzinfo=UTC), 3, einde_op_werkdag=False
    )
    assert zaterdag.isoformat() == "2026-11-11T00:00:00+01:00"
    # HR 22-09-2023, ECLI:NL:HR:2023:1279: received Friday 21 April 2023, decided Tuesday 25th
    assert einde_atw_termijn(ams(2023, 4, 21, 9, 0), 3, einde_op_werkdag=True).isoformat() == (
        "2023-04-26T00:00:00+02:00"
    )


@pytest.mark.parametrize(
    ("start", "dagen", "einde"),
    [
        # HR 22-01-2021, ECLI:NL:HR:2021:107: the first day is not counted, the term ends at the
        # end of the day with the same number; the hour of the start does not matter
        pytest.param(ams(2026, 6, 9, 15, 0), 21, "2026-07-01T00:00:00+02:00", id="hr-2021-107"),
        pytest.param(ams(2026, 6, 9, 0, 0), 21, "2026-07-01T00:00:00+02:00", id="middernacht"),
        pytest.param(ams(2026, 6, 9, 23, 59), 21, "2026-07-01T00:00:00+02:00", id="2359"),
        # last day Sunday 29 March 2026, the spring DST day of 23 hours: 24:00 CEST
        pytest.param(ams(2026, 3, 26, 10, 0), 3, "2026-03-30T00:00:00+02:00", id="dst-voorjaar"),
        # last day Sunday 25 October 2026, the autumn DST day of 25 hours: 24:00 CET
        pytest.param(ams(2026, 10, 22, 10, 0), 3, "2026-10-26T00:00:00+01:00", id="dst-najaar"),
        # a start in the autumn's repeated hour is read on its Amsterdam date
        pytest.param(
            datetime(2026, 10, 25, 1, 30, tzinfo=UTC), 1, "2026-10-27T00:00:00+01:00", id="fold"
        ),
        # a start given in UTC counts from its Amsterdam date (23:30 UTC is the next day)
        pytest.param(
            datetime(2026, 12, 31, 23, 30, tzinfo=UTC), 3, "2027-01-05T00:00:00+01:00", id="utc"
        ),
    ],
)
def test_a_term_in_whole_days_ends_at_the_end_of_its_last_amsterdam_day(
    start: datetime, dagen: int, einde: str
) -> None:
    eind = einde_hele_dagen(start, dagen)

    assert eind.isoformat() == einde
    assert datetime.fromisoformat(eind.isoformat()) == eind
    assert eind == einde_dag(lokale_datum(start) + timedelta(days=dagen))
