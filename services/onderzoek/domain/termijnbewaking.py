"""Deadline signals from the watcher: each is recorded once, and only while the VO is open."""

from __future__ import annotations

from wvggz_contracts.events import DomainEvent
from wvggz_contracts.onderzoek import (
    BriefSoort,
    BriefUitkomst,
    SignaleerNaderendeTermijn,
    SignaleerTermijnVerstreken,
    TermijnVerstreken,
    TermijnWaarschuwing,
)

from kernel.decider import Command, violated
from services.onderzoek.domain.afsluiting import melder_brief
from services.onderzoek.domain.state import Onderzoek, geopend


def signaleer_naderende_termijn(
    state: Onderzoek, command: Command[SignaleerNaderendeTermijn]
) -> list[DomainEvent]:
    """Warn once from `waarschuwing_op`; a repeated or late signal records nothing."""
    vo = geopend(state)
    # The watcher may race a conclusion or signal twice: that is no error, just nothing to record.
    if not state.open or state.gewaarschuwd or state.verstreken:
        return []
    if command.at < vo.waarschuwing_op:
        raise violated(
            f"het waarschuwingsmoment {vo.waarschuwing_op.isoformat()} is nog niet bereikt"
        )
    return [
        TermijnWaarschuwing(
            vo_id=vo.vo_id,
            deadline=vo.deadline,
            consulent=state.consulent,
            gesignaleerd_op=command.at,
        )
    ]


def signaleer_termijn_verstreken(
    state: Onderzoek, command: Command[SignaleerTermijnVerstreken]
) -> list[DomainEvent]:
    """Record once that the term passed without a conclusion; the VO itself stays open.

    An entitled melder gets a letter: with no decision within the term, they may now ask the
    officier van justitie themselves (art. 5:2 Wvggz; DOMAIN.md §1, seed 001 §3.1 stap 3).
    """
    vo = geopend(state)
    if not state.open or state.verstreken:
        return []
    if command.at < vo.deadline:
        raise violated(f"de termijn loopt nog tot {vo.deadline.isoformat()}")
    return [
        TermijnVerstreken(
            vo_id=vo.vo_id,
            deadline=vo.deadline,
            consulent=state.consulent,
            gesignaleerd_op=command.at,
        ),
        *melder_brief(
            state,
            BriefSoort.TERMIJN_VERSTREKEN,
            BriefUitkomst.GEEN_BESLUIT_BINNEN_TERMIJN,
            command.at,
        ),
    ]
