"""Events of a crisis case up to the besluit, with the registry of every crisis event."""

from __future__ import annotations

from typing import Annotated, ClassVar
from uuid import UUID

from pydantic import AwareDatetime, Field

from wvggz_contracts.crisis.common import (
    BijzondereLijst,
    Bron,
    Criteria,
    Feit,
    HoorderRegistratie,
    HoorWijze,
    Leeftijdsverklaring,
    MandaatBewijs,
    Organisatie,
)
from wvggz_contracts.crisis.mandaat_events import (
    HoorderBeeindigd,
    HoorderGeregistreerd,
    HoormandaatBeeindigd,
    HoormandaatGeregistreerd,
    LocoBurgemeesterBeeindigd,
    LocoBurgemeesterGeregistreerd,
)
from wvggz_contracts.crisis.verloop_events import (
    AdvocaatToegewezen,
    AdvocaatToewijzingGevraagd,
    AfschriftKlaargezet,
    CrisismaatregelBeeindigd,
    CrisismaatregelVerlopen,
    RechterlijkeBeslissingGeregistreerd,
    VerzoekVoortzettingIngediend,
    VerzoekZorgmachtigingIngediend,
)
from wvggz_contracts.events import DomainEvent, EventRegistry
from wvggz_contracts.gemeenten import GemeenteCode
from wvggz_contracts.personal import Persoonsgegeven
from wvggz_contracts.personen import Betrokkene, Naam
from wvggz_contracts.typen import BijzondereTekst, Oordeel, Pseudoniem, Tekst

# Events of a crisis case


class CrisisGemeld(DomainEvent):
    """A crisis case started; the burgemeester must decide by `besluit_uiterlijk`."""

    event_type: ClassVar[str] = "nl.wvggz.crisis.crisis-gemeld.v1"

    crisis_id: UUID
    gemeente: GemeenteCode
    gemeld_op: AwareDatetime
    bron: Bron
    melding_id: UUID | None = None
    betrokkene: Betrokkene
    situatie: BijzondereTekst
    besluit_uiterlijk: AwareDatetime
    waarschuwing_op: AwareDatetime


class TijdelijkeVerplichteZorgVastgelegd(DomainEvent):
    """Temporary compulsory care before the decision was recorded (art. 7:3 Wvggz)."""

    event_type: ClassVar[str] = "nl.wvggz.crisis.tijdelijke-verplichte-zorg-vastgelegd.v1"

    crisis_id: UUID
    zorg_id: UUID
    zorg: BijzondereTekst
    vanaf: AwareDatetime
    vastgelegd_op: AwareDatetime


class OvjGegevensGevraagd(DomainEvent):
    """The OvJ is asked for the betrokkene's earlier measures; the OvJ link answers."""

    event_type: ClassVar[str] = "nl.wvggz.crisis.ovj-gegevens-gevraagd.v1"

    crisis_id: UUID
    gemeente: GemeenteCode
    aanvraag_id: UUID
    betrokkene: Betrokkene
    gevraagd_door: Pseudoniem
    toelichting: BijzondereTekst | None = None
    gevraagd_op: AwareDatetime


class OvjGegevensOntvangen(DomainEvent):
    """The OvJ's data on earlier measures arrived."""

    event_type: ClassVar[str] = "nl.wvggz.crisis.ovj-gegevens-ontvangen.v1"

    crisis_id: UUID
    eerdere_crisismaatregelen: BijzondereLijst
    machtigingen: BijzondereLijst
    zorgmachtigingen: BijzondereLijst
    politie_en_justitiele_gegevens: BijzondereTekst | None = None
    toelichting: BijzondereTekst | None = None
    ontvangen_op: AwareDatetime


