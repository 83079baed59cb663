"""Deadline signals: once each, idempotent on repeats, refused early; what a view finds due."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from pydantic import BaseModel
from wvggz_contracts.commands import ErrorCode
from wvggz_contracts.crisis import (
    BesluitTermijnVerstreken,
    BesluitTermijnWaarschuwing,
    CrisismaatregelVerlopen,
    RegistreerVerzoekVoortzetting,
    SignaleerBesluitTermijnVerstreken,
    SignaleerEindeMaatregel,
    SignaleerNaderendBesluit,
)

from kernel.decider import Command
from kernel.testing import DeciderSpec
from services.crisis.domain import Signaal, te_signaleren
from tests.services.crisis.fixtures import (
    AFWIJZING,
    BESLUIT_OP,
    BESLUIT_UITERLIJK,
    BURGEMEESTER,
    CRISIS_ID,
    EINDIGT_OP,
    GEMEENTE,
    OVJ,
    SYSTEEM,
    WAARSCHUWING_OP,
    besloten,
    besluit,
    cmd,
    decider,
    geadviseerd,
    gemeld,
    geschiedenis,
)

NADEREND = SignaleerNaderendBesluit(crisis_id=CRISIS_ID)
VERSTREKEN = SignaleerBesluitTermijnVerstreken(crisis_id=CRISIS_ID)
EINDE = SignaleerEindeMaatregel(crisis_id=CRISIS_ID)
VERSTREKEN_DUE = (SignaleerBesluitTermijnVerstreken, BESLUIT_UITERLIJK)


def signaal(payload: BaseModel, at: datetime) -> Command[Any]:
    return cmd(payload, SYSTEEM, at=at)


def test_the_warning_comes_once_from_its_moment() -> None:
    at = WAARSCHUWING_OP + timedelta(minutes=1)
    spec = DeciderSpec(decider()).given(*gemeld()).when(signaal(NADEREND, at))
    spec.then(
        BesluitTermijnWaarschuwing(
            crisis_id=CRISIS_ID,
            gemeente=GEMEENTE,
            besluit_uiterlijk=BESLUIT_UITERLIJK,
            gesignaleerd_op=at,
        )
    )
    DeciderSpec(decider()).given(*gemeld(), *spec.events).when(signaal(NADEREND, at)).then()


def test_the_norm_passing_is_recorded_once() -> None:
    at = BESLUIT_UITERLIJK
    spec = DeciderSpec(decider()).given(*gemeld()).when(signaal(VERSTREKEN, at))
    spec.then(
        BesluitTermijnVerstreken(
            crisis_id=CRISIS_ID,
            gemeente=GEMEENTE,
            besluit_uiterlijk=BESLUIT_UITERLIJK,
            gesignaleerd_op=at,
        )
    )
    given = [*gemeld(), *spec.events]
    DeciderSpec(decider()).given(*given).when(signaal(VERSTREKEN, at)).then()
    DeciderSpec(decider()).given(*given).when(signaal(NADEREND, at)).then()


def test_the_end_of_the_measure_is_recorded_once_and_closes_the_case() -> None:
    spec = DeciderSpec(decider()).given(*besloten()).when(signaal(EINDE, EINDIGT_OP))
    spec.then(
        CrisismaatregelVerlopen(
            crisis_id=CRISIS_ID,
            gemeente=GEMEENTE,
            eindigt_op=EINDIGT_OP,
            gesignaleerd_op=EINDIGT_OP,
        )
    )
    verlopen = [*besloten(), *spec.events]
    state = decider().fold(verlopen)
    assert state.verlopen and not state.open and not state.maatregel_loopt
    DeciderSpec(decider()).given(*verlopen).when(signaal(EINDE, EINDIGT_OP)).then()


@pytest.mark.parametrize(
    ("payload", "moment"),
    [(NADEREND, WAARSCHUWING_OP), (VERSTREKEN, BESLUIT_UITERLIJK), (EINDE, EINDIGT_OP)],
    ids=["naderend", "verstreken", "einde"],
)
def test_a_signal_before_its_moment_is_refused(
    payload: SignaleerNaderendBesluit | SignaleerBesluitTermijnVerstreken | SignaleerEindeMaatregel,
    moment: datetime,
) -> None:
    given = besloten() if payload is EINDE else gemeld()

    DeciderSpec(decider()).given(*given).when(
        signaal(payload, moment - timedelta(seconds=1))
    ).then_error(ErrorCode.RULE_VIOLATED)


@pytest.mark.parametrize("payload", [NADEREND, VERSTREKEN])
def test_decision_signals_after_a_decision_record_nothing(
    payload: SignaleerNaderendBesluit | SignaleerBesluitTermijnVerstreken,
) -> None:
    afgewezen = geschiedenis(
        cmd(besluit(AFWIJZING), BURGEMEESTER, at=BESLUIT_OP), basis=geadviseerd()
    )
    for given in (besloten(), afgewezen):
        DeciderSpec(decider()).given(*given).when(
            signaal(payload, BESLUIT_UITERLIJK + timedelta(hours=1))
        ).then()


def test_the_end_signal_without_a_measure_records_nothing() -> None:
    DeciderSpec(decider()).given(*geadviseerd()).when(
        signaal(EINDE, EINDIGT_OP + timedelta(days=1))
    ).then()


def test_a_voortzetting_moves_the_end_so_the_old_moment_is_early() -> None:
    donderdag = EINDIGT_OP - timedelta(days=1)
    verzoek = RegistreerVerzoekVoortzetting(crisis_id=CRISIS_ID, ingediend_op=donderdag)
    given = geschiedenis(cmd(verzoek, OVJ, at=donderdag), basis=besloten())

    DeciderSpec(decider()).given(*given).when(signaal(EINDE, EINDIGT_OP)).then_error(
        ErrorCode.RULE_VIOLATED
    )


@pytest.mark.parametrize(
    ("historie", "nu", "verwacht"),
    [
        ("gemeld", WAARSCHUWING_OP - timedelta(seconds=1), []),
        ("gemeld", WAARSCHUWING_OP, [(SignaleerNaderendBesluit, WAARSCHUWING_OP)]),
        ("gewaarschuwd", WAARSCHUWING_OP + timedelta(hours=1), []),
        # a watcher that was down past the norm sends only the passing, not a late warning
        ("gemeld", BESLUIT_UITERLIJK, [(SignaleerBesluitTermijnVerstreken, BESLUIT_UITERLIJK)]),
        (
            "gewaarschuwd",
            BESLUIT_UITERLIJK,
            [(SignaleerBesluitTermijnVerstreken, BESLUIT_UITERLIJK)],
        ),
        ("besloten", BESLUIT_UITERLIJK, []),
        ("besloten", EINDIGT_OP, [(SignaleerEindeMaatregel, EINDIGT_OP)]),
    ],
)
def test_a_view_finds_the_signals_due(
    historie: str, nu: datetime, verwacht: list[tuple[Signaal, datetime]]
) -> None:
    gewaarschuwd = geschiedenis(signaal(NADEREND, WAARSCHUWING_OP), basis=gemeld())
    events = {"gemeld": gemeld(), "gewaarschuwd": gewaarschuwd, "besloten": besloten()}[historie]

    assert te_signaleren(decider().fold(events), nu) == verwacht


def test_nothing_is_due_for_an_unknown_case() -> None:
    assert te_signaleren(decider().initial_state, EINDIGT_OP) == []
