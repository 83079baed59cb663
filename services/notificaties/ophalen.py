"""Partners fetch the content behind a notification (`dataref`) with their own right: the bus
names who asks, the service checks the subscription and the legal basis of the partner's kind,
registers the verstrekking, and only then answers."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from faststream.exceptions import SkipMessage
from faststream.nats import NatsRouter
from pydantic import ValidationError
from wvggz_contracts.brieven import RegistreerVerstrekking
from wvggz_contracts.commands import ErrorCode, ErrorInfo, QueryReply
from wvggz_contracts.notificaties import Ophaalverzoek
from wvggz_contracts.subjects import FETCH_ALL

from kernel.bus.raw import Message, raw_body
from kernel.logsafe import describe
from kernel.refusals import validation_reply
from kernel.rules import Rulebook
from kernel.runtime import ServiceRuntime
from services.notificaties.domain.minimalisatie import OPHAALBAAR
from services.notificaties.domain.verstrekkingen import Verstrekking
from services.notificaties.inhoud import InhoudStore
from services.notificaties.projections import PARTNERS, PartnerRij

log = logging.getLogger(__name__)


def _fout(code: ErrorCode, message: str) -> dict[str, Any]:
    reply = QueryReply(ok=False, error=ErrorInfo(code=code, message=message))
    return reply.model_dump(mode="json", exclude_none=True)


def serve(
    router: NatsRouter,
    runtime: ServiceRuntime[Any],
    inhoud: InhoudStore,
    rulebook: Rulebook[Verstrekking],
) -> None:
    """Answer `wvggz.ophalen.<partner>` requests."""
    [regel] = rulebook.rules

    def partner_met(code: str) -> PartnerRij | None:
        return next((p for p in runtime.views.rows(PARTNERS) if p.code == code), None)

    @router.subscriber(
        FETCH_ALL,
        queue=f"wvggz-{runtime.name}-ophalen",
        title="notificaties.ophalen",
        description="A partner fetches a notification's content: `wvggz.ophalen.<partner>`,"
        ' body `{"id": <notification id>}`; the answer is a QueryReply.',
        max_workers=16,
        decoder=raw_body,
    )
    async def ophalen(msg: Message) -> dict[str, Any]:
        code = msg.raw_message.subject.split(".")[2]
        # The answer holds personal data: only into the asking partner's own inbox.
        if not (msg.reply_to or "").startswith(f"_INBOX_partner-{code}."):
            log.warning("fetch request of partner %s with a foreign reply subject dropped", code)
            raise SkipMessage
        try:
            verzoek = Ophaalverzoek.model_validate_json(msg.body)
        except ValidationError as invalid:
            return QueryReply(ok=False, error=validation_reply(invalid).error).model_dump(
                mode="json", exclude_none=True
            )
        partner = partner_met(code)
        gevonden = inhoud.lees(str(verzoek.id), runtime.clock().timestamp())
        if partner is None or gevonden is None:
            return _fout(ErrorCode.NOT_FOUND, "geen ophaalbare inhoud voor deze notificatie")
        grondslag = OPHAALBAAR.get(partner.soort, {}).get(gevonden.type)
        geabonneerd = any(a.dekt(gevonden.type, gevonden.gemeente) for a in partner.abonnementen)
        if grondslag is None or not geabonneerd:
            log.warning("partner %s may not fetch %s", code, gevonden.type)
            return _fout(ErrorCode.FORBIDDEN, "deze partner mag deze inhoud niet ophalen")
        data = {k: v for k, v in gevonden.data.items() if k in grondslag.velden}
        payload = RegistreerVerstrekking(
            verstrekking_id=uuid.uuid4(),
            gemeente=gevonden.gemeente,
            event_id=verzoek.id,
            type=gevonden.type,
            zaak=uuid.UUID(gevonden.zaak),
            partner_id=partner.partner_id,
            aan=partner.soort.value,
            categorieen=sorted(data),
            grondslag=grondslag.bron,
        )
        body = {"command_id": str(uuid.uuid4()), "payload": payload.model_dump(mode="json")}
        actor = runtime.system_actor(gevonden.gemeente)
        try:
            reply = await runtime.pipeline.handle(rulebook.decider, regel.spec, body, actor)
        except Exception as failure:
            log.error("registering a fetch failed: %s", describe(failure))
            reply = None
        if reply is None or not reply.ok:
            # No disclosure without its record.
            return _fout(ErrorCode.UNAVAILABLE, "de verstrekking kon niet worden vastgelegd")
        antwoord = {
            "id": str(verzoek.id),
            "type": gevonden.type,
            "subject": gevonden.zaak,
            "gemeente": gevonden.gemeente,
            "data": data,
        }
        return QueryReply(ok=True, data=antwoord).model_dump(mode="json", exclude_none=True)
