"""The mandate register of one gemeente: parties mandated to hear, the users who hear for them,
and loco-burgemeesters."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from uuid import UUID

from wvggz_contracts.crisis import (
    BeeindigHoorder,
    BeeindigHoormandaat,
    BeeindigLocoBurgemeester,
    HoorderBeeindigd,
    HoorderGeregistreerd,
    HoorderRegistratie,
    HoormandaatBeeindigd,
    HoormandaatGeregistreerd,
    LocoBurgemeesterBeeindigd,
    LocoBurgemeesterGeregistreerd,
    MandaatBewijs,
    RegistreerHoorder,
    RegistreerHoormandaat,
    RegistreerLocoBurgemeester,
)
from wvggz_contracts.events import DomainEvent

from kernel.decider import Command, derived_id, violated
from services.crisis.domain.mandaat import Hoorbevoegdheid, einde, periode_klopt, zelfde_partij

_REGISTERS = UUID("3a0c7e52-9d14-5b6f-8e21-4c7d9f0b1a63")


def mandaat_id_for(gemeente: str) -> UUID:
    """The register of a gemeente: one stream per gemeente."""
    return derived_id(_REGISTERS, f"mandaatregister:{gemeente}")


@dataclass(frozen=True, slots=True)
class Mandaatregister:
    """The current mandates of one gemeente; an ended one keeps its record, ending then.

    The crisis rules cannot read this stream. The crisis service folds it and looks the acting
    hoorder (`hoorbevoegdheid`: their party and its mandate) or the loco (`loco_registratie`) up
    for the command, as the facts `HOORMANDAAT` and `LOCO_REGISTRATIE` (see `mandaat.py`); None
    when not registered.
    """

    gemeente: str | None = None
    hoormandaten: tuple[MandaatBewijs, ...] = ()
    hoorders: tuple[HoorderRegistratie, ...] = ()
    locos: tuple[MandaatBewijs, ...] = ()

    def hoormandaat(self, partij: str) -> MandaatBewijs | None:
        """The party's mandate to hear."""
        return _zoek(self.hoormandaten, partij)

    def hoorder(self, hoorder: str) -> HoorderRegistratie | None:
        """The user's registration as a hoorder (one party at a time)."""
        return next((r for r in self.hoorders if r.hoorder == hoorder), None)

    def hoorbevoegdheid(self, hoorder: str) -> Hoorbevoegdheid | None:
        """The user's party and its mandate to hear (the fact `HOORMANDAAT`)."""
        registratie = self.hoorder(hoorder)
        if registratie is None:
            return None
        return Hoorbevoegdheid(registratie, self.hoormandaat(registratie.partij))

    def loco_registratie(self, loco: str) -> MandaatBewijs | None:
        """The loco's registration (the fact `LOCO_REGISTRATIE`)."""
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


def _vervang_hoorder(
    hoorders: tuple[HoorderRegistratie, ...], nieuw: HoorderRegistratie
) -> tuple[HoorderRegistratie, ...]:
    return (*(r for r in hoorders if r.hoorder != nieuw.hoorder), nieuw)


def _beeindig_hoorder(
    hoorders: tuple[HoorderRegistratie, ...], hoorder: str, op: datetime
) -> tuple[HoorderRegistratie, ...]:
    oud = next((r for r in hoorders if r.hoorder == hoorder), None)
    if oud is None or (oud.geldig_tot is not None and einde(oud.geldig_tot) <= op):
        return hoorders
    return _vervang_hoorder(hoorders, oud.model_copy(update={"geldig_tot": op}))


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
        case HoorderGeregistreerd():
            registratie = HoorderRegistratie(
                hoorder=event.hoorder,
                partij=event.partij,
                geldig_van=event.geldig_van,
                geldig_tot=event.geldig_tot,
            )
            hoorders = _vervang_hoorder(state.hoorders, registratie)
            return replace(state, gemeente=event.gemeente, hoorders=hoorders)
        case HoorderBeeindigd():
            hoorders = _beeindig_hoorder(state.hoorders, event.hoorder, event.beeindigd_op)
            return replace(state, hoorders=hoorders)
        case LocoBurgemeesterGeregistreerd():
            bewijs = MandaatBewijs(
                partij=event.loco, geldig_van=event.geldig_van, geldig_tot=event.geldig_tot
            )
            return replace(state, gemeente=event.gemeente, locos=_vervang(state.locos, bewijs))
        case LocoBurgemeesterBeeindigd():
            return replace(state, locos=_beeindig(state.locos, event.loco, event.beeindigd_op))
    return state


def gemeente_of(state: Mandaatregister) -> str | None:
    """The gemeente whose register this is, once anything was registered."""
    return state.gemeente


