"""Registering a melding: where it belongs, when its VO term ends, what the melder hears."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from wvggz_contracts.events import DomainEvent
from wvggz_contracts.meldpunt import TIJDZONE, MeldingOntvangen, RegistreerMelding, vo_termijn_eind

from kernel.decider import Command, violated
from services.meldpunt.domain.brieven import ontvangstbevestiging
from services.meldpunt.domain.commands import melding_id_for
from services.meldpunt.domain.state import Melding


def registreer(
    command: Command[RegistreerMelding],
    state: Melding,
    regio: frozenset[str],
    vo_termijn_dagen: int,
) -> list[DomainEvent]:
    """A new melding received, with a receipt for the melder when they can be reached."""
    payload = command.payload
    melding_id = melding_id_for(command)
    if state.bestaat:
        raise violated("deze melding is al geregistreerd")
    if payload.gemeente not in regio:
        raise violated(f"gemeente {payload.gemeente} hoort niet bij deze regio", "gemeente")
    if payload.ontvangen_op > command.at:
        raise violated("het ontvangstmoment ligt in de toekomst", "ontvangen_op")
    geboren = payload.betrokkene.geboortedatum
    if geboren is not None and geboren > command.at.astimezone(ZoneInfo(TIJDZONE)).date():
        raise violated("de geboortedatum ligt in de toekomst", "betrokkene.geboortedatum")
    if melding_id in payload.samenhang:
        raise violated("een melding hangt niet met zichzelf samen", "samenhang")
    ontvangen = MeldingOntvangen(
        melding_id=melding_id,
        gemeente=payload.gemeente,
        ontvangen_op=payload.ontvangen_op,
        kanaal=payload.kanaal,
        melder=payload.melder,
        betrokkene=payload.betrokkene,
        situatie=payload.situatie,
        vo_termijn_eind=vo_termijn_eind(payload.ontvangen_op, vo_termijn_dagen),
        ernstig_nadeel=payload.ernstig_nadeel,
        vragenlijst=payload.vragenlijst,
        samenhang=payload.samenhang,
    )
    return [ontvangen, *ontvangstbevestiging(ontvangen)]
