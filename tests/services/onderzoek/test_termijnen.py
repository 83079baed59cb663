"""Term arithmetic in Amsterdam wall-clock time, and the age groups at the melding."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from wvggz_contracts.onderzoek import JeugdSignaal

from services.onderzoek.domain import make_decider
from services.onderzoek.domain.leeftijd import jeugd_signaal, leeftijd_op
from services.onderzoek.domain.termijnen import AMSTERDAM, lokale_datum, na_dagen
from tests.services.onderzoek.fixtures import REGIO


def ams(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=AMSTERDAM)


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
        # the warning moment across the spring change
        (ams(2026, 3, 25, 16, 45), 10, datetime(2026, 4, 4, 14, 45, tzinfo=UTC)),
        # ending in the spring gap (02:30 does not exist): moves forward to 03:30 CEST
        (ams(2026, 3, 15, 2, 30), 14, datetime(2026, 3, 29, 1, 30, tzinfo=UTC)),
        # ending in the ambiguous autumn hour: its first occurrence (CEST)
        (ams(2026, 10, 11, 2, 30), 14, datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
        # a start given in UTC or another offset is read as Amsterdam wall-clock time first
        (datetime(2026, 3, 20, 9, 0, tzinfo=UTC), 14, datetime(2026, 4, 3, 8, 0, tzinfo=UTC)),
        (
            datetime(2026, 10, 20, 3, 0, tzinfo=timezone(timedelta(hours=-5))),
            14,
            datetime(2026, 11, 3, 9, 0, tzinfo=UTC),
        ),
    ],
)
def test_a_term_ends_at_the_same_amsterdam_wall_clock_time(start, dagen, eind_utc):
    eind = na_dagen(start, dagen)

    assert eind == eind_utc
    assert eind.utcoffset() == eind.astimezone(AMSTERDAM).utcoffset()
    assert eind.isoformat() == eind_utc.astimezone(AMSTERDAM).isoformat()
    assert datetime.fromisoformat(eind.isoformat()) == eind


@pytest.mark.parametrize(
    ("moment", "datum"),
    [
        (datetime(2026, 11, 2, 22, 59, tzinfo=UTC), date(2026, 11, 2)),
        (datetime(2026, 11, 2, 23, 0, tzinfo=UTC), date(2026, 11, 3)),
        (datetime(2026, 7, 1, 21, 59, tzinfo=UTC), date(2026, 7, 1)),
        (datetime(2026, 7, 1, 22, 0, tzinfo=UTC), date(2026, 7, 2)),
    ],
)
def test_the_local_date_is_the_amsterdam_date(moment, datum):
    assert lokale_datum(moment) == datum


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
def test_age_counts_whole_years(geboren, op, leeftijd):
    assert leeftijd_op(geboren, op) == leeftijd


@pytest.mark.parametrize(
    ("geboren", "ontvangen_op", "signaal"),
    [
        (None, ams(2026, 11, 2, 9, 0), JeugdSignaal.ONBEKEND),
        (date(1990, 5, 17), ams(2026, 11, 2, 9, 0), JeugdSignaal.VOLWASSEN),
        (date(2008, 11, 2), ams(2026, 11, 2, 9, 0), JeugdSignaal.VOLWASSEN),
        (date(2008, 11, 3), ams(2026, 11, 2, 9, 0), JeugdSignaal.JONGER_DAN_18),
        (date(2010, 11, 2), ams(2026, 11, 2, 9, 0), JeugdSignaal.JONGER_DAN_18),
        (date(2010, 11, 3), ams(2026, 11, 2, 9, 0), JeugdSignaal.JONGER_DAN_16),
        # 23:30 UTC on 1 November is already 2 November in Amsterdam: the 18th birthday
        (date(2008, 11, 2), datetime(2026, 11, 1, 23, 30, tzinfo=UTC), JeugdSignaal.VOLWASSEN),
    ],
)
def test_the_age_group_is_taken_on_the_amsterdam_date_of_the_melding(
    geboren, ontvangen_op, signaal
):
    assert jeugd_signaal(geboren, ontvangen_op) == signaal


@pytest.mark.parametrize(("termijn", "waarschuwing"), [(14, 14), (14, 15), (0, 0), (10, -1)])
def test_the_warning_must_come_before_the_end_of_the_term(termijn, waarschuwing):
    with pytest.raises(ValueError, match="dagen"):
        make_decider(REGIO, termijn_dagen=termijn, waarschuwing_dagen=waarschuwing)


@pytest.mark.parametrize("budget", [0, -1.5])
def test_the_ggz_budget_must_be_positive(budget):
    with pytest.raises(ValueError, match="ggz_budget_uren"):
        make_decider(REGIO, ggz_budget_uren=budget)


def test_a_region_without_gemeenten_is_refused():
    with pytest.raises(ValueError, match="regio"):
        make_decider(frozenset())


def test_a_warning_from_the_start_of_the_term_is_allowed():
    assert make_decider(REGIO, termijn_dagen=14, waarschuwing_dagen=0).category
