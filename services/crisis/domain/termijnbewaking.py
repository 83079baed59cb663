"""Deadline signals: each is recorded once; a repeat, or one made moot, records nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from wvggz_contracts.crisis import (
    BesluitTermijnVerstreken,
    BesluitTermijnWaarschuwing,
    CrisismaatregelVerlopen,
    SignaleerBesluitTermijnVerstreken,
    SignaleerEindeMaatregel,
    SignaleerNaderendBesluit,
)
from wvggz_contracts.events import DomainEvent

from kernel.decider import Command, violated
from services.crisis.domain.state import Crisis, gemeld

Signaal = (
    type[SignaleerNaderendBesluit]
    | type[SignaleerBesluitTermijnVerstreken]
    | type[SignaleerEindeMaatregel]
)
"""The command that records a signal (its payload names only the case)."""


class Termijnstand(Protocol):
    """What the deadlines of one case depend on: a folded `Crisis`, or a view's row of it."""

    @property
    def open(self) -> bool: ...
    @property
    def besloten(self) -> bool: ...
    @property
    def maatregel_loopt(self) -> bool: ...
    @property
    def besluit_uiterlijk(self) -> datetime | None: ...
    @property
    def waarschuwing_op(self) -> datetime | None: ...
    @property
    def eindigt_op(self) -> datetime | None: ...
    @property
    def gewaarschuwd(self) -> bool: ...
    @property
    def besluit_termijn_verstreken(self) -> bool: ...


def _wacht_op_besluit(state: Termijnstand) -> bool:
    return state.open and not state.besloten


def te_signaleren(state: Termijnstand, nu: datetime) -> list[tuple[Signaal, datetime]]:
    """The signals due at `nu` for this case, each with the moment it fell due (for a view)."""
    due: list[tuple[Signaal, datetime]] = []
    besluit_uiterlijk, waarschuwing_op = state.besluit_uiterlijk, state.waarschuwing_op
    if _wacht_op_besluit(state) and not state.besluit_termijn_verstreken:
        if besluit_uiterlijk is not None and nu >= besluit_uiterlijk:
            due.append((SignaleerBesluitTermijnVerstreken, besluit_uiterlijk))
        elif waarschuwing_op is not None and nu >= waarschuwing_op and not state.gewaarschuwd:
            due.append((SignaleerNaderendBesluit, waarschuwing_op))
    eindigt_op = state.eindigt_op
    if state.maatregel_loopt and eindigt_op is not None and nu >= eindigt_op:
        due.append((SignaleerEindeMaatregel, eindigt_op))
    return due


# The watcher may race a decision or send a signal twice after a restart: neither is an error, so
# both return no events. A signal before its moment is refused (RULE_VIOLATED): the watcher read a
# stale view, e.g. one from before a voortzetting moved `eindigt_op`.


def signaleer_naderend_besluit(
    command: Command[SignaleerNaderendBesluit], state: Crisis
) -> list[DomainEvent]:
    """Warn once from `waarschuwing_op` while no decision was taken and the norm has not passed."""
    crisis = gemeld(state)
    if not _wacht_op_besluit(state) or state.gewaarschuwd or state.besluit_termijn_verstreken:
        return []
    if command.at < crisis.waarschuwing_op:
        raise violated(
            f"het waarschuwingsmoment {crisis.waarschuwing_op.isoformat()} is nog niet bereikt"
        )
    return [
        BesluitTermijnWaarschuwing(
            crisis_id=crisis.crisis_id,
            gemeente=crisis.gemeente,
            besluit_uiterlijk=crisis.besluit_uiterlijk,
            gesignaleerd_op=command.at,
        )
    ]


def signaleer_besluit_termijn_verstreken(
    command: Command[SignaleerBesluitTermijnVerstreken], state: Crisis
) -> list[DomainEvent]:
    """Record once that the norm passed without a decision; a decision stays possible."""
    crisis = gemeld(state)
    if not _wacht_op_besluit(state) or state.besluit_termijn_verstreken:
        return []
    if command.at < crisis.besluit_uiterlijk:
        raise violated(f"de besluittermijn loopt nog tot {crisis.besluit_uiterlijk.isoformat()}")
    return [
        BesluitTermijnVerstreken(
            crisis_id=crisis.crisis_id,
            gemeente=crisis.gemeente,
            besluit_uiterlijk=crisis.besluit_uiterlijk,
            gesignaleerd_op=command.at,
        )
    ]


def signaleer_einde_maatregel(
    command: Command[SignaleerEindeMaatregel], state: Crisis
) -> list[DomainEvent]:
    """Record once that a running measure reached its end moment; the case then closes."""
    crisis = gemeld(state)
    eindigt_op = state.eindigt_op
    if not state.maatregel_loopt or eindigt_op is None:
        return []
    if command.at < eindigt_op:
        raise violated(f"de crisismaatregel loopt nog tot {eindigt_op.isoformat()}")
    return [
        CrisismaatregelVerlopen(
            crisis_id=crisis.crisis_id,
            gemeente=crisis.gemeente,
            eindigt_op=eindigt_op,
            gesignaleerd_op=command.at,
        )
    ]
