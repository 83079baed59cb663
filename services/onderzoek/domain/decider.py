"""The VO decider: authorisation, the closed-case guard and dispatch to the rule per command."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from pydantic import BaseModel
from wvggz_contracts.commands import Rol
from wvggz_contracts.events import DomainEvent
from wvggz_contracts.onderzoek import (
    BeoordeelToets,
    Concludeer,
    LegGesprekVast,
    LegGgzConsultatieVast,
    LegLeefgebiedVast,
    LegOcoWijzingVast,
    LegRapportVast,
    OpenVerkennendOnderzoek,
    RegistreerOvjReactie,
    SignaleerNaderendeTermijn,
    SignaleerTermijnVerstreken,
    WijsConsulentToe,
)

from kernel.decider import Command, Decider, violated
from services.onderzoek.domain import conclusie, ovj, stappen, termijnbewaking, toetsen
from services.onderzoek.domain.opening import open_onderzoek
from services.onderzoek.domain.parameters import Parameters
from services.onderzoek.domain.state import Onderzoek, evolve, geopend
from services.onderzoek.domain.toegang import Bevoegdheid, eis_bevoegd

CATEGORY = "verkennend-onderzoek"
"""Stream category of a VO: `verkennend-onderzoek-<vo_id>`."""

Regel = Callable[[Command[Any], Onderzoek, Parameters], list[DomainEvent]]

CONSULENT = frozenset({Rol.CONSULENT})
SYSTEEM = frozenset({Rol.SYSTEEM})

# Any consulent of the VO's gemeente may record steps, not only the assigned one: colleagues
# stand in during absence, and the 14-day term cannot wait for one person.
BEVOEGDHEDEN: Mapping[type[BaseModel], Bevoegdheid] = {
    OpenVerkennendOnderzoek: Bevoegdheid(SYSTEEM, "een verkennend onderzoek openen"),
    WijsConsulentToe: Bevoegdheid(
        frozenset({Rol.CONSULENT, Rol.FUNCTIONEEL_BEHEER}), "een consulent toewijzen"
    ),
    LegGesprekVast: Bevoegdheid(CONSULENT, "een gesprek vastleggen"),
    LegOcoWijzingVast: Bevoegdheid(CONSULENT, "de wijzing op cliëntondersteuning vastleggen"),
    LegGgzConsultatieVast: Bevoegdheid(
        frozenset({Rol.CONSULENT, Rol.GGZ_CONSULTANT}), "een GGZ-consultatie vastleggen"
    ),
    BeoordeelToets: Bevoegdheid(CONSULENT, "een toets beoordelen"),
    LegLeefgebiedVast: Bevoegdheid(CONSULENT, "een leefgebied vastleggen"),
    LegRapportVast: Bevoegdheid(CONSULENT, "het rapport vastleggen"),
    Concludeer: Bevoegdheid(CONSULENT, "het onderzoek concluderen"),
    RegistreerOvjReactie: Bevoegdheid(
        frozenset({Rol.OVJ_KOPPELING}), "de reactie van de officier registreren"
    ),
    SignaleerNaderendeTermijn: Bevoegdheid(SYSTEEM, "een naderende termijn signaleren"),
    SignaleerTermijnVerstreken: Bevoegdheid(SYSTEEM, "een verstreken termijn signaleren"),
}
"""Who may give each command; the actor's gemeente must also be the VO's."""

REGELS: Mapping[type[BaseModel], Regel] = {
    OpenVerkennendOnderzoek: open_onderzoek,
    WijsConsulentToe: stappen.wijs_consulent_toe,
    LegGesprekVast: stappen.leg_gesprek_vast,
    LegOcoWijzingVast: stappen.leg_oco_wijzing_vast,
    LegGgzConsultatieVast: stappen.leg_ggz_consultatie_vast,
    BeoordeelToets: toetsen.beoordeel_toets,
    LegLeefgebiedVast: stappen.leg_leefgebied_vast,
    LegRapportVast: stappen.leg_rapport_vast,
    Concludeer: conclusie.concludeer,
    RegistreerOvjReactie: ovj.registreer_ovj_reactie,
    SignaleerNaderendeTermijn: termijnbewaking.signaleer_naderende_termijn,
    SignaleerTermijnVerstreken: termijnbewaking.signaleer_termijn_verstreken,
}
"""The rule that decides each command."""

NA_AFSLUITING = frozenset(
    {RegistreerOvjReactie, SignaleerNaderendeTermijn, SignaleerTermijnVerstreken}
)
"""Commands that still apply to a closed VO: the OvJ answers after it, signals become no-ops."""


def authorize(command: Command[Any], state: Onderzoek) -> None:
    """Refuse a role or gemeente that may not give this command for this VO."""
    # An unknown VO has no gemeente yet: opening checks the payload's, others get NOT_FOUND later.
    gemeente = state.gemeente
    if isinstance(command.payload, OpenVerkennendOnderzoek) and gemeente is None:
        gemeente = command.payload.gemeente
    eis_bevoegd(command, BEVOEGDHEDEN, gemeente, "een verkennend onderzoek")


def make_decider(
    regio: frozenset[str],
    waarschuwing_dagen: int = 10,
    ggz_budget_uren: Decimal | float = Decimal(2),
) -> Decider[Onderzoek]:
    """The VO decider for a region, with its warning moment and GGZ budget (in hours)."""
    parameters = Parameters(
        regio=regio,
        waarschuwing_dagen=waarschuwing_dagen,
        ggz_budget_uren=Decimal(str(ggz_budget_uren)),
    )

    def decide(command: Command[Any], state: Onderzoek) -> list[DomainEvent]:
        regel = REGELS.get(type(command.payload))
        if regel is None:
            raise violated(f"onbekend commando voor een VO: {type(command.payload).__name__}")
        if not isinstance(command.payload, OpenVerkennendOnderzoek):
            geopend(state)
            if not state.open and type(command.payload) not in NA_AFSLUITING:
                raise violated("het onderzoek is afgesloten")
        return regel(command, state, parameters)

    return Decider(
        category=CATEGORY,
        initial_state=Onderzoek(),
        evolve=evolve,
        decide=decide,
        authorize=authorize,
        gemeente_of=lambda state: state.gemeente,
    )
