"""Contracts of the meldpunt: commands it accepts and events it publishes."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, ClassVar
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from wvggz_contracts.bsn import Bsn
from wvggz_contracts.events import DomainEvent, EventRegistry
from wvggz_contracts.gemeenten import GemeenteCode
from wvggz_contracts.personal import Persoonsgegeven

PROCEDURE = "meldpunt"

Naam = Annotated[str, Field(min_length=1, max_length=200), Persoonsgegeven()]


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


class RelatieTotBetrokkene(StrEnum):
    """The melder's relation to the betrokkene; the first six are entitled to feedback."""

    VERTEGENWOORDIGER = "vertegenwoordiger"
    ECHTGENOOT = "echtgenoot"
    GEREGISTREERDE_PARTNER = "geregistreerde-partner"
    SAMENLEVINGSCONTRACT = "samenlevingscontract"
    OUDER = "ouder"
    ESSENTIELE_NAASTE = "essentiele-naaste"
    FAMILIE = "familie"
    BUUR = "buur"
    HULPVERLENER = "hulpverlener"
    POLITIE = "politie"
    ANDERS = "anders"


class Melder(BaseModel):
    """Who reports; their details stay with the gemeente."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    naam: Naam
    telefoon: Annotated[str | None, Persoonsgegeven()] = Field(default=None, max_length=40)
    email: Annotated[str | None, Persoonsgegeven()] = Field(default=None, max_length=200)
    relatie: RelatieTotBetrokkene
    anoniem_naar_betrokkene: bool = Field(
        default=False, description="The melder's identity is not shared with the betrokkene."
    )


class Betrokkene(BaseModel):
    """The person the melding is about."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    naam: Naam
    geboortedatum: Annotated[date | None, Persoonsgegeven()] = None
    bsn: Bsn | None = None
    verblijfplaats: Annotated[str | None, Persoonsgegeven()] = Field(default=None, max_length=300)


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
