"""Contracts of the meldpunt: commands it accepts and events it publishes."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, ClassVar, TypeVar
from uuid import UUID

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from wvggz_contracts.events import DomainEvent, EventRegistry
from wvggz_contracts.gemeenten import GemeenteCode
from wvggz_contracts.personal import Persoonsgegeven
from wvggz_contracts.personen import Betrokkene, Melder
from wvggz_contracts.rechtstijd import TIJDZONE as _TIJDZONE
from wvggz_contracts.rechtstijd import (
    VrijeDagen,
    atw_feestdagen,
    einde_atw_termijn,
    einde_hele_dagen,
)
from wvggz_contracts.typen import BijzondereTekst, Regel, WvggzMoment, schone_tekst

PROCEDURE = "meldpunt"

TIJDZONE = _TIJDZONE.key
"""Name of the zone whose wall clock counts the terms; the clock itself is `rechtstijd`'s."""

VO_TERMIJN_DAGEN = 14
"""Calendar days from the melding to the decision of the verkennend onderzoek (art. 5:2 Wvggz)."""

T = TypeVar("T")


def _zonder_dubbelen(values: list[T]) -> list[T]:
    """The list unchanged, or a ValueError when a value occurs twice."""
    if len(set(values)) != len(values):
        raise ValueError("een waarde komt dubbel voor")
    return values


VO_TERMIJN_ATW = True
"""Whether the Algemene termijnenwet applies to the VO term (services/onderzoek/README.md): the
14 days of art. 5:2 Wvggz are a term set in a wet (Atw art. 1 lid 1), counted forward, in days
and shorter than three months, so no exception of Atw art. 1 lid 2 or art. 4 applies."""


def vo_termijn_eind(
    ontvangen_op: datetime,
    dagen: int = VO_TERMIJN_DAGEN,
    *,
    atw: bool = VO_TERMIJN_ATW,
    feestdagen: VrijeDagen = atw_feestdagen,
) -> datetime:
    """The end of the VO term: 24:00 (Amsterdam) of the `dagen`-th day after the day of receipt.

    With `atw`, a last day on a Saturday, Sunday or holiday (`feestdagen`: Atw art. 3, with days
    equated by royal decree where given) moves to the next day that is none (Atw art. 1), and a
    term of three days or more holds two such days (Atw art. 2); without it, calendar days only.
    """
    if not atw:
        return einde_hele_dagen(ontvangen_op, dagen)
    return einde_atw_termijn(ontvangen_op, dagen, feestdagen=feestdagen, einde_op_werkdag=True)


Motivatie = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=4000),
    Persoonsgegeven("bijzonder"),
]
"""A judgement written out by staff; about a person's mental health, so special-category."""


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


class ErnstigNadeel(StrEnum):
    """The kinds of ernstig nadeel the Wvggz names (art. 1:1), as the melder observed them."""

    LEVENSGEVAAR = "levensgevaar"
    ERNSTIG_LICHAMELIJK_LETSEL = "ernstig-lichamelijk-letsel"
    ERNSTIGE_SCHADE = "ernstige-schade"
    """Ernstige psychische, materiële, immateriële of financiële schade."""
    ERNSTIGE_VERWAARLOZING = "ernstige-verwaarlozing-of-maatschappelijke-teloorgang"
    ERNSTIG_VERSTOORDE_ONTWIKKELING = "ernstig-verstoorde-ontwikkeling"
    BEDREIGING_VEILIGHEID = "bedreiging-veiligheid"
    HINDERLIJK_GEDRAG = "hinderlijk-gedrag"
    ALGEMENE_VEILIGHEID = "algemene-veiligheid"


class TriageUitkomst(StrEnum):
    """The four ways a triaged melding continues (seed 001 §3.1 stap 1c)."""

    CRISIS = "crisis"
    VERKENNEND_ONDERZOEK = "verkennend-onderzoek"
    REGULIER = "regulier"
    GEEN_GROND = "geen-grond"


