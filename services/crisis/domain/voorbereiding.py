"""Before the decision: temporary compulsory care (art. 7:3) and the OvJ's data on the history."""

from __future__ import annotations

from wvggz_contracts.crisis import (
    LegTijdelijkeZorgVast,
    OvjGegevensGevraagd,
    OvjGegevensOntvangen,
    RegistreerOvjGegevens,
    TijdelijkeVerplichteZorgVastgelegd,
    VraagOvjGegevensOp,
)
from wvggz_contracts.events import DomainEvent

from kernel.decider import Command, derived_id, violated
from services.crisis.domain.state import Crisis, gemeld


def leg_tijdelijke_zorg_vast(
    command: Command[LegTijdelijkeZorgVast], state: Crisis
) -> list[DomainEvent]:
    """Record temporary compulsory care already started; several forms may be recorded."""
    p = command.payload
    if p.vanaf > command.at:
        raise violated("tijdelijke verplichte zorg wordt vastgelegd als zij begonnen is", "vanaf")
    return [
        TijdelijkeVerplichteZorgVastgelegd(
            crisis_id=p.crisis_id,
            zorg_id=derived_id(command.command_id, "tijdelijke-zorg"),
            zorg=p.zorg,
            vanaf=p.vanaf,
            vastgelegd_op=command.at,
        )
    ]


def vraag_ovj_gegevens_op(command: Command[VraagOvjGegevensOp], state: Crisis) -> list[DomainEvent]:
    """Ask the OvJ for the history; asking again (a reminder) is allowed."""
    crisis = gemeld(state)
    return [
        OvjGegevensGevraagd(
            crisis_id=crisis.crisis_id,
            gemeente=crisis.gemeente,
            aanvraag_id=derived_id(command.command_id, "ovj-gegevens"),
            betrokkene=crisis.betrokkene,
            gevraagd_door=command.actor.id,
            toelichting=command.payload.toelichting,
            gevraagd_op=command.at,
        )
    ]


def registreer_ovj_gegevens(
    command: Command[RegistreerOvjGegevens], state: Crisis
) -> list[DomainEvent]:
    """Record the OvJ's answer; the OvJ gives these data on request only."""
    p = command.payload
    if not state.ovj_gevraagd:
        raise violated("de officier is niet om gegevens gevraagd; vraag ze eerst op")
    return [
        OvjGegevensOntvangen(
            crisis_id=p.crisis_id,
            eerdere_crisismaatregelen=p.eerdere_crisismaatregelen,
            machtigingen=p.machtigingen,
            zorgmachtigingen=p.zorgmachtigingen,
            politie_en_justitiele_gegevens=p.politie_en_justitiele_gegevens,
            toelichting=p.toelichting,
            ontvangen_op=command.at,
        )
    ]
