"""Domain specs of handing a melding over to another gemeente of the region."""

from __future__ import annotations

from datetime import datetime

import pytest
from wvggz_contracts.commands import Actor, ErrorCode, Rol
from wvggz_contracts.meldpunt import (
    MeldingOvergedragen,
    TriageAfgerond,
    TriageAntwoorden,
    TriageUitkomst,
)

from kernel.testing import DeciderSpec, command
from tests.services.meldpunt.fixtures import (
    MELDING,
    antwoorden,
    meldpunt_spec,
    ontvangen,
    overdraag_melding,
    rond_triage_af,
)

HUIZEN_TRIAGIST = Actor(id="t-2", rol=Rol.TRIAGIST, gemeente="GM0406")


@pytest.fixture
def spec() -> DeciderSpec:
    return meldpunt_spec()


def gemengd() -> TriageAntwoorden:
    return antwoorden(ernstig_nadeel=True, psychische_stoornis=False, verplichte_zorg=False)


def overgedragen() -> MeldingOvergedragen:
    return MeldingOvergedragen(
        melding_id=MELDING,
        van_gemeente="GM0402",
        naar_gemeente="GM0406",
        reden="Verblijft sinds kort in Huizen.",
    )


def test_handing_over_records_from_where_to_where_and_why(
    spec: DeciderSpec, triagist: Actor, now: datetime
) -> None:
    spec.given(ontvangen(now)).when(command(overdraag_melding(), triagist, now)).then(
        overgedragen()
    )


def test_after_the_handover_the_melding_belongs_to_the_receiving_gemeente(
    spec: DeciderSpec, now: datetime
) -> None:
    state = spec.decider.fold([ontvangen(now), overgedragen()])

    assert spec.decider.gemeente_of(state) == "GM0406"


def test_the_receiving_gemeente_triages_within_the_original_term(
    spec: DeciderSpec, now: datetime
) -> None:
    melding = ontvangen(now)

    [afgerond] = (
        spec.given(melding, overgedragen()).when(command(rond_triage_af(), HUIZEN_TRIAGIST, now))
    ).events

    assert isinstance(afgerond, TriageAfgerond)
    assert afgerond.gemeente == "GM0406"
    assert afgerond.vo_termijn_eind == melding.vo_termijn_eind


def test_the_sending_gemeente_may_no_longer_act_on_it(
    spec: DeciderSpec, triagist: Actor, now: datetime
) -> None:
    refusal = (
        spec.given(ontvangen(now), overgedragen())
        .when(command(rond_triage_af(), triagist, now))
        .then_error(ErrorCode.FORBIDDEN)
    )

    assert "GM0406" in refusal.message


def test_functioneel_beheer_of_the_gemeente_may_hand_over(spec: DeciderSpec, now: datetime) -> None:
    beheer = Actor(id="fb-1", rol=Rol.FUNCTIONEEL_BEHEER, gemeente="GM0402")

    spec.given(ontvangen(now)).when(command(overdraag_melding(), beheer, now)).then(overgedragen())


def test_functioneel_beheer_of_another_gemeente_may_not(spec: DeciderSpec, now: datetime) -> None:
    beheer = Actor(id="fb-2", rol=Rol.FUNCTIONEEL_BEHEER, gemeente="GM0406")

    refusal = (
        spec.given(ontvangen(now))
        .when(command(overdraag_melding(), beheer, now))
        .then_error(ErrorCode.FORBIDDEN)
    )

    assert "GM0402" in refusal.message


def test_a_consulent_may_not_hand_over(spec: DeciderSpec, now: datetime) -> None:
    consulent = Actor(id="c-1", rol=Rol.CONSULENT, gemeente="GM0402")

    refusal = (
        spec.given(ontvangen(now))
        .when(command(overdraag_melding(), consulent, now))
        .then_error(ErrorCode.FORBIDDEN)
    )

    assert "consulent" in refusal.message


@pytest.mark.parametrize("naar", ["GM0363", "GM0402"], ids=["outside-region", "same-gemeente"])
def test_the_receiving_gemeente_must_be_another_one_of_the_region(
    spec: DeciderSpec, triagist: Actor, now: datetime, naar: str
) -> None:
    spec.given(ontvangen(now)).when(command(overdraag_melding(naar), triagist, now)).then_error(
        ErrorCode.RULE_VIOLATED, field="naar_gemeente"
    )


def test_an_unknown_melding_is_not_found(spec: DeciderSpec, triagist: Actor, now: datetime) -> None:
    spec.when(command(overdraag_melding(), triagist, now)).then_error(ErrorCode.NOT_FOUND)


def test_a_triaged_melding_is_not_handed_over(
    spec: DeciderSpec, triagist: Actor, now: datetime
) -> None:
    triage = command(rond_triage_af(), triagist, now)
    [afgerond] = spec.decider.decide(triage, spec.decider.fold([ontvangen(now)]))

    refusal = (
        spec.given(ontvangen(now), afgerond)
        .when(command(overdraag_melding(), triagist, now))
        .then_error(ErrorCode.RULE_VIOLATED)
    )

    assert "al afgerond" in refusal.message


def test_a_closed_melding_is_not_handed_over(
    spec: DeciderSpec, triagist: Actor, now: datetime
) -> None:
    triage = command(rond_triage_af(TriageUitkomst.REGULIER, gemengd()), triagist, now)
    [afgerond] = spec.decider.decide(triage, spec.decider.fold([ontvangen(now)]))

    refusal = (
        spec.given(ontvangen(now), afgerond)
        .when(command(overdraag_melding(), triagist, now))
        .then_error(ErrorCode.RULE_VIOLATED)
    )

    assert refusal.message == "de melding is gesloten"
