"""Who may give which meldpunt command: a role, acting for the gemeente the melding belongs to."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from wvggz_contracts.commands import Rol
from wvggz_contracts.meldpunt import (
    OverdraagMelding,
    RegistreerMelding,
    RegistreerVoAfsluiting,
    RondTriageAf,
)

from kernel.decider import Command, refuse
from services.meldpunt.domain.state import Melding

BEVOEGD: dict[type[BaseModel], tuple[str, frozenset[Rol]]] = {
    RegistreerMelding: ("melding registreren", frozenset({Rol.TRIAGIST})),
    OverdraagMelding: ("melding overdragen", frozenset({Rol.TRIAGIST, Rol.FUNCTIONEEL_BEHEER})),
    RondTriageAf: ("triage afronden", frozenset({Rol.TRIAGIST})),
    RegistreerVoAfsluiting: ("VO-afsluiting registreren", frozenset({Rol.SYSTEEM})),
}
"""Per command: what it does (Dutch, for refusals) and the roles that may give it."""


def authorize(command: Command[Any], state: Melding) -> None:
    """Refuse a command whose actor lacks the role or acts for another gemeente."""
    payload = command.payload
    bevoegdheid = BEVOEGD.get(type(payload))
    if bevoegdheid is None:
        raise refuse(f"onbekend commando voor een melding: {type(payload).__name__}")
    handeling, rollen = bevoegdheid
    actor = command.actor
    if actor.rol not in rollen:
        toegestaan = ", ".join(sorted(rollen))
        raise refuse(f"de rol {actor.rol} mag geen {handeling}; dat mag alleen: {toegestaan}")
    if state.bestaat:
        gemeente = state.gemeente
    elif isinstance(payload, RegistreerMelding):
        gemeente = payload.gemeente
    else:
        return  # an unknown melding belongs to nobody: decide answers not_found
    if actor.gemeente != gemeente:
        raise refuse(f"{actor.gemeente} mag niet handelen voor een melding van {gemeente}")
