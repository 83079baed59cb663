"""Essentiële voorwaarden: a zorgverantwoordelijke's request for help on the vier leefgebieden."""

from __future__ import annotations

from dataclasses import dataclass, replace

from wvggz_contracts.commands import ErrorCode
from wvggz_contracts.events import DomainEvent
from wvggz_contracts.onderzoek import (
    Leefgebied,
    LegVoorwaardeAfgerond,
    MeldOntbrekendeVoorwaarden,
    VoorwaardeAfgerond,
    VoorwaardenVerzoekAfgerond,
    VoorwaardenVerzoekGeregistreerd,
    VoorwaardenVerzoekToegewezen,
    WijsVoorwaardenToe,
)

from kernel.decider import Command, DomainError, violated


@dataclass(frozen=True, slots=True)
class VoorwaardenVerzoek:
    """What the rules need to know of one request."""

    geregistreerd: VoorwaardenVerzoekGeregistreerd | None = None
    consulent: str | None = None
    afgerond: frozenset[Leefgebied] = frozenset()
    klaar: bool = False

    @property
    def gemeente(self) -> str | None:
        """The gemeente the request belongs to, once registered."""
        return self.geregistreerd.gemeente if self.geregistreerd else None

    @property
    def open_leefgebieden(self) -> frozenset[Leefgebied]:
        """Listed leefgebieden not yet done."""
        gevraagd = frozenset(self.geregistreerd.leefgebieden if self.geregistreerd else ())
        return gevraagd - self.afgerond


def geregistreerd(state: VoorwaardenVerzoek) -> VoorwaardenVerzoekGeregistreerd:
    """The registration of the request, or NOT_FOUND when it was never registered."""
    if state.geregistreerd is None:
        raise DomainError(ErrorCode.NOT_FOUND, "dit voorwaardenverzoek bestaat niet")
    return state.geregistreerd


def evolve(state: VoorwaardenVerzoek, event: DomainEvent) -> VoorwaardenVerzoek:
    """The request after one more event."""
    match event:
        case VoorwaardenVerzoekGeregistreerd():
            return replace(state, geregistreerd=event)
        case VoorwaardenVerzoekToegewezen():
            return replace(state, consulent=event.consulent)
        case VoorwaardeAfgerond():
            return replace(state, afgerond=state.afgerond | {event.leefgebied})
        case VoorwaardenVerzoekAfgerond():
            return replace(state, klaar=True)
    return state


def registreer(
    state: VoorwaardenVerzoek, command: Command[MeldOntbrekendeVoorwaarden], regio: frozenset[str]
) -> list[DomainEvent]:
    """Register a request of a gemeente of the region, each leefgebied listed once."""
    payload = command.payload
    if state.geregistreerd is not None:
        raise violated("dit voorwaardenverzoek is al geregistreerd")
    if payload.gemeente not in regio:
        raise violated(f"gemeente {payload.gemeente} hoort niet bij deze regio", "gemeente")
    if len(set(payload.leefgebieden)) != len(payload.leefgebieden):
        raise violated("een leefgebied staat dubbel in het verzoek", "leefgebieden")
    return [
        VoorwaardenVerzoekGeregistreerd(
            verzoek_id=payload.verzoek_id,
            gemeente=payload.gemeente,
            aanleiding=payload.aanleiding,
            betrokkene=payload.betrokkene,
            zorgverantwoordelijke=payload.zorgverantwoordelijke,
            leefgebieden=payload.leefgebieden,
            toelichting=payload.toelichting,
            geregistreerd_op=command.at,
        )
    ]


def wijs_toe(state: VoorwaardenVerzoek, command: Command[WijsVoorwaardenToe]) -> list[DomainEvent]:
    """Assign (or reassign) a consulent; assigning the one already assigned changes nothing."""
    payload = command.payload
    if state.consulent == payload.consulent:
        return []
    return [
        VoorwaardenVerzoekToegewezen(verzoek_id=payload.verzoek_id, consulent=payload.consulent)
    ]


def rond_af(
    state: VoorwaardenVerzoek, command: Command[LegVoorwaardeAfgerond]
) -> list[DomainEvent]:
    """One leefgebied done; the request is done with its last one."""
    payload = command.payload
    if payload.leefgebied not in state.open_leefgebieden:
        reden = (
            "is al afgerond"
            if payload.leefgebied in state.afgerond
            else "staat niet in het verzoek"
        )
        raise violated(f"het leefgebied {payload.leefgebied} {reden}", "leefgebied")
    events: list[DomainEvent] = [
        VoorwaardeAfgerond(
            verzoek_id=payload.verzoek_id,
            leefgebied=payload.leefgebied,
            toelichting=payload.toelichting,
            afgerond_op=command.at,
        )
    ]
    if state.open_leefgebieden == {payload.leefgebied}:
        events.append(
            VoorwaardenVerzoekAfgerond(
                verzoek_id=payload.verzoek_id,
                gemeente=geregistreerd(state).gemeente,
                afgerond_op=command.at,
            )
        )
    return events
