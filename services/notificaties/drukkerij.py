"""The drukkerij: renders each letter put ready, sends it by the recipient's partner channel when
there is one (else it waits for the post batch), and records what became of it."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from wvggz_contracts.brieven import BriefVorm
from wvggz_contracts.commands import CommandReply
from wvggz_contracts.crisis import EVENTS as CRISIS_EVENTS
from wvggz_contracts.crisis import AfschriftKlaargezet
from wvggz_contracts.envelope import source_urn
from wvggz_contracts.meldpunt import EVENTS as MELDPUNT_EVENTS
from wvggz_contracts.notificaties import Kanaal, PartnerSoort
from wvggz_contracts.onderzoek import EVENTS as ONDERZOEK_EVENTS
from wvggz_contracts.typen import OPGESLAGEN

from kernel.background import BackgroundLoop
from kernel.decider import derived_id
from kernel.logsafe import describe
from kernel.rules import Rulebook
from kernel.runtime import ServiceRuntime
from services.notificaties.documenten import Document, afschrift_pdf, melderbrief_pdf
from services.notificaties.domain import briefregels
from services.notificaties.domain.brieven import Brief
from services.notificaties.levering.wachtrij import Levering, Wachtrij
from services.notificaties.projections import BRIEVEN, BriefRij, PartnerRij

log = logging.getLogger(__name__)

BRONNEN = MELDPUNT_EVENTS.merged(ONDERZOEK_EVENTS).merged(CRISIS_EVENTS)
"""The procedures' events a letter can be made from."""

PARTNER_VAN: dict[str, PartnerSoort] = {
    "ovj": PartnerSoort.OM,
    "igj": PartnerSoort.IGJ,
    "geneesheer-directeur": PartnerSoort.GGZ_AANBIEDER,
    "advocaat": PartnerSoort.ADVOCATUUR,
}
"""Recipients that are institutions: their afschrift goes by their partner channel, if any."""

AFSCHRIFT_TYPE = AfschriftKlaargezet.event_type
DOCUMENT_TYPE = "nl.wvggz.notificaties.document.v1"
"""CloudEvents type of a delivered letter: its reference and the PDF itself."""


def render(rij: BriefRij, bron: dict[str, Any], op: datetime) -> Document:
    """The letter's PDF from the event it was made from (CPU work: run it off the loop)."""
    event = BRONNEN.models[rij.bron_type].model_validate(bron, context={OPGESLAGEN: True})
    if isinstance(event, AfschriftKlaargezet):
        return afschrift_pdf(event, aangemaakt_op=op)
    return melderbrief_pdf(event, aangemaakt_op=op)  # type: ignore[arg-type]


def kies_partner(rij: BriefRij, partners: list[PartnerRij]) -> PartnerRij | None:
    """The partner an institution's afschrift goes to: of the recipient's kind, subscribed to
    afschriften of the letter's gemeente. None: by post."""
    soort = PARTNER_VAN.get(rij.ontvanger)
    if rij.vorm is not BriefVorm.AFSCHRIFT or soort is None:
        return None
    for partner in partners:
        if partner.soort is soort and any(
            a.dekt(AFSCHRIFT_TYPE, rij.gemeente) for a in partner.abonnementen
        ):
            return partner
    return None


