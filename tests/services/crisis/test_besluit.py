"""The integraal advies and the (loco-)burgemeester's decision, with its copies."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from wvggz_contracts.commands import ErrorCode
from wvggz_contracts.crisis import (
    AdvocaatToegewezen,
    AdvocaatToewijzingGevraagd,
    AfschriftKlaargezet,
    BesluitAfgewezen,
    BesluitGenomen,
    BesluitUitkomst,
    IntegraalAdviesSamengesteld,
    LegHoorverslagVast,
    LegHorenOnmogelijkVast,
    MandaatBewijs,
    OndertekenMedischeVerklaring,
    Ontvanger,
    RegistreerAdvocaat,
    StelIntegraalAdviesSamen,
)

from kernel.decider import derived_id
from kernel.testing import DeciderSpec
from services.crisis.domain import LOCO_REGISTRATIE, make_rulebook
from services.crisis.domain.parameters import RECHTSGRONDEN
from tests.services.crisis.fixtures import (
    AFWIJZING,
    BEHEER,
    BESLUIT_OP,
    BETROKKENE,
    BURGEMEESTER,
    CRISIS_ID,
    CRITERIA,
    EINDIGT_OP,
    GEMEENTE,
    GEMELD_OP,
    HOORDER,
    LOCO,
    LOCO_BEWIJS,
    NEE,
    NU,
    OPLEGGING,
    PSYCHIATER,
    REGIO,
    SYSTEEM,
    besloten,
    besluit,
    cmd,
    command_id,
    decider,
    geadviseerd,
    gemeld,
    geschiedenis,
    hoorverslag,
    horen_onmogelijk,
    ondertekend,
    verklaring,
    verklaring_id,
)

ADVIES = StelIntegraalAdviesSamen(crisis_id=CRISIS_ID)
ONDERTEKEN = OndertekenMedischeVerklaring(crisis_id=CRISIS_ID, verklaring_id=verklaring_id(1))
ADVIES_ID = derived_id(CRISIS_ID, "integraal-advies")
BESLUIT_ID = derived_id(CRISIS_ID, "besluit")


def afschrift(
    ontvanger: Ontvanger, aan: str | None, uitkomst: BesluitUitkomst = BesluitUitkomst.GENOMEN
) -> AfschriftKlaargezet:
    return AfschriftKlaargezet(
        crisis_id=CRISIS_ID,
        gemeente=GEMEENTE,
        afschrift_id=derived_id(BESLUIT_ID, f"afschrift:{ontvanger}"),
        ontvanger=ontvanger,
        aan=aan,
        besluit_id=BESLUIT_ID,
        besluit=uitkomst,
        besloten_op=BESLUIT_OP,
        rechtsgrond=RECHTSGRONDEN[(uitkomst, ontvanger)],
    )


def test_the_integraal_advies_joins_the_signed_verklaring_and_the_hearing() -> None:
    gehoord = geschiedenis(cmd(hoorverslag(), HOORDER, id_=8), basis=ondertekend())

    DeciderSpec(decider()).given(*gehoord).when(cmd(ADVIES, HOORDER)).then(
        IntegraalAdviesSamengesteld(
            crisis_id=CRISIS_ID,
            gemeente=GEMEENTE,
            advies_id=ADVIES_ID,
            verklaring_id=verklaring_id(1),
            alle_criteria_voldaan=True,
            hoorverslag_id=derived_id(command_id(8), "hoorverslag"),
            samengesteld_op=NU,
        )
    )


def test_the_integraal_advies_can_carry_why_hearing_was_impossible() -> None:
    onmogelijk = geschiedenis(cmd(horen_onmogelijk()), basis=ondertekend())

    spec = DeciderSpec(decider()).given(*onmogelijk).when(cmd(ADVIES, BEHEER))

    [advies] = spec.events
    assert isinstance(advies, IntegraalAdviesSamengesteld)
    assert advies.hoorverslag_id is None
    assert advies.horen_onmogelijk_reden == "Betrokkene is niet aanspreekbaar."


@pytest.mark.parametrize(
    ("stappen", "veld"),
    [
        ("geen verklaring", "medische_verklaring"),
        ("ongetekend", "medische_verklaring"),
        ("niet gehoord", "hoorverslag"),
        ("al samengesteld", "integraal_advies"),
    ],
)
def test_the_integraal_advies_needs_both_parts_and_is_made_once(stappen: str, veld: str) -> None:
    gehoord = cmd(hoorverslag(), HOORDER)
    geschiedenissen = {
        "geen verklaring": geschiedenis(gehoord, basis=gemeld()),
        "ongetekend": geschiedenis(cmd(verklaring(), PSYCHIATER), gehoord, basis=gemeld()),
        "niet gehoord": ondertekend(),
        "al samengesteld": geadviseerd(),
    }

    DeciderSpec(decider()).given(*geschiedenissen[stappen]).when(cmd(ADVIES)).then_error(
        ErrorCode.RULE_VIOLATED, veld
    )


@pytest.mark.parametrize("historie", ["gemeld", "ondertekend", "gehoord"])
def test_no_decision_without_an_integraal_advies(historie: str) -> None:
    given = {
        "gemeld": gemeld(),
        "ondertekend": ondertekend(),
        "gehoord": geschiedenis(cmd(hoorverslag(), HOORDER), basis=ondertekend()),
    }[historie]

    DeciderSpec(decider()).given(*given).when(cmd(besluit(), BURGEMEESTER)).then_error(
        ErrorCode.RULE_VIOLATED, "integraal_advies"
    )


def test_a_measure_taken_ends_after_three_days_and_is_copied_to_everyone_entitled() -> None:
    DeciderSpec(decider()).given(*geadviseerd()).when(
        cmd(besluit(vertegenwoordiger="M. Mentor"), BURGEMEESTER, at=BESLUIT_OP)
    ).then(
        BesluitGenomen(
            crisis_id=CRISIS_ID,
            gemeente=GEMEENTE,
            besluit_id=BESLUIT_ID,
            advies_id=ADVIES_ID,
            besloten_op=BESLUIT_OP,
            besloten_door=BURGEMEESTER.id,
            als_loco=False,
            verplichte_zorg=OPLEGGING.verplichte_zorg,
            zorgaanbieder=OPLEGGING.zorgaanbieder,
            geneesheer_directeur=OPLEGGING.geneesheer_directeur,
            zorgverantwoordelijke=OPLEGGING.zorgverantwoordelijke,
            patientenvertrouwenspersoon=OPLEGGING.patientenvertrouwenspersoon,
            rechtsmiddel=OPLEGGING.rechtsmiddel,
            motivatie=OPLEGGING.motivatie,
            advocaat="Mr. A. Advocaat",
            vertegenwoordiger="M. Mentor",
            eindigt_op=EINDIGT_OP,
            vastgelegd_op=BESLUIT_OP,
        ),
        afschrift(Ontvanger.BETROKKENE, BETROKKENE.naam),
        afschrift(Ontvanger.ADVOCAAT, "Mr. A. Advocaat"),
        afschrift(Ontvanger.GENEESHEER_DIRECTEUR, OPLEGGING.geneesheer_directeur),
        afschrift(Ontvanger.IGJ, None),
        afschrift(Ontvanger.OVJ, None),
        afschrift(Ontvanger.VERTEGENWOORDIGER, "M. Mentor"),
        afschrift(Ontvanger.PVP, OPLEGGING.patientenvertrouwenspersoon),
    )


@pytest.mark.parametrize(
    ("horen", "pvp"),
    [
        (hoorverslag(toestemming_gegevens_pvp=True), True),
        (hoorverslag(toestemming_gegevens_pvp=False), False),
        (horen_onmogelijk(), False),
    ],
    ids=["toestemming", "geen-toestemming", "niet-gehoord"],
)
def test_the_pvp_gets_a_copy_only_with_consent_from_the_hearing(
    horen: LegHoorverslagVast | LegHorenOnmogelijkVast, pvp: bool
) -> None:
    spec = DeciderSpec(decider()).given(*geadviseerd(horen))
    spec.when(cmd(besluit(), BURGEMEESTER, at=BESLUIT_OP))

    ontvangers = [e.ontvanger for e in spec.events if isinstance(e, AfschriftKlaargezet)]
    assert (Ontvanger.PVP in ontvangers) is pvp
    assert Ontvanger.VERTEGENWOORDIGER not in ontvangers


def test_without_an_advocaat_one_is_asked_for_and_their_copy_follows_the_assignment() -> None:
    spec = DeciderSpec(decider()).given(*geadviseerd())
    spec.when(cmd(besluit(advocaat=None), BURGEMEESTER, at=BESLUIT_OP))

    gevraagd = [e for e in spec.events if isinstance(e, AdvocaatToewijzingGevraagd)]
    assert gevraagd == [
        AdvocaatToewijzingGevraagd(
            crisis_id=CRISIS_ID,
            gemeente=GEMEENTE,
            besluit_id=BESLUIT_ID,
            betrokkene=BETROKKENE,
            gevraagd_op=BESLUIT_OP,
        )
    ]
    assert Ontvanger.ADVOCAAT not in [getattr(e, "ontvanger", None) for e in spec.events]

    at = BESLUIT_OP + timedelta(hours=3)
    toegewezen = RegistreerAdvocaat(crisis_id=CRISIS_ID, advocaat="Mr. B. Piket")
    DeciderSpec(decider()).given(*besloten(advocaat=None)).when(
        cmd(toegewezen, SYSTEEM, at=at)
    ).then(
        AdvocaatToegewezen(crisis_id=CRISIS_ID, advocaat="Mr. B. Piket", toegewezen_op=at),
        afschrift(Ontvanger.ADVOCAAT, "Mr. B. Piket"),
    )


def test_an_advocaat_is_registered_only_when_one_was_asked_for() -> None:
    assign = RegistreerAdvocaat(crisis_id=CRISIS_ID, advocaat="Mr. B. Piket")
    for given in (besloten(), geadviseerd()):
        DeciderSpec(decider()).given(*given).when(cmd(assign, BEHEER)).then_error(
            ErrorCode.RULE_VIOLATED, "advocaat"
        )


def test_a_refusal_closes_the_case_and_goes_to_the_betrokkene_ovj_and_named_parties() -> None:
    DeciderSpec(decider()).given(*geadviseerd()).when(
        cmd(besluit(AFWIJZING, vertegenwoordiger="M. Mentor"), BURGEMEESTER, at=BESLUIT_OP)
    ).then(
        BesluitAfgewezen(
            crisis_id=CRISIS_ID,
            gemeente=GEMEENTE,
            besluit_id=BESLUIT_ID,
            advies_id=ADVIES_ID,
            besloten_op=BESLUIT_OP,
            besloten_door=BURGEMEESTER.id,
            als_loco=False,
            motivatie=AFWIJZING.motivatie,
            advocaat="Mr. A. Advocaat",
            vertegenwoordiger="M. Mentor",
            vastgelegd_op=BESLUIT_OP,
        ),
        afschrift(Ontvanger.BETROKKENE, BETROKKENE.naam, BesluitUitkomst.AFGEWEZEN),
        afschrift(Ontvanger.ADVOCAAT, "Mr. A. Advocaat", BesluitUitkomst.AFGEWEZEN),
        afschrift(Ontvanger.OVJ, None, BesluitUitkomst.AFGEWEZEN),
        afschrift(Ontvanger.VERTEGENWOORDIGER, "M. Mentor", BesluitUitkomst.AFGEWEZEN),
    )


def test_a_refusal_without_an_advocaat_asks_for_none() -> None:
    spec = DeciderSpec(decider()).given(*geadviseerd())
    spec.when(cmd(besluit(AFWIJZING, advocaat=None), BURGEMEESTER, at=BESLUIT_OP))

    assert [type(e) for e in spec.events] == [BesluitAfgewezen, *[AfschriftKlaargezet] * 2]
    state = decider().fold([*geadviseerd(), *spec.events])
    assert not state.open and state.eindigt_op is None


def test_a_measure_needs_all_five_criteria_but_a_refusal_does_not() -> None:
    criteria = CRITERIA.model_copy(update={"zorgmachtiging_niet_afwachten": NEE})
    given = geschiedenis(
        cmd(verklaring(criteria=criteria), PSYCHIATER, id_=1),
        cmd(ONDERTEKEN, PSYCHIATER),
        cmd(hoorverslag(), HOORDER),
        cmd(ADVIES),
        basis=gemeld(),
    )

    DeciderSpec(decider()).given(*given).when(
        cmd(besluit(besloten_op=NU), BURGEMEESTER)
    ).then_error(ErrorCode.RULE_VIOLATED, "besluit")
    spec = (
        DeciderSpec(decider())
        .given(*given)
        .when(cmd(besluit(AFWIJZING, besloten_op=NU), BURGEMEESTER))
    )
    assert isinstance(spec.events[0], BesluitAfgewezen)


def test_a_decision_is_taken_once() -> None:
    DeciderSpec(decider()).given(*besloten()).when(
        cmd(besluit(), BURGEMEESTER, at=BESLUIT_OP)
    ).then_error(ErrorCode.RULE_VIOLATED)


def test_a_registered_loco_burgemeester_may_decide() -> None:
    spec = DeciderSpec(decider()).given(*geadviseerd())
    spec.when(cmd(besluit(), LOCO, at=BESLUIT_OP, feiten={LOCO_REGISTRATIE: LOCO_BEWIJS}))

    genomen = spec.events[0]
    assert isinstance(genomen, BesluitGenomen)
    assert genomen.als_loco and genomen.besloten_door == LOCO.id


@pytest.mark.parametrize(
    ("registratie", "reden"),
    [
        (None, "niet in het mandaatregister"),
        (LOCO_BEWIJS.model_copy(update={"partij": "wethouder-3"}), "van wethouder-3"),
        (LOCO_BEWIJS.model_copy(update={"geldig_tot": date(2026, 11, 2)}), "niet geldig"),
    ],
    ids=["geen", "iemand-anders", "verlopen"],
)
def test_an_unregistered_loco_is_forbidden(registratie: MandaatBewijs | None, reden: str) -> None:
    error = (
        DeciderSpec(decider())
        .given(*geadviseerd())
        .when(cmd(besluit(), LOCO, at=BESLUIT_OP, feiten={LOCO_REGISTRATIE: registratie}))
        .then_error(ErrorCode.FORBIDDEN)
    )
    assert reden in error.message and error.field is None


def test_the_burgemeester_needs_no_registration() -> None:
    spec = DeciderSpec(decider()).given(*geadviseerd())
    spec.when(cmd(besluit(), BURGEMEESTER, at=BESLUIT_OP, feiten={LOCO_REGISTRATIE: None}))

    assert isinstance(spec.events[0], BesluitGenomen)


def test_the_decision_may_come_after_the_18_hour_norm() -> None:
    laat = BESLUIT_OP + timedelta(hours=20)
    spec = DeciderSpec(decider()).given(*geadviseerd())
    spec.when(cmd(besluit(), BURGEMEESTER, at=laat))

    assert isinstance(spec.events[0], BesluitGenomen)


def test_the_legal_basis_on_a_copy_is_configurable() -> None:
    eigen = "rechtsgrond zoals de gemeente die vaststelt (inspectie)"
    d = make_rulebook(
        REGIO, rechtsgronden={(BesluitUitkomst.GENOMEN, Ontvanger.IGJ): eigen}
    ).decider

    spec = DeciderSpec(d).given(*geadviseerd())
    spec.when(cmd(besluit(), BURGEMEESTER, at=BESLUIT_OP))

    igj = [
        e
        for e in spec.events
        if isinstance(e, AfschriftKlaargezet) and e.ontvanger == Ontvanger.IGJ
    ]
    assert [e.rechtsgrond for e in igj] == [eigen]


def test_the_measure_runs_from_the_burgemeester_s_moment_not_from_its_recording() -> None:
    # decided at 04:30 by phone, recorded at 09:00: the terms run from 04:30
    recorded = BESLUIT_OP + timedelta(hours=4, minutes=30)
    spec = DeciderSpec(decider()).given(*geadviseerd())
    spec.when(cmd(besluit(), BURGEMEESTER, at=recorded))

    genomen = spec.events[0]
    assert isinstance(genomen, BesluitGenomen)
    assert (genomen.besloten_op, genomen.vastgelegd_op) == (BESLUIT_OP, recorded)
    assert genomen.eindigt_op == EINDIGT_OP


@pytest.mark.parametrize(
    ("besloten_op", "at"),
    [
        # not in the future compared with the command's time
        pytest.param(BESLUIT_OP + timedelta(minutes=1), BESLUIT_OP, id="toekomst"),
        # not before the crisis was reported
        pytest.param(GEMELD_OP - timedelta(minutes=1), BESLUIT_OP, id="voor-de-melding"),
    ],
)
def test_the_stated_decision_moment_is_checked(besloten_op: datetime, at: datetime) -> None:
    for uitkomst in (OPLEGGING, AFWIJZING):
        DeciderSpec(decider()).given(*geadviseerd()).when(
            cmd(besluit(uitkomst, besloten_op=besloten_op), BURGEMEESTER, at=at)
        ).then_error(ErrorCode.RULE_VIOLATED, "besloten_op")
