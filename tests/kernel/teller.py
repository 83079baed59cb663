"""A tiny decider used to test the kernel without any real procedure: a counter per case."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar
from uuid import UUID

from pydantic import BaseModel, Field
from wvggz_contracts.commands import Rol
from wvggz_contracts.events import DomainEvent, EventRegistry

from kernel.decider import Command, CommandSpec, Decider, refuse, violated


class Verhoog(BaseModel):
    teller_id: UUID
    gemeente: str = Field(pattern=r"^GM\d{4}$")
    met: int = Field(ge=1, le=10)


class Verhoogd(DomainEvent):
    event_type: ClassVar[str] = "nl.wvggz.test.verhoogd.v1"

    teller_id: UUID
    gemeente: str
    met: int


@dataclass(frozen=True)
class Teller:
    gemeente: str | None = None
    stand: int = 0


def evolve(state: Teller, event: DomainEvent) -> Teller:
    assert isinstance(event, Verhoogd)
    return Teller(gemeente=event.gemeente, stand=state.stand + event.met)


def authorize(cmd: Command[Any], state: Teller) -> None:
    if cmd.actor.rol is not Rol.TRIAGIST:
        raise refuse("alleen een triagist telt")
    if cmd.actor.gemeente != (state.gemeente or cmd.payload.gemeente):
        raise refuse("andere gemeente")


def decide(cmd: Command[Any], state: Teller) -> list[DomainEvent]:
    if state.stand + cmd.payload.met > 10:
        raise violated("de teller gaat niet verder dan 10", "met")
    return [
        Verhoogd(
            teller_id=cmd.payload.teller_id, gemeente=cmd.payload.gemeente, met=cmd.payload.met
        )
    ]


TELLER = Decider(
    category="teller",
    initial_state=Teller(),
    evolve=evolve,
    decide=decide,
    authorize=authorize,
    gemeente_of=lambda s: s.gemeente,
)
VERHOOG = CommandSpec(
    name="verhoog",
    payload=Verhoog,
    case_id=lambda cmd: cmd.payload.teller_id,
    description="Verhoog de teller.",
)
EVENTS = EventRegistry([Verhoogd])
