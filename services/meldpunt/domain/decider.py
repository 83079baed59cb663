"""The melding decider: one case per melding, dispatching each command to its rule."""

from __future__ import annotations

from typing import Any

from wvggz_contracts.events import DomainEvent
from wvggz_contracts.meldpunt import (
    VO_TERMIJN_DAGEN,
    OverdraagMelding,
    RegistreerMelding,
    RegistreerVoAfsluiting,
    RondTriageAf,
)

from kernel.decider import Command, Decider, violated
from services.meldpunt.domain.overdracht import draag_over
from services.meldpunt.domain.registratie import registreer
from services.meldpunt.domain.state import Melding, evolve, gemeente_of
from services.meldpunt.domain.toegang import authorize
from services.meldpunt.domain.triage import rond_triage_af
from services.meldpunt.domain.vo_afsluiting import registreer_vo_afsluiting


def make_decider(
    regio: frozenset[str], vo_termijn_dagen: int = VO_TERMIJN_DAGEN
) -> Decider[Melding]:
    """The melding decider for a region of gemeenten and a VO term in calendar days."""
    if vo_termijn_dagen < 1:
        raise ValueError(f"de VO-termijn moet minstens 1 dag zijn, niet {vo_termijn_dagen}")

    def decide(command: Command[Any], state: Melding) -> list[DomainEvent]:
        payload = command.payload
        if isinstance(payload, RegistreerMelding):
            return registreer(command, state, regio, vo_termijn_dagen)
        if isinstance(payload, OverdraagMelding):
            return draag_over(command, state, regio)
        if isinstance(payload, RondTriageAf):
            return rond_triage_af(command, state)
        if isinstance(payload, RegistreerVoAfsluiting):
            return registreer_vo_afsluiting(command, state)
        raise violated(f"onbekend commando voor een melding: {type(payload).__name__}")

    return Decider(
        category="melding",
        initial_state=Melding(),
        evolve=evolve,
        decide=decide,
        authorize=authorize,
        gemeente_of=gemeente_of,
    )
