"""Deadline signals: each is recorded once; a repeat, or one made moot, records nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from wvggz_contracts.crisis import (
    BesluitTermijnVerstreken,
    BesluitTermijnWaarschuwing,
    CrisismaatregelVerlopen,
    SignaleerBesluitTermijnVerstreken,
    SignaleerEindeMaatregel,
    SignaleerNaderendBesluit,
)
from wvggz_contracts.events import DomainEvent

from kernel.decider import Command, CommandSpec, violated
from services.crisis.domain.commands import (
    SIGNALEER_BESLUIT_TERMIJN_VERSTREKEN,
    SIGNALEER_EINDE_MAATREGEL,
    SIGNALEER_NADEREND_BESLUIT,
)
from services.crisis.domain.parameters import Parameters
from services.crisis.domain.state import Crisis, gemeld


def _wacht_op_besluit(state: Crisis) -> bool:
    return state.open and not state.besloten


def te_signaleren(state: Crisis, nu: datetime) -> list[tuple[CommandSpec[Any], datetime]]:
    """The signals due at `nu` for this case, each with the moment it fell due (for a view)."""
    crisis = state.gemeld
    if crisis is None:
        return []
    due: list[tuple[CommandSpec[Any], datetime]] = []
    if _wacht_op_besluit(state) and not state.besluit_termijn_verstreken:
        if nu >= crisis.besluit_uiterlijk:
            due.append((SIGNALEER_BESLUIT_TERMIJN_VERSTREKEN, crisis.besluit_uiterlijk))
        elif nu >= crisis.waarschuwing_op and not state.gewaarschuwd:
            due.append((SIGNALEER_NADEREND_BESLUIT, crisis.waarschuwing_op))
    eindigt_op = state.eindigt_op
    if state.maatregel_loopt and eindigt_op is not None and nu >= eindigt_op:
        due.append((SIGNALEER_EINDE_MAATREGEL, eindigt_op))
    return due


# The watcher may race a decision or send a signal twice after a restart: neither is an error, so
# both return no events. A signal before its moment is refused (RULE_VIOLATED): the watcher read a
# stale view, e.g. one from before a voortzetting moved `eindigt_op`.


def signaleer_naderend_besluit(
    command: Command[SignaleerNaderendBesluit], state: Crisis, _parameters: Parameters
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
    command: Command[SignaleerBesluitTermijnVerstreken], state: Crisis, _parameters: Parameters
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
    command: Command[SignaleerEindeMaatregel], state: Crisis, _parameters: Parameters
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
