"""The onderzoek's views: open VO's with their terms, and the dossier of each VO."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import AwareDatetime, BaseModel
from wvggz_contracts.events import DomainEvent
from wvggz_contracts.onderzoek import (
    ConsulentToegewezen,
    TermijnVerstreken,
    TermijnWaarschuwing,
    VoAfgesloten,
    VoGeopend,
)
from wvggz_contracts.personal import Persoonsgegeven

from kernel.bewaring import Archief
from kernel.deadlines import DueSignal
from kernel.projection import CaseView, EventMeta, Tijdlijn
from services.onderzoek.domain import CATEGORY

ONDERZOEKEN = frozenset({CATEGORY})
"""The views fold VO's only: a voorwaarden request is no VO dossier."""


WAARSCHUWING = "naderende-termijn"
VERSTREKEN = "termijn-verstreken"


class OpenVo(BaseModel):
    """An open VO in the werkvoorraad, with what the deadline watcher needs."""

    vo_id: UUID
    melding_id: UUID
    gemeente: str
    deadline: AwareDatetime
    waarschuwing_op: AwareDatetime
    kinderpsychiatrie_nodig: Annotated[bool, Persoonsgegeven()]
    """A copy of the event's own (personal) field: "vernietigd" once its dossier's key is gone."""
    consulent: str | None = None
    gewaarschuwd: bool = False
    verstreken: bool = False


def evolve_werkvoorraad(row: OpenVo | None, event: DomainEvent, meta: EventMeta) -> OpenVo | None:
    """Open VO's stay until closed; the signals they already got are remembered."""
    if isinstance(event, VoGeopend):
        return OpenVo(
            vo_id=event.vo_id,
            melding_id=event.melding_id,
            gemeente=event.gemeente,
            deadline=event.deadline,
            waarschuwing_op=event.waarschuwing_op,
            kinderpsychiatrie_nodig=event.kinderpsychiatrie_nodig,
        )
    if row is None:
        return None
    if isinstance(event, ConsulentToegewezen):
        return row.model_copy(update={"consulent": event.consulent})
    if isinstance(event, TermijnWaarschuwing):
        return row.model_copy(update={"gewaarschuwd": True})
    if isinstance(event, TermijnVerstreken):
        # A warning that never went out is moot once the term has passed.
        return row.model_copy(update={"verstreken": True, "gewaarschuwd": True})
    if isinstance(event, VoAfgesloten):
        return None
    return row


class Dossier(Tijdlijn):
    """The history of one VO."""

    vo_id: UUID
    gemeente: str
    melding_id: UUID | None = None
    deadline: AwareDatetime | None = None
    afgesloten: bool = False
    afgesloten_op: AwareDatetime | None = None
    """When the VO closed: its retention starts."""


def evolve_dossier(row: Dossier | None, event: DomainEvent, meta: EventMeta) -> Dossier:
    """Every event of the VO adds a step."""
    if row is None:
        row = Dossier(vo_id=meta.case_id, gemeente=meta.gemeente)
    if isinstance(event, VoGeopend):
        row = row.model_copy(update={"melding_id": event.melding_id, "deadline": event.deadline})
    if isinstance(event, VoAfgesloten):
        row = row.model_copy(update={"afgesloten": True, "afgesloten_op": meta.occurred_at})
    return row.met_stap(meta)


def due_signals(open_vos: list[OpenVo], now: datetime) -> list[DueSignal]:
    """The warnings and expiries that have come and were not given yet."""
    signals = []
    for vo in open_vos:
        if not vo.gewaarschuwd and vo.waarschuwing_op <= now:
            signals.append(DueSignal(vo.vo_id, vo.gemeente, WAARSCHUWING, vo.waarschuwing_op))
        if not vo.verstreken and vo.deadline <= now:
            signals.append(DueSignal(vo.vo_id, vo.gemeente, VERSTREKEN, vo.deadline))
    return signals


WERKVOORRAAD = CaseView("werkvoorraad", OpenVo, evolve_werkvoorraad, ONDERZOEKEN)
DOSSIERS = CaseView("dossiers-bewaring", Dossier, evolve_dossier, ONDERZOEKEN)
"""Named anew when its rows gained `afgesloten_op`: built again from the store once."""
VIEWS = (WERKVOORRAAD, DOSSIERS)


ARCHIEF = Archief(DOSSIERS, (CATEGORY,), lambda row: row.afgesloten_op)
"""The VO's for retention: closed when the VO closed."""
