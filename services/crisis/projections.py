"""The crisis service's views: open cases per gemeente, and the dossier of each case."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel
from wvggz_contracts.crisis import (
    BesluitAfgewezen,
    CrisisGemeld,
    CrisismaatregelBeeindigd,
    CrisismaatregelVerlopen,
)
from wvggz_contracts.events import DomainEvent

from kernel.projection import CaseView, EventMeta, Stap
from services.crisis.domain.decider import CATEGORY

CRISISZAKEN = frozenset({CATEGORY})
"""The views fold crisis cases only: a mandate register is no open crisis."""


EINDE = (BesluitAfgewezen, CrisismaatregelBeeindigd, CrisismaatregelVerlopen)
"""Events after which a case is certainly no longer open."""


class OpenCrisis(BaseModel):
    """A case that may await a decision or run a measure; its terms come from its stream."""

    crisis_id: UUID
    gemeente: str


def evolve_open(row: OpenCrisis | None, event: DomainEvent, meta: EventMeta) -> OpenCrisis | None:
    """A case leaves when it ends and comes back with any later event: a voortzetting request
    or court decision registered after the recorded expiry can revive the measure."""
    if isinstance(event, EINDE):
        return None
    if isinstance(event, CrisisGemeld):
        return OpenCrisis(crisis_id=event.crisis_id, gemeente=event.gemeente)
    return row or OpenCrisis(crisis_id=meta.case_id, gemeente=meta.gemeente)


class Dossier(BaseModel):
    """The history of one crisis case (or of one gemeente's mandate register)."""

    case_id: UUID
    gemeente: str
    stappen: list[Stap] = []


def evolve_dossier(row: Dossier | None, event: DomainEvent, meta: EventMeta) -> Dossier:
    """Every event adds a step."""
    if row is None:
        row = Dossier(case_id=meta.case_id, gemeente=meta.gemeente)
    return row.model_copy(update={"stappen": [*row.stappen, Stap.of(meta)]})


OPEN_CRISES = CaseView("open-crises", OpenCrisis, evolve_open, CRISISZAKEN)
DOSSIERS = CaseView("dossiers", Dossier, evolve_dossier, CRISISZAKEN)
VIEWS = (OPEN_CRISES, DOSSIERS)