class Doorverwijzing(StrEnum):
    """Where a melding that needs care but no verplichte ggz is referred to."""

    BEMOEIZORG = "bemoeizorg"
    SCHULDHULP = "schuldhulp"
    BUURTBEMIDDELING = "buurtbemiddeling"
    WIJKTEAM = "wijkteam"
    HUISARTS = "huisarts"
    ANDERS = "anders"


class BriefSoort(StrEnum):
    """Letters the meldpunt sends the melder."""

    ONTVANGSTBEVESTIGING = "ontvangstbevestiging"
    TRIAGE_VERVOLG = "triage-vervolg"


class TriageAntwoord(BaseModel):
    """One triage question judged: is it aannemelijk, and why."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    aannemelijk: Annotated[bool, Persoonsgegeven("bijzonder")]
    motivatie: Motivatie


class TriageAntwoorden(BaseModel):
    """The three triage questions (seed 001 §3.1 stap 1b), each judged."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    ernstig_nadeel: TriageAntwoord
    psychische_stoornis: TriageAntwoord
    verplichte_zorg_nodig: TriageAntwoord

    @property
    def alle_aannemelijk(self) -> bool:
        """Whether all three are judged aannemelijk."""
        return all(a.aannemelijk for a in self._drie())

    @property
    def geen_aannemelijk(self) -> bool:
        """Whether none of the three is judged aannemelijk."""
        return not any(a.aannemelijk for a in self._drie())

    def _drie(self) -> tuple[TriageAntwoord, TriageAntwoord, TriageAntwoord]:
        return (self.ernstig_nadeel, self.psychische_stoornis, self.verplichte_zorg_nodig)


class BriefInhoud(BaseModel):
    """What a letter to the melder says; never anything about the betrokkene's health."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    melding_ontvangen_op: AwareDatetime = Field(description="The melding the letter is about.")
    uitkomst: TriageUitkomst | None = Field(default=None, description="For triage-vervolg.")
    doorverwezen_naar: Annotated[Doorverwijzing | None, Persoonsgegeven()] = Field(
        default=None, description="For triage-vervolg with uitkomst regulier."
    )


class RegistreerMelding(BaseModel):
    """Register a melding about a worrying person at the gemeente where they stay."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    gemeente: GemeenteCode = Field(description="Gemeente where the betrokkene stays.")
    ontvangen_op: WvggzMoment = Field(
        description="When the melding was received: from 2020-01-01 (Amsterdam), not in the future."
    )
    kanaal: Kanaal
    melder: Melder
    betrokkene: Betrokkene
    situatie: BijzondereTekst
    ernstig_nadeel: Annotated[
        list[ErnstigNadeel], AfterValidator(_zonder_dubbelen), Persoonsgegeven("bijzonder")
    ] = Field(default_factory=list, description="Kinds of ernstig nadeel the melder observed.")
    vragenlijst: Annotated[
        dict[
            Annotated[Regel, Field(max_length=100)],
            Annotated[str, StringConstraints(max_length=4000), AfterValidator(schone_tekst)],
        ],
        Persoonsgegeven("bijzonder"),
    ] = Field(
        default_factory=dict,
        max_length=200,
        description="Answers to the standaardvragenlijst, by question key.",
    )
    samenhang: Annotated[list[UUID], AfterValidator(_zonder_dubbelen)] = Field(
        default_factory=list,
        max_length=100,
        description="Earlier open meldingen and VO's about the same betrokkene (set by handler).",
    )


