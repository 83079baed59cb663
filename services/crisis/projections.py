"""The crisis service's views: open cases per gemeente with their terms, and each case's dossier."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel
from wvggz_contracts.crisis import (
    BesluitAfgewezen,
    BesluitGenomen,
    BesluitTermijnVerstreken,
    BesluitTermijnWaarschuwing,
    CrisisGemeld,
    CrisismaatregelBeeindigd,
    CrisismaatregelVerlopen,
    RechterlijkeBeslissingGeregistreerd,
    VerzoekVoortzettingIngediend,
    VerzoekZorgmachtigingIngediend,
)
from wvggz_contracts.events import DomainEvent

from kernel.bewaring import Archief
from kernel.projection import CaseView, EventMeta, Tijdlijn
from services.crisis.domain import CATEGORY

CRISISZAKEN = frozenset({CATEGORY})
"""The views fold crisis cases only: a mandate register is no open crisis."""


class OpenCrisis(BaseModel):
    """A case that awaits a decision or runs a measure, with what its deadlines depend on.

    It is a `Termijnstand`: the watcher and the open-crises query read these rows, never the
    case's stream. A row exists only while the case is open, so its measure runs once decided.
    """

    crisis_id: UUID
    gemeente: str
    besluit_uiterlijk: datetime | None = None
    """The 18-hour norm; unknown for a case revived after its recorded expiry (decided anyway)."""
    waarschuwing_op: datetime | None = None
    besloten: bool = False
    eindigt_op: datetime | None = None
    gewaarschuwd: bool = False
    besluit_termijn_verstreken: bool = False

    @property
    def open(self) -> bool:
        """Always: a case leaves the view when it closes."""
        return True

    @property
    def maatregel_loopt(self) -> bool:
        """An open case that was decided runs a measure (a refusal closes the case)."""
        return self.besloten


EINDE = (BesluitAfgewezen, CrisismaatregelBeeindigd, CrisismaatregelVerlopen)
"""Events after which a case is no longer open (as is a court decision that ends the measure)."""

LOOPT_DOOR = (
    VerzoekVoortzettingIngediend,
    RechterlijkeBeslissingGeregistreerd,
    VerzoekZorgmachtigingIngediend,
)
"""Events that give a decided measure its new end, even after an expiry recorded too early."""


def evolve_open(row: OpenCrisis | None, event: DomainEvent, meta: EventMeta) -> OpenCrisis | None:
    """The case's terms as its state (`Crisis`) has them; the row leaves when the case closes and
    comes back when a voortzetting request or court decision, registered after the recorded
    expiry, revives the measure."""
    if isinstance(event, CrisisGemeld):
        return OpenCrisis(
            crisis_id=event.crisis_id,
            gemeente=event.gemeente,
            besluit_uiterlijk=event.besluit_uiterlijk,
            waarschuwing_op=event.waarschuwing_op,
        )
    if isinstance(event, EINDE):
        return None
    if isinstance(event, RechterlijkeBeslissingGeregistreerd) and not event.loopt_door:
        return None
    if isinstance(event, LOOPT_DOOR):
        loopt = row or OpenCrisis(crisis_id=meta.case_id, gemeente=meta.gemeente, besloten=True)
        return loopt.model_copy(update={"eindigt_op": event.eindigt_op})
    if row is None:  # a closed case stays closed, e.g. when its advocaat is registered late
        return None
    match event:
        case BesluitGenomen():
            return row.model_copy(update={"besloten": True, "eindigt_op": event.eindigt_op})
        case BesluitTermijnWaarschuwing():
            return row.model_copy(update={"gewaarschuwd": True})
        case BesluitTermijnVerstreken():
            return row.model_copy(update={"besluit_termijn_verstreken": True})
    return row


class Dossier(Tijdlijn):
    """The history of one crisis case."""

    case_id: UUID
    gemeente: str
    afgesloten_op: datetime | None = None
    """When the case closed (refused, ended, expired); a revived measure reopens it."""


def evolve_dossier(row: Dossier | None, event: DomainEvent, meta: EventMeta) -> Dossier:
    """Every event adds a step; the case's closing is noted as its open row sees it."""
    if row is None:
        row = Dossier(case_id=meta.case_id, gemeente=meta.gemeente)
    if isinstance(event, EINDE) or (
        isinstance(event, RechterlijkeBeslissingGeregistreerd) and not event.loopt_door
    ):
        row = row.model_copy(update={"afgesloten_op": meta.occurred_at})
    elif isinstance(event, LOOPT_DOOR):
        row = row.model_copy(update={"afgesloten_op": None})
    return row.met_stap(meta)


OPEN_CRISES = CaseView("open-crises-termijnen", OpenCrisis, evolve_open, CRISISZAKEN)
"""Named anew when its rows gained the terms: the view is built again from the store once, and
the rows of the earlier `open-crises` view (which held mandate registers too) are not read."""
DOSSIERS = CaseView("dossiers-bewaring", Dossier, evolve_dossier, CRISISZAKEN)
"""Named anew when its rows gained `afgesloten_op`: built again from the store once."""
VIEWS = (OPEN_CRISES, DOSSIERS)


ARCHIEF = Archief(DOSSIERS, (CATEGORY,), lambda row: row.afgesloten_op)
"""The crisis cases for retention: closed when refused, ended or expired (and not revived)."""
