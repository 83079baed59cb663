"""Commands and events of the regio-overleg (art. 8:31 Wvggz): who takes part, the meetings with
their agenda and verslag, the afspraken that come back until done, hours for the budget, and the
signals when a meeting or the clients' perspective is missing."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, ClassVar
from uuid import UUID

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

from wvggz_contracts.bsn import zonder_bsn
from wvggz_contracts.events import DomainEvent, EventRegistry
from wvggz_contracts.gemeenten import GemeenteCode
from wvggz_contracts.typen import Regel, Tekst, WvggzMoment

BeleidsRegel = Annotated[Regel, Field(max_length=300), AfterValidator(zonder_bsn)]
"""One line of a policy meeting: refused when it holds a BSN-valid number (no individual cases)."""

BeleidsTekst = Annotated[Tekst, AfterValidator(zonder_bsn)]
"""Free text of a policy meeting: refused when it holds a BSN-valid number."""

KWARTAAL_PATTERN = r"^20\d\d-K[1-4]$"
Kwartaal = Annotated[
    str, Field(pattern=KWARTAAL_PATTERN, description="A quarter, e.g. `2026-K3` (Amsterdam time).")
]


def kwartaal_van(moment: date) -> str:
    """The quarter a date falls in, e.g. `2026-K3`."""
    return f"{moment.year}-K{(moment.month - 1) // 3 + 1}"


def nog_niet_begonnen(kwartaal: str, nu: date) -> bool:
    """Whether a quarter lies after the one this day is in."""
    return kwartaal > kwartaal_van(nu)


def kwartaal_grenzen(kwartaal: str) -> tuple[date, date]:
    """The first day of a quarter and the first day after it."""
    if not re.fullmatch(KWARTAAL_PATTERN, kwartaal):
        raise ValueError(f"geen kwartaal: {kwartaal!r} (bijvoorbeeld 2026-K3)")
    jaar, nummer = int(kwartaal[:4]), int(kwartaal[-1])
    van = date(jaar, 3 * nummer - 2, 1)
    tot = date(jaar + 1, 1, 1) if nummer == 4 else date(jaar, 3 * nummer + 1, 1)
    return van, tot


class DeelnemerSoort(StrEnum):
    """Who sits at the regio-overleg (handreiking art. 8:31)."""

    OVJ = "ovj"
    COLLEGE = "college"
    """The college van B&W of a gemeente, with its mandate."""
    GENEESHEER_DIRECTEUR = "geneesheer-directeur"
    POLITIE = "politie"
    KETENPARTNER = "ketenpartner"
    AGENDALID = "agendalid"
    CLIENTENORGANISATIE = "clientenorganisatie"
    """Patiëntenvertrouwenspersoon, familievertrouwenspersoon, ervaringsdeskundigen."""


class Thema(StrEnum):
    """The handreiking's agenda themes, and free items."""

    AANBOD = "aanbod-verplichte-zorg"
    VOORBEREIDING = "voorbereiding"
    TENUITVOERLEGGING = "tenuitvoerlegging"
    TOEZICHT = "toezicht"
    OVERIG = "overig"


class VergaderSoort(StrEnum):
    """A civil servants' meeting or the administrative table."""

    AMBTELIJK = "ambtelijk"
    BESTUURLIJK = "bestuurlijk"


class AfspraakStatus(StrEnum):
    """Where an action stands; it comes back on every agenda until `gereed`."""

    OPEN = "open"
    IN_UITVOERING = "in-uitvoering"
    GEREED = "gereed"


class AndereTafel(StrEnum):
    """Where an item can be escalated beyond the regio-overleg."""

    DVO = "dvo"
    """Directeurenoverleg."""
    RVO = "rvo"
    """Regionaal veiligheidsoverleg."""
    BESTUURLIJK = "bestuurlijk"


class UrenSoort(StrEnum):
    """Hours the region pays for (seed 001 §4.6), each at its tariff."""

    HOREN = "horen"
    GGZ_CONSULTATIE = "ggz-consultatie"
    SECRETARIEEL = "secretarieel"
    BELEIDSMATIG = "beleidsmatig"


