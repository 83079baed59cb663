"""The medische verklaring: independence, signing by its author, reopening before the hearing."""

from __future__ import annotations

from datetime import timedelta

from wvggz_contracts.commands import ErrorCode
from wvggz_contracts.crisis import (
    HeropenMedischeVerklaring,
    MedischeVerklaringHeropend,
    MedischeVerklaringOndertekend,
    MedischeVerklaringOpgesteld,
    OndertekenMedischeVerklaring,
)
from wvggz_contracts.events import DomainEvent

from kernel.testing import DeciderSpec
from tests.services.crisis.fixtures import (
    ANDERE_PSYCHIATER,
    CRISIS_ID,
    CRISISDIENST,
    CRITERIA,
    HOORDER,
    NEE,
    NU,
    PSYCHIATER,
    cmd,
    decider,
    gemeld,
    geschiedenis,
    hoorverslag,
    horen_onmogelijk,
    ondertekend,
    verklaring,
    verklaring_id,
)


def onderteken(n: int = 1) -> OndertekenMedischeVerklaring:
    return OndertekenMedischeVerklaring(crisis_id=CRISIS_ID, verklaring_id=verklaring_id(n))


def heropen(n: int = 1) -> HeropenMedischeVerklaring:
    return HeropenMedischeVerklaring(
        crisis_id=CRISIS_ID, verklaring_id=verklaring_id(n), reden="Nieuwe informatie van de OvJ."
    )


def opgesteld() -> list[DomainEvent]:
    return geschiedenis(cmd(verklaring(), PSYCHIATER, id_=1), basis=gemeld())


def test_an_independent_psychiatrist_drafts_the_verklaring() -> None:
    DeciderSpec(decider()).given(*gemeld()).when(cmd(verklaring(), PSYCHIATER, id_=1)).then(
        MedischeVerklaringOpgesteld(
            crisis_id=CRISIS_ID,
            verklaring_id=verklaring_id(1),
            psychiater=PSYCHIATER.id,
            onderzocht_op=verklaring().onderzocht_op,
            criteria=CRITERIA,
            alle_criteria_voldaan=True,
            bevindingen=verklaring().bevindingen,
            opgesteld_op=NU,
        )
    )


def test_the_treating_psychiatrist_is_refused() -> None:
    DeciderSpec(decider()).given(*gemeld()).when(
        cmd(verklaring(is_behandelaar=True), PSYCHIATER)
    ).then_error(ErrorCode.RULE_VIOLATED, "is_behandelaar")


def test_a_psychiatrist_drafts_only_in_their_own_name() -> None:
    DeciderSpec(decider()).given(*gemeld()).when(cmd(verklaring(), ANDERE_PSYCHIATER)).then_error(
        ErrorCode.FORBIDDEN, "psychiater"
    )


def test_a_verklaring_with_criteria_not_met_is_recorded_as_such() -> None:
    criteria = CRITERIA.model_copy(update={"verzet_tegen_zorg": NEE})

    spec = (
        DeciderSpec(decider()).given(*gemeld()).when(cmd(verklaring(criteria=criteria), PSYCHIATER))
    )

    [event] = spec.events
    assert isinstance(event, MedischeVerklaringOpgesteld)
    assert event.alle_criteria_voldaan is False
    assert criteria.niet_voldaan == ["verzet_tegen_zorg"]


def test_an_examination_in_the_future_is_refused() -> None:
    DeciderSpec(decider()).given(*gemeld()).when(
        cmd(verklaring(onderzocht_op=NU + timedelta(minutes=1)), PSYCHIATER)
    ).then_error(ErrorCode.RULE_VIOLATED, "onderzocht_op")


def test_the_author_signs_the_draft() -> None:
    DeciderSpec(decider()).given(*opgesteld()).when(cmd(onderteken(), PSYCHIATER)).then(
        MedischeVerklaringOndertekend(
            crisis_id=CRISIS_ID,
            verklaring_id=verklaring_id(1),
            psychiater=PSYCHIATER.id,
            ondertekend_op=NU,
        )
    )


def test_another_psychiatrist_may_not_sign() -> None:
    DeciderSpec(decider()).given(*opgesteld()).when(
        cmd(onderteken(), ANDERE_PSYCHIATER)
    ).then_error(ErrorCode.FORBIDDEN, "verklaring_id")


def test_only_the_current_draft_can_be_signed() -> None:
    vervangen = geschiedenis(cmd(verklaring(), PSYCHIATER, id_=2), basis=opgesteld())

    DeciderSpec(decider()).given(*vervangen).when(cmd(onderteken(1), PSYCHIATER)).then_error(
        ErrorCode.RULE_VIOLATED, "verklaring_id"
    )
    DeciderSpec(decider()).given(*vervangen).when(cmd(onderteken(2), PSYCHIATER)).then(
        MedischeVerklaringOndertekend(
            crisis_id=CRISIS_ID,
            verklaring_id=verklaring_id(2),
            psychiater=PSYCHIATER.id,
            ondertekend_op=NU,
        )
    )


def test_nothing_to_sign_without_a_draft() -> None:
    DeciderSpec(decider()).given(*gemeld()).when(cmd(onderteken(), PSYCHIATER)).then_error(
        ErrorCode.RULE_VIOLATED, "verklaring_id"
    )


def test_a_signed_verklaring_is_signed_once_and_replaced_only_after_reopening() -> None:
    DeciderSpec(decider()).given(*ondertekend()).when(cmd(onderteken(), PSYCHIATER)).then_error(
        ErrorCode.RULE_VIOLATED, "verklaring_id"
    )
    DeciderSpec(decider()).given(*ondertekend()).when(cmd(verklaring(), PSYCHIATER)).then_error(
        ErrorCode.RULE_VIOLATED, "verklaring"
    )


def test_reopening_lets_a_new_verklaring_be_drafted_and_signed() -> None:
    heropend = DeciderSpec(decider()).given(*ondertekend()).when(cmd(heropen(), CRISISDIENST))
    heropend.then(
        MedischeVerklaringHeropend(
            crisis_id=CRISIS_ID,
            verklaring_id=verklaring_id(1),
            reden="Nieuwe informatie van de OvJ.",
            heropend_door=CRISISDIENST.id,
            heropend_op=NU,
        )
    )
    nieuw = geschiedenis(
        cmd(verklaring(psychiater=ANDERE_PSYCHIATER.id), ANDERE_PSYCHIATER, id_=3),
        cmd(onderteken(3), ANDERE_PSYCHIATER),
        basis=[*ondertekend(), *heropend.events],
    )

    state = decider().fold(nieuw)
    assert state.verklaring is not None and state.verklaring.ondertekend
    assert state.verklaring.psychiater == ANDERE_PSYCHIATER.id


def test_reopening_is_refused_once_the_hearing_has_an_outcome() -> None:
    for horen, actor in [(hoorverslag(), HOORDER), (horen_onmogelijk(), CRISISDIENST)]:
        gehoord = geschiedenis(cmd(horen, actor), basis=ondertekend())

        DeciderSpec(decider()).given(*gehoord).when(cmd(heropen(), PSYCHIATER)).then_error(
            ErrorCode.RULE_VIOLATED, "verklaring_id"
        )
