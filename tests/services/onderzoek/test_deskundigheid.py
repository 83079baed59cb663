"""GGZ and youth expertise behind an aanvraag, and the letter when the VO term passes undecided.

Seed 001 §3.1 stap 2: "Bij het uitvoeren van het verkennend onderzoek dient bij stap 2.2 en 2.3
GGZ-expertise ingeschakeld te worden"; §2.5: for minors "expertise gericht op kinder- en
jeugdpsychiatrie, die binnen de periode van veertien dagen voor het verkennend onderzoek
beschikbaar moet zijn".
"""

from __future__ import annotations

from decimal import Decimal

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
    Grond,
    Gronden,
    JeugdSignaal,
    LegGgzConsultatieVast,
    MelderBriefKlaargezet,
    SignaleerTermijnVerstreken,
    TermijnVerstreken,
    Toets,
    VoAfgesloten,
)
from wvggz_contracts.personen import Melder, RelatieTotBetrokkene

from kernel.testing import DeciderSpec
from services.onderzoek.domain.conclusie import INGEDIEND
from tests.services.onderzoek.fixtures import (
    AANVRAAG,
    BETROKKENE,
    BUUR,
    DEADLINE,
    DRIE_KEER_JA,
    GEMEENTE,
    GGZ_CONSULTANT,
    MELDING_ID,
    MOEDER,
    NU,
    RAPPORT,
    RAPPORT_ID,
    SYSTEEM,
    VO_ID,
    cmd,
    ggz_geconsulteerd,
    vo_geopend,
    vo_spec,
)

ZONDER_GGZ = "De GGZ-consultant was binnen de termijn niet bereikbaar; de huisarts is gehoord."
ZONDER_JEUGD = "Geen kinder- en jeugdpsychiater beschikbaar; de jeugdarts is geraadpleegd."
MINDERJARIG = [JeugdSignaal.JONGER_DAN_16, JeugdSignaal.JONGER_DAN_18]


@pytest.fixture
def spec() -> DeciderSpec:
    return vo_spec()


def aanvraag(**changes: object) -> Concludeer:
    return Concludeer(vo_id=VO_ID, aanvraag=AANVRAAG).model_copy(update=changes)


def ingediend(jeugd: JeugdSignaal = JeugdSignaal.VOLWASSEN, **changes: object) -> AanvraagIngediend:
    base = AanvraagIngediend(
        vo_id=VO_ID,
        melding_id=MELDING_ID,
        gemeente=GEMEENTE,
        ingediend_op=NU,
        betrokkene=BETROKKENE,
        jeugd=jeugd,
        gronden=Gronden(
            **{
                t.value.replace("-", "_"): Grond(aannemelijk=True, motivatie=f"motivatie {t}")
                for t in Toets
            }
        ),
        rapport_id=RAPPORT_ID,
        contact_consulent=AANVRAAG.contact_consulent,
        spoed=True,
        bijlagen=AANVRAAG.bijlagen,
        ggz_geconsulteerd=True,
        jeugdexpertise_geconsulteerd=False,
    )
    return base.model_copy(update=changes)


AFGESLOTEN = VoAfgesloten(
    vo_id=VO_ID,
    melding_id=MELDING_ID,
    gemeente=GEMEENTE,
    reden=AfsluitReden.AANVRAAG_INGEDIEND,
    toelichting=INGEDIEND,
    afgesloten_op=NU,
)


# GGZ expertise for checks 2 and 3


def test_an_aanvraag_without_a_ggz_consultation_is_refused_naming_the_exception(
    spec: DeciderSpec,
) -> None:
    spec.given(vo_geopend(), *DRIE_KEER_JA, RAPPORT).when(cmd(aanvraag())).then_error(
        ErrorCode.RULE_VIOLATED, field="zonder_ggz_motivatie"
    )


def test_an_aanvraag_with_a_motivated_exception_is_filed_stating_it(spec: DeciderSpec) -> None:
    spec.given(vo_geopend(), *DRIE_KEER_JA, RAPPORT).when(
        cmd(aanvraag(zonder_ggz_motivatie=ZONDER_GGZ))
    ).then(ingediend(ggz_geconsulteerd=False, zonder_ggz_motivatie=ZONDER_GGZ), AFGESLOTEN)


