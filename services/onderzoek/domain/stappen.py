"""Recording the steps of a VO: consulent, gesprek, OCO, GGZ consultation, leefgebied, rapport."""

from __future__ import annotations

from datetime import date, datetime

from wvggz_contracts.events import DomainEvent
from wvggz_contracts.onderzoek import (
    ConsulentToegewezen,
    GesprekVastgelegd,
    GgzConsultatieVastgelegd,
    LeefgebiedVastgelegd,
    LegGesprekVast,
    LegGgzConsultatieVast,
    LegLeefgebiedVast,
    LegOcoWijzingVast,
    LegRapportVast,
    OcoGewezen,
    VoRapportVastgelegd,
    WijsConsulentToe,
)
from wvggz_contracts.rechtstijd import lokale_datum

from kernel.decider import Command, derived_id, violated
from services.onderzoek.domain.parameters import Parameters
from services.onderzoek.domain.state import Onderzoek


def eis_niet_in_toekomst(datum: date, nu: datetime, field: str) -> None:
    """Refuse a date after today (in Amsterdam), naming the field."""
    if datum > lokale_datum(nu):
        raise violated(f"de datum {datum.isoformat()} ligt in de toekomst", field)


def wijs_consulent_toe(state: Onderzoek, command: Command[WijsConsulentToe]) -> list[DomainEvent]:
    """Assign (or reassign) a consulent; assigning the one already assigned changes nothing."""
    payload = command.payload
    if state.consulent == payload.consulent:
        return []
    return [ConsulentToegewezen(vo_id=payload.vo_id, consulent=payload.consulent)]


def leg_gesprek_vast(state: Onderzoek, command: Command[LegGesprekVast]) -> list[DomainEvent]:
    """A conversation that took place has a summary; one that did not has a reason."""
    payload = command.payload
    gegeven, ontbreekt = (
        ("samenvatting", "reden_geen_gesprek")
        if payload.vonden_plaats
        else ("reden_geen_gesprek", "samenvatting")
    )
    if getattr(payload, gegeven) is None:
        raise violated(f"vul {gegeven} in bij vonden_plaats={payload.vonden_plaats}", gegeven)
    if getattr(payload, ontbreekt) is not None:
        raise violated(
            f"{ontbreekt} hoort niet bij vonden_plaats={payload.vonden_plaats}", ontbreekt
        )
    eis_niet_in_toekomst(payload.datum, command.at, "datum")
    return [
        GesprekVastgelegd(
            vo_id=payload.vo_id,
            vonden_plaats=payload.vonden_plaats,
            datum=payload.datum,
            samenvatting=payload.samenvatting,
            reden_geen_gesprek=payload.reden_geen_gesprek,
        )
    ]


def leg_oco_wijzing_vast(
    state: Onderzoek, command: Command[LegOcoWijzingVast]
) -> list[DomainEvent]:
    """Record that the betrokkene was pointed to cliëntondersteuning."""
    payload = command.payload
    eis_niet_in_toekomst(payload.datum, command.at, "datum")
    return [OcoGewezen(vo_id=payload.vo_id, datum=payload.datum, toelichting=payload.toelichting)]


def leg_ggz_consultatie_vast(
    state: Onderzoek, command: Command[LegGgzConsultatieVast], parameters: Parameters
) -> list[DomainEvent]:
    """Hours above the VO's GGZ budget need a motivation (seed 001 §4.6.1.1.2: 2 h per VO)."""
    payload = command.payload
    eis_niet_in_toekomst(payload.datum, command.at, "datum")
    totaal = state.ggz_uren + payload.uren
    if totaal > parameters.ggz_budget_uren and payload.overschrijding_motivatie is None:
        raise violated(
            f"hiermee komt de GGZ-consultatie op {totaal} uur, boven het budget van "
            f"{parameters.ggz_budget_uren} uur; motiveer de overschrijding",
            "overschrijding_motivatie",
        )
    return [
        GgzConsultatieVastgelegd(
            vo_id=payload.vo_id,
            consultant=payload.consultant,
            datum=payload.datum,
            uren=payload.uren,
            onderwerp=payload.onderwerp,
            totaal_uren=totaal,
            budget_uren=parameters.ggz_budget_uren,
            overschrijding_motivatie=payload.overschrijding_motivatie,
            jeugdexpertise=payload.jeugdexpertise,
        )
    ]


def leg_leefgebied_vast(state: Onderzoek, command: Command[LegLeefgebiedVast]) -> list[DomainEvent]:
    """Record how a leefgebied stands; a later record of the same leefgebied replaces it."""
    payload = command.payload
    return [
        LeefgebiedVastgelegd(
            vo_id=payload.vo_id,
            leefgebied=payload.leefgebied,
            status=payload.status,
            ondersteuning_nodig=payload.ondersteuning_nodig,
            toelichting=payload.toelichting,
        )
    ]


def leg_rapport_vast(state: Onderzoek, command: Command[LegRapportVast]) -> list[DomainEvent]:
    """Record the report; its id follows from the command, and the aanvraag refers to it."""
    payload = command.payload
    return [
        VoRapportVastgelegd(
            vo_id=payload.vo_id,
            rapport_id=derived_id(command.command_id, "rapport"),
            samenvatting=payload.samenvatting,
            vastgelegd_op=command.at,
        )
    ]
