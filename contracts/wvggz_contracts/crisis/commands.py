"""Commands the crisis service accepts (the case and the mandate register)."""

from __future__ import annotations

from uuid import UUID

from pydantic import AwareDatetime, Field

from wvggz_contracts.crisis.common import (
    Besluit,
    BijzondereLijst,
    Criteria,
    Feit,
    Grens,
    HoorWijze,
    Leeftijdsverklaring,
    MelderSoort,
    Organisatie,
    RechterlijkVerzoek,
    _Payload,
)
from wvggz_contracts.gemeenten import GemeenteCode
from wvggz_contracts.personen import Betrokkene, Naam
from wvggz_contracts.typen import BijzondereTekst, Pseudoniem, Tekst

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
    hoorder: Pseudoniem = Field(
        description="Must be the acting hoorder. The party they hear for is not sent: the"
        " service takes it from the gemeente's mandate register."
    )
    gehoord_op: AwareDatetime = Field(
        description="When the betrokkene was heard; their age is taken on this Amsterdam day."
    )
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
    leeftijd_verklaring: Leeftijdsverklaring | None = Field(
        default=None,
        description="Required when the betrokkene's birth date is unknown (and refused when it"
        " is known): whether they are under 16, and on what that rests.",
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
    besloten_op: AwareDatetime = Field(
        description="When the burgemeester decided, as stated (not when it is recorded): the "
        "measure's terms run from it. Not after the command's time, not before the melding."
    )
    advocaat: Naam | None = Field(
        default=None, description="The betrokkene's advocaat; none asks for an assignment."
    )
    vertegenwoordiger: Naam | None = None


class RegistreerAdvocaat(_Payload):
    """Record the advocaat assigned after the decision asked for one."""

    crisis_id: UUID
    advocaat: Naam


class RegistreerVerzoekVoortzetting(_Payload):
    """The OvJ filed a request for a machtiging tot voortzetting with the court."""

    crisis_id: UUID
    ingediend_op: AwareDatetime = Field(
        description="When the court received the request, as stated: the court's term runs from "
        "it. Not after the command's time, not before the burgemeester's decision."
    )


class RegistreerRechterlijkeBeslissing(_Payload):
    """The court decided on a request of the OvJ."""

    crisis_id: UUID
    verzoek: RechterlijkVerzoek
    toegewezen: bool
    beslist_op: AwareDatetime = Field(
        description="When the court decided, as stated: a granted voortzetting runs from it. Not "
        "after the command's time, not before the request it answers."
    )


class RegistreerVerzoekZorgmachtiging(_Payload):
    """The OvJ filed a request for a zorgmachtiging during the voortzetting."""

    crisis_id: UUID
    ingediend_op: AwareDatetime = Field(
        description="When the court received the request, as stated: the court's term (art. 6:2 "
        "lid 1 sub b) runs from it. Not after the command's time, not before the request for "
        "voortzetting."
    )


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


class RegistreerHoorder(_Payload):
    """Register a user who hears for a party; a new registration replaces the user's old one."""

    gemeente: GemeenteCode
    hoorder: Pseudoniem = Field(description="The user's pseudonymous id (the token's `sub`).")
    partij: Organisatie = Field(description="The party the user hears for, e.g. Vcare.")
    geldig_van: Grens
    geldig_tot: Grens | None = None


class BeeindigHoorder(_Payload):
    """End a user's registration as a hoorder, now."""

    gemeente: GemeenteCode
    hoorder: Pseudoniem
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
