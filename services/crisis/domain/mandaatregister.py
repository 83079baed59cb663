"""The mandate register of one gemeente: parties mandated to hear, and loco-burgemeesters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel
from wvggz_contracts.commands import Rol
from wvggz_contracts.crisis import (
    BeeindigHoormandaat,
    BeeindigLocoBurgemeester,
    HoormandaatBeeindigd,
    HoormandaatGeregistreerd,
    LocoBurgemeesterBeeindigd,
    LocoBurgemeesterGeregistreerd,
    MandaatBewijs,
    RegistreerHoormandaat,
    RegistreerLocoBurgemeester,
)
from wvggz_contracts.events import DomainEvent

from kernel.decider import Command, Decider, derived_id, violated
from services.crisis.domain.mandaat import einde, periode_klopt, zelfde_partij
from services.crisis.domain.toegang import Bevoegdheid, eis_bevoegd

CATEGORY = "mandaat"
"""Stream category of a register: `mandaat-<mandaat_id_for(gemeente)>`."""

_REGISTERS = UUID("3a0c7e52-9d14-5b6f-8e21-4c7d9f0b1a63")

BEHEER = frozenset({Rol.FUNCTIONEEL_BEHEER})
BEVOEGDHEDEN: Mapping[type[BaseModel], Bevoegdheid] = {
    RegistreerHoormandaat: Bevoegdheid(BEHEER, "een hoormandaat registreren"),
    BeeindigHoormandaat: Bevoegdheid(BEHEER, "een hoormandaat beëindigen"),
    RegistreerLocoBurgemeester: Bevoegdheid(BEHEER, "een loco-burgemeester registreren"),
    BeeindigLocoBurgemeester: Bevoegdheid(BEHEER, "een loco-burgemeester beëindigen"),
}
"""Functioneel beheer of the register's own gemeente keeps it."""


def mandaat_id_for(gemeente: str) -> UUID:
    """The register of a gemeente: one stream per gemeente."""
    return derived_id(_REGISTERS, f"mandaatregister:{gemeente}")


@dataclass(frozen=True, slots=True)
class Mandaatregister:
    """The current mandates of one gemeente; an ended one keeps its record, ending then.

    The crisis decider cannot read this stream. The crisis service's handler folds a view of this
    register and looks the hoorder's party (`hoormandaat`) or the loco (`loco_registratie`) up, and
    puts the result on the command (`LegHoorverslagVast.mandaat`, `NeemBesluit.loco_registratie`),
    overwriting whatever a client sent; None when not registered.
    """

    gemeente: str | None = None
    hoormandaten: tuple[MandaatBewijs, ...] = ()
    locos: tuple[MandaatBewijs, ...] = ()

    def hoormandaat(self, partij: str) -> MandaatBewijs | None:
        """The party's mandate to hear, as the handler puts it on `LegHoorverslagVast`."""
        return _zoek(self.hoormandaten, partij)

    def loco_registratie(self, loco: str) -> MandaatBewijs | None:
        """The loco's registration, as the handler puts it on `NeemBesluit`."""
        return _zoek(self.locos, loco)


def _zoek(bewijzen: tuple[MandaatBewijs, ...], partij: str) -> MandaatBewijs | None:
    return next((b for b in bewijzen if zelfde_partij(b.partij, partij)), None)


def _vervang(
    bewijzen: tuple[MandaatBewijs, ...], nieuw: MandaatBewijs
) -> tuple[MandaatBewijs, ...]:
    return (*(b for b in bewijzen if not zelfde_partij(b.partij, nieuw.partij)), nieuw)


def _beeindig(
    bewijzen: tuple[MandaatBewijs, ...], partij: str, op: datetime
) -> tuple[MandaatBewijs, ...]:
    oud = _zoek(bewijzen, partij)
    if oud is None or (oud.geldig_tot is not None and einde(oud.geldig_tot) <= op):
        return bewijzen
    return _vervang(bewijzen, oud.model_copy(update={"geldig_tot": op}))


