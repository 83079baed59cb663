"""Sends deadline signals as commands when they fall due; safe to repeat after a restart."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from wvggz_contracts.commands import CommandReply

from kernel.background import BackgroundLoop
from kernel.decider import derived_id
from kernel.logsafe import describe

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class DueSignal:
    """A deadline that has come: which case, which signal, for which moment."""

    case_id: UUID
    gemeente: str
    signal: str
    due: datetime

    @property
    def command_id(self) -> UUID:
        """The same for every attempt, so a repeated signal is answered as a duplicate."""
        return derived_id(self.case_id, f"{self.signal}@{self.due.isoformat()}")


class DeadlineWatcher(BackgroundLoop):
    """Every interval, asks the views what is due and sends each signal through the pipeline."""

    def __init__(
        self,
        due: Callable[[datetime], Awaitable[Sequence[DueSignal]]],
        send: Callable[[DueSignal], Awaitable[CommandReply]],
        clock: Callable[[], datetime],
        *,
        interval: float = 1.0,
    ) -> None:
        self.due = due
        self.send = send
        self.clock = clock
        self.interval = interval

    async def tick(self) -> list[CommandReply]:
        """Send every signal that is due now."""
        replies = []
        for signal in await self.due(self.clock()):
            reply = await self.send(signal)
            if not reply.ok:
                log.warning("deadline signal %s refused: %s", signal.signal, reply.error)
            replies.append(reply)
        return replies

    async def _run(self) -> None:
        while True:
            try:
                await self.tick()
            except Exception as failure:
                log.error("deadline watcher tick failed (%s); trying again", describe(failure))
            await asyncio.sleep(self.interval)
