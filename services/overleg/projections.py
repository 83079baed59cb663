"""The regio-overleg's view: composition, meetings with their agenda and verslag, the afspraken
and where they stand, the hours registered and the signals given."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from pydantic import BaseModel, Field
from wvggz_contracts.events import DomainEvent
from wvggz_contracts.overleg import (
    AfspraakStatus,
    AfspraakStatusGewijzigd,
    AfspraakVastgelegd,
    AgendapuntGeescaleerd,
    AgendapuntToegevoegd,
    AndereTafel,
    ClientenperspectiefOntbreekt,
    Deelnemer,
    DeelnemersGewijzigd,
    DeelnemerSoort,
    OverlegIngesteld,
    OverlegOntbreekt,
    Thema,
    UrenGeregistreerd,
    UrenSoort,
    VergaderingGehouden,
    VergaderingGepland,
    VergaderSoort,
)

from kernel.projection import CaseView, EventMeta, Tijdlijn
from services.overleg.domain.regels import CATEGORY


class Agendapunt(BaseModel):
    """An item on a meeting's agenda, and the table it went to if escalated."""

    punt_id: UUID
    thema: Thema
    titel: str
    toelichting: str | None = None
    geescaleerd_naar: list[AndereTafel] = Field(default_factory=list)


class VergaderingRij(BaseModel):
    """A meeting: planned, and once held its verslag."""

    vergadering_id: UUID
    datum: datetime
    kwartaal: str
    soort: VergaderSoort
    locatie: str | None = None
    met_clientenperspectief: bool = False
    agenda: list[Agendapunt] = Field(default_factory=list)
    gehouden_op: datetime | None = None
    aanwezig: list[DeelnemerSoort] = Field(default_factory=list)
    verslag: str | None = None
    besproken_afspraken: list[UUID] = Field(default_factory=list)


class AfspraakRij(BaseModel):
    """An action agreed at a meeting."""

    afspraak_id: UUID
    vergadering_id: UUID
    omschrijving: str
    eigenaar: str
    uiterlijk: date
    status: AfspraakStatus = AfspraakStatus.OPEN
    toelichting: str | None = None


class UrenRij(BaseModel):
    """Hours registered by command for the regional budget."""

    registratie_id: UUID
    gemeente: str
    kwartaal: str
    soort: UrenSoort
    uren: Decimal


class OverlegRij(Tijdlijn):
    """One region's overleg as the secretariaat and the participants see it."""

    overleg_id: UUID
    gemeente: str
    naam: str
    veiligheidsregio: str
    voorzitter: str
    secretariaat: str
    deelnemers: list[Deelnemer]
    vergaderingen: list[VergaderingRij] = Field(default_factory=list)
    afspraken: list[AfspraakRij] = Field(default_factory=list)
    uren: list[UrenRij] = Field(default_factory=list)
    ontbrekende_kwartalen: list[str] = Field(default_factory=list)
    """Quarters signalled for having no meeting planned in time."""
    ontbrekende_jaren: list[int] = Field(default_factory=list)
    """Years signalled for having no meeting with the client and family organisations."""

    @property
    def ingesteld_op(self) -> datetime:
        """When the overleg was set up: the first step of its history."""
        return self.stappen[0].op

    def vergadering(self, vergadering_id: UUID) -> VergaderingRij:
        """One of its meetings."""
        return next(v for v in self.vergaderingen if v.vergadering_id == vergadering_id)


def _met_vergadering(row: OverlegRij, nieuw: VergaderingRij) -> OverlegRij:
    vergaderingen = [
        nieuw if v.vergadering_id == nieuw.vergadering_id else v for v in row.vergaderingen
    ]
    return row.model_copy(update={"vergaderingen": vergaderingen})


def _punt(row: OverlegRij, event: AgendapuntGeescaleerd) -> OverlegRij:
    vergadering = row.vergadering(event.vergadering_id)
    agenda = [
        p.model_copy(update={"geescaleerd_naar": [*p.geescaleerd_naar, event.naar]})
        if p.punt_id == event.punt_id
        else p
        for p in vergadering.agenda
    ]
    return _met_vergadering(row, vergadering.model_copy(update={"agenda": agenda}))


def evolve_overleg(
    row: OverlegRij | None, event: DomainEvent, meta: EventMeta
) -> OverlegRij | None:
    """An overleg's row after one more of its events."""
    if isinstance(event, OverlegIngesteld):
        row = OverlegRij(**event.model_dump())
    if row is None:
        return None
    if isinstance(event, DeelnemersGewijzigd):
        row = row.model_copy(
            update={
                "voorzitter": event.voorzitter,
                "secretariaat": event.secretariaat,
                "deelnemers": event.deelnemers,
            }
        )
    elif isinstance(event, VergaderingGepland):
        nieuw = VergaderingRij(**event.model_dump())
        row = row.model_copy(update={"vergaderingen": [*row.vergaderingen, nieuw]})
    elif isinstance(event, AgendapuntToegevoegd):
        vergadering = row.vergadering(event.vergadering_id)
        punt = Agendapunt(**event.model_dump())
        row = _met_vergadering(
            row, vergadering.model_copy(update={"agenda": [*vergadering.agenda, punt]})
        )
    elif isinstance(event, AgendapuntGeescaleerd):
        row = _punt(row, event)
    elif isinstance(event, VergaderingGehouden):
        vergadering = row.vergadering(event.vergadering_id).model_copy(
            update={
                "gehouden_op": event.gehouden_op,
                "aanwezig": event.aanwezig,
                "verslag": event.verslag,
                "besproken_afspraken": event.besproken_afspraken,
            }
        )
        row = _met_vergadering(row, vergadering)
    elif isinstance(event, AfspraakVastgelegd):
        row = row.model_copy(
            update={"afspraken": [*row.afspraken, AfspraakRij(**event.model_dump())]}
        )
    elif isinstance(event, AfspraakStatusGewijzigd):
        afspraken = [
            a.model_copy(update={"status": event.status, "toelichting": event.toelichting})
            if a.afspraak_id == event.afspraak_id
            else a
            for a in row.afspraken
        ]
        row = row.model_copy(update={"afspraken": afspraken})
    elif isinstance(event, UrenGeregistreerd):
        row = row.model_copy(update={"uren": [*row.uren, UrenRij(**event.model_dump())]})
    elif isinstance(event, OverlegOntbreekt):
        row = row.model_copy(
            update={"ontbrekende_kwartalen": [*row.ontbrekende_kwartalen, event.kwartaal]}
        )
    elif isinstance(event, ClientenperspectiefOntbreekt):
        row = row.model_copy(update={"ontbrekende_jaren": [*row.ontbrekende_jaren, event.jaar]})
    return row.met_stap(meta)


REGIO_OVERLEGGEN: CaseView[OverlegRij] = CaseView(
    "regio-overleggen", OverlegRij, evolve_overleg, frozenset({CATEGORY})
)

VIEWS = (REGIO_OVERLEGGEN,)
