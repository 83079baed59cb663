"""Contracts of the crisismaatregel (CM) and the gemeente's mandate register for hearing."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, ClassVar, Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from wvggz_contracts.events import DomainEvent, EventRegistry
from wvggz_contracts.gemeenten import GemeenteCode
from wvggz_contracts.personal import Persoonsgegeven
from wvggz_contracts.personen import Betrokkene, Naam

PROCEDURE = "crisis"

Pseudoniem = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.:-]{1,64}$")]
"""A pseudonymous staff id, as in `Actor.id`."""

Tekst = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000)]
"""Free text that may not be blank."""

BijzondereTekst = Annotated[Tekst, Persoonsgegeven("bijzonder")]
"""Free text about the betrokkene: special-category personal data (health)."""

BijzondereLijst = Annotated[list[Tekst], Field(max_length=100), Persoonsgegeven("bijzonder")]
"""A list of free-text items about the betrokkene, e.g. earlier measures: special-category."""

Oordeel = Annotated[bool, Persoonsgegeven("bijzonder")]
"""A judgement about the betrokkene's mental health: special-category."""

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


# Commands of a crisis case


class MeldCrisis(_Payload):
    """The crisisdienst registers a crisis reported by police, a zorgverantwoordelijke or itself."""

    crisis_id: UUID = Field(description="Chosen by the caller; a retry repeats it.")
    gemeente: GemeenteCode = Field(description="Where the betrokkene is, not where they live.")
    gemeld_op: AwareDatetime = Field(description="Start of the process: the 18-hour norm runs.")
    melder_soort: MelderSoort
    betrokkene: Betrokkene
    situatie: BijzondereTekst


class StartCrisisUitTriage(_Payload):
    """The service itself starts a crisis case from a meldpunt triage with uitkomst crisis."""

    melding_id: UUID
    gemeente: GemeenteCode
    gemeld_op: AwareDatetime = Field(description="The triage's afgerond_op.")
    betrokkene: Betrokkene
    situatie: BijzondereTekst


class LegTijdelijkeZorgVast(_Payload):
    """Record temporary compulsory care given before the decision (art. 7:3 Wvggz)."""

    crisis_id: UUID
    zorg: BijzondereTekst = Field(description="Which care.")
    vanaf: AwareDatetime


class VraagOvjGegevensOp(_Payload):
    """Ask the OvJ for earlier crisismaatregelen, machtigingen and zorgmachtigingen."""

    crisis_id: UUID
    toelichting: BijzondereTekst | None = None


class RegistreerOvjGegevens(_Payload):
    """The OvJ's answer to a request for data about the betrokkene's history."""

    crisis_id: UUID
    eerdere_crisismaatregelen: BijzondereLijst = Field(default_factory=list)
    machtigingen: BijzondereLijst = Field(default_factory=list)
    zorgmachtigingen: BijzondereLijst = Field(default_factory=list)
    politie_en_justitiele_gegevens: BijzondereTekst | None = Field(
        default=None, description="For the psychiatrist only (bijlage 4, overwegingen)."
    )
    toelichting: BijzondereTekst | None = None


class StelMedischeVerklaringOp(_Payload):
    """An independent psychiatrist drafts the medische verklaring; a new draft replaces one."""

    crisis_id: UUID
    psychiater: Pseudoniem = Field(description="Must be the acting psychiatrist.")
    is_behandelaar: bool = Field(description="True refuses: the treating psychiatrist may not.")
    onderzocht_op: AwareDatetime
    criteria: Criteria
    bevindingen: BijzondereTekst = Field(description="The actual state of health.")


class OndertekenMedischeVerklaring(_Payload):
    """The psychiatrist who drafted it signs the medische verklaring."""

    crisis_id: UUID
    verklaring_id: UUID


class HeropenMedischeVerklaring(_Payload):
    """Reopen the medische verklaring before any hearing outcome or decision exists."""

    crisis_id: UUID
    verklaring_id: UUID
    reden: BijzondereTekst


