"""Registering a melding: where it belongs, when its VO term ends, what the melder hears."""

from __future__ import annotations

from uuid import UUID

from wvggz_contracts.events import DomainEvent
from wvggz_contracts.meldpunt import MeldingOntvangen, RegistreerMelding, vo_termijn_eind
from wvggz_contracts.rechtstijd import lokale_datum

from kernel.decider import Command, Lookup, violated
from services.meldpunt.domain.brieven import ontvangstbevestiging
from services.meldpunt.domain.state import Melding

SAMENHANG: Lookup[frozenset[UUID]] = Lookup("samenhang")
"""Open meldingen and VO's of the same gemeente about the same betrokkene (found by the service
in its keyed index; a client may name links too, but cannot hide these)."""

MAX_SAMENHANG = 100
"""Links kept per melding (the contract's limit); more open meldingen about one person is a
sign of a problem the dossiers already show."""


def samenhang(command: Command[RegistreerMelding]) -> list[UUID]:
    """The links the triagist gave, then those the service found, each once, at most 100."""
    gegeven = command.payload.samenhang
    gevonden = sorted(command.feit(SAMENHANG) - set(gegeven), key=str)
    return [*gegeven, *gevonden][:MAX_SAMENHANG]


def registreer(
    command: Command[RegistreerMelding],
    state: Melding,
    melding_id: UUID,
    regio: frozenset[str],
    vo_termijn_dagen: int,
    atw: bool,
) -> list[DomainEvent]:
    """A new melding received, with a receipt for the melder when they can be reached."""
    payload = command.payload
    gekoppeld = samenhang(command)
    if state.bestaat:
        raise violated("deze melding is al geregistreerd")
    if payload.gemeente not in regio:
        raise violated(f"gemeente {payload.gemeente} hoort niet bij deze regio", "gemeente")
    if payload.ontvangen_op > command.at:
        raise violated("het ontvangstmoment ligt in de toekomst", "ontvangen_op")
    geboren = payload.betrokkene.geboortedatum
    if geboren is not None and geboren > lokale_datum(command.at):
        raise violated("de geboortedatum ligt in de toekomst", "betrokkene.geboortedatum")
    if melding_id in gekoppeld:
        raise violated("een melding hangt niet met zichzelf samen", "samenhang")
    ontvangen = MeldingOntvangen(
        melding_id=melding_id,
        gemeente=payload.gemeente,
        ontvangen_op=payload.ontvangen_op,
        kanaal=payload.kanaal,
        melder=payload.melder,
        betrokkene=payload.betrokkene,
        situatie=payload.situatie,
        vo_termijn_eind=vo_termijn_eind(payload.ontvangen_op, vo_termijn_dagen, atw=atw),
        ernstig_nadeel=payload.ernstig_nadeel,
        vragenlijst=payload.vragenlijst,
        samenhang=gekoppeld,
    )
    return [ontvangen, *ontvangstbevestiging(ontvangen)]
