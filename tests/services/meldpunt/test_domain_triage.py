"""Domain specs of the triage: three questions, an outcome that fits them, once per melding."""

from __future__ import annotations

from datetime import datetime

import pytest
from pydantic import ValidationError
from wvggz_contracts.commands import Actor, ErrorCode, Rol
from wvggz_contracts.meldpunt import (
    Doorverwijzing,
    TriageAfgerond,
    TriageAntwoord,
    TriageAntwoorden,
    TriageUitkomst,
)

from kernel.testing import DeciderSpec, command
from tests.services.meldpunt.fixtures import (
    MELDING,
    antwoorden,
    meldpunt_spec,
    ontvangen,
    rond_triage_af,
)

VO = TriageUitkomst.VERKENNEND_ONDERZOEK
CRISIS = TriageUitkomst.CRISIS
REGULIER = TriageUitkomst.REGULIER
GEEN_GROND = TriageUitkomst.GEEN_GROND

ALLE = antwoorden(True, True, True)
GEEN = antwoorden(False, False, False)
GEMENGD = antwoorden(True, True, False)


@pytest.fixture
def spec() -> DeciderSpec:
    return meldpunt_spec()


def test_a_triage_records_the_answers_with_everything_the_next_service_needs(
    spec: DeciderSpec, triagist: Actor, now: datetime
) -> None:
    melding = ontvangen(now)

    spec.given(melding).when(command(rond_triage_af(VO, ALLE), triagist, now)).then(
        TriageAfgerond(
            melding_id=MELDING,
            gemeente="GM0402",
            uitkomst=VO,
            antwoorden=ALLE,
            afwijking_motivatie=None,
            doorverwezen_naar=None,
            afgerond_op=now,
            melding_ontvangen_op=melding.ontvangen_op,
            vo_termijn_eind=melding.vo_termijn_eind,
            betrokkene=melding.betrokkene,
            melder=melding.melder,
            situatie=melding.situatie,
        )
    )


# Which outcome the answers imply, and so which outcomes need an afwijking_motivatie.
CONSISTENTIE = [
    (ALLE, VO, False),
    (ALLE, CRISIS, True),
    (ALLE, REGULIER, True),
    (ALLE, GEEN_GROND, True),
    (GEMENGD, VO, True),
    (GEMENGD, CRISIS, True),
    (GEMENGD, REGULIER, False),
    (GEMENGD, GEEN_GROND, True),
    (GEEN, VO, True),
    (GEEN, CRISIS, True),
    (GEEN, REGULIER, False),
    (GEEN, GEEN_GROND, False),
]


@pytest.mark.parametrize(("oordeel", "uitkomst", "motiveren"), CONSISTENTIE)
def test_an_outcome_the_answers_do_not_imply_needs_a_motivation(
    spec: DeciderSpec,
    triagist: Actor,
    now: datetime,
    oordeel: TriageAntwoorden,
    uitkomst: TriageUitkomst,
    motiveren: bool,
) -> None:
    kaal = spec.given(ontvangen(now)).when(
        command(rond_triage_af(uitkomst, oordeel), triagist, now)
    )

    if motiveren:
        kaal.then_error(ErrorCode.RULE_VIOLATED, field="afwijking_motivatie")
    else:
        assert isinstance(kaal.outcome, list), kaal.outcome


@pytest.mark.parametrize(("oordeel", "uitkomst", "motiveren"), CONSISTENTIE)
def test_with_a_motivation_every_outcome_is_accepted(
    spec: DeciderSpec,
    triagist: Actor,
    now: datetime,
    oordeel: TriageAntwoorden,
    uitkomst: TriageUitkomst,
    motiveren: bool,
) -> None:
    triage = rond_triage_af(uitkomst, oordeel, afwijking_motivatie="Acuut: staat op het dak.")

    [afgerond] = (spec.given(ontvangen(now)).when(command(triage, triagist, now))).events

    assert isinstance(afgerond, TriageAfgerond)
    assert afgerond.uitkomst == uitkomst
    assert afgerond.afwijking_motivatie == "Acuut: staat op het dak."


