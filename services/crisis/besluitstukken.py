"""What the burgemeester reads before deciding: the signed medische verklaring, the hearing and
the integraal advies of one case, with the 18-hour norm. Health data: for deciding roles only."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field
from wvggz_contracts.commands import Rol
from wvggz_contracts.crisis import (
    BesluitAfgewezen,
    BesluitGenomen,
    CrisisGemeld,
    HoorverslagVastgelegd,
    HorenOnmogelijk,
    IntegraalAdviesSamengesteld,
    MedischeVerklaringHeropend,
    MedischeVerklaringOndertekend,
    MedischeVerklaringOpgesteld,
)
from wvggz_contracts.events import DomainEvent

from kernel.projection import CaseView, EventMeta
from services.crisis.projections import CRISISZAKEN

BESLISSERS = frozenset({Rol.BURGEMEESTER, Rol.LOCO_BURGEMEESTER})
"""Who may read the stukken: who decides (a loco's registration is checked on deciding)."""
PSYCHIATERS = frozenset({Rol.PSYCHIATER})
"""Who may read the medische verklaring on its own: the psychiater, to sign it."""


class Besluitstukken(BaseModel):
    """One case's stukken for the decision; drafts of a verklaring are kept until signed."""

    crisis_id: UUID
    gemeente: str
    besluit_uiterlijk: datetime | None = None
    besloten: bool = False
    concepten: dict[str, dict[str, Any]] = Field(default_factory=dict)
    concept_id: str | None = None
    """The verklaring drafted last and not withdrawn: what the psychiater may sign."""
    medische_verklaring: dict[str, Any] | None = None
    """The signed verklaring: the five criteria with their findings."""
    hoorverslag: dict[str, Any] | None = None
    horen_onmogelijk: str | None = None
    integraal_advies: dict[str, Any] | None = None


def evolve_stukken(
    row: Besluitstukken | None, event: DomainEvent, meta: EventMeta
) -> Besluitstukken | None:
    """Gather the stukken as they come; a reopened verklaring is no longer signed."""
    if row is None:
        row = Besluitstukken(crisis_id=meta.case_id, gemeente=meta.gemeente)
    match event:
        case CrisisGemeld():
            return row.model_copy(update={"besluit_uiterlijk": event.besluit_uiterlijk})
        case MedischeVerklaringOpgesteld():
            drafts = {**row.concepten, str(event.verklaring_id): event.model_dump(mode="json")}
            update = {"concepten": drafts, "concept_id": str(event.verklaring_id)}
            return row.model_copy(update=update)
        case MedischeVerklaringOndertekend():
            signed = row.concepten.get(str(event.verklaring_id))
            return row.model_copy(update={"medische_verklaring": signed})
        case MedischeVerklaringHeropend():
            return row.model_copy(update={"medische_verklaring": None, "concept_id": None})
        case HoorverslagVastgelegd():
            return row.model_copy(update={"hoorverslag": event.model_dump(mode="json")})
        case HorenOnmogelijk():
            return row.model_copy(update={"horen_onmogelijk": event.reden})
        case IntegraalAdviesSamengesteld():
            return row.model_copy(update={"integraal_advies": event.model_dump(mode="json")})
        case BesluitGenomen() | BesluitAfgewezen():
            return row.model_copy(update={"besloten": True})
    return row


BESLUITSTUKKEN = CaseView("besluitstukken", Besluitstukken, evolve_stukken, CRISISZAKEN)
