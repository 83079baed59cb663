"""The doorzetting's views: the directory of overlegtafels, and each escalation's ladder (its
rungs and moments only, never the texts about the person)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field
from wvggz_contracts.doorzetting import (
    EscalatieGeregistreerd,
    EscalatieOpgelost,
    EscalatieOpgeschaald,
    EscalatieStagneert,
    Niveau,
    TafelGeregistreerd,
    TafelGewijzigd,
    TafelOpgeheven,
)
from wvggz_contracts.events import DomainEvent

from kernel.bewaring import Archief
from kernel.projection import CaseView, EventMeta, Tijdlijn
from services.overleg.doorzetting.escalaties import fase_in_woorden
from services.overleg.doorzetting.regels import ESCALATIE, TAFEL


class TafelRij(BaseModel):
    """One table as the directory shows it to every professional of the region."""

    tafel_id: UUID
    gemeente: str
    """The gemeente whose functioneel beheer manages the entry."""
    naam: str
    niveau: Niveau
    deelnemers: list[str]
    doel: str
    aanmelders: list[str]
    criteria: str
    contact: str
    werkgebied: str | None = None
    actief: bool = True
    geregistreerd_op: datetime
    gewijzigd_op: datetime
    opgeheven_op: datetime | None = None
    versie: int
    """The version of the table's stream: an HTTP ETag, and `expected_version` for a change."""


def evolve_tafel(row: TafelRij | None, event: DomainEvent, meta: EventMeta) -> TafelRij | None:
    """A table's row after one more of its events."""
    if isinstance(event, TafelGeregistreerd | TafelGewijzigd):
        geregistreerd_op = row.geregistreerd_op if row is not None else meta.occurred_at
        return TafelRij(
            **event.model_dump(),
            geregistreerd_op=geregistreerd_op,
            gewijzigd_op=meta.occurred_at,
            versie=meta.version,
        )
    if row is None:
        return None
    if isinstance(event, TafelOpgeheven):
        return row.model_copy(
            update={
                "actief": False,
                "opgeheven_op": meta.occurred_at,
                "gewijzigd_op": meta.occurred_at,
                "versie": meta.version,
            }
        )
    return row.model_copy(update={"versie": meta.version})


class Niveaustap(BaseModel):
    """One rung a case reached: when, at which table, who triggered it, and whether it stalled."""

    niveau: Niveau
    sinds: datetime
    tafel_id: UUID | None = None
    door_clientondersteuner: bool = False
    gesignaleerd_op: datetime | None = None
    """When the service signalled that the case stood still on this rung."""


class EscalatieRij(Tijdlijn):
    """An escalation as the professionals of its gemeente see it: no reason, outcome or support
    text, only the professional's own reference and the ladder."""

    escalatie_id: UUID
    referentie: str
    gemeente: str
    niveau: Niveau
    sinds: datetime
    """When the case reached its current rung."""
    tafel_id: UUID | None = None
    niveaus: list[Niveaustap] = Field(default_factory=list)
    status: Literal["open", "opgelost"] = "open"
    opgelost_op: datetime | None = None
    gesignaleerd: list[Niveau] = Field(default_factory=list)
    """The rungs on which the case was signalled as standing still."""
    fase: str = ""


def _met_fase(row: EscalatieRij) -> EscalatieRij:
    fase = fase_in_woorden(
        row.niveau, opgelost=row.status == "opgelost", stagneert=row.niveau in row.gesignaleerd
    )
    return row.model_copy(update={"fase": fase})


def evolve_escalatie(
    row: EscalatieRij | None, event: DomainEvent, meta: EventMeta
) -> EscalatieRij | None:
    """An escalation's row after one more of its events."""
    if isinstance(event, EscalatieGeregistreerd):
        stap = Niveaustap(niveau=event.niveau, sinds=event.sinds, tafel_id=event.tafel_id)
        row = EscalatieRij(
            escalatie_id=event.escalatie_id,
            referentie=event.referentie,
            gemeente=event.gemeente,
            niveau=event.niveau,
            sinds=event.sinds,
            tafel_id=event.tafel_id,
            niveaus=[stap],
        )
    if row is None:
        return None
    if isinstance(event, EscalatieOpgeschaald):
        stap = Niveaustap(
            niveau=event.naar,
            sinds=event.sinds,
            tafel_id=event.tafel_id,
            door_clientondersteuner=event.door_clientondersteuner,
        )
        row = row.model_copy(
            update={
                "niveau": event.naar,
                "sinds": event.sinds,
                "tafel_id": event.tafel_id,
                "niveaus": [*row.niveaus, stap],
            }
        )
    elif isinstance(event, EscalatieOpgelost):
        row = row.model_copy(update={"status": "opgelost", "opgelost_op": event.opgelost_op})
    elif isinstance(event, EscalatieStagneert):
        stappen = [
            stap.model_copy(update={"gesignaleerd_op": event.gesignaleerd_op})
            if stap.niveau == event.niveau and stap.sinds == event.sinds
            else stap
            for stap in row.niveaus
        ]
        row = row.model_copy(
            update={"gesignaleerd": [*row.gesignaleerd, event.niveau], "niveaus": stappen}
        )
    return _met_fase(row).met_stap(meta)


TAFELS: CaseView[TafelRij] = CaseView("overlegtafels", TafelRij, evolve_tafel, frozenset({TAFEL}))
ESCALATIES: CaseView[EscalatieRij] = CaseView(
    "escalaties", EscalatieRij, evolve_escalatie, frozenset({ESCALATIE})
)
VIEWS = (TAFELS, ESCALATIES)

ARCHIEF = Archief(ESCALATIES, (ESCALATIE,), lambda row: row.opgelost_op)
"""The escalations for retention (their toelichting is health data): closed when resolved."""
