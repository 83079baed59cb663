"""A verstrekking on its own: a partner fetched an event's content, recorded as it is answered."""

from __future__ import annotations

from dataclasses import dataclass

from wvggz_contracts.brieven import (
    RegistreerVerstrekking,
    VerstrekkingGeregistreerd,
    Verzendwijze,
)
from wvggz_contracts.commands import Rol
from wvggz_contracts.events import DomainEvent

from kernel.decider import Command, violated
from kernel.rules import Rulebook, rule

CATEGORY = "verstrekking"
"""Stream category of a fetch: `verstrekking-<verstrekking_id>`, one stream per fetch."""


@dataclass(frozen=True)
class Verstrekking:
    """A registered fetch."""

    geregistreerd: VerstrekkingGeregistreerd | None = None


def evolve(state: Verstrekking, event: DomainEvent) -> Verstrekking:
    """The fetch once registered."""
    if isinstance(event, VerstrekkingGeregistreerd):
        return Verstrekking(event)
    return state


def registreer(command: Command[RegistreerVerstrekking], state: Verstrekking) -> list[DomainEvent]:
    """Record one fetch, once."""
    if state.geregistreerd is not None:
        raise violated("deze verstrekking is al geregistreerd", "verstrekking_id")
    p = command.payload
    return [
        VerstrekkingGeregistreerd(
            event_id=p.event_id,
            type=p.type,
            zaak=p.zaak,
            aan=p.aan,
            partner_id=p.partner_id,
            categorieen=list(p.categorieen),
            grondslag=p.grondslag,
            wijze=Verzendwijze.OPGEHAALD,
            op=command.at,
        )
    ]


def make_verstrekking_rulebook() -> Rulebook[Verstrekking]:
    """The one rule: the service records a fetch as it answers it."""
    return Rulebook(
        category=CATEGORY,
        zaak="een verstrekking",
        resource="verstrekkingen",
        fase_van=lambda state: "geregistreerd" if state.geregistreerd else "",
        initial_state=Verstrekking(),
        evolve=evolve,
        gemeente_of=lambda state: None,
        rules=(
            rule(
                name="registreer-verstrekking",
                payload=RegistreerVerstrekking,
                description="Registreer dat een partner inhoud ophaalde (alleen de dienst zelf).",
                rollen=frozenset({Rol.SYSTEEM}),
                handeling="een verstrekking registreren",
                case_id=lambda command: command.payload.verstrekking_id,
                decide=lambda state, command: registreer(command, state),
                opent=True,
                gemeente=lambda payload: payload.gemeente,
            ),
        ),
    )
