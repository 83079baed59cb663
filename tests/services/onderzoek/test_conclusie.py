"""The conclusion of a VO, the OvJ's answer, and the letters an entitled melder gets for both."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from wvggz_contracts.commands import ErrorCode
from wvggz_contracts.events import DomainEvent
from wvggz_contracts.onderzoek import (
    AanvraagIngediend,
    AfsluitReden,
    BriefInhoud,
    BriefSoort,
    BriefUitkomst,
    Concludeer,
    GeenAanvraag,
    Grond,
    Gronden,
    MelderBriefKlaargezet,
    OvjReactieOntvangen,
    RegistreerOvjReactie,
    Toets,
    VoAfgesloten,
)
from wvggz_contracts.personen import Melder

from kernel.testing import DeciderSpec
from services.onderzoek.domain.conclusie import INGEDIEND
from tests.services.onderzoek.fixtures import (
    AANVRAAG,
    BETROKKENE,
    BUUR,
    DRIE_KEER_JA,
    GEMEENTE,
    MELDING_ID,
    MOEDER,
    NU,
    OVJ_KOPPELING,
    RAPPORT,
    RAPPORT_ID,
    VO_ID,
    beoordeeld,
    cmd,
    ggz_geconsulteerd,
    vo_geopend,
    vo_spec,
)

LATER = NU + timedelta(days=2)
GGZ = ggz_geconsulteerd()
ONDERZOCHT = (GGZ, *DRIE_KEER_JA)
"""Three yeses after a GGZ consultation (seed 001 §3.1 stap 2)."""
GEEN_NOODZAAK = "Betrokkene aanvaardt vrijwillige zorg bij de wijk-ggz."


@pytest.fixture
def spec() -> DeciderSpec:
    return vo_spec()


def grond(t: Toets) -> Grond:
    return Grond(aannemelijk=True, motivatie=f"motivatie {t}")


def ingediend(**changes: object) -> AanvraagIngediend:
    base = AanvraagIngediend(
        vo_id=VO_ID,
        melding_id=MELDING_ID,
        gemeente=GEMEENTE,
        ingediend_op=NU,
        betrokkene=BETROKKENE,
        jeugd=vo_geopend().jeugd,
        gronden=Gronden(
            ernstig_nadeel=grond(Toets.ERNSTIG_NADEEL),
            psychische_stoornis=grond(Toets.PSYCHISCHE_STOORNIS),
            noodzaak_verplichte_zorg=grond(Toets.NOODZAAK_VERPLICHTE_ZORG),
        ),
        rapport_id=RAPPORT_ID,
        contact_consulent=AANVRAAG.contact_consulent,
        spoed=True,
        bijlagen=AANVRAAG.bijlagen,
        ggz_geconsulteerd=True,
        jeugdexpertise_geconsulteerd=False,
    )
    return base.model_copy(update=changes)


def afgesloten(reden: AfsluitReden, toelichting: str, op: datetime = NU) -> VoAfgesloten:
    return VoAfgesloten(
        vo_id=VO_ID,
        melding_id=MELDING_ID,
        gemeente=GEMEENTE,
        reden=reden,
        toelichting=toelichting,
        afgesloten_op=op,
    )


def brief(soort: BriefSoort, uitkomst: BriefUitkomst, op: datetime = NU) -> MelderBriefKlaargezet:
    return MelderBriefKlaargezet(
        vo_id=VO_ID,
        melding_id=MELDING_ID,
        gemeente=GEMEENTE,
        brief=soort,
        aan=MOEDER,
        inhoud=BriefInhoud(uitkomst=uitkomst, datum=op.date()),
    )


def reactie(voor: bool = True, ontvangen_op: datetime = LATER) -> RegistreerOvjReactie:
    return RegistreerOvjReactie(
        vo_id=VO_ID, bereidt_verzoekschrift_voor=voor, ontvangen_op=ontvangen_op
    )


AANVRAAG_AFGESLOTEN = afgesloten(AfsluitReden.AANVRAAG_INGEDIEND, INGEDIEND)


def test_after_three_yeses_and_a_rapport_the_aanvraag_goes_to_the_ovj_and_closes_the_vo(
    spec: DeciderSpec,
) -> None:
    spec.given(vo_geopend(BUUR), *ONDERZOCHT, RAPPORT).when(
        cmd(Concludeer(vo_id=VO_ID, aanvraag=AANVRAAG))
    ).then(ingediend(), AANVRAAG_AFGESLOTEN)


def test_an_entitled_melder_gets_a_letter_that_the_aanvraag_was_filed(spec: DeciderSpec) -> None:
    spec.given(vo_geopend(MOEDER), *ONDERZOCHT, RAPPORT).when(
        cmd(Concludeer(vo_id=VO_ID, aanvraag=AANVRAAG))
    ).then(
        ingediend(),
        AANVRAAG_AFGESLOTEN,
        brief(BriefSoort.VO_UITKOMST, BriefUitkomst.AANVRAAG_INGEDIEND),
    )


def test_without_an_aanvraag_the_reason_is_recorded_and_the_vo_closes(spec: DeciderSpec) -> None:
    reden = "Betrokkene is verhuisd naar het buitenland."

    spec.given(vo_geopend(MOEDER), *ONDERZOCHT, RAPPORT).when(
        cmd(Concludeer(vo_id=VO_ID, reden=reden))
    ).then(
        GeenAanvraag(vo_id=VO_ID, reden=reden, besloten_op=NU),
        afgesloten(AfsluitReden.GEEN_AANVRAAG, reden),
        brief(BriefSoort.VO_UITKOMST, BriefUitkomst.GEEN_AANVRAAG),
    )


@pytest.mark.parametrize("eerder", [(), DRIE_KEER_JA[:1], (GGZ, *DRIE_KEER_JA[:2])])
def test_an_entitled_melders_wish_files_the_aanvraag_even_when_the_gemeente_sees_no_need(
    spec: DeciderSpec, eerder: tuple[DomainEvent, ...]
) -> None:
    payload = Concludeer(
        vo_id=VO_ID, aanvraag=AANVRAAG, reden=GEEN_NOODZAAK, melder_verzoekt_zorgmachtiging=True
    )
    toetsen = [e for e in eerder if e is not GGZ]
    gronden = {
        "ernstig_nadeel": grond(Toets.ERNSTIG_NADEEL) if len(toetsen) > 0 else None,
        "psychische_stoornis": grond(Toets.PSYCHISCHE_STOORNIS) if len(toetsen) > 1 else None,
    }

    spec.given(vo_geopend(MOEDER), *eerder, RAPPORT).when(cmd(payload)).then(
        ingediend(
            gronden=Gronden(**gronden),
            gemeente_ziet_geen_noodzaak=True,
            reden_geen_noodzaak=GEEN_NOODZAAK,
            melder_verzoekt_zorgmachtiging=True,
            verzoekende_melder=MOEDER,
            ggz_geconsulteerd=GGZ in eerder,
        ),
        afgesloten(
            AfsluitReden.AANVRAAG_INGEDIEND,
            f"{INGEDIEND} op verzoek van de melder; de gemeente ziet geen noodzaak",
        ),
        brief(BriefSoort.VO_UITKOMST, BriefUitkomst.AANVRAAG_OP_VERZOEK_MELDER),
    )


def test_an_entitled_melders_wish_after_three_yeses_is_stated_in_a_normal_aanvraag(
    spec: DeciderSpec,
) -> None:
    payload = Concludeer(vo_id=VO_ID, aanvraag=AANVRAAG, melder_verzoekt_zorgmachtiging=True)

    spec.given(vo_geopend(MOEDER), *ONDERZOCHT, RAPPORT).when(cmd(payload)).then(
        ingediend(melder_verzoekt_zorgmachtiging=True, verzoekende_melder=MOEDER),
        AANVRAAG_AFGESLOTEN,
        brief(BriefSoort.VO_UITKOMST, BriefUitkomst.AANVRAAG_INGEDIEND),
    )


@pytest.mark.parametrize(
    ("melder", "eerder", "payload", "field"),
    [
        # before the three checks
        (BUUR, (), Concludeer(vo_id=VO_ID, aanvraag=AANVRAAG), "toets"),
        (BUUR, DRIE_KEER_JA[:2], Concludeer(vo_id=VO_ID, aanvraag=AANVRAAG), "toets"),
        (BUUR, DRIE_KEER_JA[:2], Concludeer(vo_id=VO_ID, reden="Geen noodzaak."), "toets"),
        # without a rapport
        (BUUR, DRIE_KEER_JA, Concludeer(vo_id=VO_ID, aanvraag=AANVRAAG), "rapport"),
        # neither aanvraag nor reden, or a reden beside an ordinary aanvraag
        (BUUR, (*ONDERZOCHT, RAPPORT), Concludeer(vo_id=VO_ID), "reden"),
        (
            BUUR,
            (*ONDERZOCHT, RAPPORT),
            Concludeer(vo_id=VO_ID, aanvraag=AANVRAAG, reden="Toch."),
            "reden",
        ),
        # only an entitled melder's wish counts
        (
            BUUR,
            (*DRIE_KEER_JA[:1], RAPPORT),
            Concludeer(
                vo_id=VO_ID,
                aanvraag=AANVRAAG,
                reden=GEEN_NOODZAAK,
                melder_verzoekt_zorgmachtiging=True,
            ),
            "melder_verzoekt_zorgmachtiging",
        ),
        # an entitled melder's wish needs the aanvraag, and the gemeente's reason
        (
            MOEDER,
            (*DRIE_KEER_JA[:1], RAPPORT),
            Concludeer(vo_id=VO_ID, reden=GEEN_NOODZAAK, melder_verzoekt_zorgmachtiging=True),
            "aanvraag",
        ),
        (
            MOEDER,
            (*ONDERZOCHT, RAPPORT),
            Concludeer(vo_id=VO_ID, reden=GEEN_NOODZAAK, melder_verzoekt_zorgmachtiging=True),
            "aanvraag",
        ),
        (
            MOEDER,
            (*DRIE_KEER_JA[:1], RAPPORT),
            Concludeer(vo_id=VO_ID, aanvraag=AANVRAAG, melder_verzoekt_zorgmachtiging=True),
            "reden",
        ),
        (
            MOEDER,
            DRIE_KEER_JA[:1],
            Concludeer(
                vo_id=VO_ID,
                aanvraag=AANVRAAG,
                reden=GEEN_NOODZAAK,
                melder_verzoekt_zorgmachtiging=True,
            ),
            "rapport",
        ),
    ],
)
def test_a_conclusion_that_breaks_a_rule_is_refused_naming_the_field(
    spec: DeciderSpec,
    melder: Melder,
    eerder: tuple[DomainEvent, ...],
    payload: Concludeer,
    field: str,
) -> None:
    spec.given(vo_geopend(melder), *eerder).when(cmd(payload)).then_error(
        ErrorCode.RULE_VIOLATED, field=field
    )


def test_a_closed_vo_cannot_be_concluded_again(spec: DeciderSpec) -> None:
    refusal = (
        spec.given(vo_geopend(), *ONDERZOCHT, RAPPORT, ingediend(), AANVRAAG_AFGESLOTEN)
        .when(cmd(Concludeer(vo_id=VO_ID, reden="Nog eens.")))
        .then_error(ErrorCode.RULE_VIOLATED)
    )

    assert refusal.message == "het onderzoek is afgesloten"


def test_a_later_rapport_replaces_the_earlier_in_the_aanvraag(spec: DeciderSpec) -> None:
    nieuw = RAPPORT.model_copy(update={"rapport_id": MELDING_ID})

    spec.given(vo_geopend(), *ONDERZOCHT, RAPPORT, nieuw).when(
        cmd(Concludeer(vo_id=VO_ID, aanvraag=AANVRAAG))
    ).then(ingediend(rapport_id=MELDING_ID), AANVRAAG_AFGESLOTEN)


AANGEVRAAGD = (*ONDERZOCHT, RAPPORT, ingediend(), AANVRAAG_AFGESLOTEN)


@pytest.mark.parametrize(
    ("voor", "uitkomst"),
    [
        (True, BriefUitkomst.OVJ_BEREIDT_VERZOEKSCHRIFT_VOOR),
        (False, BriefUitkomst.OVJ_BEREIDT_GEEN_VERZOEKSCHRIFT_VOOR),
    ],
)
def test_the_ovj_answer_is_recorded_and_an_entitled_melder_is_told(
    spec: DeciderSpec, voor: bool, uitkomst: BriefUitkomst
) -> None:
    spec.given(vo_geopend(MOEDER), *AANGEVRAAGD).when(
        cmd(reactie(voor), OVJ_KOPPELING, LATER)
    ).then(
        OvjReactieOntvangen(vo_id=VO_ID, bereidt_verzoekschrift_voor=voor, ontvangen_op=LATER),
        brief(BriefSoort.OVJ_BESLUIT, uitkomst, LATER),
    )


def test_a_melder_without_the_right_gets_no_letter_about_the_ovj(spec: DeciderSpec) -> None:
    spec.given(vo_geopend(BUUR), *AANGEVRAAGD).when(cmd(reactie(), OVJ_KOPPELING, LATER)).then(
        OvjReactieOntvangen(vo_id=VO_ID, bereidt_verzoekschrift_voor=True, ontvangen_op=LATER)
    )


@pytest.mark.parametrize(
    ("eerder", "payload", "field"),
    [
        ((), reactie(), None),
        ((*DRIE_KEER_JA[:1], beoordeeld(Toets.PSYCHISCHE_STOORNIS, False)), reactie(), None),
        (
            (
                *AANGEVRAAGD,
                OvjReactieOntvangen(
                    vo_id=VO_ID, bereidt_verzoekschrift_voor=True, ontvangen_op=LATER
                ),
            ),
            reactie(),
            None,
        ),
        (AANGEVRAAGD, reactie(ontvangen_op=LATER + timedelta(hours=1)), "ontvangen_op"),
        (AANGEVRAAGD, reactie(ontvangen_op=NU - timedelta(hours=1)), "ontvangen_op"),
    ],
)
def test_the_ovj_answers_once_after_an_aanvraag_and_not_in_the_future(
    spec: DeciderSpec,
    eerder: tuple[DomainEvent, ...],
    payload: RegistreerOvjReactie,
    field: str | None,
) -> None:
    spec.given(vo_geopend(), *eerder).when(cmd(payload, OVJ_KOPPELING, LATER)).then_error(
        ErrorCode.RULE_VIOLATED, field=field
    )
