"""Essentiële voorwaarden: a zorgverantwoordelijke's request for help on the vier leefgebieden."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from pydantic import BaseModel
from wvggz_contracts.commands import ErrorCode, Rol
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

from kernel.decider import Command, Decider, DomainError, violated
from services.onderzoek.domain.toegang import Bevoegdheid, eis_bevoegd

CATEGORY = "voorwaarden"
"""Stream category of a request: `voorwaarden-<verzoek_id>`."""

TOEWIJZERS = frozenset({Rol.CONSULENT, Rol.FUNCTIONEEL_BEHEER})

BEVOEGDHEDEN: Mapping[type[BaseModel], Bevoegdheid] = {
    MeldOntbrekendeVoorwaarden: Bevoegdheid(TOEWIJZERS, "ontbrekende voorwaarden melden"),
    WijsVoorwaardenToe: Bevoegdheid(TOEWIJZERS, "een voorwaardenverzoek toewijzen"),
    LegVoorwaardeAfgerond: Bevoegdheid(frozenset({Rol.CONSULENT}), "een voorwaarde afronden"),
}
"""Who may give each command; the actor's gemeente must also be the request's."""


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


def authorize(command: Command[Any], state: VoorwaardenVerzoek) -> None:
    """Refuse a role or gemeente that may not give this command for this request."""
    gemeente = state.gemeente
    if isinstance(command.payload, MeldOntbrekendeVoorwaarden) and gemeente is None:
        gemeente = command.payload.gemeente
    eis_bevoegd(command, BEVOEGDHEDEN, gemeente, "een voorwaardenverzoek")


def make_voorwaarden_decider(regio: frozenset[str]) -> Decider[VoorwaardenVerzoek]:
    """The essentiële-voorwaarden decider for a region of gemeenten."""

    def registreer(
        command: Command[MeldOntbrekendeVoorwaarden], state: VoorwaardenVerzoek
    ) -> list[DomainEvent]:
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

    def decide(command: Command[Any], state: VoorwaardenVerzoek) -> list[DomainEvent]:
        payload = command.payload
        if isinstance(payload, MeldOntbrekendeVoorwaarden):
            return registreer(command, state)
        geregistreerd = state.geregistreerd
        if geregistreerd is None:
            raise DomainError(ErrorCode.NOT_FOUND, "dit voorwaardenverzoek bestaat niet")
        if state.klaar:
            raise violated("het voorwaardenverzoek is afgerond")
        if isinstance(payload, WijsVoorwaardenToe):
            if state.consulent == payload.consulent:
                return []
            return [
                VoorwaardenVerzoekToegewezen(
                    verzoek_id=payload.verzoek_id, consulent=payload.consulent
                )
            ]
        if isinstance(payload, LegVoorwaardeAfgerond):
            return rond_af(command, state, geregistreerd)
        raise violated(f"onbekend commando voor een voorwaardenverzoek: {type(payload).__name__}")

    return Decider(
        category=CATEGORY,
        initial_state=VoorwaardenVerzoek(),
        evolve=evolve,
        decide=decide,
        authorize=authorize,
        gemeente_of=lambda state: state.gemeente,
    )


def rond_af(
    command: Command[LegVoorwaardeAfgerond],
    state: VoorwaardenVerzoek,
    geregistreerd: VoorwaardenVerzoekGeregistreerd,
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
                gemeente=geregistreerd.gemeente,
                afgerond_op=command.at,
            )
        )
    return events
