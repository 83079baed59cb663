"""Closing a VO and the standard letters to an entitled melder that go with its outcomes."""

from __future__ import annotations

from datetime import datetime

from wvggz_contracts.events import DomainEvent
from wvggz_contracts.onderzoek import (
    AfsluitReden,
    BriefInhoud,
    BriefSoort,
    BriefUitkomst,
    MelderBriefKlaargezet,
    VoAfgesloten,
)
from wvggz_contracts.rechtstijd import lokale_datum

from services.onderzoek.domain.state import Onderzoek, geopend


def melder_brief(
    state: Onderzoek, brief: BriefSoort, uitkomst: BriefUitkomst, op: datetime
) -> list[DomainEvent]:
    """A letter to the melder when entitled to feedback (seed 001 §3.1); none otherwise."""
    vo = geopend(state)
    if not state.melder_heeft_recht_op_terugkoppeling:
        return []
    return [
        MelderBriefKlaargezet(
            vo_id=vo.vo_id,
            melding_id=vo.melding_id,
            gemeente=vo.gemeente,
            brief=brief,
            aan=vo.melder,
            inhoud=BriefInhoud(uitkomst=uitkomst, datum=lokale_datum(op)),
        )
    ]


def afsluiten(
    state: Onderzoek,
    reden: AfsluitReden,
    toelichting: str,
    op: datetime,
    uitkomst: BriefUitkomst,
) -> list[DomainEvent]:
    """The VO closes, and an entitled melder gets the outcome letter."""
    vo = geopend(state)
    afgesloten = VoAfgesloten(
        vo_id=vo.vo_id,
        melding_id=vo.melding_id,
        gemeente=vo.gemeente,
        reden=reden,
        toelichting=toelichting,
        afgesloten_op=op,
    )
    return [afgesloten, *melder_brief(state, BriefSoort.VO_UITKOMST, uitkomst, op)]