def evolve(state: Mandaatregister, event: DomainEvent) -> Mandaatregister:
    """The register after one more event."""
    match event:
        case HoormandaatGeregistreerd():
            bewijs = MandaatBewijs(
                partij=event.partij, geldig_van=event.geldig_van, geldig_tot=event.geldig_tot
            )
            return replace(
                state, gemeente=event.gemeente, hoormandaten=_vervang(state.hoormandaten, bewijs)
            )
        case HoormandaatBeeindigd():
            hoormandaten = _beeindig(state.hoormandaten, event.partij, event.beeindigd_op)
            return replace(state, hoormandaten=hoormandaten)
        case LocoBurgemeesterGeregistreerd():
            bewijs = MandaatBewijs(
                partij=event.loco, geldig_van=event.geldig_van, geldig_tot=event.geldig_tot
            )
            return replace(state, gemeente=event.gemeente, locos=_vervang(state.locos, bewijs))
        case LocoBurgemeesterBeeindigd():
            return replace(state, locos=_beeindig(state.locos, event.loco, event.beeindigd_op))
    return state


def authorize(command: Command[Any], state: Mandaatregister) -> None:
    """Only functioneel beheer of the gemeente whose register it is."""
    eis_bevoegd(command, BEVOEGDHEDEN, command.payload.gemeente, "het mandaatregister")


def make_mandaat_decider(regio: frozenset[str]) -> Decider[Mandaatregister]:
    """The mandate-register decider for a region of gemeenten."""
    if not regio:
        raise ValueError("de regio heeft geen gemeenten")

    def decide(command: Command[Any], state: Mandaatregister) -> list[DomainEvent]:
        p = command.payload
        if p.gemeente not in regio:
            raise violated(f"gemeente {p.gemeente} hoort niet bij deze regio", "gemeente")
        register_id = mandaat_id_for(p.gemeente)
        door, op = command.actor.id, command.at
        match p:
            case RegistreerHoormandaat():
                _eis_periode(p.geldig_van, p.geldig_tot)
                return [
                    HoormandaatGeregistreerd(
                        register_id=register_id,
                        gemeente=p.gemeente,
                        partij=p.partij,
                        geldig_van=p.geldig_van,
                        geldig_tot=p.geldig_tot,
                        geregistreerd_door=door,
                        geregistreerd_op=op,
                    )
                ]
            case RegistreerLocoBurgemeester():
                _eis_periode(p.geldig_van, p.geldig_tot)
                return [
                    LocoBurgemeesterGeregistreerd(
                        register_id=register_id,
                        gemeente=p.gemeente,
                        loco=p.loco,
                        geldig_van=p.geldig_van,
                        geldig_tot=p.geldig_tot,
                        geregistreerd_door=door,
                        geregistreerd_op=op,
                    )
                ]
            case BeeindigHoormandaat():
                _eis_lopend(
                    state.hoormandaat(p.partij), op, f"het hoormandaat van {p.partij}", "partij"
                )
                return [
                    HoormandaatBeeindigd(
                        register_id=register_id,
                        gemeente=p.gemeente,
                        partij=p.partij,
                        reden=p.reden,
                        beeindigd_op=op,
                    )
                ]
            case BeeindigLocoBurgemeester():
                _eis_lopend(
                    state.loco_registratie(p.loco), op, f"de loco-burgemeester {p.loco}", "loco"
                )
                return [
                    LocoBurgemeesterBeeindigd(
                        register_id=register_id, gemeente=p.gemeente, loco=p.loco, beeindigd_op=op
                    )
                ]
        raise violated(f"onbekend commando voor het mandaatregister: {type(p).__name__}")

    return Decider(
        category=CATEGORY,
        initial_state=Mandaatregister(),
        evolve=evolve,
        decide=decide,
        authorize=authorize,
        gemeente_of=lambda state: state.gemeente,
    )


def _eis_periode(van: Any, tot: Any) -> None:
    if not periode_klopt(van, tot):
        raise violated("geldig_tot ligt vóór geldig_van", "geldig_tot")


def _eis_lopend(bewijs: MandaatBewijs | None, op: datetime, wat: str, veld: str) -> None:
    """Refuse ending what is not registered or has already ended; a future one may be ended."""
    if bewijs is None:
        raise violated(f"{wat} staat niet in het register", veld)
    if bewijs.geldig_tot is not None and einde(bewijs.geldig_tot) <= op:
        raise violated(f"{wat} is al beëindigd of verlopen", veld)
