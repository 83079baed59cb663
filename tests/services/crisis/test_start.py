"""Starting a crisis case: a direct melding, or the meldpunt's triage with uitkomst crisis."""

from __future__ import annotations

from datetime import timedelta

import pytest
from wvggz_contracts.commands import ErrorCode
from wvggz_contracts.crisis import Bron, CrisisGemeld, MelderSoort, StartCrisisUitTriage

from kernel.decider import derived_id
from kernel.testing import DeciderSpec
from services.crisis.domain import START_CRISIS_UIT_TRIAGE, crisis_id_for, make_rulebook
from tests.services.crisis.fixtures import (
    BESLUIT_UITERLIJK,
    BETROKKENE,
    CRISIS_ID,
    GEMEENTE,
    GEMELD_OP,
    MELDING_ID,
    REGIO,
    SITUATIE,
    SYSTEEM,
    WAARSCHUWING_OP,
    cmd,
    command_spec,
    decider,
    gemeld,
    meld,
)


def uit_triage(**changes: object) -> StartCrisisUitTriage:
    base = StartCrisisUitTriage(
        melding_id=MELDING_ID,
        gemeente=GEMEENTE,
        gemeld_op=GEMELD_OP,
        betrokkene=BETROKKENE,
        situatie=SITUATIE,
    )
    return base.model_copy(update=changes)


def gemeld_event(**changes: object) -> CrisisGemeld:
    base = CrisisGemeld(
        crisis_id=CRISIS_ID,
        gemeente=GEMEENTE,
        gemeld_op=GEMELD_OP,
        bron=Bron.POLITIE,
        melding_id=None,
        betrokkene=BETROKKENE,
        situatie=SITUATIE,
        besluit_uiterlijk=BESLUIT_UITERLIJK,
        waarschuwing_op=WAARSCHUWING_OP,
    )
    return base.model_copy(update=changes)


@pytest.mark.parametrize("soort", list(MelderSoort))
def test_a_crisis_reported_directly_starts_the_18_hour_norm(soort: MelderSoort) -> None:
    DeciderSpec(decider()).when(cmd(meld(melder_soort=soort))).then(
        gemeld_event(bron=Bron(soort.value))
    )


def test_the_triage_outcome_starts_the_case_of_the_melding() -> None:
    crisis_id = crisis_id_for(MELDING_ID)

    DeciderSpec(decider()).when(cmd(uit_triage(), SYSTEEM)).then(
        gemeld_event(crisis_id=crisis_id, bron=Bron.MELDPUNT_TRIAGE, melding_id=MELDING_ID)
    )
    assert crisis_id == derived_id(MELDING_ID, "crisismaatregel")
    assert command_spec(START_CRISIS_UIT_TRIAGE).case_id(cmd(uit_triage(), SYSTEEM)) == crisis_id


def test_a_triage_starts_its_case_only_once() -> None:
    eerste = DeciderSpec(decider()).when(cmd(uit_triage(), SYSTEEM))
    assert not isinstance(eerste.outcome, Exception)

    DeciderSpec(decider()).given(*eerste.events).when(cmd(uit_triage(), SYSTEEM)).then_error(
        ErrorCode.RULE_VIOLATED
    )


def test_a_case_id_is_used_only_once() -> None:
    DeciderSpec(decider()).given(*gemeld()).when(cmd(meld())).then_error(ErrorCode.RULE_VIOLATED)


def test_a_gemeente_outside_the_region_is_refused() -> None:
    elders = meld(gemeente="GM0363")
    actor = cmd(elders).actor.model_copy(update={"gemeente": "GM0363"})

    DeciderSpec(decider()).when(cmd(elders, actor)).then_error(ErrorCode.RULE_VIOLATED, "gemeente")


def test_a_melding_in_the_future_is_refused() -> None:
    DeciderSpec(decider()).when(cmd(meld(), at=GEMELD_OP - timedelta(minutes=1))).then_error(
        ErrorCode.RULE_VIOLATED, "gemeld_op"
    )


def test_the_decision_norm_and_its_warning_are_configurable() -> None:
    d = make_rulebook(
        REGIO, besluit_binnen=timedelta(hours=24), waarschuwing_na=timedelta(hours=20)
    ).decider

    DeciderSpec(d).when(cmd(meld())).then(
        gemeld_event(
            besluit_uiterlijk=GEMELD_OP + timedelta(hours=24),
            waarschuwing_op=GEMELD_OP + timedelta(hours=20),
        )
    )


@pytest.mark.parametrize(
    ("binnen", "waarschuwing"),
    [(18, 18), (18, 19), (0, 0), (18, -1)],
)
def test_the_warning_must_come_before_the_norm(binnen: int, waarschuwing: int) -> None:
    with pytest.raises(ValueError, match=r"besluit_binnen|waarschuwing_na"):
        make_rulebook(
            REGIO,
            besluit_binnen=timedelta(hours=binnen),
            waarschuwing_na=timedelta(hours=waarschuwing),
        )


def test_a_region_without_gemeenten_is_refused() -> None:
    with pytest.raises(ValueError, match="regio"):
        make_rulebook(frozenset())


def test_the_state_exposes_the_norm_for_a_deadline_view() -> None:
    state = decider().fold(gemeld())

    assert state.open and not state.besloten
    assert state.besluit_uiterlijk == BESLUIT_UITERLIJK
    assert state.waarschuwing_op == WAARSCHUWING_OP
    assert state.eindigt_op is None
    assert state.gemeente == GEMEENTE
