"""The drukkerij: renders each letter put ready, sends it by the recipient's partner channel when
there is one (else it waits for the post batch), and records what became of it."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import os
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from wvggz_contracts.brieven import BriefAangemaakt, BriefKlaargezet, BriefVorm, Verzendwijze
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
from services.notificaties.documenten.verzegeling import lees, verzegel
from services.notificaties.domain import briefregels
from services.notificaties.domain.brieven import Brief
from services.notificaties.levering.wachtrij import AFGELEVERD, OPGEGEVEN, Levering, Wachtrij
from services.notificaties.projections import BRIEVEN, Abonnement, BriefRij, PartnerRij

log = logging.getLogger(__name__)

BRONNEN = MELDPUNT_EVENTS.merged(ONDERZOEK_EVENTS).merged(CRISIS_EVENTS)
"""The procedures' events a letter can be made from."""

PARTNER_VAN: dict[str, PartnerSoort] = {"ovj": PartnerSoort.OM, "igj": PartnerSoort.IGJ}
"""Recipients that are one institution for the whole region: their afschrift goes by that
partner's channel. The advocaat and the geneesheer-directeur are named persons at one of many
firms and providers: no partner kind says which, so theirs goes by post."""

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
    """The partner an institution's afschrift goes to: the one of the recipient's kind that the
    letter's own gemeente manages and subscribed to afschriften of that gemeente. None (by
    post) when there is no such partner, or more than one: never a guess with special data."""
    soort = PARTNER_VAN.get(rij.ontvanger)
    if rij.vorm is not BriefVorm.AFSCHRIFT or soort is None:
        return None
    kandidaten = [
        partner
        for partner in partners
        if partner.soort is soort
        and partner.beheerd_door == rij.gemeente
        and any(a.dekt(AFSCHRIFT_TYPE, rij.gemeente) for a in partner.abonnementen)
    ]
    return kandidaten[0] if len(kandidaten) == 1 else None