def test_a_consultation_recorded_after_the_checks_still_counts(spec: DeciderSpec) -> None:
    # Seed 001 §2.5: the expertise must be available within the 14 days; no order is prescribed.
    spec.given(vo_geopend(), *DRIE_KEER_JA, ggz_geconsulteerd(), RAPPORT).when(
        cmd(aanvraag())
    ).then(ingediend(), AFGESLOTEN)


@pytest.mark.parametrize("eerder", [(), DRIE_KEER_JA[:1]])
def test_an_aanvraag_at_an_entitled_melders_wish_before_checks_2_and_3_needs_no_ggz(
    spec: DeciderSpec, eerder: tuple[DomainEvent, ...]
) -> None:
    payload = aanvraag(reden="Geen noodzaak.", melder_verzoekt_zorgmachtiging=True)

    events = spec.given(vo_geopend(MOEDER), *eerder, RAPPORT).when(cmd(payload)).events

    assert isinstance(events[0], AanvraagIngediend)
    assert events[0].ggz_geconsulteerd is False
    assert events[0].zonder_ggz_motivatie is None


def test_an_entitled_melders_wish_after_check_2_needs_the_ggz_consultation(
    spec: DeciderSpec,
) -> None:
    payload = aanvraag(reden="Geen noodzaak.", melder_verzoekt_zorgmachtiging=True)

    spec.given(vo_geopend(MOEDER), *DRIE_KEER_JA[:2], RAPPORT).when(cmd(payload)).then_error(
        ErrorCode.RULE_VIOLATED, field="zonder_ggz_motivatie"
    )


# Youth expertise for a minor


@pytest.mark.parametrize("jeugd", MINDERJARIG)
def test_a_minor_without_youth_expertise_is_refused_naming_the_exception(
    spec: DeciderSpec, jeugd: JeugdSignaal
) -> None:
    spec.given(vo_geopend(jeugd=jeugd), ggz_geconsulteerd(), *DRIE_KEER_JA, RAPPORT).when(
        cmd(aanvraag())
    ).then_error(ErrorCode.RULE_VIOLATED, field="zonder_jeugdexpertise_motivatie")


@pytest.mark.parametrize("jeugd", MINDERJARIG)
def test_a_minor_with_youth_expertise_consulted_gets_the_aanvraag(
    spec: DeciderSpec, jeugd: JeugdSignaal
) -> None:
    given = (ggz_geconsulteerd(jeugdexpertise=True), *DRIE_KEER_JA, RAPPORT)

    spec.given(vo_geopend(jeugd=jeugd), *given).when(cmd(aanvraag())).then(
        ingediend(jeugd, jeugdexpertise_geconsulteerd=True), AFGESLOTEN
    )


def test_a_minor_with_a_motivated_youth_exception_gets_the_aanvraag(spec: DeciderSpec) -> None:
    jeugd = JeugdSignaal.JONGER_DAN_16
    payload = aanvraag(zonder_jeugdexpertise_motivatie=ZONDER_JEUGD)

    spec.given(vo_geopend(jeugd=jeugd), ggz_geconsulteerd(), *DRIE_KEER_JA, RAPPORT).when(
        cmd(payload)
    ).then(ingediend(jeugd, zonder_jeugdexpertise_motivatie=ZONDER_JEUGD), AFGESLOTEN)


def test_a_minor_without_any_consultation_needs_both_motivations(spec: DeciderSpec) -> None:
    jeugd = JeugdSignaal.JONGER_DAN_16
    given = spec.given(vo_geopend(jeugd=jeugd), *DRIE_KEER_JA, RAPPORT)

    given.when(cmd(aanvraag(zonder_ggz_motivatie=ZONDER_GGZ))).then_error(
        ErrorCode.RULE_VIOLATED, field="zonder_jeugdexpertise_motivatie"
    )
    given.when(
        cmd(aanvraag(zonder_ggz_motivatie=ZONDER_GGZ, zonder_jeugdexpertise_motivatie=ZONDER_JEUGD))
    ).then(
        ingediend(
            jeugd,
            ggz_geconsulteerd=False,
            zonder_ggz_motivatie=ZONDER_GGZ,
            zonder_jeugdexpertise_motivatie=ZONDER_JEUGD,
        ),
        AFGESLOTEN,
    )


