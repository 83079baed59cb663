"""Opening a VO: one per melding, its term from the melding, its youth signal from the birth."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from wvggz_contracts.commands import Actor, ErrorCode, Rol
from wvggz_contracts.onderzoek import JeugdSignaal, VoGeopend
from wvggz_contracts.personen import Betrokkene

from kernel.testing import DeciderSpec
from services.onderzoek.domain import make_decider, vo_id_for
from services.onderzoek.domain.termijnen import AMSTERDAM
from tests.services.onderzoek.fixtures import (
    BETROKKENE,
    BUUR,
    CONSULENT,
    GEOPEND_OP,
    MELDING_ID,
    REGIO,
    SYSTEEM,
    VO_ID,
    cmd,
    open_vo,
    vo_geopend,
)


@pytest.fixture
def spec() -> DeciderSpec:
    return DeciderSpec(make_decider(REGIO))


def test_opening_records_the_vo_with_its_term_counted_from_the_melding(spec):
    spec.given().when(cmd(open_vo(), SYSTEEM, GEOPEND_OP)).then(vo_geopend())


def test_one_melding_opens_one_vo_whose_id_follows_from_the_melding():
    assert vo_id_for(MELDING_ID) == VO_ID == vo_id_for(MELDING_ID)
    assert vo_id_for(MELDING_ID) != MELDING_ID


def test_a_vo_cannot_be_opened_twice(spec):
    spec.given(vo_geopend()).when(cmd(open_vo(), SYSTEEM, GEOPEND_OP)).then_error(
        ErrorCode.RULE_VIOLATED
    )


def test_the_term_and_warning_follow_the_decider_parameters_in_amsterdam_time():
    ontvangen = datetime(2026, 3, 20, 10, 0, tzinfo=AMSTERDAM)
    decider = make_decider(REGIO, termijn_dagen=21, waarschuwing_dagen=15)
    payload = open_vo(melding_ontvangen_op=ontvangen)

    [geopend] = decider.decide(cmd(payload, SYSTEEM, GEOPEND_OP), decider.initial_state)

    assert isinstance(geopend, VoGeopend)
    assert geopend.deadline == datetime(2026, 4, 10, 8, 0, tzinfo=UTC)
    assert geopend.waarschuwing_op == datetime(2026, 4, 4, 8, 0, tzinfo=UTC)
    assert geopend.deadline.isoformat() == "2026-04-10T10:00:00+02:00"


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
    spec, geboortedatum, jeugd, kinderpsychiatrie
):
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


def test_a_gemeente_outside_the_region_is_refused_naming_the_field(spec):
    amsterdam = Actor(id="svc-onderzoek", rol=Rol.SYSTEEM, gemeente="GM0363")

    spec.when(cmd(open_vo(gemeente="GM0363"), amsterdam, GEOPEND_OP)).then_error(
        ErrorCode.RULE_VIOLATED, field="gemeente"
    )


def test_a_melding_received_after_the_opening_is_refused(spec):
    payload = open_vo(melding_ontvangen_op=GEOPEND_OP + timedelta(minutes=1))

    spec.when(cmd(payload, SYSTEEM, GEOPEND_OP)).then_error(
        ErrorCode.RULE_VIOLATED, field="melding_ontvangen_op"
    )


def test_only_the_system_opens_a_vo(spec):
    refusal = spec.when(cmd(open_vo(), CONSULENT, GEOPEND_OP)).then_error(ErrorCode.FORBIDDEN)

    assert "systeem" in refusal.message and "consulent" in refusal.message


def test_the_system_opens_only_for_the_gemeente_it_acts_for(spec):
    huizen = Actor(id="svc-onderzoek", rol=Rol.SYSTEEM, gemeente="GM0406")

    refusal = spec.when(cmd(open_vo(), huizen, GEOPEND_OP)).then_error(ErrorCode.FORBIDDEN)

    assert "GM0402" in refusal.message and "GM0406" in refusal.message


def test_the_opened_state_exposes_what_a_deadline_watcher_reads():
    decider = make_decider(REGIO)
    state = decider.fold([vo_geopend(BUUR)])

    assert state.open and state.bestaat
    assert state.vo_id == VO_ID and state.gemeente == "GM0402"
    assert state.deadline == vo_geopend().deadline
    assert state.waarschuwing_op == vo_geopend().waarschuwing_op
    assert not state.gewaarschuwd and not state.verstreken
    assert decider.gemeente_of(state) == "GM0402"
    assert decider.stream(VO_ID) == f"verkennend-onderzoek-{VO_ID}"
    assert state.geopend.betrokkene == BETROKKENE


def test_an_unopened_vo_is_neither_open_nor_due():
    state = make_decider(REGIO).initial_state

    assert not state.open and state.deadline is None and state.waarschuwing_op is None