class LegHoorverslagVast(_Payload):
    """The mandated hoorder records the hearing of the betrokkene (bijlage 4 art. 3)."""

    crisis_id: UUID
    hoorder: Pseudoniem = Field(description="Must be the acting hoorder.")
    partij: Organisatie = Field(description="The hoorder's mandated party, e.g. Vcare.")
    gehoord_op: AwareDatetime
    wijze: HoorWijze
    wensen_en_voorkeuren: BijzondereTekst
    crisiskaart_geraadpleegd: Feit
    tolk_gebruikt: Feit
    naasten_aanwezig: Feit
    pvp_uitgelegd: Feit
    toestemming_gegevens_pvp: Feit
    wettelijk_vertegenwoordiger_gehoord: Feit | None = Field(
        default=None, description="Required and true for a betrokkene under 16."
    )
    mandaat: MandaatBewijs | None = Field(
        default=None,
        description="Set by the service from the mandate register, overwriting a client's value.",
    )


class LegHorenOnmogelijkVast(_Payload):
    """Record why the betrokkene could not be heard."""

    crisis_id: UUID
    reden: BijzondereTekst


class StelIntegraalAdviesSamen(_Payload):
    """Assemble the signed medische verklaring and the hearing outcome for the burgemeester."""

    crisis_id: UUID
    toelichting: BijzondereTekst | None = None


class NeemBesluit(_Payload):
    """The burgemeester (or a registered loco) takes or refuses the crisismaatregel."""

    crisis_id: UUID
    besluit: Besluit
    advocaat: Naam | None = Field(
        default=None, description="The betrokkene's advocaat; none asks for an assignment."
    )
    vertegenwoordiger: Naam | None = None
    loco_registratie: MandaatBewijs | None = Field(
        default=None,
        description="Set by the service from the mandate register, overwriting a client's value.",
    )


class RegistreerAdvocaat(_Payload):
    """Record the advocaat assigned after the decision asked for one."""

    crisis_id: UUID
    advocaat: Naam


class RegistreerVerzoekVoortzetting(_Payload):
    """The OvJ filed a request for a machtiging tot voortzetting with the court."""

    crisis_id: UUID
    ingediend_op: AwareDatetime


class RegistreerRechterlijkeBeslissing(_Payload):
    """The court decided on a request of the OvJ."""

    crisis_id: UUID
    verzoek: RechterlijkVerzoek
    toegewezen: bool
    beslist_op: AwareDatetime


class RegistreerVerzoekZorgmachtiging(_Payload):
    """The OvJ filed a request for a zorgmachtiging during the voortzetting."""

    crisis_id: UUID
    ingediend_op: AwareDatetime


class BeeindigCrisismaatregel(_Payload):
    """End the measure early on behalf of the geneesheer-directeur."""

    crisis_id: UUID
    geneesheer_directeur: Naam
    reden: BijzondereTekst


class SignaleerNaderendBesluit(_Payload):
    """The deadline watcher: the warning moment before the 18-hour norm has come."""

    crisis_id: UUID


class SignaleerBesluitTermijnVerstreken(_Payload):
    """The deadline watcher: the 18-hour norm passed."""

    crisis_id: UUID


class SignaleerEindeMaatregel(_Payload):
    """The deadline watcher: the measure's end moment has come."""

    crisis_id: UUID


# Commands of the mandate register (one per gemeente)


class RegistreerHoormandaat(_Payload):
    """Register the burgemeester's mandate to hear for a party; a new one replaces its old one."""

    gemeente: GemeenteCode
    partij: Organisatie
    geldig_van: Grens
    geldig_tot: Grens | None = None


class BeeindigHoormandaat(_Payload):
    """End a party's mandate to hear, now."""

    gemeente: GemeenteCode
    partij: Organisatie
    reden: Tekst | None = None


class RegistreerLocoBurgemeester(_Payload):
    """Register who stands in for the burgemeester, and when; a new one replaces the old one."""

    gemeente: GemeenteCode
    loco: Pseudoniem
    geldig_van: Grens
    geldig_tot: Grens | None = None


class BeeindigLocoBurgemeester(_Payload):
    """End a loco-burgemeester's registration, now."""

    gemeente: GemeenteCode
    loco: Pseudoniem


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


