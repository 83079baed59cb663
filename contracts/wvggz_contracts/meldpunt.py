"""Contracts of the meldpunt: commands it accepts and events it publishes."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, ClassVar
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from wvggz_contracts.events import DomainEvent, EventRegistry
from wvggz_contracts.gemeenten import GemeenteCode
from wvggz_contracts.personal import Persoonsgegeven
from wvggz_contracts.personen import Betrokkene, Melder

PROCEDURE = "meldpunt"


class Kanaal(StrEnum):
    """How the melding reached the meldpunt."""

    TELEFOON = "telefoon"
    FORMULIER = "formulier"
    EMAIL = "e-mail"
    POLITIE = "politie"
    WIJKTEAM = "wijkteam"
    HUISARTS = "huisarts"
    WONINGCORPORATIE = "woningcorporatie"
    ANDERS = "anders"


class RegistreerMelding(BaseModel):
    """Register a melding about a worrying person at the gemeente where they stay."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    gemeente: GemeenteCode = Field(description="Gemeente where the betrokkene stays.")
    ontvangen_op: AwareDatetime = Field(description="When the melding was received.")
    kanaal: Kanaal
    melder: Melder
    betrokkene: Betrokkene
    situatie: Annotated[str, Persoonsgegeven("bijzonder")] = Field(min_length=1, max_length=10_000)


class MeldingOntvangen(DomainEvent):
    """A melding was registered; the 14-day term of the verkennend onderzoek starts here."""

    event_type: ClassVar[str] = "nl.wvggz.meldpunt.melding-ontvangen.v1"

    melding_id: UUID
    gemeente: GemeenteCode
    ontvangen_op: AwareDatetime
    kanaal: Kanaal
    melder: Melder
    betrokkene: Betrokkene
    situatie: Annotated[str, Persoonsgegeven("bijzonder")]


EVENTS = EventRegistry([MeldingOntvangen])
"""Every event type the meldpunt publishes."""
