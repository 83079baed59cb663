"""Durable, idempotent pull consumers of platform events that trust no message's body."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from uuid import UUID

from faststream import AckPolicy
from faststream.nats import JStream, NatsMessage, NatsRouter, PullSub
from pydantic import ValidationError
from wvggz_contracts.audit import GebeurtenisGeparkeerd, Parkeerreden
from wvggz_contracts.commands import CommandReply, ErrorCode
from wvggz_contracts.envelope import CloudEvent, source_urn
from wvggz_contracts.subjects import EVENTS_STREAM, publisher_of

from kernel.audit import AuditTrail
from kernel.bus.raw import raw_body
from kernel.bus.streams import ConsumerSpec
from kernel.decider import derived_id
from kernel.logsafe import describe

log = logging.getLogger(__name__)

RETRY_DELAYS = (1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0)
"""Seconds before a failed event is delivered again; past the list, the last delay repeats."""

EventHandler = Callable[[CloudEvent], Awaitable[None]]

_WELL_FORMED_SUBJECT = re.compile(r"^wvggz\.evt\.[a-z]+\.(GM\d{4})\.[a-z][a-z-]*\.v\d+$")


class PermanentFailure(Exception):
    """The event can never be handled as it is (e.g. the command it makes is invalid or
    breaks a rule): it is parked for an operator instead of coming back forever."""


def untrusted(event: CloudEvent, subject: str, oin: str) -> str | None:
    """Why an event may not be believed, or None when its producer is who it should be.

    Only the producing service may publish on its subjects (the bus enforces that), so the
    subject names the producer; the envelope's source, type and gemeente must agree with it.
    """
    publisher = publisher_of(subject, event.type)
    if publisher is None:
        return "het onderwerp past niet bij het type van de gebeurtenis"
    if event.source != source_urn(oin, publisher):
        return f"de bron is niet de dienst {publisher} van dit platform"
    if subject.split(".")[3] != event.gemeente:
        return "de gemeente in het onderwerp en in de gebeurtenis verschillen"
    return None


def event_subscriber(
    router: NatsRouter,
    consumer: ConsumerSpec,
    *,
    oin: str,
    audit: AuditTrail,
    inbox_prefix: bytes,
    description: str,
    batch_size: int = 16,
    retry_delays: tuple[float, ...] = RETRY_DELAYS,
) -> Callable[[EventHandler], EventHandler]:
    """Decorator: consume events through a durable pull consumer, trusting no body.

    The stream and the durable consumer are created beforehand by the bootstrap identity
    (`declare=False`: FastStream would overwrite their settings, and services may not change
    them); `inbox_prefix` is the identity's private inbox, the only one the bus lets it use.
    A message that is not a CloudEvent, or that did not come from the service owning
    its subject, is parked: recorded in the audit trail without its content, counted, and
    terminated so it never comes back. So is an event the handler finds it can never process
    (`PermanentFailure`). Any other failure brings the event back after a growing delay,
    logged each time: a VO or a crisis case must not vanish because a store was unreachable
    for a while. Handlers must be idempotent: derive command ids with `command_id_for`.
    """

    def register(handler: EventHandler) -> EventHandler:
        @router.subscriber(
            consumer.subject,
            stream=JStream(EVENTS_STREAM, declare=False),
            durable=consumer.durable,
            pull_sub=PullSub(batch_size=batch_size, timeout=1.0),
            ack_policy=AckPolicy.MANUAL,
            decoder=raw_body,
            inbox_prefix=inbox_prefix,
            description=description,
            title=consumer.durable,
        )
        async def consume(msg: NatsMessage) -> None:
            subject = msg.raw_message.subject
            try:
                event = CloudEvent.model_validate_json(msg.body)
            except ValidationError as invalid:
                await park(msg, None, Parkeerreden.ONLEESBAAR, describe(invalid))
                return
            problem = untrusted(event, subject, oin)
            if problem is not None:
                await park(msg, event.id, Parkeerreden.ONBEVOEGDE_BRON, problem)
                return
            try:
                await handler(event)
            except PermanentFailure as failure:
                await park(msg, event.id, Parkeerreden.ONVERWERKBAAR, str(failure))
                return
            except Exception as failure:
                await retry_later(msg, event.id, failure)
                return
            await msg.ack()

        return handler

    async def park(msg: NatsMessage, event_id: UUID | None, reden: Parkeerreden, why: str) -> None:
        subject = msg.raw_message.subject
        well_formed = _WELL_FORMED_SUBJECT.match(subject)
        sequence = msg.raw_message.metadata.sequence.stream
        parked = GebeurtenisGeparkeerd(
            service=audit.service,
            consumer=consumer.durable,
            stream_sequence=sequence,
            onderwerp=subject if well_formed else None,
            event_id=event_id,
            reden=reden,
            toelichting=why,
        )
        try:
            await audit.park(parked, well_formed.group(1) if well_formed else None)
        except Exception as failure:
            await retry_later(msg, event_id, failure)
            return
        log.error(
            "%s parked the message at stream position %d (%s): %s",
            consumer.durable,
            sequence,
            reden.value,
            why,
        )
        await msg.reject()

    async def retry_later(msg: NatsMessage, event_id: UUID | None, failure: Exception) -> None:
        attempt = msg.raw_message.metadata.num_delivered
        level = logging.ERROR if attempt >= len(retry_delays) else logging.WARNING
        log.log(
            level,
            "%s failed on event %s (attempt %d): %s",
            consumer.durable,
            event_id,
            attempt,
            describe(failure),
        )
        await msg.nack(delay=retry_delays[min(attempt, len(retry_delays)) - 1])

    return register


_NEVER_BETTER = frozenset(
    {ErrorCode.VALIDATION_FAILED, ErrorCode.RULE_VIOLATED, ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND}
)
"""Replies that a redelivery of the same event would get again."""


def require_ok(reply: CommandReply, what: str) -> None:
    """Raise unless the command an event caused was carried out: permanently for a refusal
    the same event would meet again, otherwise so that it is retried later."""
    if reply.error is None:
        return
    where = f" ({reply.error.field})" if reply.error.field else ""
    why = f"{what}: {reply.error.code.value}{where}"
    if reply.error.code in _NEVER_BETTER:
        raise PermanentFailure(why)
    raise RuntimeError(why)


def command_id_for(event: CloudEvent, purpose: str) -> UUID:
    """The id of the command an event causes: the same on every redelivery of that event."""
    return derived_id(event.id, purpose)
