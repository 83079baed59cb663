"""Events the onderzoek service publishes, and their registry."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, ClassVar
from uuid import UUID

from pydantic import AwareDatetime, Field

from wvggz_contracts.events import DomainEvent, EventRegistry
from wvggz_contracts.gemeenten import GemeenteCode
from wvggz_contracts.onderzoek.common import (
    AfsluitReden,
    Bijlage,
    BriefInhoud,
    BriefSoort,
    Contactpersoon,
    Gronden,
    JeugdSignaal,
    Leefgebied,
    LeefgebiedStatus,
    Toets,
    Uren,
    VoorwaardenAanleiding,
)
from wvggz_contracts.personal import Persoonsgegeven
from wvggz_contracts.personen import Betrokkene, Melder
from wvggz_contracts.typen import BijzondereTekst, Oordeel, Pseudoniem

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
    jeugdexpertise: bool = False


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
    ggz_geconsulteerd: bool | None = Field(
        default=None,
        description="Whether GGZ expertise was consulted in the VO (None: filed before this was"
        " recorded).",
    )
    jeugdexpertise_geconsulteerd: bool | None = Field(
        default=None,
        description="Whether child and youth psychiatry expertise was consulted (None: filed"
        " before this was recorded).",
    )
    zonder_ggz_motivatie: BijzondereTekst | None = Field(
        default=None, description="Why checks 2 or 3 were judged without GGZ expertise."
    )
    zonder_jeugdexpertise_motivatie: BijzondereTekst | None = Field(
        default=None, description="For a minor: why no youth expertise was consulted."
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
