"""The retention job: proposes the dossiers whose term has passed, and destroys the keys of the
ones functioneel beheer approved before recording it. Safe to repeat after a crash at any step:
each command has a derived id and destroying a key twice changes nothing."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel
from wvggz_contracts.bewaring import Grond, LegVernietigingVast, StelVernietigingVoor
from wvggz_contracts.commands import CommandReply
from wvggz_contracts.rechtstijd import lokale_datum

from kernel.background import BackgroundLoop
from kernel.bewaring.archief import Archief, Dossier
from kernel.bewaring.regels import DOSSIER
from kernel.bewaring.vernietiging import AANGEHOUDEN, vervalt_op
from kernel.bewaring.views import GOEDGEKEURD_SLEUTEL, VERNIETIGINGEN, VernietigingRij
from kernel.decider import derived_id
from kernel.logsafe import describe
from kernel.projection import ViewStore
from kernel.sleutels import Sleutelkluis

log = logging.getLogger(__name__)

Send = Callable[[BaseModel, str, UUID], Awaitable[CommandReply]]
"""Sends a retention command as the service, for a gemeente, under a command id."""


class Bewaringstaak(BackgroundLoop):
    """Proposals for passed terms every `interval`; approved destructions carried out within a
    `follow` of their approval."""

    def __init__(
        self,
        archief: Archief[Any],
        termijn_jaren: float,
        views: ViewStore,
        kluis: Sleutelkluis,
        send: Send,
        clock: Callable[[], datetime],
        *,
        interval: float,
        follow: float,
    ) -> None:
        self.archief = archief
        self.termijn_jaren = termijn_jaren
        self.views = views
        self.kluis = kluis
        self.send = send
        self.clock = clock
        self.interval = interval
        self.follow = follow

    async def tick(self) -> list[CommandReply]:
        """Propose what is due, then destroy what was approved; the replies, in order."""
        return [*await self.stel_voor(), *await self.vernietig()]

    async def stel_voor(self) -> list[CommandReply]:
        """Propose every closed dossier whose term has passed and that waits for no decision."""
        now = self.clock()
        rows = {zaak: row for zaak, _gemeente, row in self.views.keyed_rows(VERNIETIGINGEN)}
        replies = []
        for dossier in self.archief.dossiers(self.views):
            einde = vervalt_op(dossier, self.termijn_jaren)
            row = rows.get(dossier.zaak)
            if einde is None or einde > now or not _opnieuw(row, now):
                continue
            ronde = row.aangehouden_tot if row is not None else "eerste"
            voorstel = StelVernietigingVoor(
                zaak=dossier.zaak, gemeente=dossier.gemeente, grond=Grond.BEWAARTERMIJN
            )
            command_id = derived_id(dossier.zaak, f"voorstel@{ronde}")
            replies.append(await self._send(voorstel, dossier.gemeente, command_id))
        return replies

    async def vernietig(self) -> list[CommandReply]:
        """Destroy the keys of every approved destruction, then record each (in that order: a
        crash in between destroys again, which changes nothing, and records it then)."""
        replies = []
        for row in self.views.find(VERNIETIGINGEN, GOEDGEKEURD_SLEUTEL):
            for stroom in row.stromen:
                self.kluis.vernietig(stroom)
            vastlegging = LegVernietigingVast(zaak=row.zaak)
            command_id = derived_id(row.zaak, "vernietigd")
            replies.append(await self._send(vastlegging, row.gemeente, command_id))
        return replies

    async def _send(self, payload: BaseModel, gemeente: str, command_id: UUID) -> CommandReply:
        reply = await self.send(payload, gemeente, command_id)
        if not reply.ok and not reply.duplicate:
            log.warning("retention command refused: %s", reply.error)
        return reply

    async def _run(self) -> None:
        proposed_at = float("-inf")
        while True:
            try:
                if time.monotonic() - proposed_at >= self.interval:
                    proposed_at = time.monotonic()
                    await self.stel_voor()
                await self.vernietig()
            except Exception as failure:
                log.error("retention job failed (%s); trying again", describe(failure))
            await asyncio.sleep(self.follow)


def _opnieuw(row: VernietigingRij | None, now: datetime) -> bool:
    """Whether a dossier may be proposed: never yet, or held until a day that has come."""
    if row is None:
        return True
    return (
        row.fase == AANGEHOUDEN
        and row.aangehouden_tot is not None
        and (row.aangehouden_tot <= lokale_datum(now))
    )


def retention(
    runtime: Any, archief: Archief[Any], bindings: Any, kluis: Sleutelkluis
) -> Bewaringstaak:
    """The retention job of a service, sending through its pipeline as the service itself;
    it also gives the pipeline the dossier lookup that proposals are decided on."""
    by_payload = {spec.payload: (decider, spec) for decider, spec in bindings}
    settings = runtime.settings

    async def send(payload: BaseModel, gemeente: str, command_id: UUID) -> CommandReply:
        decider, spec = by_payload[type(payload)]
        body = {"command_id": str(command_id), "payload": payload.model_dump(mode="json")}
        return await runtime.pipeline.handle(  # type: ignore[no-any-return]
            decider, spec, body, runtime.system_actor(gemeente)
        )

    runtime.pipeline.provide(
        DOSSIER, lambda command: _found(archief.dossier(runtime.views, command.payload.zaak))
    )
    return Bewaringstaak(
        archief,
        settings.bewaartermijn_jaren,
        runtime.views,
        kluis,
        send,
        runtime.clock,
        interval=settings.bewaring_interval_s,
        follow=settings.deadline_interval_s,
    )


async def _found(dossier: Dossier | None) -> Dossier | None:
    return dossier