class Drukkerij(BackgroundLoop):
    """Takes each letter one step further every turn; safe to repeat after a restart."""

    def __init__(
        self,
        runtime: ServiceRuntime[Any],
        rulebook: Rulebook[Brief],
        wachtrij: Wachtrij,
        partners: Callable[[], list[PartnerRij]],
        wek_bezorger: Callable[[], None],
        *,
        interval: float = 0.5,
    ) -> None:
        self.runtime = runtime
        self.rulebook = rulebook
        self.specs = {r.name: r.spec for r in rulebook.rules}
        self.wachtrij = wachtrij
        self.partners = partners
        self.wek_bezorger = wek_bezorger
        self.interval = interval
        settings = runtime.settings
        self.map: Path = settings.data_dir / settings.service_name / "documenten"
        self.bron = source_urn(settings.oin, settings.service_name)

    def pad(self, brief_id: UUID) -> Path:
        """Where a letter's PDF is kept (0600)."""
        return self.map / f"{brief_id}.pdf"

    async def _run(self) -> None:
        while True:
            try:
                await self.ronde()
            except Exception as failure:
                log.error("drukkerij turn failed (%s); trying again", describe(failure))
            await asyncio.sleep(self.interval)

    async def ronde(self) -> None:
        """One turn: make, send, and follow up on letters with partners."""
        views = self.runtime.views
        for rij in views.find(BRIEVEN, "open:klaargezet"):
            await self._maak(rij)
        partners = self.partners()
        for rij in views.find(BRIEVEN, "open:aangemaakt"):
            partner = kies_partner(rij, partners)
            if partner is not None:
                await self._verzend(rij, partner)
        for rij in views.find(BRIEVEN, "open:bij-partner"):
            await self._volg(rij)

    async def _maak(self, rij: BriefRij) -> None:
        bron = await self._bron_van(rij.brief_id)
        if bron is None:
            return
        document = await asyncio.to_thread(render, rij, bron, self.runtime.clock())
        self.map.mkdir(parents=True, exist_ok=True, mode=0o700)
        pad = self.pad(rij.brief_id)
        pad.touch(mode=0o600, exist_ok=True)
        pad.write_bytes(document.pdf)
        await self._stuur(
            briefregels.MAAK_AAN,
            rij,
            {
                "brief_id": str(rij.brief_id),
                "kenmerk": document.kenmerk,
                "sha256": document.sha256,
                "paginas": document.paginas,
            },
        )

    async def _bron_van(self, brief_id: UUID) -> dict[str, Any] | None:
        """The source event's data, as the letter's first event recorded it."""
        stream = self.rulebook.decider.stream(brief_id)
        for recorded in await self.runtime.store.read(stream):
            if recorded.type == "nl.wvggz.notificaties.brief-klaargezet.v1":
                bron: dict[str, Any] = recorded.data["bron"]
                return bron
        return None

    async def _verzend(self, rij: BriefRij, partner: PartnerRij) -> None:
        abonnement = next(a for a in partner.abonnementen if a.dekt(AFSCHRIFT_TYPE, rij.gemeente))
        pdf = self.pad(rij.brief_id).read_bytes()
        body = {
            "specversion": "1.0",
            "id": str(rij.brief_id),
            "source": self.bron,
            "type": DOCUMENT_TYPE,
            "time": (rij.aangemaakt_op or self.runtime.clock()).isoformat(),
            "subject": str(rij.zaak),
            "datacontenttype": "application/json",
            "gemeente": rij.gemeente,
            "data": {
                "kenmerk": rij.kenmerk,
                "vorm": rij.vorm.value,
                "ontvanger": rij.ontvanger,
                "sha256": rij.sha256,
                "document": {
                    "mediatype": "application/pdf",
                    "base64": base64.b64encode(pdf).decode(),
                },
            },
        }
        levering = Levering(
            partner_id=str(partner.partner_id),
            event_id=str(rij.brief_id),
            zaak=str(rij.zaak),
            type=DOCUMENT_TYPE,
            gemeente=rij.gemeente,
            kanaal=abonnement.kanaal.value,
            bestemming=(abonnement.url or "")
            if abonnement.kanaal is Kanaal.WEBHOOK
            else (partner.code or ""),
            abonnement_id=str(abonnement.abonnement_id),
            body=json.dumps(body, separators=(",", ":")).encode(),
            geplaatst=self.runtime.clock().timestamp(),
        )
        self.wachtrij.plaats([levering])
        self.wek_bezorger()
        await self._stuur(
            briefregels.VERZEND,
            rij,
            {"brief_id": str(rij.brief_id), "partner_id": str(partner.partner_id)},
        )

    async def _volg(self, rij: BriefRij) -> None:
        assert rij.partner_id is not None
        staat = self.wachtrij.staat((str(rij.partner_id), str(rij.brief_id)))
        if staat is None:  # gone from the queue: the partner acknowledged it
            await self._stuur(briefregels.BEVESTIG_AFLEVERING, rij, {"brief_id": str(rij.brief_id)})
        elif staat == "opgegeven":
            reden = "de partner ontving het document niet binnen de termijn"
            await self._stuur(
                briefregels.MISLUKT, rij, {"brief_id": str(rij.brief_id), "reden": reden}
            )

    async def _stuur(self, naam: str, rij: BriefRij, payload: dict[str, Any]) -> CommandReply:
        body = {
            "command_id": str(derived_id(rij.brief_id, naam)),
            "payload": payload,
        }
        actor = self.runtime.system_actor(rij.gemeente)
        reply = await self.runtime.pipeline.handle(
            self.rulebook.decider, self.specs[naam], body, actor
        )
        if not reply.ok:
            log.warning("drukkerij: %s refused: %s", naam, reply.error)
        else:
            await self.runtime.projector.wait_for(reply.position or 0)
        return reply
