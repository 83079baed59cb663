"""An overlegtafel of the region's directory: the state its events fold into, and its rules."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from wvggz_contracts.commands import ErrorCode
from wvggz_contracts.doorzetting import (
    HefTafelOp,
    RegistreerTafel,
    TafelGeregistreerd,
    TafelGewijzigd,
    TafelOpgeheven,
    WijzigTafel,
)
from wvggz_contracts.events import DomainEvent

from kernel.decider import Command, DomainError, violated


@dataclass(frozen=True)
class Tafel:
    """A table as last described, and whether it was ended."""

    gegevens: TafelGeregistreerd | TafelGewijzigd | None = None
    opgeheven: bool = False

    @property
    def fase(self) -> str:
        """Where the table stands, in words for people."""
        if self.gegevens is None:
            return ""
        return "opgeheven" if self.opgeheven else "actief"


def evolve(state: Tafel, event: DomainEvent) -> Tafel:
    """The table after one more event."""
    if isinstance(event, TafelGeregistreerd | TafelGewijzigd):
        return replace(state, gegevens=event)
    if isinstance(event, TafelOpgeheven):
        return replace(state, opgeheven=True)
    return state


def gemeente_of(state: Tafel) -> str | None:
    """The gemeente whose functioneel beheer manages the table."""
    return state.gegevens.gemeente if state.gegevens else None


def actief(state: Tafel, _command: Command[Any]) -> None:
    """A table is changed or ended while it exists and was not ended."""
    if state.gegevens is None:
        raise DomainError(ErrorCode.NOT_FOUND, "geen overlegtafel met dit tafel_id", "tafel_id")
    if state.opgeheven:
        raise violated("deze overlegtafel is opgeheven", "tafel_id")


def in_regio(gemeente: str, regio: frozenset[str]) -> None:
    """Refuse a gemeente outside the region this service serves."""
    if gemeente not in regio:
        raise violated(f"gemeente {gemeente} hoort niet bij deze regio", "gemeente")


def registreer(
    command: Command[RegistreerTafel], state: Tafel, regio: frozenset[str]
) -> list[DomainEvent]:
    """A new table of a gemeente of the region, once (an ended table's id is not used again)."""
    if state.gegevens is not None:
        raise violated("deze overlegtafel is al geregistreerd", "tafel_id")
    p = command.payload
    in_regio(p.gemeente, regio)
    return [TafelGeregistreerd(**p.model_dump())]


def wijzig(command: Command[WijzigTafel], state: Tafel) -> list[DomainEvent]:
    """Replace the table's description; a change that changes nothing records nothing."""
    p = command.payload
    assert state.gegevens is not None  # the rule's phase check
    if p.gemeente != state.gegevens.gemeente:
        raise violated(
            f"de beherende gemeente van een tafel blijft {state.gegevens.gemeente}; hef de tafel"
            " op en laat de andere gemeente haar opnieuw registreren",
            "gemeente",
        )
    if p.model_dump() == state.gegevens.model_dump():
        return []
    return [TafelGewijzigd(**p.model_dump())]


def hef_op(command: Command[HefTafelOp], _state: Tafel) -> list[DomainEvent]:
    """End the table; it stays findable by its id, marked as no longer active."""
    p = command.payload
    return [TafelOpgeheven(tafel_id=p.tafel_id, reden=p.reden)]
