"""Opening a VO: one per melding, its term from the melding, its youth signal from the birth."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from wvggz_contracts.commands import Actor, ErrorCode, Rol
from wvggz_contracts.meldpunt import vo_termijn_eind
from wvggz_contracts.onderzoek import JeugdSignaal, VoGeopend
from wvggz_contracts.personen import Betrokkene
from wvggz_contracts.rechtstijd import TIJDZONE

from kernel.testing import DeciderSpec
from services.onderzoek.domain import make_rulebook, vo_id_for
from tests.services.onderzoek.fixtures import (
    BETROKKENE,
    BUUR,
    CONSULENT,
    DEADLINE,
    GEOPEND_OP,
    MELDING_ID,
    ONTVANGEN_OP,
    REGIO,
    SYSTEEM,
    VO_ID,
    cmd,
    open_vo,
    vo_geopend,
    vo_spec,
)


@pytest.fixture
def spec() -> DeciderSpec:
    return vo_spec()


def test_opening_records_the_vo_with_its_term_counted_from_the_melding(spec: DeciderSpec) -> None:
    spec.given().when(cmd(open_vo(), SYSTEEM, GEOPEND_OP)).then(vo_geopend())


def test_one_melding_opens_one_vo_whose_id_follows_from_the_melding() -> None:
    assert vo_id_for(MELDING_ID) == VO_ID == vo_id_for(MELDING_ID)
    assert vo_id_for(MELDING_ID) != MELDING_ID


def test_a_vo_cannot_be_opened_twice(spec: DeciderSpec) -> None:
    spec.given(vo_geopend()).when(cmd(open_vo(), SYSTEEM, GEOPEND_OP)).then_error(
        ErrorCode.RULE_VIOLATED
    )


def test_the_deadline_is_the_one_the_meldpunt_set_not_the_melding_plus_fourteen_days() -> None:
    # The meldpunt and the onderzoek show one deadline: the onderzoek counts no term of its own.
    ontvangen = datetime(2026, 3, 20, 10, 0, tzinfo=TIJDZONE)
    gegeven = datetime(2026, 4, 10, 8, 0, tzinfo=UTC)
    assert gegeven != vo_termijn_eind(ontvangen)
    decider = make_rulebook(REGIO, waarschuwing_dagen=15).decider
    payload = open_vo(melding_ontvangen_op=ontvangen, vo_termijn_eind=gegeven)

    [geopend] = decider.decide(cmd(payload, SYSTEEM, GEOPEND_OP), decider.initial_state)

    assert isinstance(geopend, VoGeopend)
    assert geopend.deadline == gegeven
    assert geopend.deadline.isoformat() == "2026-04-10T10:00:00+02:00"
    # the warning day still counts from the melding, on the Amsterdam clock across the DST change
    assert geopend.waarschuwing_op == datetime(2026, 4, 4, 8, 0, tzinfo=UTC)


def test_the_default_warning_comes_on_day_ten_of_the_fourteen_day_term() -> None:
    ontvangen = datetime(2026, 3, 25, 16, 45, tzinfo=TIJDZONE)
    decider = make_rulebook(REGIO).decider
    payload = open_vo(melding_ontvangen_op=ontvangen, vo_termijn_eind=vo_termijn_eind(ontvangen))

    [geopend] = decider.decide(cmd(payload, SYSTEEM, GEOPEND_OP), decider.initial_state)

    assert isinstance(geopend, VoGeopend)
    assert geopend.waarschuwing_op.isoformat() == "2026-04-04T16:45:00+02:00"
    # day 14 is Wednesday 8 April; the term ends at its end (whole days, onderzoek README)
    assert geopend.deadline.isoformat() == "2026-04-09T00:00:00+02:00"


def test_a_term_shorter_than_the_warning_day_warns_when_it_ends() -> None:
    korter = ONTVANGEN_OP + timedelta(days=7)
    payload = open_vo(vo_termijn_eind=korter)

    spec = vo_spec().when(cmd(payload, SYSTEEM, GEOPEND_OP))

    spec.then(vo_geopend().model_copy(update={"deadline": korter, "waarschuwing_op": korter}))


@pytest.mark.parametrize("eind", [ONTVANGEN_OP, ONTVANGEN_OP - timedelta(days=1)])
def test_a_deadline_not_after_the_melding_is_refused_naming_the_field(
    spec: DeciderSpec, eind: datetime
) -> None:
    spec.when(cmd(open_vo(vo_termijn_eind=eind), SYSTEEM, GEOPEND_OP)).then_error(
        ErrorCode.RULE_VIOLATED, field="vo_termijn_eind"
    )


def test_the_deadline_is_recorded_on_the_amsterdam_clock() -> None:
    decider = make_rulebook(REGIO).decider
    payload = open_vo(vo_termijn_eind=DEADLINE.astimezone(UTC))

    [geopend] = decider.decide(cmd(payload, SYSTEEM, GEOPEND_OP), decider.initial_state)

    assert isinstance(geopend, VoGeopend)
    assert geopend.deadline.isoformat() == "2026-11-16T09:15:00+01:00"


@pytest.mark.parametrize(
    ("geboortedatum", "jeugd", "kinderpsychiatrie"),
    [
        (date(1990, 5, 17), JeugdSignaal.VOLWASSEN, False),
        (date(2009, 1, 1), JeugdSignaal.JONGER_DAN_18, True),
        (date(2012, 1, 1), JeugdSignaal.JONGER_DAN_16, True),
        (None, JeugdSignaal.ONBEKEND, False),
    ],
)
def test_youth_is_signalled_for_child_psychiatry_expertise(
    spec: DeciderSpec, geboortedatum: date | None, jeugd: JeugdSignaal, kinderpsychiatrie: bool
) -> None:
    betrokkene = Betrokkene(naam="K. Voorbeeld", geboortedatum=geboortedatum)
    payload = open_vo(betrokkene=betrokkene)

    spec.when(cmd(payload, SYSTEEM, GEOPEND_OP)).then(
        vo_geopend().model_copy(
            update={
                "betrokkene": betrokkene,
                "jeugd": jeugd,
                "kinderpsychiatrie_nodig": kinderpsychiatrie,
            }
        )
    )


def test_a_gemeente_outside_the_region_is_refused_naming_the_field(spec: DeciderSpec) -> None:
    amsterdam = Actor(id="svc-onderzoek", rol=Rol.SYSTEEM, gemeente="GM0363")

    spec.when(cmd(open_vo(gemeente="GM0363"), amsterdam, GEOPEND_OP)).then_error(
        ErrorCode.RULE_VIOLATED, field="gemeente"
    )


def test_a_melding_received_after_the_opening_is_refused(spec: DeciderSpec) -> None:
    payload = open_vo(melding_ontvangen_op=GEOPEND_OP + timedelta(minutes=1))

    spec.when(cmd(payload, SYSTEEM, GEOPEND_OP)).then_error(
        ErrorCode.RULE_VIOLATED, field="melding_ontvangen_op"
    )


def test_only_the_system_opens_a_vo(spec: DeciderSpec) -> None:
    refusal = spec.when(cmd(open_vo(), CONSULENT, GEOPEND_OP)).then_error(ErrorCode.FORBIDDEN)

    assert "systeem" in refusal.message and "consulent" in refusal.message


def test_the_system_opens_only_for_the_gemeente_it_acts_for(spec: DeciderSpec) -> None:
    huizen = Actor(id="svc-onderzoek", rol=Rol.SYSTEEM, gemeente="GM0406")

    refusal = spec.when(cmd(open_vo(), huizen, GEOPEND_OP)).then_error(ErrorCode.FORBIDDEN)

    assert "GM0402" in refusal.message and "GM0406" in refusal.message


def test_the_opened_state_exposes_what_a_deadline_watcher_reads() -> None:
    decider = make_rulebook(REGIO).decider
    state = decider.fold([vo_geopend(BUUR)])

    assert state.open and state.bestaat
    assert state.vo_id == VO_ID and state.gemeente == "GM0402"
    assert state.deadline == vo_geopend().deadline
    assert state.waarschuwing_op == vo_geopend().waarschuwing_op
    assert not state.gewaarschuwd and not state.verstreken
    assert decider.gemeente_of(state) == "GM0402"
    assert decider.stream(VO_ID) == f"verkennend-onderzoek-{VO_ID}"
    assert state.geopend is not None
    assert state.geopend.betrokkene == BETROKKENE


def test_an_unopened_vo_is_neither_open_nor_due() -> None:
    state = make_rulebook(REGIO).decider.initial_state

    assert not state.open and state.deadline is None and state.waarschuwing_op is None
