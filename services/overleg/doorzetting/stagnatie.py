"""Stagnation signals: an open escalation that stood longer than allowed on its rung is signalled
once per rung reached; the service's deadline watcher sends them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from wvggz_contracts.doorzetting import Niveau

from kernel.deadlines import DueSignal
from services.overleg.doorzetting.regels import SIGNALEER_STAGNATIE
from services.overleg.doorzetting.views import EscalatieRij


@dataclass(frozen=True, slots=True)
class Stagnatiesignaal(DueSignal):
    """A stagnation that has come, with the rung and the moment it was reached."""

    niveau: Niveau
    sinds: datetime


def due_stagnaties(
    rows: Iterable[EscalatieRij], now: datetime, max_dagen: float
) -> list[DueSignal]:
    """A signal for each open escalation whose rung was reached more than `max_dagen` days ago
    and was not signalled on that rung yet.

    `due` is the moment reached plus `max_dagen`, not now: the signal's command id derives from
    it, so a restart repeats the same command and it is answered as a duplicate.
    """
    termijn = timedelta(days=max_dagen)
    signals: list[DueSignal] = []
    for row in rows:
        if row.status != "open" or row.niveau in row.gesignaleerd:
            continue
        due = row.sinds + termijn
        if due < now:
            signals.append(
                Stagnatiesignaal(
                    case_id=row.escalatie_id,
                    gemeente=row.gemeente,
                    signal=SIGNALEER_STAGNATIE,
                    due=due,
                    niveau=row.niveau,
                    sinds=row.sinds,
                )
            )
    return signals


def stagnatie_command(signal: DueSignal) -> dict[str, str]:
    """The payload of the `signaleer-stagnatie` command a signal from `due_stagnaties` sends."""
    if not isinstance(signal, Stagnatiesignaal):
        raise TypeError(f"{signal.signal} is geen stagnatiesignaal")
    return {
        "escalatie_id": str(signal.case_id),
        "niveau": str(signal.niveau),
        "sinds": signal.sinds.isoformat(),
    }
