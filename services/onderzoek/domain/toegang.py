"""Authorisation: which roles may give a command, and only for a case of their own gemeente."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from wvggz_contracts.commands import Rol

from kernel.decider import Command, refuse


@dataclass(frozen=True, slots=True)
class Bevoegdheid:
    """The roles that may give one command, and what it does (for a refusal's message)."""

    rollen: frozenset[Rol]
    handeling: str


def eis_bevoegd(
    command: Command[Any],
    bevoegdheden: Mapping[type[BaseModel], Bevoegdheid],
    gemeente: str | None,
    zaak: str,
) -> None:
    """Refuse unless the actor has a permitted role and acts for `gemeente` (when known)."""
    actor = command.actor
    bevoegdheid = bevoegdheden.get(type(command.payload))
    if bevoegdheid is None:
        raise refuse(f"onbekend commando voor {zaak}: {type(command.payload).__name__}")
    if actor.rol not in bevoegdheid.rollen:
        rollen = " of ".join(sorted(bevoegdheid.rollen))
        wie = (
            f"de rol {rollen} mag" if len(bevoegdheid.rollen) == 1 else f"de rollen {rollen} mogen"
        )
        raise refuse(f"alleen {wie} {bevoegdheid.handeling}, niet de rol {actor.rol}")
    if gemeente is not None and actor.gemeente != gemeente:
        raise refuse(f"{actor.gemeente} mag niet handelen voor {zaak} van {gemeente}")
