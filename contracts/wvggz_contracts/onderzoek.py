"""Contracts of the verkennend onderzoek (VO) and the essentiële voorwaarden."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, ClassVar
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from wvggz_contracts.events import DomainEvent, EventRegistry
from wvggz_contracts.gemeenten import GemeenteCode
from wvggz_contracts.personal import Persoonsgegeven
from wvggz_contracts.personen import Betrokkene, Melder, Naam

PROCEDURE = "onderzoek"

Pseudoniem = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.:-]{1,64}$")]
"""A pseudonymous staff id, as in `Actor.id`."""

Tekst = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000)]
"""Free text that may not be blank."""

BijzondereTekst = Annotated[Tekst, Persoonsgegeven("bijzonder")]
"""Free text about the betrokkene: special-category personal data (health)."""

Oordeel = Annotated[bool, Persoonsgegeven("bijzonder")]
"""Whether a core question is aannemelijk: a judgement about mental health, so special-category."""

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


class BriefUitkomst(StrEnum):
    """What a standard letter tells the melder; never why (no health details)."""

    GEEN_VERVOLG = "geen-vervolg"
    AANVRAAG_INGEDIEND = "aanvraag-ingediend"
    AANVRAAG_OP_VERZOEK_MELDER = "aanvraag-op-verzoek-melder"
    GEEN_AANVRAAG = "geen-aanvraag"
    OVJ_BEREIDT_VERZOEKSCHRIFT_VOOR = "ovj-bereidt-verzoekschrift-voor"
    OVJ_BEREIDT_GEEN_VERZOEKSCHRIFT_VOOR = "ovj-bereidt-geen-verzoekschrift-voor"


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


# Commands of the verkennend onderzoek


class OpenVerkennendOnderzoek(_Payload):
    """Open the VO for a melding that triage sent to verkennend onderzoek (the service itself)."""

    melding_id: UUID
    gemeente: GemeenteCode
    melding_ontvangen_op: AwareDatetime = Field(description="Start of the VO term.")
    betrokkene: Betrokkene
    melder: Melder
    situatie: BijzondereTekst


class WijsConsulentToe(_Payload):
    """Assign a consulent to the VO."""

    vo_id: UUID
    consulent: Pseudoniem


class LegGesprekVast(_Payload):
    """Record the conversation with the betrokkene, or why there was none."""

    vo_id: UUID
    vonden_plaats: bool
    datum: date
    samenvatting: BijzondereTekst | None = None
    reden_geen_gesprek: BijzondereTekst | None = None


class LegOcoWijzingVast(_Payload):
    """Record that the betrokkene was pointed to independent cliëntondersteuning (OCO)."""

    vo_id: UUID
    datum: date
    toelichting: BijzondereTekst | None = None


class LegGgzConsultatieVast(_Payload):
    """Record a consultation of GGZ expertise, counted against the VO's budget."""

    vo_id: UUID
    consultant: Pseudoniem
    datum: date
    uren: Uren
    onderwerp: BijzondereTekst
    overschrijding_motivatie: BijzondereTekst | None = None


class BeoordeelToets(_Payload):
    """Answer the next core question; "not aannemelijk" closes the VO."""

    vo_id: UUID
    toets: Toets
    aannemelijk: Oordeel
    motivatie: BijzondereTekst


class LegLeefgebiedVast(_Payload):
    """Record how one of the vier leefgebieden stands."""

    vo_id: UUID
    leefgebied: Leefgebied
    status: Annotated[LeefgebiedStatus, Persoonsgegeven()]
    ondersteuning_nodig: Annotated[bool, Persoonsgegeven()]
    toelichting: BijzondereTekst | None = None


class LegRapportVast(_Payload):
    """Record the VO report; a later report replaces an earlier one."""

    vo_id: UUID
    samenvatting: BijzondereTekst


class Concludeer(_Payload):
    """Conclude the VO: file the aanvraag with the OvJ, or give the reason not to."""

    vo_id: UUID
    aanvraag: AanvraagVoorbereidingVerzoekschrift | None = None
    reden: BijzondereTekst | None = Field(
        default=None,
        description="Why no aanvraag, or why the gemeente sees no need when a melder asks for one.",
    )
    melder_verzoekt_zorgmachtiging: bool = Field(
        default=False, description="An entitled melder wants a zorgmachtiging."
    )


class RegistreerOvjReactie(_Payload):
    """Record whether the OvJ will prepare a verzoekschrift."""

    vo_id: UUID
    bereidt_verzoekschrift_voor: bool
    toelichting: BijzondereTekst | None = None
    ontvangen_op: AwareDatetime


class SignaleerNaderendeTermijn(_Payload):
    """The deadline watcher: the VO's warning moment has come."""

    vo_id: UUID


class SignaleerTermijnVerstreken(_Payload):
    """The deadline watcher: the VO's term has passed."""

    vo_id: UUID


# Commands of the essentiële voorwaarden


