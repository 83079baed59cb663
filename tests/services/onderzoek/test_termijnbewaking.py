"""Deadline signals: recorded once while the VO is open; a repeat or a late one records nothing."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from wvggz_contracts.commands import ErrorCode
from wvggz_contracts.events import DomainEvent
from wvggz_contracts.onderzoek import (
    AfsluitReden,
    ConsulentToegewezen,
    SignaleerNaderendeTermijn,
    SignaleerTermijnVerstreken,
    TermijnVerstreken,
    TermijnWaarschuwing,
    VoAfgesloten,
)

from kernel.testing import DeciderSpec
from services.onderzoek.domain import make_rulebook
from tests.services.onderzoek.fixtures import (
    CONSULENT,
    DEADLINE,
    GEMEENTE,
    MELDING_ID,
    REGIO,
    SYSTEEM,
    VO_ID,
    WAARSCHUWING_OP,
    cmd,
    vo_geopend,
    vo_spec,
)

Signaal = SignaleerNaderendeTermijn | SignaleerTermijnVerstreken

NADERT = SignaleerNaderendeTermijn(vo_id=VO_ID)
VERSTREKEN = SignaleerTermijnVerstreken(vo_id=VO_ID)
TOEGEWEZEN = ConsulentToegewezen(vo_id=VO_ID, consulent="consulent-3")
GEWAARSCHUWD = TermijnWaarschuwing(
    vo_id=VO_ID, deadline=DEADLINE, consulent="consulent-3", gesignaleerd_op=WAARSCHUWING_OP
)
VERLOPEN = TermijnVerstreken(
    vo_id=VO_ID, deadline=DEADLINE, consulent="consulent-3", gesignaleerd_op=DEADLINE
)
AFGESLOTEN = VoAfgesloten(
    vo_id=VO_ID,
    melding_id=MELDING_ID,
    gemeente=GEMEENTE,
    reden=AfsluitReden.GEEN_AANVRAAG,
    toelichting="Verhuisd.",
    afgesloten_op=WAARSCHUWING_OP - timedelta(days=1),
)


@pytest.fixture
def spec() -> DeciderSpec:
    return vo_spec()


@pytest.mark.parametrize("na", [timedelta(0), timedelta(days=2), timedelta(days=30)])
def test_the_warning_is_recorded_from_the_warning_moment(spec: DeciderSpec, na: timedelta) -> None:
    at = WAARSCHUWING_OP + na

    spec.given(vo_geopend(), TOEGEWEZEN).when(cmd(NADERT, SYSTEEM, at)).then(
        GEWAARSCHUWD.model_copy(update={"gesignaleerd_op": at})
    )


@pytest.mark.parametrize("na", [timedelta(0), timedelta(hours=5)])
def test_the_expiry_is_recorded_from_the_deadline(spec: DeciderSpec, na: timedelta) -> None:
    at = DEADLINE + na

    spec.given(vo_geopend(), TOEGEWEZEN, GEWAARSCHUWD).when(cmd(VERSTREKEN, SYSTEEM, at)).then(
        VERLOPEN.model_copy(update={"gesignaleerd_op": at})
    )


def test_a_vo_without_consulent_still_gets_its_signals(spec: DeciderSpec) -> None:
    spec.given(vo_geopend()).when(cmd(VERSTREKEN, SYSTEEM, DEADLINE)).then(
        VERLOPEN.model_copy(update={"consulent": None})
    )


@pytest.mark.parametrize(
    ("signaal", "at"),
    [
        (NADERT, WAARSCHUWING_OP - timedelta(seconds=1)),
        (VERSTREKEN, DEADLINE - timedelta(seconds=1)),
    ],
)
def test_a_signal_before_its_moment_is_refused(
    spec: DeciderSpec, signaal: Signaal, at: datetime
) -> None:
    spec.given(vo_geopend()).when(cmd(signaal, SYSTEEM, at)).then_error(ErrorCode.RULE_VIOLATED)


@pytest.mark.parametrize(
    ("history", "signaal"),
    [
        # signalled before: idempotent
        ((TOEGEWEZEN, GEWAARSCHUWD), NADERT),
        ((TOEGEWEZEN, GEWAARSCHUWD, VERLOPEN), VERSTREKEN),
        # a warning after the expiry tells nobody anything new
        ((TOEGEWEZEN, VERLOPEN), NADERT),
        # the VO was concluded meanwhile: the watcher raced the conclusion
        ((AFGESLOTEN,), NADERT),
        ((AFGESLOTEN,), VERSTREKEN),
    ],
)
def test_a_repeated_or_pointless_signal_records_nothing_and_is_no_error(
    spec: DeciderSpec, history: tuple[DomainEvent, ...], signaal: Signaal
) -> None:
    spec.given(vo_geopend(), *history).when(cmd(signaal, SYSTEEM, DEADLINE)).then()


def test_a_vo_stays_open_after_its_term_passed_so_it_can_still_be_concluded() -> None:
    state = make_rulebook(REGIO).decider.fold([vo_geopend(), TOEGEWEZEN, GEWAARSCHUWD, VERLOPEN])

    assert state.open and state.gewaarschuwd and state.verstreken


@pytest.mark.parametrize("signaal", [NADERT, VERSTREKEN])
def test_only_the_system_signals_deadlines(spec: DeciderSpec, signaal: Signaal) -> None:
    spec.given(vo_geopend()).when(cmd(signaal, CONSULENT, DEADLINE)).then_error(ErrorCode.FORBIDDEN)
