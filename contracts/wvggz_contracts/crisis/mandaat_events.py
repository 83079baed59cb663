"""Events of each gemeente's mandate register (hoorders and loco-burgemeesters)."""

from __future__ import annotations

from typing import ClassVar
from uuid import UUID

from pydantic import AwareDatetime

from wvggz_contracts.crisis.common import (
    Grens,
    Organisatie,
)
from wvggz_contracts.events import DomainEvent
from wvggz_contracts.gemeenten import GemeenteCode
from wvggz_contracts.typen import Pseudoniem, Tekst

# Events of a crisis case


class HoormandaatGeregistreerd(DomainEvent):
    """A party may hear on the burgemeester's behalf; this replaces its earlier mandate."""

    event_type: ClassVar[str] = "nl.wvggz.crisis.hoormandaat-geregistreerd.v1"

    register_id: UUID
    gemeente: GemeenteCode
    partij: Organisatie
    geldig_van: Grens
    geldig_tot: Grens | None = None
    geregistreerd_door: Pseudoniem
    geregistreerd_op: AwareDatetime


class HoormandaatBeeindigd(DomainEvent):
    """A party's mandate to hear ended at `beeindigd_op`."""

    event_type: ClassVar[str] = "nl.wvggz.crisis.hoormandaat-beeindigd.v1"

    register_id: UUID
    gemeente: GemeenteCode
    partij: Organisatie
    reden: Tekst | None = None
    beeindigd_op: AwareDatetime


class HoorderGeregistreerd(DomainEvent):
    """A user hears for a party in this period; this replaces the user's earlier registration."""

    event_type: ClassVar[str] = "nl.wvggz.crisis.hoorder-geregistreerd.v1"

    register_id: UUID
    gemeente: GemeenteCode
    hoorder: Pseudoniem
    partij: Organisatie
    geldig_van: Grens
    geldig_tot: Grens | None = None
    geregistreerd_door: Pseudoniem
    geregistreerd_op: AwareDatetime


class HoorderBeeindigd(DomainEvent):
    """A user's registration as a hoorder for a party ended at `beeindigd_op`."""

    event_type: ClassVar[str] = "nl.wvggz.crisis.hoorder-beeindigd.v1"

    register_id: UUID
    gemeente: GemeenteCode
    hoorder: Pseudoniem
    partij: Organisatie
    reden: Tekst | None = None
    beeindigd_op: AwareDatetime


class LocoBurgemeesterGeregistreerd(DomainEvent):
    """Someone may decide as loco-burgemeester in this period; replaces an earlier registration."""

    event_type: ClassVar[str] = "nl.wvggz.crisis.loco-burgemeester-geregistreerd.v1"

    register_id: UUID
    gemeente: GemeenteCode
    loco: Pseudoniem
    geldig_van: Grens
    geldig_tot: Grens | None = None
    geregistreerd_door: Pseudoniem
    geregistreerd_op: AwareDatetime


class LocoBurgemeesterBeeindigd(DomainEvent):
    """A loco-burgemeester's registration ended at `beeindigd_op`."""

    event_type: ClassVar[str] = "nl.wvggz.crisis.loco-burgemeester-beeindigd.v1"

    register_id: UUID
    gemeente: GemeenteCode
    loco: Pseudoniem
    beeindigd_op: AwareDatetime