class Drukkerij(BackgroundLoop):
    """Takes each letter one step further every turn; safe to repeat after a restart.

    What to do is read from the views, which may lag: each step checks the letter's own stream
    before it acts, and each letter is taken on its own, so one that fails (a template that
    cannot render) waits with growing pauses while the others go on.
    """

    def __init__(
        self,
        runtime: ServiceRuntime[Any],
        rulebook: Rulebook[Brief],
        wachtrij: Wachtrij,
        partners: Callable[[], list[PartnerRij]],
        wek_bezorger: Callable[[], None],
        *,
        interval: float = 0.5,
        bewaar_s: float = 30 * 86_400,
        opruimen: Callable[[float], object] = lambda _ouder_dan: None,
    ) -> None:
        self.runtime = runtime
        self.bewaar_s = bewaar_s
        self.opruimen = opruimen
        self._opgeruimd = 0.0
        self.rulebook = rulebook
        self.specs = {r.name: r.spec for r in rulebook.rules}
        self.wachtrij = wachtrij
        self.partners = partners
        self.wek_bezorger = wek_bezorger
        self.interval = interval
        settings = runtime.settings
        self.map: Path = settings.data_dir / settings.service_name / "documenten"
        self.bron = source_urn(settings.oin, settings.service_name)
        self._mislukt: dict[UUID, tuple[int, float]] = {}
        """Letters whose step failed: how often, and not before when to try again."""

    def pad(self, brief_id: UUID) -> Path:
        """Where a letter's PDF is kept (0600)."""
        return self.map / f"{brief_id}.pdf"

    async def _run(self) -> None:
        while True:
            await self.ronde()
            nu = self.runtime.clock().timestamp()
            if nu - self._opgeruimd > 60:
                # What is past the partner retention: delivery markers, kept content.
                self.opruimen(nu - self.bewaar_s)
                self._opgeruimd = nu
            await asyncio.sleep(self.interval)

    async def ronde(self) -> None:
        """One turn: make, send, and follow up on letters with partners."""
        views = self.runtime.views
        for rij in views.find(BRIEVEN, "open:klaargezet"):
            await self._stap(rij, self._maak)
        for rij in views.find(BRIEVEN, "open:naar-partner"):
            await self._stap(rij, self._verzend)
        for rij in views.find(BRIEVEN, "open:bij-partner"):
            await self._stap(rij, self._volg)

    async def _stap(self, rij: BriefRij, stap: Callable[[BriefRij], Awaitable[None]]) -> None:
        nu = time.monotonic()
        keer, niet_voor = self._mislukt.get(rij.brief_id, (0, 0.0))
        if nu < niet_voor:
            return
        try:
            await stap(rij)
        except Exception as failure:
            wacht = min(300.0, 2.0**keer)
            self._mislukt[rij.brief_id] = (keer + 1, nu + wacht)
            log.error(
                "drukkerij: letter %s failed (%s); again in %.0f s",
                rij.brief_id,
                describe(failure),
                wacht,
            )
        else:
            self._mislukt.pop(rij.brief_id, None)

    async def _gebeurd(self, brief_id: UUID) -> dict[str, dict[str, Any]]:
        """The letter's own events by type, as the store has them (the views may lag)."""
        stream = self.rulebook.decider.stream(brief_id)
        return {r.type: dict(r.data) for r in await self.runtime.store.read(stream)}

    async def _maak(self, rij: BriefRij) -> None:
        gebeurd = await self._gebeurd(rij.brief_id)
        if BriefAangemaakt.event_type in gebeurd or BriefKlaargezet.event_type not in gebeurd:
            return
        bron = gebeurd[BriefKlaargezet.event_type]["bron"]
        document = await asyncio.to_thread(render, rij, bron, self.runtime.clock())
        velden = self.runtime.velden
        assert velden is not None  # the composition root gives every service its keys
        verzegeld = verzegel(velden, rij.brief_id, document.pdf)
        await asyncio.to_thread(self._bewaar, rij.brief_id, verzegeld)
        partner = kies_partner(rij, self.partners())
        await self._stuur(
            briefregels.MAAK_AAN,
            rij,
            {
                "brief_id": str(rij.brief_id),
                "kenmerk": document.kenmerk,
                "sha256": document.sha256,
                "paginas": document.paginas,
                "wijze": (Verzendwijze.PARTNER if partner else Verzendwijze.POST).value,
                "partner_id": str(partner.partner_id) if partner else None,
            },
        )

    def _bewaar(self, brief_id: UUID, pdf: bytes) -> None:
        """Write the sealed PDF whole or not at all (0600): a crash leaves no half document."""
        self.map.mkdir(parents=True, exist_ok=True, mode=0o700)
        tijdelijk = self.map / f".{brief_id}.{os.getpid()}.tmp"
        fd = os.open(tijdelijk, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "wb") as file:
            file.write(pdf)
            file.flush()
            os.fsync(file.fileno())
        os.replace(tijdelijk, self.pad(brief_id))

    async def _verzend(self, rij: BriefRij) -> None:
        """Record the letter as sent to its partner, then queue the document for delivery."""
        kanaal = self._kanaal(rij)
        if kanaal is None:
            return  # the subscription ended since the letter was made: it waits for a new one
        partner, abonnement = kanaal
        reply = await self._stuur(
            briefregels.VERZEND,
            rij,
            {"brief_id": str(rij.brief_id), "partner_id": str(partner.partner_id)},
        )
        if reply.ok:
            self._plaats(rij, partner, abonnement)

    def _plaats(self, rij: BriefRij, partner: PartnerRij, abonnement: Abonnement) -> None:
        """The document as a CloudEvent in the partner's queue (once: same partner, same id)."""
        assert self.runtime.velden is not None
        pdf = lees(self.runtime.velden, self.pad(rij.brief_id), rij.brief_id)
        if pdf is None:
            return  # destroyed since it was made: nothing is left to deliver
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

    async def _volg(self, rij: BriefRij) -> None:
        """What became of a document queued for a partner."""
        assert rij.partner_id is not None
        staat = self.wachtrij.staat((str(rij.partner_id), str(rij.brief_id)))
        if staat == AFGELEVERD:
            await self._stuur(briefregels.BEVESTIG_AFLEVERING, rij, {"brief_id": str(rij.brief_id)})
        elif staat == OPGEGEVEN and rij.fase != "mislukt":
            reden = "de partner ontving het document niet binnen de termijn"
            await self._stuur(
                briefregels.MISLUKT, rij, {"brief_id": str(rij.brief_id), "reden": reden}
            )
        elif staat is None:
            # Recorded as sent, but the queue has no row: the process stopped in between.
            kanaal = self._kanaal(rij)
            if kanaal is not None:
                self._plaats(rij, *kanaal)

    def _kanaal(self, rij: BriefRij) -> tuple[PartnerRij, Abonnement] | None:
        """The letter's partner and the subscription its document goes by, while it runs."""
        partner = next((p for p in self.partners() if p.partner_id == rij.partner_id), None)
        if partner is None:
            return None
        abonnement = next(
            (a for a in partner.abonnementen if a.dekt(AFSCHRIFT_TYPE, rij.gemeente)), None
        )
        return (partner, abonnement) if abonnement is not None else None

    async def _stuur(self, naam: str, rij: BriefRij, payload: dict[str, Any]) -> CommandReply:
        body = {"command_id": str(derived_id(rij.brief_id, naam)), "payload": payload}
        actor = self.runtime.system_actor(rij.gemeente)
        reply = await self.runtime.pipeline.handle(
            self.rulebook.decider, self.specs[naam], body, actor
        )
        if not reply.ok:
            log.warning("drukkerij: %s refused: %s", naam, reply.error)
        return reply
