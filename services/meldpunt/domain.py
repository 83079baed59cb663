"""Pure rules of a melding: who may register it, what registering it records."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any
from uuid import UUID

from wvggz_contracts.commands import Rol
from wvggz_contracts.events import DomainEvent
from wvggz_contracts.meldpunt import MeldingOntvangen, RegistreerMelding

from kernel.decider import Command, CommandSpec, Decider, derived_id, refuse, violated

REGISTREERDERS = frozenset({Rol.TRIAGIST})
"""Roles that may register a melding."""


@dataclass(frozen=True, slots=True)
class Melding:
    """What the rules need to know of one melding."""

    melding_id: UUID | None = None
    gemeente: str | None = None

    @property
    def bestaat(self) -> bool:
        """Whether the melding was registered."""
        return self.melding_id is not None


def evolve(state: Melding, event: DomainEvent) -> Melding:
    """The melding after one more event."""
    if isinstance(event, MeldingOntvangen):
        return replace(state, melding_id=event.melding_id, gemeente=event.gemeente)
    return state


def melding_id_for(command: Command[RegistreerMelding]) -> UUID:
    """A new melding's id follows from the command id, so a retried registration repeats it."""
    return derived_id(command.command_id, "melding")


def make_decider(regio: frozenset[str]) -> Decider[Melding]:
    """The melding decider for a region of gemeenten."""

    def authorize(command: Command[Any], state: Melding) -> None:
        actor = command.actor
        if actor.rol not in REGISTREERDERS:
            raise refuse(f"de rol {actor.rol} mag geen melding registreren")
        gemeente = state.gemeente or command.payload.gemeente
        if actor.gemeente != gemeente:
            raise refuse(f"{actor.gemeente} mag niet handelen voor een zaak van {gemeente}")

    def decide(command: Command[Any], state: Melding) -> list[DomainEvent]:
        payload = command.payload
        if not isinstance(payload, RegistreerMelding):
            raise violated(f"onbekend commando voor een melding: {type(payload).__name__}")
        if state.bestaat:
            raise violated("deze melding is al geregistreerd")
        if payload.gemeente not in regio:
            raise violated(f"gemeente {payload.gemeente} hoort niet bij deze regio", "gemeente")
        if payload.ontvangen_op > command.at:
            raise violated("het ontvangstmoment ligt in de toekomst", "ontvangen_op")
        return [
            MeldingOntvangen(
                melding_id=melding_id_for(command),
                gemeente=payload.gemeente,
                ontvangen_op=payload.ontvangen_op,
                kanaal=payload.kanaal,
                melder=payload.melder,
                betrokkene=payload.betrokkene,
                situatie=payload.situatie,
            )
        ]

    return Decider(
        category="melding",
        initial_state=Melding(),
        evolve=evolve,
        decide=decide,
        authorize=authorize,
        gemeente_of=lambda state: state.gemeente,
    )


REGISTREER_MELDING = CommandSpec(
    name="registreer-melding",
    payload=RegistreerMelding,
    case_id=melding_id_for,
    description="Registreer een melding over een persoon om wie de melder zich zorgen maakt.",
)