class HorenOnmogelijk(DomainEvent):
    """The betrokkene could not be heard, for this reason."""

    event_type: ClassVar[str] = "nl.wvggz.crisis.horen-onmogelijk.v1"

    crisis_id: UUID
    reden: BijzondereTekst
    vastgelegd_door: Pseudoniem
    vastgelegd_op: AwareDatetime


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


class AfschriftKlaargezet(DomainEvent):
    """A copy of the decision is ready to deliver to one recipient, with its legal basis."""

    event_type: ClassVar[str] = "nl.wvggz.crisis.afschrift-klaargezet.v1"

    crisis_id: UUID
    gemeente: GemeenteCode
    afschrift_id: UUID
    ontvanger: Ontvanger
    aan: Naam | None = Field(
        default=None, description="The addressee's name when a person; None for an institution."
    )
    besluit_id: UUID
    besluit: BesluitUitkomst
    besloten_op: AwareDatetime
    rechtsgrond: Tekst


class AdvocaatToewijzingGevraagd(DomainEvent):
    """The betrokkene has no advocaat: one must be assigned (the advocaat's copy waits for it)."""

    event_type: ClassVar[str] = "nl.wvggz.crisis.advocaat-toewijzing-gevraagd.v1"

    crisis_id: UUID
    gemeente: GemeenteCode
    besluit_id: UUID
    betrokkene: Betrokkene
    gevraagd_op: AwareDatetime


class AdvocaatToegewezen(DomainEvent):
    """An advocaat was assigned to the betrokkene."""

    event_type: ClassVar[str] = "nl.wvggz.crisis.advocaat-toegewezen.v1"

    crisis_id: UUID
    advocaat: Naam
    toegewezen_op: AwareDatetime


class VerzoekVoortzettingIngediend(DomainEvent):
    """The OvJ asked the court for a machtiging tot voortzetting; the measure runs on meanwhile."""

    event_type: ClassVar[str] = "nl.wvggz.crisis.verzoek-voortzetting-ingediend.v1"

    crisis_id: UUID
    gemeente: GemeenteCode
    ingediend_op: AwareDatetime
    rechter_beslist_uiterlijk: AwareDatetime
    eindigt_op: AwareDatetime


class RechterlijkeBeslissingGeregistreerd(DomainEvent):
    """The court decided; `eindigt_op` is the measure's new end, `loopt_door` whether it runs on."""

    event_type: ClassVar[str] = "nl.wvggz.crisis.rechterlijke-beslissing-geregistreerd.v1"

    crisis_id: UUID
    gemeente: GemeenteCode
    verzoek: RechterlijkVerzoek
    toegewezen: bool
    beslist_op: AwareDatetime
    loopt_door: bool
    eindigt_op: AwareDatetime


class VerzoekZorgmachtigingIngediend(DomainEvent):
    """A zorgmachtiging was requested: the voortzetting runs until the court decides, capped."""

    event_type: ClassVar[str] = "nl.wvggz.crisis.verzoek-zorgmachtiging-ingediend.v1"

    crisis_id: UUID
    gemeente: GemeenteCode
    ingediend_op: AwareDatetime
    eindigt_op: AwareDatetime


class CrisismaatregelBeeindigd(DomainEvent):
    """The geneesheer-directeur ended the measure early."""

    event_type: ClassVar[str] = "nl.wvggz.crisis.crisismaatregel-beeindigd.v1"

    crisis_id: UUID
    gemeente: GemeenteCode
    geneesheer_directeur: Naam
    reden: BijzondereTekst
    beeindigd_door: Pseudoniem
    beeindigd_op: AwareDatetime


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


class CrisismaatregelVerlopen(DomainEvent):
    """The measure reached its end moment without extension or earlier end; the case closes."""

    event_type: ClassVar[str] = "nl.wvggz.crisis.crisismaatregel-verlopen.v1"

    crisis_id: UUID
    gemeente: GemeenteCode
    eindigt_op: AwareDatetime
    gesignaleerd_op: AwareDatetime


# Events of the mandate register


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
        LocoBurgemeesterGeregistreerd,
        LocoBurgemeesterBeeindigd,
    ]
)
"""Every event type the crisis service publishes (crisis cases and mandate registers)."""
