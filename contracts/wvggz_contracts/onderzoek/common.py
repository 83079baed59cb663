"""Types, enums and shared models of the onderzoek contracts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from wvggz_contracts.personal import Persoonsgegeven
from wvggz_contracts.personen import Naam
from wvggz_contracts.typen import BijzondereTekst, Oordeel

PROCEDURE = "onderzoek"


Uren = Annotated[Decimal, Field(gt=0, le=24, decimal_places=2)]
"""Hours spent, with at most two decimals: more than 0, at most 24."""


class _Payload(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class JeugdSignaal(StrEnum):
    """Age group of the betrokkene at the melding; youth needs child-psychiatry expertise."""

    VOLWASSEN = "volwassen"
    JONGER_DAN_18 = "jonger-dan-18"
    JONGER_DAN_16 = "jonger-dan-16"
    ONBEKEND = "onbekend"


class Toets(StrEnum):
    """The three core questions of the VO, in the order they are answered."""

    ERNSTIG_NADEEL = "ernstig-nadeel"
    PSYCHISCHE_STOORNIS = "psychische-stoornis"
    NOODZAAK_VERPLICHTE_ZORG = "noodzaak-verplichte-zorg"


class AfsluitReden(StrEnum):
    """Why a VO was closed."""

    TOETS_NEGATIEF = "toets-negatief"
    AANVRAAG_INGEDIEND = "aanvraag-ingediend"
    GEEN_AANVRAAG = "geen-aanvraag"


class Leefgebied(StrEnum):
    """The vier leefgebieden (seed 000): essential conditions for taking part in society."""

    IDENTITEITSPAPIEREN = "identiteitspapieren"
    WONING = "woning"
    INKOMEN = "inkomen"
    SCHULDEN = "schulden"


class LeefgebiedStatus(StrEnum):
    """How a leefgebied stands."""

    IN_ORDE = "in-orde"
    PROBLEEM = "probleem"
    ONBEKEND = "onbekend"


class BriefSoort(StrEnum):
    """Standard letters to an entitled melder."""

    VO_UITKOMST = "vo-uitkomst"
    OVJ_BESLUIT = "ovj-besluit"
    TERMIJN_VERSTREKEN = "termijn-verstreken"


class BriefUitkomst(StrEnum):
    """What a standard letter tells the melder; never why (no health details)."""

    GEEN_VERVOLG = "geen-vervolg"
    AANVRAAG_INGEDIEND = "aanvraag-ingediend"
    AANVRAAG_OP_VERZOEK_MELDER = "aanvraag-op-verzoek-melder"
    GEEN_AANVRAAG = "geen-aanvraag"
    OVJ_BEREIDT_VERZOEKSCHRIFT_VOOR = "ovj-bereidt-verzoekschrift-voor"
    OVJ_BEREIDT_GEEN_VERZOEKSCHRIFT_VOOR = "ovj-bereidt-geen-verzoekschrift-voor"
    GEEN_BESLUIT_BINNEN_TERMIJN = "geen-besluit-binnen-termijn"
    """The VO term passed without a decision: the melder may now turn to the OvJ themselves."""


class VoorwaardenAanleiding(StrEnum):
    """When a zorgverantwoordelijke reports missing essentiële voorwaarden."""

    ZORGPLAN = "zorgplan"
    ONTSLAG = "ontslag"


class Contactpersoon(_Payload):
    """A professional's contact details."""

    naam: Naam
    organisatie: str | None = Field(default=None, max_length=200)
    telefoon: Annotated[str | None, Persoonsgegeven()] = Field(default=None, max_length=40)
    email: Annotated[str | None, Persoonsgegeven()] = Field(default=None, max_length=200)


class Bijlage(_Payload):
    """A document sent with the aanvraag."""

    omschrijving: Annotated[BijzondereTekst, Field(max_length=300)]
    referentie: str | None = Field(default=None, max_length=200, description="Document id.")


class Grond(_Payload):
    """One core question as answered in the VO."""

    aannemelijk: Oordeel
    motivatie: BijzondereTekst


class Gronden(_Payload):
    """The grounds of the aanvraag: the three core questions, where answered."""

    ernstig_nadeel: Grond | None = None
    psychische_stoornis: Grond | None = None
    noodzaak_verplichte_zorg: Grond | None = None


class AanvraagVoorbereidingVerzoekschrift(_Payload):
    """What the consulent adds to the national form; the rest comes from the VO itself."""

    contact_consulent: Contactpersoon
    spoed: bool = False
    bijlagen: list[Bijlage] = Field(default_factory=list, max_length=50)
    toelichting: BijzondereTekst | None = None


class BriefInhoud(_Payload):
    """The content of a standard letter: an outcome and a date, no health details."""

    uitkomst: BriefUitkomst
    datum: date
