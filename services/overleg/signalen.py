"""When a regio-overleg is owed a signal: a quarter without a planned meeting, a year without the
client and family organisations at the table."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Protocol
from uuid import UUID

from wvggz_contracts.overleg import kwartaal_grenzen, kwartaal_van
from wvggz_contracts.rechtstijd import TIJDZONE, lokale_datum

from kernel.deadlines import DueSignal

OVERLEG_ONTBREEKT = "overleg-ontbreekt"
CLIENTENPERSPECTIEF_ONTBREEKT = "clientenperspectief-ontbreekt"


class Vergaderd(Protocol):
    """A meeting as the signals need it."""

    @property
    def kwartaal(self) -> str: ...
    @property
    def met_clientenperspectief(self) -> bool: ...


class Overleg(Protocol):
    """An overleg as the signals need it (the view's row)."""

    @property
    def overleg_id(self) -> UUID: ...
    @property
    def gemeente(self) -> str: ...
    @property
    def ingesteld_op(self) -> datetime: ...
    @property
    def vergaderingen(self) -> Iterable[Vergaderd]: ...
    @property
    def ontbrekende_kwartalen(self) -> list[str]: ...
    @property
    def ontbrekende_jaren(self) -> list[int]: ...


def _begin(dag: date) -> datetime:
    return datetime.combine(dag, time(), TIJDZONE)


def due_signalen(
    overleggen: Iterable[Overleg], now: datetime, *, planning_dagen: int, clienten_maand: int
) -> list[DueSignal]:
    """The signals due now.

    A quarter needs a meeting planned in it by `planning_dagen` days after it starts (art. 8:31:
    at least once every three months); a year needs a meeting with the client and family
    organisations planned by the first day of month `clienten_maand`. Each is due at a fixed
    moment, so its command id is the same on every tick and after a restart; an overleg set up
    after that moment is not signalled for it (it could not have planned in time).
    """
    vandaag = lokale_datum(now)
    kwartaal = kwartaal_van(vandaag)
    planning_uiterlijk = _begin(kwartaal_grenzen(kwartaal)[0]) + timedelta(days=planning_dagen)
    clienten_uiterlijk = _begin(date(vandaag.year, clienten_maand, 1))
    due = []
    for overleg in overleggen:
        vergaderingen = list(overleg.vergaderingen)
        if (
            overleg.ingesteld_op < planning_uiterlijk <= now
            and kwartaal not in overleg.ontbrekende_kwartalen
            and not any(v.kwartaal == kwartaal for v in vergaderingen)
        ):
            due.append(
                DueSignal(
                    overleg.overleg_id, overleg.gemeente, OVERLEG_ONTBREEKT, planning_uiterlijk
                )
            )
        if (
            overleg.ingesteld_op < clienten_uiterlijk <= now
            and vandaag.year not in overleg.ontbrekende_jaren
            and not any(
                v.met_clientenperspectief and v.kwartaal.startswith(f"{vandaag.year}-")
                for v in vergaderingen
            )
        ):
            due.append(
                DueSignal(
                    overleg.overleg_id,
                    overleg.gemeente,
                    CLIENTENPERSPECTIEF_ONTBREEKT,
                    clienten_uiterlijk,
                )
            )
    return due


def signaal_payload(signal: DueSignal) -> dict[str, object]:
    """The payload of the command that records a due signal."""
    dag = lokale_datum(signal.due)
    if signal.signal == OVERLEG_ONTBREEKT:
        return {"overleg_id": str(signal.case_id), "kwartaal": kwartaal_van(dag)}
    return {"overleg_id": str(signal.case_id), "jaar": dag.year}
