"""Types, enums and shared models of the crisis contracts."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from wvggz_contracts.personal import Persoonsgegeven
from wvggz_contracts.personen import Naam
from wvggz_contracts.typen import BijzondereTekst, Oordeel, Pseudoniem, Tekst

PROCEDURE = "crisis"


BijzondereLijst = Annotated[list[Tekst], Field(max_length=100), Persoonsgegeven("bijzonder")]
"""A list of free-text items about the betrokkene, e.g. earlier measures: special-category."""


Feit = Annotated[bool, Persoonsgegeven()]
"""A fact about the betrokkene's hearing (who was there, what was consulted): personal data."""

Organisatie = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
"""The name of an organisation, e.g. a zorgaanbieder or a mandated party such as "Vcare"."""

Grens = AwareDatetime | date
"""A bound of a mandate: a date means the whole Amsterdam calendar day, a datetime that moment."""


class _Payload(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class MelderSoort(StrEnum):
    """Who reported the crisis directly to the crisisdienst (seed 001 §3.2)."""

    POLITIE = "politie"
    ZORGVERANTWOORDELIJKE = "zorgverantwoordelijke"
    CRISISDIENST = "crisisdienst"


class Bron(StrEnum):
    """How a crisis case started: a direct melding by its melder, or a meldpunt triage."""

    POLITIE = "politie"
    ZORGVERANTWOORDELIJKE = "zorgverantwoordelijke"
    CRISISDIENST = "crisisdienst"
    MELDPUNT_TRIAGE = "meldpunt-triage"


class HoorWijze(StrEnum):
    """How the betrokkene was heard; phone and video are allowed (bijlage 4 art. 3 lid 5)."""

    PERSOONLIJK = "persoonlijk"
    TELEFOON = "telefoon"
    VIDEO = "video"


class BesluitUitkomst(StrEnum):
    """The burgemeester's decision: a crisismaatregel taken, or refused."""

    GENOMEN = "genomen"
    AFGEWEZEN = "afgewezen"


class Ontvanger(StrEnum):
    """Who receives a copy (afschrift) of the decision."""

    BETROKKENE = "betrokkene"
    ADVOCAAT = "advocaat"
    GENEESHEER_DIRECTEUR = "geneesheer-directeur"
    IGJ = "igj"
    OVJ = "ovj"
    VERTEGENWOORDIGER = "vertegenwoordiger"
    PVP = "pvp"


class RechterlijkVerzoek(StrEnum):
    """The request of the OvJ a court decision is about."""

    VOORTZETTING = "machtiging-tot-voortzetting"
    ZORGMACHTIGING = "zorgmachtiging"


class Bevinding(_Payload):
    """One criterion of art. 7:1 Wvggz as the psychiatrist found it."""

    voldaan: Oordeel
    toelichting: BijzondereTekst


class Criteria(_Payload):
    """The five criteria of art. 7:1 Wvggz; a crisismaatregel needs all of them met."""

    onmiddellijk_dreigend_ernstig_nadeel: Bevinding
    ernstig_vermoeden_psychische_stoornis: Bevinding
    maatregel_kan_nadeel_afwenden: Bevinding
    zorgmachtiging_niet_afwachten: Bevinding
    verzet_tegen_zorg: Bevinding

    @property
    def niet_voldaan(self) -> list[str]:
        """Names of the criteria found not met, in the order of the law."""
        return [naam for naam, bevinding in self if not bevinding.voldaan]

    @property
    def alle_voldaan(self) -> bool:
        """Whether all five criteria are met."""
        return not self.niet_voldaan


class MandaatBewijs(_Payload):
    """A mandate as the gemeente's register holds it: a hoorder's party, or a loco-burgemeester.

    `geldig_tot` None means until ended in the register. A date bound covers the whole calendar
    day in Amsterdam; a datetime bound is that moment (the end moment itself is outside).
    """

    partij: Organisatie = Field(description="The mandated party, or the loco's pseudonymous id.")
    geldig_van: Grens
    geldig_tot: Grens | None = None


class HoorderRegistratie(_Payload):
    """A user who hears on behalf of a mandated party, as the gemeente's register holds it.

    `hoorder` is the user's pseudonymous id (the access token's `sub`). A user hears for one
    party at a time; bounds as in `MandaatBewijs`.
    """

    hoorder: Pseudoniem
    partij: Organisatie = Field(description="The party the user hears for, e.g. Vcare.")
    geldig_van: Grens
    geldig_tot: Grens | None = None


class Leeftijdsverklaring(_Payload):
    """The hoorder's statement on the age of a betrokkene whose birth date is unknown."""

    jonger_dan_16: Feit = Field(
        description="Whether the betrokkene is, or may be, under 16 on the day of the hearing;"
        " then a legal representative must be heard too."
    )
    toelichting: BijzondereTekst = Field(
        description="What the statement rests on: an identity document, the betrokkene's own"
        " account, a naaste, the hoorder's observation."
    )


class Oplegging(_Payload):
    """A crisismaatregel taken: what it imposes, who carries it out, how to appeal."""

    uitkomst: Literal[BesluitUitkomst.GENOMEN] = BesluitUitkomst.GENOMEN
    verplichte_zorg: Annotated[
        list[Tekst], Field(min_length=1, max_length=50), Persoonsgegeven("bijzonder")
    ]
    zorgaanbieder: Organisatie
    geneesheer_directeur: Naam
    zorgverantwoordelijke: Naam
    patientenvertrouwenspersoon: Naam | None = None
    rechtsmiddel: Tekst = Field(description="The right of appeal the decision names.")
    motivatie: BijzondereTekst


class Afwijzing(_Payload):
    """No crisismaatregel, with the reason."""

    uitkomst: Literal[BesluitUitkomst.AFGEWEZEN] = BesluitUitkomst.AFGEWEZEN
    motivatie: BijzondereTekst


Besluit = Annotated[Oplegging | Afwijzing, Field(discriminator="uitkomst")]
"""The decision a burgemeester takes: `uitkomst` tells which."""