class MedischeVerklaringOpgesteld(DomainEvent):
    """A psychiatrist drafted the medische verklaring; the latest draft counts."""

    event_type: ClassVar[str] = "nl.wvggz.crisis.medische-verklaring-opgesteld.v1"

    crisis_id: UUID
    verklaring_id: UUID
    psychiater: Pseudoniem
    onderzocht_op: AwareDatetime
    criteria: Criteria
    alle_criteria_voldaan: Oordeel
    bevindingen: BijzondereTekst
    opgesteld_op: AwareDatetime


class MedischeVerklaringOndertekend(DomainEvent):
    """The medische verklaring was signed by the psychiatrist who drafted it."""

    event_type: ClassVar[str] = "nl.wvggz.crisis.medische-verklaring-ondertekend.v1"

    crisis_id: UUID
    verklaring_id: UUID
    psychiater: Pseudoniem
    ondertekend_op: AwareDatetime


class MedischeVerklaringHeropend(DomainEvent):
    """The medische verklaring was withdrawn; a new one must be drafted and signed."""

    event_type: ClassVar[str] = "nl.wvggz.crisis.medische-verklaring-heropend.v1"

    crisis_id: UUID
    verklaring_id: UUID
    reden: BijzondereTekst
    heropend_door: Pseudoniem
    heropend_op: AwareDatetime


class HoorverslagVastgelegd(DomainEvent):
    """The betrokkene was heard by a mandated party; the report is part of the integraal advies."""

    event_type: ClassVar[str] = "nl.wvggz.crisis.hoorverslag-vastgelegd.v1"

    crisis_id: UUID
    verslag_id: UUID
    hoorder: Pseudoniem
    partij: Organisatie
    mandaat: MandaatBewijs
    gehoord_op: AwareDatetime
    wijze: HoorWijze
    wensen_en_voorkeuren: BijzondereTekst
    crisiskaart_geraadpleegd: Feit
    tolk_gebruikt: Feit
    naasten_aanwezig: Feit
    pvp_uitgelegd: Feit
    toestemming_gegevens_pvp: Feit
    jonger_dan_16: Feit
    wettelijk_vertegenwoordiger_gehoord: Feit | None = None
    vastgelegd_op: AwareDatetime
    registratie: HoorderRegistratie | None = Field(
        default=None,
        description="The hoorder's registration for `partij` the service found (absent only in"
        " verslagen recorded before contract 0.2.0).",
    )
    geboortedatum_onbekend: Feit = Field(
        default=False,
        description="The birth date was unknown: `jonger_dan_16` follows the hoorder's statement.",
    )
    leeftijd_verklaring: Leeftijdsverklaring | None = None


class HorenOnmogelijk(DomainEvent):
    """The betrokkene could not be heard, for this reason, as a registered hoorder found."""

    event_type: ClassVar[str] = "nl.wvggz.crisis.horen-onmogelijk.v1"

    crisis_id: UUID
    reden: BijzondereTekst
    vastgelegd_door: Pseudoniem
    vastgelegd_op: AwareDatetime
    partij: Organisatie | None = Field(
        default=None,
        description="The mandated party the recording user hears for (absent only in events"
        " recorded before contract 0.2.0), with its registration and mandate.",
    )
    registratie: HoorderRegistratie | None = None
    mandaat: MandaatBewijs | None = None


class IntegraalAdviesSamengesteld(DomainEvent):
    """The integraal advies for the burgemeester: the signed verklaring plus the hearing outcome."""

    event_type: ClassVar[str] = "nl.wvggz.crisis.integraal-advies-samengesteld.v1"

    crisis_id: UUID
    gemeente: GemeenteCode
    advies_id: UUID
    verklaring_id: UUID
    alle_criteria_voldaan: Oordeel
    hoorverslag_id: UUID | None = None
    horen_onmogelijk_reden: BijzondereTekst | None = None
    toelichting: BijzondereTekst | None = None
    samengesteld_op: AwareDatetime


