"""The three core questions of the VO, answered in order; a "no" closes the VO."""

from __future__ import annotations

from wvggz_contracts.events import DomainEvent
from wvggz_contracts.onderzoek import AfsluitReden, BeoordeelToets, BriefUitkomst, ToetsBeoordeeld

from kernel.decider import Command, violated
from services.onderzoek.domain.afsluiting import afsluiten
from services.onderzoek.domain.state import Onderzoek


def beoordeel_toets(state: Onderzoek, command: Command[BeoordeelToets]) -> list[DomainEvent]:
    """Answer the next core question; an answer is final (seed 001 §3.1 stap 2)."""
    payload = command.payload
    volgende = state.volgende_toets
    if volgende is None:
        raise violated("de drie toetsen zijn al beoordeeld", "toets")
    if payload.toets != volgende:
        raise violated(f"beoordeel eerst de toets {volgende}", "toets")
    beoordeeld = ToetsBeoordeeld(
        vo_id=payload.vo_id,
        toets=payload.toets,
        aannemelijk=payload.aannemelijk,
        motivatie=payload.motivatie,
        beoordeeld_op=command.at,
    )
    if payload.aannemelijk:
        return [beoordeeld]
    return [
        beoordeeld,
        *afsluiten(
            state,
            AfsluitReden.TOETS_NEGATIEF,
            f"{payload.toets} niet aannemelijk: {payload.motivatie}",
            command.at,
            BriefUitkomst.GEEN_VERVOLG,
        ),
    ]
