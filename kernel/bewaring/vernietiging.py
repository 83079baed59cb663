"""The pure rules of one dossier's destruction: proposed, held or approved, then recorded."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, Final

from wvggz_contracts.bewaring import (
    Grond,
    HoudVernietigingAan,
    KeurVernietigingGoed,
    LegVernietigingVast,
    PersoonsgegevensVernietigd,
    StelVernietigingVoor,
    VernietigingAangehouden,
    VernietigingGoedgekeurd,
    VernietigingVoorgesteld,
)
from wvggz_contracts.commands import ErrorCode
from wvggz_contracts.events import DomainEvent
from wvggz_contracts.rechtstijd import lokale_datum

from kernel.bewaring.archief import Dossier
from kernel.decider import Command, DomainError, refuse, violated

VOORGESTELD: Final = "voorgesteld"
AANGEHOUDEN: Final = "aangehouden"
GOEDGEKEURD: Final = "goedgekeurd"
VERNIETIGD: Final = "vernietigd"

JAAR: Final = timedelta(days=365.2425)


@dataclass(frozen=True, slots=True)
class Vernietiging:
    """Where one dossier's destruction stands."""

    fase: str = ""
    gemeente: str | None = None
    voorstel: VernietigingVoorgesteld | None = None
    goedkeuring: VernietigingGoedgekeurd | None = None
    aangehouden_tot: date | None = None


def evolve(state: Vernietiging, event: DomainEvent) -> Vernietiging:
    """The destruction after one more of its events."""
    match event:
        case VernietigingVoorgesteld():
            return Vernietiging(VOORGESTELD, event.gemeente, event)
        case VernietigingAangehouden():
            return replace(state, fase=AANGEHOUDEN, aangehouden_tot=event.tot)
        case VernietigingGoedgekeurd():
            return replace(state, fase=GOEDGEKEURD, goedkeuring=event)
        case PersoonsgegevensVernietigd():
            return replace(state, fase=VERNIETIGD)
    return state


def gemeente_of(state: Vernietiging) -> str | None:
    """The gemeente whose dossier it is."""
    return state.gemeente


def vervalt_op(dossier: Dossier, termijn_jaren: float) -> datetime | None:
    """When a closed dossier's retention term ends (None while it is open)."""
    if dossier.afgesloten_op is None:
        return None
    return dossier.afgesloten_op + termijn_jaren * JAAR


def stel_voor(
    state: Vernietiging,
    command: Command[StelVernietigingVoor],
    dossier: Dossier | None,
    termijn_jaren: float,
) -> Sequence[DomainEvent]:
    """Propose destroying a closed dossier: on a passed term, or on the person's request."""
    payload = command.payload
    if state.fase in (VOORGESTELD, GOEDGEKEURD):
        raise violated("de vernietiging van dit dossier is al voorgesteld")
    if state.fase == VERNIETIGD:
        raise violated("de persoonsgegevens van dit dossier zijn al vernietigd")
    tot = state.aangehouden_tot
    if state.fase == AANGEHOUDEN and tot is not None and lokale_datum(command.at) < tot:
        raise violated(f"de vernietiging is aangehouden tot {tot}")
    if dossier is None or dossier.gemeente != payload.gemeente:
        raise DomainError(
            ErrorCode.NOT_FOUND, "deze dienst heeft geen dossier met dit nummer", "zaak"
        )
    einde = vervalt_op(dossier, termijn_jaren)
    if einde is None:
        raise violated("een dossier dat nog loopt, wordt niet vernietigd", "zaak")
    if payload.grond is Grond.BEWAARTERMIJN and command.at < einde:
        raise violated(f"de bewaartermijn loopt tot {lokale_datum(einde)}", "grond")
    return [
        VernietigingVoorgesteld(
            zaak=payload.zaak,
            gemeente=payload.gemeente,
            grond=payload.grond,
            stromen=list(dossier.stromen),
            afgesloten_op=dossier.afgesloten_op,
            termijn_jaren=termijn_jaren if payload.grond is Grond.BEWAARTERMIJN else None,
            toelichting=payload.toelichting,
            voorgesteld_door=command.actor.id,
        )
    ]


def keur_goed(state: Vernietiging, command: Command[KeurVernietigingGoed]) -> Sequence[DomainEvent]:
    """Approve the proposal."""
    return [
        VernietigingGoedgekeurd(
            zaak=command.payload.zaak, goedgekeurd_door=command.actor.id, goedgekeurd_op=command.at
        )
    ]


def niet_door_voorsteller(state: Vernietiging, command: Command[KeurVernietigingGoed]) -> None:
    """Four eyes: whoever proposed a destruction does not approve it too."""
    if state.voorstel is not None and state.voorstel.voorgesteld_door == command.actor.id:
        raise refuse("wie de vernietiging voorstelde, keurt haar niet zelf goed")


def houd_aan(state: Vernietiging, command: Command[HoudVernietigingAan]) -> Sequence[DomainEvent]:
    """Hold the proposal until a later day."""
    payload = command.payload
    if payload.tot <= lokale_datum(command.at):
        raise violated("aanhouden kan alleen tot een latere dag", "tot")
    return [VernietigingAangehouden(zaak=payload.zaak, tot=payload.tot, reden=payload.reden)]


def leg_vast(state: Vernietiging, command: Command[LegVernietigingVast]) -> Sequence[DomainEvent]:
    """The verklaring van vernietiging, once the keys are gone."""
    voorstel, goedkeuring = state.voorstel, state.goedkeuring
    # The phase guard saw to both.
    assert voorstel is not None
    assert goedkeuring is not None
    return [
        PersoonsgegevensVernietigd(
            zaak=voorstel.zaak,
            gemeente=voorstel.gemeente,
            stromen=voorstel.stromen,
            grond=voorstel.grond,
            voorgesteld_door=voorstel.voorgesteld_door,
            goedgekeurd_door=goedkeuring.goedgekeurd_door,
            goedgekeurd_op=goedkeuring.goedgekeurd_op,
            vernietigd_op=command.at,
        )
    ]


def voorgesteld(state: Vernietiging, _command: Command[Any]) -> None:
    """Phase guard: a proposal waits for approval."""
    if state.fase == "":
        raise DomainError(
            ErrorCode.NOT_FOUND, "er is geen vernietiging van dit dossier voorgesteld"
        )
    if state.fase != VOORGESTELD:
        raise violated(f"de vernietiging is {state.fase}, niet voorgesteld")


def goedgekeurd(state: Vernietiging, _command: Command[Any]) -> None:
    """Phase guard: approved, not yet recorded."""
    if state.fase != GOEDGEKEURD:
        raise violated(f"de vernietiging is {state.fase or 'niet voorgesteld'}, niet goedgekeurd")