class MeldOntbrekendeVoorwaarden(_Payload):
    """Report, for a zorgverantwoordelijke, that essentiële voorwaarden are missing."""

    verzoek_id: UUID
    gemeente: GemeenteCode
    aanleiding: VoorwaardenAanleiding
    betrokkene: Betrokkene
    zorgverantwoordelijke: Contactpersoon
    leefgebieden: list[Leefgebied] = Field(min_length=1, max_length=4)
    toelichting: BijzondereTekst | None = None


class WijsVoorwaardenToe(_Payload):
    """Assign a consulent to a voorwaarden request."""

    verzoek_id: UUID
    consulent: Pseudoniem


class LegVoorwaardeAfgerond(_Payload):
    """Record that support for one leefgebied of the request is arranged."""

    verzoek_id: UUID
    leefgebied: Leefgebied
    toelichting: BijzondereTekst | None = None


# Events of the verkennend onderzoek


class VoGeopend(DomainEvent):
    """A VO was opened for a melding; its term runs from the melding to `deadline`."""

    event_type: ClassVar[str] = "nl.wvggz.onderzoek.vo-geopend.v1"

    vo_id: UUID
    melding_id: UUID
    gemeente: GemeenteCode
    geopend_op: AwareDatetime
    melding_ontvangen_op: AwareDatetime
    deadline: AwareDatetime
    waarschuwing_op: AwareDatetime
    jeugd: Annotated[JeugdSignaal, Persoonsgegeven()]
    kinderpsychiatrie_nodig: Annotated[bool, Persoonsgegeven()]
    betrokkene: Betrokkene
    melder: Melder
    situatie: BijzondereTekst


class ConsulentToegewezen(DomainEvent):
    """A consulent was assigned to the VO."""

    event_type: ClassVar[str] = "nl.wvggz.onderzoek.consulent-toegewezen.v1"

    vo_id: UUID
    consulent: Pseudoniem


class GesprekVastgelegd(DomainEvent):
    """The conversation with the betrokkene, or why there was none, was recorded."""

    event_type: ClassVar[str] = "nl.wvggz.onderzoek.gesprek-vastgelegd.v1"

    vo_id: UUID
    vonden_plaats: bool
    datum: date
    samenvatting: BijzondereTekst | None = None
    reden_geen_gesprek: BijzondereTekst | None = None


class OcoGewezen(DomainEvent):
    """The betrokkene was pointed to independent cliëntondersteuning."""

    event_type: ClassVar[str] = "nl.wvggz.onderzoek.oco-gewezen.v1"

    vo_id: UUID
    datum: date
    toelichting: BijzondereTekst | None = None


class GgzConsultatieVastgelegd(DomainEvent):
    """A GGZ consultation was recorded, with the VO's running total of hours."""

    event_type: ClassVar[str] = "nl.wvggz.onderzoek.ggz-consultatie-vastgelegd.v1"

    vo_id: UUID
    consultant: Pseudoniem
    datum: date
    uren: Uren
    onderwerp: BijzondereTekst
    totaal_uren: Decimal
    budget_uren: Decimal
    overschrijding_motivatie: BijzondereTekst | None = None


class ToetsBeoordeeld(DomainEvent):
    """A core question was answered."""

    event_type: ClassVar[str] = "nl.wvggz.onderzoek.toets-beoordeeld.v1"

    vo_id: UUID
    toets: Toets
    aannemelijk: Oordeel
    motivatie: BijzondereTekst
    beoordeeld_op: AwareDatetime


class LeefgebiedVastgelegd(DomainEvent):
    """How a leefgebied stands was recorded; the latest per leefgebied counts."""

    event_type: ClassVar[str] = "nl.wvggz.onderzoek.leefgebied-vastgelegd.v1"

    vo_id: UUID
    leefgebied: Leefgebied
    status: Annotated[LeefgebiedStatus, Persoonsgegeven()]
    ondersteuning_nodig: Annotated[bool, Persoonsgegeven()]
    toelichting: BijzondereTekst | None = None


class VoRapportVastgelegd(DomainEvent):
    """The VO report was recorded; the latest one counts."""

    event_type: ClassVar[str] = "nl.wvggz.onderzoek.vo-rapport-vastgelegd.v1"

    vo_id: UUID
    rapport_id: UUID
    samenvatting: BijzondereTekst
    vastgelegd_op: AwareDatetime


class AanvraagIngediend(DomainEvent):
    """The Aanvraag voorbereiding verzoekschrift zorgmachtiging was filed with the OvJ."""

    event_type: ClassVar[str] = "nl.wvggz.onderzoek.aanvraag-ingediend.v1"

    vo_id: UUID
    melding_id: UUID
    gemeente: GemeenteCode
    ingediend_op: AwareDatetime
    betrokkene: Betrokkene
    jeugd: Annotated[JeugdSignaal, Persoonsgegeven()]
    gronden: Gronden
    rapport_id: UUID
    contact_consulent: Contactpersoon
    spoed: bool
    bijlagen: list[Bijlage]
    toelichting: BijzondereTekst | None = None
    gemeente_ziet_geen_noodzaak: bool = False
    reden_geen_noodzaak: BijzondereTekst | None = None
    melder_verzoekt_zorgmachtiging: bool = False
    verzoekende_melder: Melder | None = Field(
        default=None, description="The entitled melder who asks for a zorgmachtiging."
    )