@pytest.mark.parametrize(
    ("jeugd", "eerder", "payload", "field"),
    [
        # an exception where the expertise was consulted
        (
            JeugdSignaal.VOLWASSEN,
            (ggz_geconsulteerd(), *DRIE_KEER_JA, RAPPORT),
            aanvraag(zonder_ggz_motivatie=ZONDER_GGZ),
            "zonder_ggz_motivatie",
        ),
        (
            JeugdSignaal.JONGER_DAN_16,
            (ggz_geconsulteerd(jeugdexpertise=True), *DRIE_KEER_JA, RAPPORT),
            aanvraag(zonder_jeugdexpertise_motivatie=ZONDER_JEUGD),
            "zonder_jeugdexpertise_motivatie",
        ),
        # a youth exception for an adult, or an age that is not known
        (
            JeugdSignaal.VOLWASSEN,
            (ggz_geconsulteerd(), *DRIE_KEER_JA, RAPPORT),
            aanvraag(zonder_jeugdexpertise_motivatie=ZONDER_JEUGD),
            "zonder_jeugdexpertise_motivatie",
        ),
        # an exception without an aanvraag
        (
            JeugdSignaal.VOLWASSEN,
            (*DRIE_KEER_JA, RAPPORT),
            Concludeer(vo_id=VO_ID, reden="Geen noodzaak.", zonder_ggz_motivatie=ZONDER_GGZ),
            "zonder_ggz_motivatie",
        ),
    ],
)
def test_an_exception_that_excepts_nothing_is_refused_naming_it(
    spec: DeciderSpec,
    jeugd: JeugdSignaal,
    eerder: tuple[DomainEvent, ...],
    payload: Concludeer,
    field: str,
) -> None:
    spec.given(vo_geopend(jeugd=jeugd), *eerder).when(cmd(payload)).then_error(
        ErrorCode.RULE_VIOLATED, field=field
    )


def test_a_consultation_records_whether_it_brought_youth_expertise(spec: DeciderSpec) -> None:
    consultatie = LegGgzConsultatieVast(
        vo_id=VO_ID,
        consultant="ggz-1",
        datum=NU.date(),
        uren=Decimal(1),
        onderwerp="Psychische stoornis en noodzaak verplichte zorg.",
        jeugdexpertise=True,
    )

    spec.given(vo_geopend(jeugd=JeugdSignaal.JONGER_DAN_16)).when(
        cmd(consultatie, GGZ_CONSULTANT)
    ).then(ggz_geconsulteerd(jeugdexpertise=True))


# The letter when the term passes without a decision


def test_an_entitled_melder_is_told_they_may_turn_to_the_ovj_when_the_term_passes(
    spec: DeciderSpec,
) -> None:
    spec.given(vo_geopend(MOEDER)).when(
        cmd(SignaleerTermijnVerstreken(vo_id=VO_ID), SYSTEEM, DEADLINE)
    ).then(
        TermijnVerstreken(vo_id=VO_ID, deadline=DEADLINE, gesignaleerd_op=DEADLINE),
        MelderBriefKlaargezet(
            vo_id=VO_ID,
            melding_id=MELDING_ID,
            gemeente=GEMEENTE,
            brief=BriefSoort.TERMIJN_VERSTREKEN,
            aan=MOEDER,
            inhoud=BriefInhoud(
                uitkomst=BriefUitkomst.GEEN_BESLUIT_BINNEN_TERMIJN, datum=DEADLINE.date()
            ),
        ),
    )


@pytest.mark.parametrize(
    "melder",
    [BUUR, Melder(naam="F. Voorbeeld", relatie=RelatieTotBetrokkene.FAMILIE)],
)
def test_a_melder_without_the_right_gets_no_letter_when_the_term_passes(
    spec: DeciderSpec, melder: Melder
) -> None:
    spec.given(vo_geopend(melder)).when(
        cmd(SignaleerTermijnVerstreken(vo_id=VO_ID), SYSTEEM, DEADLINE)
    ).then(TermijnVerstreken(vo_id=VO_ID, deadline=DEADLINE, gesignaleerd_op=DEADLINE))


def test_the_letter_on_expiry_goes_once(spec: DeciderSpec) -> None:
    verlopen = TermijnVerstreken(vo_id=VO_ID, deadline=DEADLINE, gesignaleerd_op=DEADLINE)

    spec.given(vo_geopend(MOEDER), verlopen).when(
        cmd(SignaleerTermijnVerstreken(vo_id=VO_ID), SYSTEEM, DEADLINE)
    ).then()
