"""The three core questions: in order, each final, a "no" closing the VO with a letter if due."""

from __future__ import annotations

import pytest
from wvggz_contracts.commands import ErrorCode
from wvggz_contracts.events import DomainEvent
from wvggz_contracts.onderzoek import (
    AfsluitReden,
    BeoordeelToets,
    BriefInhoud,
    BriefSoort,
    BriefUitkomst,
    MelderBriefKlaargezet,
    Toets,
    VoAfgesloten,
)
from wvggz_contracts.personen import Melder, RelatieTotBetrokkene

from kernel.testing import DeciderSpec
from services.onderzoek.domain import make_rulebook
from tests.services.onderzoek.fixtures import (
    BUUR,
    DRIE_KEER_JA,
    GEMEENTE,
    MELDING_ID,
    MOEDER,
    NU,
    REGIO,
    VO_ID,
    beoordeeld,
    cmd,
    vo_geopend,
    vo_spec,
)

EERDER = {toets: DRIE_KEER_JA[: list(Toets).index(toets)] for toets in Toets}
"""The yeses that come before each toets."""


@pytest.fixture
def spec() -> DeciderSpec:
    return vo_spec()


def toets(toets: Toets, aannemelijk: bool = True) -> BeoordeelToets:
    return BeoordeelToets(
        vo_id=VO_ID, toets=toets, aannemelijk=aannemelijk, motivatie=f"motivatie {toets}"
    )


def negatief_afgesloten(t: Toets) -> VoAfgesloten:
    return VoAfgesloten(
        vo_id=VO_ID,
        melding_id=MELDING_ID,
        gemeente=GEMEENTE,
        reden=AfsluitReden.TOETS_NEGATIEF,
        toelichting=f"{t} niet aannemelijk: motivatie {t}",
        afgesloten_op=NU,
    )


@pytest.mark.parametrize("t", list(Toets))
def test_a_yes_on_the_next_toets_is_recorded(spec: DeciderSpec, t: Toets) -> None:
    spec.given(vo_geopend(), *EERDER[t]).when(cmd(toets(t))).then(beoordeeld(t))


@pytest.mark.parametrize(
    ("eerder", "t"),
    [
        ((), Toets.PSYCHISCHE_STOORNIS),
        ((), Toets.NOODZAAK_VERPLICHTE_ZORG),
        (DRIE_KEER_JA[:1], Toets.ERNSTIG_NADEEL),
        (DRIE_KEER_JA[:1], Toets.NOODZAAK_VERPLICHTE_ZORG),
        (DRIE_KEER_JA[:2], Toets.PSYCHISCHE_STOORNIS),
        (DRIE_KEER_JA, Toets.ERNSTIG_NADEEL),
        (DRIE_KEER_JA, Toets.NOODZAAK_VERPLICHTE_ZORG),
    ],
)
def test_a_toets_out_of_order_or_answered_again_is_refused_naming_the_toets(
    spec: DeciderSpec, eerder: tuple[DomainEvent, ...], t: Toets
) -> None:
    spec.given(vo_geopend(), *eerder).when(cmd(toets(t))).then_error(
        ErrorCode.RULE_VIOLATED, field="toets"
    )


@pytest.mark.parametrize("t", list(Toets))
def test_a_no_closes_the_vo_without_a_letter_to_a_melder_without_the_right(
    spec: DeciderSpec, t: Toets
) -> None:
    spec.given(vo_geopend(BUUR), *EERDER[t]).when(cmd(toets(t, aannemelijk=False))).then(
        beoordeeld(t, aannemelijk=False), negatief_afgesloten(t)
    )


@pytest.mark.parametrize("relatie", [RelatieTotBetrokkene.OUDER, RelatieTotBetrokkene.ECHTGENOOT])
def test_a_no_sends_an_entitled_melder_the_outcome_without_the_reason(
    spec: DeciderSpec, relatie: RelatieTotBetrokkene
) -> None:
    melder = Melder(naam="N. Naaste", relatie=relatie)
    t = Toets.PSYCHISCHE_STOORNIS

    spec.given(vo_geopend(melder), *EERDER[t]).when(cmd(toets(t, aannemelijk=False))).then(
        beoordeeld(t, aannemelijk=False),
        negatief_afgesloten(t),
        MelderBriefKlaargezet(
            vo_id=VO_ID,
            melding_id=MELDING_ID,
            gemeente=GEMEENTE,
            brief=BriefSoort.VO_UITKOMST,
            aan=melder,
            inhoud=BriefInhoud(uitkomst=BriefUitkomst.GEEN_VERVOLG, datum=NU.date()),
        ),
    )


def test_after_a_no_the_vo_is_closed_for_further_toetsen(spec: DeciderSpec) -> None:
    nee = beoordeeld(Toets.ERNSTIG_NADEEL, aannemelijk=False)

    refusal = (
        spec.given(vo_geopend(MOEDER), nee, negatief_afgesloten(Toets.ERNSTIG_NADEEL))
        .when(cmd(toets(Toets.PSYCHISCHE_STOORNIS)))
        .then_error(ErrorCode.RULE_VIOLATED)
    )

    assert refusal.message == "het onderzoek is afgesloten"


def test_a_closed_vo_folds_to_not_open() -> None:
    state = make_rulebook(REGIO).decider.fold(
        [
            vo_geopend(),
            beoordeeld(Toets.ERNSTIG_NADEEL, False),
            negatief_afgesloten(Toets.ERNSTIG_NADEEL),
        ]
    )

    assert not state.open and state.afsluitreden is AfsluitReden.TOETS_NEGATIEF