class GeenAanvraag(DomainEvent):
    """The gemeente concluded not to file an aanvraag."""

    event_type: ClassVar[str] = "nl.wvggz.onderzoek.geen-aanvraag.v1"

    vo_id: UUID
    reden: BijzondereTekst
    besloten_op: AwareDatetime


class VoAfgesloten(DomainEvent):
    """The VO is closed; the meldpunt learns its melding has no open VO any more."""

    event_type: ClassVar[str] = "nl.wvggz.onderzoek.vo-afgesloten.v1"

    vo_id: UUID
    melding_id: UUID
    gemeente: GemeenteCode
    reden: AfsluitReden
    toelichting: BijzondereTekst
    afgesloten_op: AwareDatetime


class OvjReactieOntvangen(DomainEvent):
    """The OvJ said whether he will prepare a verzoekschrift."""

    event_type: ClassVar[str] = "nl.wvggz.onderzoek.ovj-reactie-ontvangen.v1"

    vo_id: UUID
    bereidt_verzoekschrift_voor: bool
    toelichting: BijzondereTekst | None = None
    ontvangen_op: AwareDatetime


class MelderBriefKlaargezet(DomainEvent):
    """A standard letter to an entitled melder is ready to send."""

    event_type: ClassVar[str] = "nl.wvggz.onderzoek.melder-brief-klaargezet.v1"

    vo_id: UUID
    melding_id: UUID
    gemeente: GemeenteCode
    brief: BriefSoort
    aan: Melder
    inhoud: BriefInhoud


class TermijnWaarschuwing(DomainEvent):
    """The VO's deadline is near and no conclusion was reached yet."""

    event_type: ClassVar[str] = "nl.wvggz.onderzoek.termijn-waarschuwing.v1"

    vo_id: UUID
    deadline: AwareDatetime
    consulent: Pseudoniem | None = None
    gesignaleerd_op: AwareDatetime


class TermijnVerstreken(DomainEvent):
    """The VO's term passed without a conclusion; the VO stays open."""

    event_type: ClassVar[str] = "nl.wvggz.onderzoek.termijn-verstreken.v1"

    vo_id: UUID
    deadline: AwareDatetime
    consulent: Pseudoniem | None = None
    gesignaleerd_op: AwareDatetime


# Events of the essentiële voorwaarden


class VoorwaardenVerzoekGeregistreerd(DomainEvent):
    """A zorgverantwoordelijke's report of missing essentiële voorwaarden was registered."""

    event_type: ClassVar[str] = "nl.wvggz.onderzoek.voorwaarden-verzoek-geregistreerd.v1"

    verzoek_id: UUID
    gemeente: GemeenteCode
    aanleiding: VoorwaardenAanleiding
    betrokkene: Betrokkene
    zorgverantwoordelijke: Contactpersoon
    leefgebieden: list[Leefgebied]
    toelichting: BijzondereTekst | None = None
    geregistreerd_op: AwareDatetime


class VoorwaardenVerzoekToegewezen(DomainEvent):
    """A consulent was assigned to the voorwaarden request."""

    event_type: ClassVar[str] = "nl.wvggz.onderzoek.voorwaarden-verzoek-toegewezen.v1"

    verzoek_id: UUID
    consulent: Pseudoniem


class VoorwaardeAfgerond(DomainEvent):
    """Support for one leefgebied of the request was arranged."""

    event_type: ClassVar[str] = "nl.wvggz.onderzoek.voorwaarde-afgerond.v1"

    verzoek_id: UUID
    leefgebied: Leefgebied
    toelichting: BijzondereTekst | None = None
    afgerond_op: AwareDatetime


class VoorwaardenVerzoekAfgerond(DomainEvent):
    """Every leefgebied of the request is done."""

    event_type: ClassVar[str] = "nl.wvggz.onderzoek.voorwaarden-verzoek-afgerond.v1"

    verzoek_id: UUID
    gemeente: GemeenteCode
    afgerond_op: AwareDatetime


EVENTS = EventRegistry(
    [
        VoGeopend,
        ConsulentToegewezen,
        GesprekVastgelegd,
        OcoGewezen,
        GgzConsultatieVastgelegd,
        ToetsBeoordeeld,
        LeefgebiedVastgelegd,
        VoRapportVastgelegd,
        AanvraagIngediend,
        GeenAanvraag,
        VoAfgesloten,
        OvjReactieOntvangen,
        MelderBriefKlaargezet,
        TermijnWaarschuwing,
        TermijnVerstreken,
        VoorwaardenVerzoekGeregistreerd,
        VoorwaardenVerzoekToegewezen,
        VoorwaardeAfgerond,
        VoorwaardenVerzoekAfgerond,
    ]
)
"""Every event type the onderzoek service publishes."""