class Deelnemer(BaseModel):
    """A participant by kind and organisation (never a person's name)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    soort: DeelnemerSoort
    organisatie: BeleidsRegel
    gemeente: GemeenteCode | None = Field(default=None, description="For a college van B&W.")
    mandaat: BeleidsRegel | None = None


class _Payload(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class StelOverlegIn(_Payload):
    """The region sets up its regio-overleg: who takes part, who chairs, who is secretariaat."""

    overleg_id: UUID = Field(description="Chosen by the caller; a retry repeats it.")
    gemeente: GemeenteCode = Field(description="The gemeente whose secretariaat runs it.")
    naam: BeleidsRegel
    veiligheidsregio: BeleidsRegel
    voorzitter: BeleidsRegel
    secretariaat: BeleidsRegel
    deelnemers: list[Deelnemer] = Field(min_length=1, max_length=100)


class WijzigDeelnemers(_Payload):
    """The secretariaat records a new composition (the whole list, as it is now)."""

    overleg_id: UUID
    voorzitter: BeleidsRegel
    secretariaat: BeleidsRegel
    deelnemers: list[Deelnemer] = Field(min_length=1, max_length=100)


class PlanVergadering(_Payload):
    """The secretariaat plans a meeting."""

    overleg_id: UUID
    vergadering_id: UUID = Field(description="Chosen by the caller; a retry repeats it.")
    datum: WvggzMoment
    soort: VergaderSoort = VergaderSoort.AMBTELIJK
    locatie: BeleidsRegel | None = None
    met_clientenperspectief: bool = Field(
        default=False,
        description="Client and family organisations are invited (at least once a year).",
    )


class ZetOpAgenda(_Payload):
    """An item on a planned meeting's agenda, under a theme of the handreiking or free."""

    overleg_id: UUID
    vergadering_id: UUID
    punt_id: UUID = Field(description="Chosen by the caller; a retry repeats it.")
    thema: Thema
    titel: BeleidsRegel
    toelichting: BeleidsTekst | None = None


class LegVerslagVast(_Payload):
    """The meeting was held: who was there and its verslag."""

    overleg_id: UUID
    vergadering_id: UUID
    gehouden_op: WvggzMoment
    aanwezig: list[DeelnemerSoort] = Field(min_length=1)
    verslag: BeleidsTekst


class LegAfspraakVast(_Payload):
    """An action agreed at a meeting: what, who, by when."""

    overleg_id: UUID
    vergadering_id: UUID
    afspraak_id: UUID = Field(description="Chosen by the caller; a retry repeats it.")
    omschrijving: BeleidsTekst
    eigenaar: BeleidsRegel
    uiterlijk: date


class WijzigAfspraakStatus(_Payload):
    """An action moves on (or is done: then it leaves the agenda)."""

    overleg_id: UUID
    afspraak_id: UUID
    status: AfspraakStatus
    toelichting: BeleidsTekst | None = None


class EscaleerAgendapunt(_Payload):
    """An item goes to another table."""

    overleg_id: UUID
    vergadering_id: UUID
    punt_id: UUID
    naar: AndereTafel
    toelichting: BeleidsTekst


class RegistreerUren(_Payload):
    """Hours spent for the regional budget, where no event of a procedure records them."""

    overleg_id: UUID
    registratie_id: UUID = Field(description="Chosen by the caller; a retry repeats it.")
    gemeente: GemeenteCode
    kwartaal: Kwartaal
    soort: UrenSoort
    uren: Decimal = Field(gt=0, le=10_000, decimal_places=2)
    toelichting: BeleidsRegel | None = None


class SignaleerOntbrekendOverleg(_Payload):
    """The platform signals a quarter in which no meeting was planned in time."""

    overleg_id: UUID
    kwartaal: Kwartaal


class SignaleerOntbrekendClientenperspectief(_Payload):
    """The platform signals a year in which no meeting invites the client organisations."""

    overleg_id: UUID
    jaar: int = Field(ge=2020, le=2100)


class OverlegIngesteld(DomainEvent):
    """A region set up its regio-overleg."""

    event_type: ClassVar[str] = "nl.wvggz.overleg.overleg-ingesteld.v1"

    overleg_id: UUID
    gemeente: GemeenteCode
    naam: str
    veiligheidsregio: str
    voorzitter: str
    secretariaat: str
    deelnemers: list[Deelnemer]


