"""People in a case: the melder and the betrokkene, shared by every procedure's contracts."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from wvggz_contracts.bsn import Bsn
from wvggz_contracts.personal import Persoonsgegeven
from wvggz_contracts.typen import Geboortedatum, Naam, Regel

__all__ = ["RECHT_OP_TERUGKOPPELING", "Betrokkene", "Melder", "Naam", "RelatieTotBetrokkene"]


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


RECHT_OP_TERUGKOPPELING = frozenset(
    {
        RelatieTotBetrokkene.VERTEGENWOORDIGER,
        RelatieTotBetrokkene.ECHTGENOOT,
        RelatieTotBetrokkene.GEREGISTREERDE_PARTNER,
        RelatieTotBetrokkene.SAMENLEVINGSCONTRACT,
        RelatieTotBetrokkene.OUDER,
        RelatieTotBetrokkene.ESSENTIELE_NAASTE,
    }
)
"""Melders entitled to feedback on the case (seed 001 §3.1; art. 5:2 lid 5 Wvggz)."""


class Melder(BaseModel):
    """Who reports; their details stay with the gemeente."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    naam: Naam
    telefoon: Annotated[Regel | None, Persoonsgegeven()] = Field(default=None, max_length=40)
    email: Annotated[Regel | None, Persoonsgegeven()] = Field(default=None, max_length=200)
    adres: Annotated[Regel | None, Persoonsgegeven()] = Field(
        default=None, max_length=300, description="Postal address, for letters."
    )
    relatie: RelatieTotBetrokkene
    anoniem_naar_betrokkene: bool = Field(
        default=False, description="The melder's identity is not shared with the betrokkene."
    )


class Betrokkene(BaseModel):
    """The person the melding is about."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    naam: Naam
    geboortedatum: Annotated[Geboortedatum | None, Persoonsgegeven()] = Field(
        default=None, description="From 1900-01-01 on."
    )
    bsn: Bsn | None = None
    verblijfplaats: Annotated[Regel | None, Persoonsgegeven()] = Field(default=None, max_length=300)
