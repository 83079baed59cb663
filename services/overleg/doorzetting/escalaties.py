"""An escalated case on the ladder: the state its events fold into, and its rules."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Final
from uuid import UUID

from wvggz_contracts.commands import ErrorCode
from wvggz_contracts.doorzetting import (
    LADDER,
    EscalatieGeregistreerd,
    EscalatieOpgelost,
    EscalatieOpgeschaald,
    EscalatieStagneert,
    LosEscalatieOp,
    Niveau,
    RegistreerEscalatie,
    SchaalOp,
    SignaleerStagnatie,
)
from wvggz_contracts.events import DomainEvent

from kernel.decider import Command, DomainError, violated
from services.overleg.doorzetting.tafels import in_regio

OMSCHRIJVING: Final[dict[Niveau, str]] = {
    Niveau.LOKAAL: "wijkteam of procesmanager",
    Niveau.REGIONAAL: "regionale tafel",
    Niveau.BOVENREGIONAAL: "bovenregionale tafel hoogcomplexe ggz",
    Niveau.BESTUURLIJK: "bestuurlijk escalatie-overleg",
    Niveau.MINISTER: "minister van VWS",
}
"""Who deals with a case on each rung, in words for people."""


def fase_in_woorden(niveau: Niveau, *, opgelost: bool, stagneert: bool) -> str:
    """Where a case stands, in words for people (the dossier and the list show it)."""
    if opgelost:
        return f"opgelost op niveau {niveau}"
    fase = f"op niveau {niveau} ({OMSCHRIJVING[niveau]})"
    return f"{fase}, stagneert" if stagneert else fase


@dataclass(frozen=True)
class Escalatie:
    """A case's rung, since when, whether it was resolved, and the rungs it stagnated on."""

    gemeente: str | None = None
    niveau: Niveau = Niveau.LOKAAL
    sinds: datetime | None = None
    """When the case reached its current rung; None before it is registered."""
    tafel_id: UUID | None = None
    opgelost: bool = False
    gesignaleerd: frozenset[Niveau] = frozenset()

    @property
    def fase(self) -> str:
        """Where the case stands, in words for people."""
        if self.gemeente is None:
            return ""
        stagneert = self.niveau in self.gesignaleerd
        return fase_in_woorden(self.niveau, opgelost=self.opgelost, stagneert=stagneert)


def evolve(state: Escalatie, event: DomainEvent) -> Escalatie:
    """The case after one more event."""
    if isinstance(event, EscalatieGeregistreerd):
        return Escalatie(
            gemeente=event.gemeente, niveau=event.niveau, sinds=event.sinds, tafel_id=event.tafel_id
        )
    if isinstance(event, EscalatieOpgeschaald):
        return replace(state, niveau=event.naar, sinds=event.sinds, tafel_id=event.tafel_id)
    if isinstance(event, EscalatieOpgelost):
        return replace(state, opgelost=True)
    if isinstance(event, EscalatieStagneert):
        return replace(state, gesignaleerd=state.gesignaleerd | {event.niveau})
    return state


def gemeente_of(state: Escalatie) -> str | None:
    """The gemeente where the person lives, which holds final responsibility."""
    return state.gemeente


def lopend(state: Escalatie, _command: Command[Any]) -> None:
    """A case is moved up, resolved or signalled while it exists and is not resolved."""
    if state.gemeente is None:
        raise DomainError(
            ErrorCode.NOT_FOUND, "geen escalatie met dit escalatie_id", "escalatie_id"
        )
    if state.opgelost:
        raise violated("deze escalatie is al opgelost", "escalatie_id")


def registreer(
    command: Command[RegistreerEscalatie], state: Escalatie, regio: frozenset[str]
) -> list[DomainEvent]:
    """A new case of a gemeente of the region, once."""
    if state.gemeente is not None:
        raise violated("deze escalatie is al geregistreerd", "escalatie_id")
    p = command.payload
    in_regio(p.gemeente, regio)
    return [
        EscalatieGeregistreerd(
            escalatie_id=p.escalatie_id,
            gemeente=p.gemeente,
            referentie=p.referentie,
            niveau=p.niveau,
            tafel_id=p.tafel_id,
            clientondersteuner=p.clientondersteuner,
            reden=p.reden,
            sinds=command.at,
        )
    ]


def schaal_op(command: Command[SchaalOp], state: Escalatie) -> list[DomainEvent]:
    """Move the case to a higher rung (rungs may be skipped, never gone back to)."""
    p = command.payload
    huidig = state.niveau
    if p.naar == huidig:
        raise violated(f"de escalatie staat al op niveau {huidig}", "naar")
    if not p.naar.hoger_dan(huidig):
        hoger = [str(niveau) for niveau in LADDER if niveau.hoger_dan(huidig)]
        kies = f"kies {' of '.join(hoger)}" if hoger else "los de escalatie op"
        raise violated(
            f"opschalen gaat alleen omhoog: niveau {p.naar} ligt onder {huidig}; {kies}", "naar"
        )
    return [
        EscalatieOpgeschaald(
            escalatie_id=p.escalatie_id,
            van=huidig,
            naar=p.naar,
            tafel_id=p.tafel_id,
            reden=p.reden,
            door_clientondersteuner=p.door_clientondersteuner,
            sinds=command.at,
        )
    ]


def los_op(command: Command[LosEscalatieOp], state: Escalatie) -> list[DomainEvent]:
    """Resolve the case on its current rung."""
    p = command.payload
    return [
        EscalatieOpgelost(
            escalatie_id=p.escalatie_id,
            niveau=state.niveau,
            uitkomst=p.uitkomst,
            opgelost_op=command.at,
        )
    ]


def signaleer_stagnatie(
    command: Command[SignaleerStagnatie], state: Escalatie
) -> list[DomainEvent]:
    """Record once per rung reached that the case stands still there.

    The signal names the rung and the moment it was reached, so a signal computed before the
    case moved up cannot land on its new rung.
    """
    p = command.payload
    if p.niveau != state.niveau or p.sinds != state.sinds:
        raise violated(
            f"de escalatie staat niet meer op niveau {p.niveau} sinds dat moment", "niveau"
        )
    if p.niveau in state.gesignaleerd:
        raise violated(f"de stagnatie op niveau {p.niveau} is al gesignaleerd", "niveau")
    return [
        EscalatieStagneert(
            escalatie_id=p.escalatie_id,
            niveau=p.niveau,
            sinds=p.sinds,
            gesignaleerd_op=command.at,
        )
    ]