class DeelnemersGewijzigd(DomainEvent):
    """The composition changed."""

    event_type: ClassVar[str] = "nl.wvggz.overleg.deelnemers-gewijzigd.v1"

    overleg_id: UUID
    voorzitter: str
    secretariaat: str
    deelnemers: list[Deelnemer]


class VergaderingGepland(DomainEvent):
    """A meeting was planned."""

    event_type: ClassVar[str] = "nl.wvggz.overleg.vergadering-gepland.v1"

    overleg_id: UUID
    vergadering_id: UUID
    datum: AwareDatetime
    kwartaal: str
    soort: VergaderSoort
    locatie: str | None = None
    met_clientenperspectief: bool = False


class AgendapuntToegevoegd(DomainEvent):
    """An item was put on a meeting's agenda."""

    event_type: ClassVar[str] = "nl.wvggz.overleg.agendapunt-toegevoegd.v1"

    overleg_id: UUID
    vergadering_id: UUID
    punt_id: UUID
    thema: Thema
    titel: str
    toelichting: str | None = None


class VergaderingGehouden(DomainEvent):
    """A meeting was held; the open actions it discussed are named."""

    event_type: ClassVar[str] = "nl.wvggz.overleg.vergadering-gehouden.v1"

    overleg_id: UUID
    vergadering_id: UUID
    gehouden_op: AwareDatetime
    aanwezig: list[DeelnemerSoort]
    verslag: str
    besproken_afspraken: list[UUID]


class AfspraakVastgelegd(DomainEvent):
    """An action was agreed."""

    event_type: ClassVar[str] = "nl.wvggz.overleg.afspraak-vastgelegd.v1"

    overleg_id: UUID
    vergadering_id: UUID
    afspraak_id: UUID
    omschrijving: str
    eigenaar: str
    uiterlijk: date


class AfspraakStatusGewijzigd(DomainEvent):
    """An action moved on."""

    event_type: ClassVar[str] = "nl.wvggz.overleg.afspraak-status-gewijzigd.v1"

    overleg_id: UUID
    afspraak_id: UUID
    status: AfspraakStatus
    toelichting: str | None = None


class AgendapuntGeescaleerd(DomainEvent):
    """An item went to another table."""

    event_type: ClassVar[str] = "nl.wvggz.overleg.agendapunt-geescaleerd.v1"

    overleg_id: UUID
    vergadering_id: UUID
    punt_id: UUID
    naar: AndereTafel
    toelichting: str


class UrenGeregistreerd(DomainEvent):
    """Hours were registered for the regional budget."""

    event_type: ClassVar[str] = "nl.wvggz.overleg.uren-geregistreerd.v1"

    overleg_id: UUID
    registratie_id: UUID
    gemeente: GemeenteCode
    kwartaal: str
    soort: UrenSoort
    uren: Decimal
    toelichting: str | None = None


class OverlegOntbreekt(DomainEvent):
    """No meeting was planned in a quarter in time (art. 8:31: at least once every 3 months)."""

    event_type: ClassVar[str] = "nl.wvggz.overleg.overleg-ontbreekt.v1"

    overleg_id: UUID
    kwartaal: str
    gesignaleerd_op: AwareDatetime


class ClientenperspectiefOntbreekt(DomainEvent):
    """No meeting of a year invites the client and family organisations."""

    event_type: ClassVar[str] = "nl.wvggz.overleg.clientenperspectief-ontbreekt.v1"

    overleg_id: UUID
    jaar: int
    gesignaleerd_op: AwareDatetime


OVERLEG_EVENTS = EventRegistry(
    [
        OverlegIngesteld,
        DeelnemersGewijzigd,
        VergaderingGepland,
        AgendapuntToegevoegd,
        VergaderingGehouden,
        AfspraakVastgelegd,
        AfspraakStatusGewijzigd,
        AgendapuntGeescaleerd,
        UrenGeregistreerd,
        OverlegOntbreekt,
        ClientenperspectiefOntbreekt,
    ]
)
