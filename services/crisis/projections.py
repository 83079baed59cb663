"""The crisis service's views: open cases per gemeente, and the dossier of each case."""

from __future__ import annotations

from uuid import UUID

from pydantic import AwareDatetime, BaseModel
from wvggz_contracts.crisis import (
    BesluitAfgewezen,
    CrisisGemeld,
    CrisismaatregelBeeindigd,
    CrisismaatregelVerlopen,
)
from wvggz_contracts.events import DomainEvent

from kernel.projection import CaseView, EventMeta, Stap

EINDE = (BesluitAfgewezen, CrisismaatregelBeeindigd, CrisismaatregelVerlopen)
"""Events after which a case is certainly no longer open."""


class OpenCrisis(BaseModel):
    """A case that awaits a decision or whose measure runs; its terms come from its stream."""

    crisis_id: UUID
    gemeente: str
    gemeld_op: AwareDatetime


def evolve_open(row: OpenCrisis | None, event: DomainEvent, meta: EventMeta) -> OpenCrisis | None:
    """Started cases until they end."""
    if isinstance(event, CrisisGemeld):
        return OpenCrisis(
            crisis_id=event.crisis_id, gemeente=event.gemeente, gemeld_op=event.gemeld_op
        )
    if isinstance(event, EINDE):
        return None
    return row


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


OPEN_CRISES = CaseView("open-crises", OpenCrisis, evolve_open)
DOSSIERS = CaseView("dossiers", Dossier, evolve_dossier)
VIEWS = (OPEN_CRISES, DOSSIERS)
