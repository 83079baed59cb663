"""Domain specs of the VO term: 14 whole days in Amsterdam, extended by the Atw."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from wvggz_contracts.commands import Actor, Rol
from wvggz_contracts.meldpunt import MeldingOntvangen, vo_termijn_eind
from wvggz_contracts.rechtstijd import met_gelijkgestelde_dagen

from services.meldpunt.domain import make_rulebook
from tests.services.meldpunt.fixtures import (
    REGIO,
    meldpunt_spec,
    ontvangen,
    registratie,
    registreer_melding,
)


def termijn_eind(ontvangen_op: datetime, vo_termijn_dagen: int = 14) -> datetime:
    triagist = Actor(id="t-1", rol=Rol.TRIAGIST, gemeente="GM0402")
    cmd = registratie(
        registreer_melding(ontvangen_op, ontvangen_op=ontvangen_op), triagist, ontvangen_op
    )
    [melding, *_letters] = (meldpunt_spec(vo_termijn_dagen).when(cmd)).events
    assert isinstance(melding, MeldingOntvangen)
    return melding.vo_termijn_eind


@pytest.mark.parametrize(
    ("ontvangen_op", "eind"),
    [
        # the day of receipt does not count; the term ends at 24:00 of day 14 (art. 5:2 Wvggz)
        ("2026-11-23T09:25+00:00", "2026-12-08T00:00+01:00"),
        # 23:30 UTC on Friday is Saturday in Amsterdam: day 14 is a Saturday, so Monday (Atw art. 1)
        ("2026-11-06T23:30+00:00", "2026-11-24T00:00+01:00"),
        # over the autumn change (25 October 2026): still 24:00 on the wall clock
        ("2026-10-20T10:00+02:00", "2026-11-04T00:00+01:00"),
        # day 14 is Goede Vrijdag (Atw art. 3 lid 2), then the weekend and tweede Paasdag: Tuesday
        ("2026-03-20T10:00+01:00", "2026-04-08T00:00+02:00"),
        # day 14 a Sunday, over the spring change (29 March 2026): Monday (Atw art. 1)
        ("2026-03-15T02:30+01:00", "2026-03-31T00:00+02:00"),
        # day 14 is Sunday 25 October, the autumn change itself: Monday
        ("2026-10-11T02:30+02:00", "2026-10-27T00:00+01:00"),
        # day 14 is Koningsdag, Monday 27 April 2026 (Atw art. 3 lid 1): Tuesday
        ("2026-04-13T09:00+02:00", "2026-04-29T00:00+02:00"),
        # day 14 is 5 May, a Tuesday in 2026 (Atw art. 3 lid 1, every year): Wednesday
        ("2026-04-21T09:00+02:00", "2026-05-07T00:00+02:00"),
        # day 14 is Hemelvaartsdag, 14 May 2026 (Atw art. 3 lid 1): Friday
        ("2026-04-30T09:00+02:00", "2026-05-16T00:00+02:00"),
        # day 14 is eerste Kerstdag, Friday 25 December 2026: then tweede Kerstdag and Sunday
        ("2026-12-11T09:00+01:00", "2026-12-29T00:00+01:00"),
    ],
)
def test_the_vo_term_ends_at_the_end_of_day_14_extended_by_the_atw(
    ontvangen_op: str, eind: str
) -> None:
    assert termijn_eind(datetime.fromisoformat(ontvangen_op)) == datetime.fromisoformat(eind)


def test_without_the_atw_the_term_ends_on_day_14_even_on_a_sunday() -> None:
    zondag = datetime.fromisoformat("2026-03-15T02:30+01:00")

    assert vo_termijn_eind(zondag, atw=False) == datetime.fromisoformat("2026-03-30T00:00+02:00")


def test_a_day_equated_with_a_holiday_by_royal_decree_extends_the_term() -> None:
    # Atw art. 3 lid 3: e.g. the Friday after Hemelvaartsdag, when a decree equates it
    start = datetime.fromisoformat("2026-04-30T09:00+02:00")
    brugdag = met_gelijkgestelde_dagen([date(2026, 5, 15)])

    eind = vo_termijn_eind(start, feestdagen=brugdag)

    assert eind == datetime.fromisoformat("2026-05-19T00:00+02:00")


def test_the_term_in_days_is_a_parameter_of_the_decider() -> None:
    start = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

    assert termijn_eind(start, vo_termijn_dagen=7) == datetime.fromisoformat(
        "2026-12-01T00:00+01:00"
    )


def test_a_term_of_less_than_a_day_is_a_configuration_error() -> None:
    with pytest.raises(ValueError, match="VO-termijn"):
        make_rulebook(REGIO, vo_termijn_dagen=0)


def test_a_melding_stored_before_the_term_was_recorded_reads_back_with_14_days(
    now: datetime,
) -> None:
    stored = ontvangen(now).model_dump(mode="json")
    del stored["vo_termijn_eind"]

    event = MeldingOntvangen.model_validate(stored)

    assert event.vo_termijn_eind == vo_termijn_eind(event.ontvangen_op)
    assert event.vo_termijn_eind - event.ontvangen_op > timedelta(days=14)