class BesluitGenomen(DomainEvent):
    """The burgemeester took the crisismaatregel; it runs until `eindigt_op` unless extended."""

    event_type: ClassVar[str] = "nl.wvggz.crisis.besluit-genomen.v1"

    crisis_id: UUID
    gemeente: GemeenteCode
    besluit_id: UUID
    advies_id: UUID
    besloten_op: AwareDatetime
    besloten_door: Pseudoniem
    als_loco: bool
    verplichte_zorg: Annotated[list[Tekst], Persoonsgegeven("bijzonder")]
    zorgaanbieder: Organisatie
    geneesheer_directeur: Naam
    zorgverantwoordelijke: Naam
    patientenvertrouwenspersoon: Naam | None = None
    rechtsmiddel: Tekst
    motivatie: BijzondereTekst
    advocaat: Naam | None = None
    vertegenwoordiger: Naam | None = None
    eindigt_op: AwareDatetime
    vastgelegd_op: AwareDatetime | None = Field(
        default=None,
        description="When the platform recorded it; the fact's own moment is "
        "`besloten_op`. Absent on events recorded before contract 0.2.0.",
    )


class BesluitAfgewezen(DomainEvent):
    """The burgemeester decided not to take a crisismaatregel; the case closes."""

    event_type: ClassVar[str] = "nl.wvggz.crisis.besluit-afgewezen.v1"

    crisis_id: UUID
    gemeente: GemeenteCode
    besluit_id: UUID
    advies_id: UUID
    besloten_op: AwareDatetime
    besloten_door: Pseudoniem
    als_loco: bool
    motivatie: BijzondereTekst
    advocaat: Naam | None = None
    vertegenwoordiger: Naam | None = None
    vastgelegd_op: AwareDatetime | None = Field(
        default=None,
        description="When the platform recorded it; the fact's own moment is "
        "`besloten_op`. Absent on events recorded before contract 0.2.0.",
    )


class BesluitTermijnWaarschuwing(DomainEvent):
    """The 18-hour norm is near and no decision was taken yet."""

    event_type: ClassVar[str] = "nl.wvggz.crisis.besluit-termijn-waarschuwing.v1"

    crisis_id: UUID
    gemeente: GemeenteCode
    besluit_uiterlijk: AwareDatetime
    gesignaleerd_op: AwareDatetime


class BesluitTermijnVerstreken(DomainEvent):
    """The 18-hour norm passed without a decision; a decision can still be taken."""

    event_type: ClassVar[str] = "nl.wvggz.crisis.besluit-termijn-verstreken.v1"

    crisis_id: UUID
    gemeente: GemeenteCode
    besluit_uiterlijk: AwareDatetime
    gesignaleerd_op: AwareDatetime


EVENTS = EventRegistry(
    [
        CrisisGemeld,
        TijdelijkeVerplichteZorgVastgelegd,
        OvjGegevensGevraagd,
        OvjGegevensOntvangen,
        MedischeVerklaringOpgesteld,
        MedischeVerklaringOndertekend,
        MedischeVerklaringHeropend,
        HoorverslagVastgelegd,
        HorenOnmogelijk,
        IntegraalAdviesSamengesteld,
        BesluitGenomen,
        BesluitAfgewezen,
        AfschriftKlaargezet,
        AdvocaatToewijzingGevraagd,
        AdvocaatToegewezen,
        VerzoekVoortzettingIngediend,
        RechterlijkeBeslissingGeregistreerd,
        VerzoekZorgmachtigingIngediend,
        CrisismaatregelBeeindigd,
        BesluitTermijnWaarschuwing,
        BesluitTermijnVerstreken,
        CrisismaatregelVerlopen,
        HoormandaatGeregistreerd,
        HoormandaatBeeindigd,
        HoorderGeregistreerd,
        HoorderBeeindigd,
        LocoBurgemeesterGeregistreerd,
        LocoBurgemeesterBeeindigd,
    ]
)
"""Every event type the crisis service publishes (crisis cases and mandate registers)."""
