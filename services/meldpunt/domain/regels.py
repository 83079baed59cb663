"""Every meldpunt command, declared once: who may give it, on which melding, and its rule."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from wvggz_contracts.commands import Rol
from wvggz_contracts.meldpunt import (
    VO_TERMIJN_ATW,
    VO_TERMIJN_DAGEN,
    OverdraagMelding,
    RegistreerMelding,
    RegistreerVoAfsluiting,
    RondTriageAf,
)

from kernel.decider import Command, derived_id
from kernel.rules import Rulebook, rule
from services.meldpunt.domain.overdracht import draag_over
from services.meldpunt.domain.registratie import SAMENHANG, registreer
from services.meldpunt.domain.state import Melding, evolve, gemeente_of, te_triageren
from services.meldpunt.domain.triage import rond_triage_af
from services.meldpunt.domain.vo_afsluiting import registreer_vo_afsluiting

CATEGORY = "melding"
"""Stream category of a melding: `melding-<melding_id>`."""

REGISTREER_MELDING = "registreer-melding"
OVERDRAAG_MELDING = "overdraag-melding"
ROND_TRIAGE_AF = "rond-triage-af"
REGISTREER_VO_AFSLUITING = "registreer-vo-afsluiting"


def melding_id_for(command: Command[RegistreerMelding]) -> UUID:
    """A new melding's id follows from the command id, so a retried registration repeats it."""
    return derived_id(command.command_id, "melding")


def nog_te_triageren(state: Melding, _command: Command[Any]) -> None:
    """Handover and triage: only a received melding that was not triaged yet."""
    te_triageren(state)


def make_rulebook(
    regio: frozenset[str], vo_termijn_dagen: int = VO_TERMIJN_DAGEN, *, atw: bool = VO_TERMIJN_ATW
) -> Rulebook[Melding]:
    """The meldpunt's rules for a region of gemeenten and a VO term in days (with or without
    the Algemene termijnenwet)."""
    if vo_termijn_dagen < 1:
        raise ValueError(f"de VO-termijn moet minstens 1 dag zijn, niet {vo_termijn_dagen}")
    triagist = frozenset({Rol.TRIAGIST})
    return Rulebook(
        category=CATEGORY,
        zaak="een melding",
        fase_van=lambda state: state.fase,
        resource="meldingen",
        initial_state=Melding(),
        evolve=evolve,
        gemeente_of=gemeente_of,
        rules=(
            rule(
                name=REGISTREER_MELDING,
                payload=RegistreerMelding,
                description="Registreer een melding over een persoon om wie de melder zich"
                " zorgen maakt.",
                rollen=triagist,
                handeling="een melding registreren",
                case_id=melding_id_for,
                decide=lambda state, command: registreer(
                    command, state, melding_id_for(command), regio, vo_termijn_dagen, atw
                ),
                lookups=(SAMENHANG,),
                opent=True,
                gemeente=lambda payload: payload.gemeente,
            ),
            rule(
                name=OVERDRAAG_MELDING,
                payload=OverdraagMelding,
                description="Draag een nog niet getriageerde melding over aan een andere"
                " gemeente in de regio.",
                rollen=frozenset({Rol.TRIAGIST, Rol.FUNCTIONEEL_BEHEER}),
                handeling="een melding overdragen",
                case_id=lambda command: command.payload.melding_id,
                decide=lambda state, command: draag_over(command, state, regio),
                fase=nog_te_triageren,
            ),
            rule(
                name=ROND_TRIAGE_AF,
                payload=RondTriageAf,
                description="Leg de triage van een melding vast: de drie vragen beoordeeld en"
                " het vervolg.",
                rollen=triagist,
                handeling="de triage afronden",
                case_id=lambda command: command.payload.melding_id,
                decide=lambda state, command: rond_triage_af(command, state),
                fase=nog_te_triageren,
            ),
            rule(
                name=REGISTREER_VO_AFSLUITING,
                payload=RegistreerVoAfsluiting,
                description="De dienst zelf: het verkennend onderzoek van deze melding is"
                " afgesloten.",
                rollen=frozenset({Rol.SYSTEEM}),
                handeling="een VO-afsluiting registreren",
                case_id=lambda command: command.payload.melding_id,
                decide=lambda state, command: registreer_vo_afsluiting(command, state),
            ),
        ),
    )
