"""Commands the onderzoek service accepts (verkennend onderzoek and essentiële voorwaarden)."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import AwareDatetime, Field

from wvggz_contracts.gemeenten import GemeenteCode
from wvggz_contracts.onderzoek.common import (
    AanvraagVoorbereidingVerzoekschrift,
    Contactpersoon,
    Leefgebied,
    LeefgebiedStatus,
    Toets,
    Uren,
    VoorwaardenAanleiding,
    _Payload,
)
from wvggz_contracts.personal import Persoonsgegeven
from wvggz_contracts.personen import Betrokkene, Melder
from wvggz_contracts.typen import BijzondereTekst, Oordeel, Pseudoniem

# Commands of the verkennend onderzoek


class OpenVerkennendOnderzoek(_Payload):
    """Open the VO for a melding that triage sent to verkennend onderzoek (the service itself)."""

    melding_id: UUID
    gemeente: GemeenteCode
    melding_ontvangen_op: AwareDatetime = Field(description="Start of the VO term.")
    vo_termijn_eind: AwareDatetime = Field(
        description="When the VO decision is due, as the meldpunt set it (TriageAfgerond)."
    )
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
    jeugdexpertise: bool = Field(
        default=False,
        description="The consultant has child and youth psychiatry expertise (seed 001 §2.5).",
    )


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
    zonder_ggz_motivatie: BijzondereTekst | None = Field(
        default=None,
        description="Why the aanvraag rests on checks 2 or 3 without a recorded GGZ consultation.",
    )
    zonder_jeugdexpertise_motivatie: BijzondereTekst | None = Field(
        default=None,
        description="For a minor: why no consultation with child and youth psychiatry expertise"
        " was recorded.",
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