def test_a_regular_follow_up_needs_a_referral(
    spec: DeciderSpec, triagist: Actor, now: datetime
) -> None:
    triage = rond_triage_af(REGULIER, GEMENGD, doorverwezen_naar=None)

    spec.given(ontvangen(now)).when(command(triage, triagist, now)).then_error(
        ErrorCode.RULE_VIOLATED, field="doorverwezen_naar"
    )


@pytest.mark.parametrize("uitkomst", [VO, CRISIS, GEEN_GROND])
def test_other_outcomes_take_no_referral(
    spec: DeciderSpec, triagist: Actor, now: datetime, uitkomst: TriageUitkomst
) -> None:
    triage = rond_triage_af(
        uitkomst,
        ALLE,
        doorverwezen_naar=Doorverwijzing.SCHULDHULP,
        afwijking_motivatie="Zie dossier.",
    )

    spec.given(ontvangen(now)).when(command(triage, triagist, now)).then_error(
        ErrorCode.RULE_VIOLATED, field="doorverwezen_naar"
    )


def test_a_melding_is_triaged_once(spec: DeciderSpec, triagist: Actor, now: datetime) -> None:
    [afgerond] = spec.decider.decide(
        command(rond_triage_af(VO, ALLE), triagist, now), spec.decider.fold([ontvangen(now)])
    )

    refusal = (
        spec.given(ontvangen(now), afgerond)
        .when(command(rond_triage_af(VO, ALLE), triagist, now))
        .then_error(ErrorCode.RULE_VIOLATED)
    )

    assert "al afgerond" in refusal.message


@pytest.mark.parametrize(("uitkomst", "oordeel"), [(REGULIER, GEMENGD), (GEEN_GROND, GEEN)])
def test_regulier_and_geen_grond_close_the_melding(
    spec: DeciderSpec,
    triagist: Actor,
    now: datetime,
    uitkomst: TriageUitkomst,
    oordeel: TriageAntwoorden,
) -> None:
    [afgerond] = spec.decider.decide(
        command(rond_triage_af(uitkomst, oordeel), triagist, now),
        spec.decider.fold([ontvangen(now)]),
    )

    refusal = (
        spec.given(ontvangen(now), afgerond)
        .when(command(rond_triage_af(VO, ALLE), triagist, now))
        .then_error(ErrorCode.RULE_VIOLATED)
    )

    assert refusal.message == "de melding is gesloten"


def test_an_unknown_melding_is_not_found(spec: DeciderSpec, triagist: Actor, now: datetime) -> None:
    spec.when(command(rond_triage_af(), triagist, now)).then_error(ErrorCode.NOT_FOUND)


@pytest.mark.parametrize("rol", [Rol.CONSULENT, Rol.FUNCTIONEEL_BEHEER, Rol.CRISISDIENST])
def test_only_a_triagist_triages(spec: DeciderSpec, now: datetime, rol: Rol) -> None:
    actor = Actor(id="x-1", rol=rol, gemeente="GM0402")

    refusal = (
        spec.given(ontvangen(now))
        .when(command(rond_triage_af(), actor, now))
        .then_error(ErrorCode.FORBIDDEN)
    )

    assert rol.value in refusal.message


def test_a_triagist_of_another_gemeente_may_not_triage(spec: DeciderSpec, now: datetime) -> None:
    huizen = Actor(id="t-2", rol=Rol.TRIAGIST, gemeente="GM0406")

    refusal = (
        spec.given(ontvangen(now))
        .when(command(rond_triage_af(), huizen, now))
        .then_error(ErrorCode.FORBIDDEN)
    )

    assert "GM0402" in refusal.message


@pytest.mark.parametrize("motivatie", ["", "   "])
def test_every_answer_needs_a_motivation(motivatie: str) -> None:
    with pytest.raises(ValidationError, match="motivatie"):
        TriageAntwoord(aannemelijk=True, motivatie=motivatie)