class OverdraagMelding(BaseModel):
    """Hand an untriaged melding over to the gemeente of the region where the betrokkene stays."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    melding_id: UUID
    naar_gemeente: GemeenteCode
    reden: Annotated[str, Persoonsgegeven()] = Field(min_length=1, max_length=2000)


class RondTriageAf(BaseModel):
    """Record the triage of a melding: the three questions judged and how it continues."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    melding_id: UUID
    antwoorden: TriageAntwoorden
    uitkomst: TriageUitkomst
    afwijking_motivatie: Motivatie | None = Field(
        default=None, description="Why the uitkomst differs from what the answers imply."
    )
    doorverwezen_naar: Annotated[Doorverwijzing | None, Persoonsgegeven()] = Field(
        default=None, description="Required for uitkomst regulier, refused otherwise."
    )


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
    vo_termijn_eind: AwareDatetime = Field(
        description="When the VO decision is due; filled with 14 days for events stored before it."
    )
    ernstig_nadeel: Annotated[list[ErnstigNadeel], Persoonsgegeven("bijzonder")] = Field(
        default_factory=list
    )
    vragenlijst: Annotated[dict[str, str], Persoonsgegeven("bijzonder")] = Field(
        default_factory=dict
    )
    samenhang: list[UUID] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _termijn_van_eerder_opgeslagen(cls, data: Any) -> Any:
        """Events stored before `vo_termijn_eind` existed get the statutory term."""
        if not isinstance(data, dict) or "vo_termijn_eind" in data or "ontvangen_op" not in data:
            return data
        try:
            ontvangen = TypeAdapter(AwareDatetime).validate_python(data["ontvangen_op"])
        except ValidationError:
            return data  # the field's own validation reports it
        return {**data, "vo_termijn_eind": vo_termijn_eind(ontvangen)}


class RegistreerVoAfsluiting(BaseModel):
    """The service itself: the onderzoek closed the VO of this melding."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    melding_id: UUID
    vo_id: UUID
    afgesloten_op: AwareDatetime


class VoAfsluitingGeregistreerd(DomainEvent):
    """The melding's VO was closed: it no longer counts as open for samenhang."""

    event_type: ClassVar[str] = "nl.wvggz.meldpunt.vo-afsluiting-geregistreerd.v1"

    melding_id: UUID
    gemeente: GemeenteCode
    vo_id: UUID
    afgesloten_op: AwareDatetime


class MeldingOvergedragen(DomainEvent):
    """A melding was handed over to another gemeente of the region; its term runs on."""

    event_type: ClassVar[str] = "nl.wvggz.meldpunt.melding-overgedragen.v1"

    melding_id: UUID
    van_gemeente: GemeenteCode
    naar_gemeente: GemeenteCode
    reden: Annotated[str, Persoonsgegeven()]


class TriageAfgerond(DomainEvent):
    """A melding was triaged; onderzoek starts a VO and crisis a crisis case from its uitkomst."""

    event_type: ClassVar[str] = "nl.wvggz.meldpunt.triage-afgerond.v1"

    melding_id: UUID
    gemeente: GemeenteCode
    uitkomst: TriageUitkomst
    antwoorden: TriageAntwoorden
    afwijking_motivatie: Motivatie | None
    doorverwezen_naar: Annotated[Doorverwijzing | None, Persoonsgegeven()]
    afgerond_op: AwareDatetime
    melding_ontvangen_op: AwareDatetime
    vo_termijn_eind: AwareDatetime
    betrokkene: Betrokkene
    melder: Melder
    situatie: Annotated[str, Persoonsgegeven("bijzonder")]


class MelderBriefKlaargezet(DomainEvent):
    """A letter to the melder is due; notificaties sends it."""

    event_type: ClassVar[str] = "nl.wvggz.meldpunt.melder-brief-klaargezet.v1"

    melding_id: UUID
    gemeente: GemeenteCode
    brief: BriefSoort
    aan: Melder
    inhoud: BriefInhoud


EVENTS = EventRegistry(
    [
        MeldingOntvangen,
        MeldingOvergedragen,
        TriageAfgerond,
        MelderBriefKlaargezet,
        VoAfsluitingGeregistreerd,
    ]
)
"""Every event type the meldpunt publishes."""