def registreer_hoormandaat(
    command: Command[RegistreerHoormandaat], regio: frozenset[str]
) -> list[DomainEvent]:
    """A party mandated to hear from `geldig_van`; a new mandate replaces the party's old one."""
    p = command.payload
    register_id = _in_regio(p.gemeente, regio)
    _eis_periode(p.geldig_van, p.geldig_tot)
    return [
        HoormandaatGeregistreerd(
            register_id=register_id,
            gemeente=p.gemeente,
            partij=p.partij,
            geldig_van=p.geldig_van,
            geldig_tot=p.geldig_tot,
            geregistreerd_door=command.actor.id,
            geregistreerd_op=command.at,
        )
    ]


def registreer_hoorder(
    command: Command[RegistreerHoorder], regio: frozenset[str]
) -> list[DomainEvent]:
    """A user hears for a party from `geldig_van`; this replaces the user's old registration.

    The party needs no mandate yet: a hearing needs both, valid at its moment."""
    p = command.payload
    register_id = _in_regio(p.gemeente, regio)
    _eis_periode(p.geldig_van, p.geldig_tot)
    return [
        HoorderGeregistreerd(
            register_id=register_id,
            gemeente=p.gemeente,
            hoorder=p.hoorder,
            partij=p.partij,
            geldig_van=p.geldig_van,
            geldig_tot=p.geldig_tot,
            geregistreerd_door=command.actor.id,
            geregistreerd_op=command.at,
        )
    ]


def beeindig_hoorder(
    command: Command[BeeindigHoorder], state: Mandaatregister, regio: frozenset[str]
) -> list[DomainEvent]:
    """End a running (or future) registration of a user as a hoorder, now."""
    p = command.payload
    register_id = _in_regio(p.gemeente, regio)
    wat = f"de hoorder {p.hoorder}"
    registratie = state.hoorder(p.hoorder)
    if registratie is None:
        raise violated(f"{wat} staat niet in het register", "hoorder")
    _eis_lopend(registratie, command.at, wat, "hoorder")
    return [
        HoorderBeeindigd(
            register_id=register_id,
            gemeente=p.gemeente,
            hoorder=p.hoorder,
            partij=registratie.partij,
            reden=p.reden,
            beeindigd_op=command.at,
        )
    ]


def registreer_loco_burgemeester(
    command: Command[RegistreerLocoBurgemeester], regio: frozenset[str]
) -> list[DomainEvent]:
    """Who stands in for the burgemeester, and when; a new registration replaces the old one."""
    p = command.payload
    register_id = _in_regio(p.gemeente, regio)
    _eis_periode(p.geldig_van, p.geldig_tot)
    return [
        LocoBurgemeesterGeregistreerd(
            register_id=register_id,
            gemeente=p.gemeente,
            loco=p.loco,
            geldig_van=p.geldig_van,
            geldig_tot=p.geldig_tot,
            geregistreerd_door=command.actor.id,
            geregistreerd_op=command.at,
        )
    ]


def beeindig_hoormandaat(
    command: Command[BeeindigHoormandaat], state: Mandaatregister, regio: frozenset[str]
) -> list[DomainEvent]:
    """End a running (or future) mandate to hear, now."""
    p = command.payload
    register_id = _in_regio(p.gemeente, regio)
    wat = f"het hoormandaat van {p.partij}"
    _eis_lopend(state.hoormandaat(p.partij), command.at, wat, "partij")
    return [
        HoormandaatBeeindigd(
            register_id=register_id,
            gemeente=p.gemeente,
            partij=p.partij,
            reden=p.reden,
            beeindigd_op=command.at,
        )
    ]


def beeindig_loco_burgemeester(
    command: Command[BeeindigLocoBurgemeester], state: Mandaatregister, regio: frozenset[str]
) -> list[DomainEvent]:
    """End a running (or future) loco-burgemeester's registration, now."""
    p = command.payload
    register_id = _in_regio(p.gemeente, regio)
    wat = f"de loco-burgemeester {p.loco}"
    _eis_lopend(state.loco_registratie(p.loco), command.at, wat, "loco")
    return [
        LocoBurgemeesterBeeindigd(
            register_id=register_id, gemeente=p.gemeente, loco=p.loco, beeindigd_op=command.at
        )
    ]


def _in_regio(gemeente: str, regio: frozenset[str]) -> UUID:
    """The register of a gemeente of the region; refused for any other gemeente."""
    if gemeente not in regio:
        raise violated(f"gemeente {gemeente} hoort niet bij deze regio", "gemeente")
    return mandaat_id_for(gemeente)


def _eis_periode(van: Any, tot: Any) -> None:
    if not periode_klopt(van, tot):
        raise violated("geldig_tot ligt vóór geldig_van", "geldig_tot")


def _eis_lopend(
    bewijs: MandaatBewijs | HoorderRegistratie | None, op: datetime, wat: str, veld: str
) -> None:
    """Refuse ending what is not registered or has already ended; a future one may be ended."""
    if bewijs is None:
        raise violated(f"{wat} staat niet in het register", veld)
    if bewijs.geldig_tot is not None and einde(bewijs.geldig_tot) <= op:
        raise violated(f"{wat} is al beëindigd of verlopen", veld)
