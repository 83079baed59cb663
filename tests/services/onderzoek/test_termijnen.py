"""The VO's own term policy: the warning day and the age groups at the melding."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from wvggz_contracts.onderzoek import JeugdSignaal
from wvggz_contracts.rechtstijd import TIJDZONE

from services.onderzoek.domain import make_rulebook
from services.onderzoek.domain.leeftijd import jeugd_signaal
from tests.services.onderzoek.fixtures import REGIO


def ams(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TIJDZONE)


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
    geboren: date | None, ontvangen_op: datetime, signaal: JeugdSignaal
) -> None:
    assert jeugd_signaal(geboren, ontvangen_op) == signaal


def test_a_negative_warning_day_is_refused() -> None:
    with pytest.raises(ValueError, match="waarschuwing_dagen"):
        make_rulebook(REGIO, waarschuwing_dagen=-1)


@pytest.mark.parametrize("budget", [0, -1.5])
def test_the_ggz_budget_must_be_positive(budget: float) -> None:
    with pytest.raises(ValueError, match="ggz_budget_uren"):
        make_rulebook(REGIO, ggz_budget_uren=budget)


def test_a_region_without_gemeenten_is_refused() -> None:
    with pytest.raises(ValueError, match="regio"):
        make_rulebook(frozenset())


def test_a_warning_from_the_start_of_the_term_is_allowed() -> None:
    assert make_rulebook(REGIO, waarschuwing_dagen=0).category
