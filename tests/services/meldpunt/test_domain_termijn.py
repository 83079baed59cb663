"""Domain specs of the VO term: 14 calendar days in Amsterdam wall-clock time, DST included."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from wvggz_contracts.commands import Actor, Rol
from wvggz_contracts.meldpunt import MeldingOntvangen

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
    ("ontvangen_op", "eind", "verstreken"),
    [
        # winter to winter: 14 × 24 h
        ("2026-11-23T09:25+00:00", "2026-12-07T10:25+01:00", timedelta(days=14)),
        # over the spring change (29 March 2026): the same 10:00 on the wall is one hour sooner
        ("2026-03-20T10:00+01:00", "2026-04-03T10:00+02:00", timedelta(days=14, hours=-1)),
        # over the autumn change (25 October 2026): one hour later
        ("2026-10-20T10:00+02:00", "2026-11-03T10:00+01:00", timedelta(days=14, hours=1)),
        # 02:30 does not exist on 29 March 2026: the term ends at 03:30 summer time
        ("2026-03-15T02:30+01:00", "2026-03-29T03:30+02:00", timedelta(days=14)),
        # 02:30 exists twice on 25 October 2026: the first one counts
        ("2026-10-11T02:30+02:00", "2026-10-25T02:30+02:00", timedelta(days=14)),
    ],
)
def test_the_term_ends_14_calendar_days_later_on_the_amsterdam_clock(
    ontvangen_op: str, eind: str, verstreken: timedelta
) -> None:
    start = datetime.fromisoformat(ontvangen_op)

    einde = termijn_eind(start)

    assert einde == datetime.fromisoformat(eind)
    assert einde - start == verstreken


def test_the_term_in_days_is_a_parameter_of_the_decider() -> None:
    start = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

    assert termijn_eind(start, vo_termijn_dagen=7) == start + timedelta(days=7)


def test_a_term_of_less_than_a_day_is_a_configuration_error() -> None:
    with pytest.raises(ValueError, match="VO-termijn"):
        make_rulebook(REGIO, vo_termijn_dagen=0)


def test_a_melding_stored_before_the_term_was_recorded_reads_back_with_14_days(
    now: datetime,
) -> None:
    stored = ontvangen(now).model_dump(mode="json")
    del stored["vo_termijn_eind"]

    event = MeldingOntvangen.model_validate(stored)

    assert event.vo_termijn_eind == event.ontvangen_op + timedelta(days=14)
