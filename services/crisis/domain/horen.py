"""Hoorplicht: the mandated hoorder's report, or why hearing was impossible (bijlage 4 art. 3)."""

from __future__ import annotations

from wvggz_contracts.crisis import (
    HoorverslagVastgelegd,
    HorenOnmogelijk,
    LegHoorverslagVast,
    LegHorenOnmogelijkVast,
)
from wvggz_contracts.events import DomainEvent
from wvggz_contracts.rechtstijd import leeftijd_op, lokale_datum

from kernel.decider import Command, derived_id, violated
from services.crisis.domain.mandaat import HOORMANDAAT, Hoorbevoegdheid
from services.crisis.domain.state import Crisis, gemeld

JEUGD_GRENS = 16
"""Below this age both the youth and a legal representative are heard (bijlage 4 art. 3 lid 6)."""


def leg_hoorverslag_vast(command: Command[LegHoorverslagVast], state: Crisis) -> list[DomainEvent]:
    """Record the hearing, with the hoorder's party and its mandate as the service found them in
    the register; it replaces an earlier "impossible", never an earlier report.

    The betrokkene's age is taken on the Amsterdam day of the hearing, not of the recording; an
    unknown birth date needs the hoorder's statement (`leeftijd_verklaring`)."""
    p = command.payload
    crisis = gemeld(state)
    _nog_geen_advies(state)
    if state.hoorverslag is not None:
        raise violated("er is al een hoorverslag vastgelegd", "hoorverslag")
    if p.gehoord_op > command.at:
        raise violated("het horen ligt in de toekomst", "gehoord_op")
    if p.gehoord_op < crisis.gemeld_op:
        raise violated("het horen ligt vóór de melding van de crisis", "gehoord_op")
    geboren = crisis.betrokkene.geboortedatum
    if geboren is None:
        if p.leeftijd_verklaring is None:
            raise violated(
                "de geboortedatum van de betrokkene is onbekend: verklaar of de betrokkene jonger "
                "dan 16 jaar is en waarop dat berust",
                "leeftijd_verklaring",
            )
        jeugdig = p.leeftijd_verklaring.jonger_dan_16
    else:
        if p.leeftijd_verklaring is not None:
            raise violated(
                "de geboortedatum van de betrokkene is bekend: de leeftijd volgt daaruit, "
                "zonder leeftijdsverklaring",
                "leeftijd_verklaring",
            )
        jeugdig = leeftijd_op(geboren, lokale_datum(p.gehoord_op)) < JEUGD_GRENS
    if jeugdig and p.wettelijk_vertegenwoordiger_gehoord is not True:
        raise violated(
            "het horen is onvolledig: bij een jeugdige jonger dan 16 jaar moet ook een "
            "wettelijk vertegenwoordiger gehoord worden",
            "wettelijk_vertegenwoordiger_gehoord",
        )
    bevoegdheid = _bevoegdheid(command.feit(HOORMANDAAT))
    mandaat = bevoegdheid.mandaat
    if mandaat is None:  # the rule's toegang refuses this already; here for the type checker
        raise violated("het hoormandaat ontbreekt")
    return [
        HoorverslagVastgelegd(
            crisis_id=p.crisis_id,
            verslag_id=derived_id(command.command_id, "hoorverslag"),
            hoorder=p.hoorder,
            partij=bevoegdheid.registratie.partij,
            mandaat=mandaat,
            gehoord_op=p.gehoord_op,
            wijze=p.wijze,
            wensen_en_voorkeuren=p.wensen_en_voorkeuren,
            crisiskaart_geraadpleegd=p.crisiskaart_geraadpleegd,
            tolk_gebruikt=p.tolk_gebruikt,
            naasten_aanwezig=p.naasten_aanwezig,
            pvp_uitgelegd=p.pvp_uitgelegd,
            toestemming_gegevens_pvp=p.toestemming_gegevens_pvp,
            jonger_dan_16=jeugdig,
            wettelijk_vertegenwoordiger_gehoord=p.wettelijk_vertegenwoordiger_gehoord,
            vastgelegd_op=command.at,
            registratie=bevoegdheid.registratie,
            geboortedatum_onbekend=geboren is None,
            leeftijd_verklaring=p.leeftijd_verklaring,
        )
    ]


def leg_horen_onmogelijk_vast(
    command: Command[LegHorenOnmogelijkVast], state: Crisis
) -> list[DomainEvent]:
    """Record why hearing was impossible, once, while no hearing outcome exists, with the
    recording hoorder's party and its mandate as the service found them in the register."""
    _nog_geen_advies(state)
    if state.hoorverslag is not None:
        raise violated("de betrokkene is al gehoord; er is een hoorverslag", "hoorverslag")
    if state.horen_onmogelijk is not None:
        raise violated("er is al vastgelegd dat horen onmogelijk is", "reden")
    bevoegdheid = _bevoegdheid(command.feit(HOORMANDAAT))
    return [
        HorenOnmogelijk(
            crisis_id=command.payload.crisis_id,
            reden=command.payload.reden,
            vastgelegd_door=command.actor.id,
            vastgelegd_op=command.at,
            partij=bevoegdheid.registratie.partij,
            registratie=bevoegdheid.registratie,
            mandaat=bevoegdheid.mandaat,
        )
    ]


def _bevoegdheid(gevonden: Hoorbevoegdheid | None) -> Hoorbevoegdheid:
    """The looked-up registration; the rule's toegang refused a user without one already."""
    if gevonden is None:
        raise violated("de hoorder staat niet in het mandaatregister")
    return gevonden


def _nog_geen_advies(state: Crisis) -> None:
    if state.advies is not None:
        raise violated("het integraal advies is al samengesteld; het horen ligt vast")
