"""Durable, idempotent pull consumers of platform events that trust no message's body."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from uuid import UUID

from cryptography.exceptions import InvalidTag
from faststream import AckPolicy
from faststream.nats import JStream, NatsMessage, NatsRouter, PullSub
from pydantic import ValidationError
from wvggz_contracts.audit import GebeurtenisGeparkeerd, Parkeerreden
from wvggz_contracts.commands import CommandReply, ErrorCode
from wvggz_contracts.envelope import CloudEvent, source_urn
from wvggz_contracts.subjects import EVENTS_STREAM, publisher_of

from kernel.audit import AuditTrail
from kernel.bus.raw import Message, raw_body
from kernel.bus.streams import ConsumerSpec
from kernel.decider import derived_id
from kernel.logsafe import describe
from kernel.sleutels import Veldsleutels

log = logging.getLogger(__name__)

RETRY_DELAYS = (1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 600.0, 600.0, 600.0)
"""Seconds before a failed event is delivered again: about 50 minutes in all. When the last
attempt fails too, the event is parked for an operator (and alerted on) instead of waiting on."""

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


@dataclass(frozen=True, slots=True)
class Verdict:
    """What became of one message: handled, to be parked (`reden`), or failed for now."""

    event_id: UUID | None = None
    reden: Parkeerreden | None = None
    failure: Exception | None = None
    toelichting: str = ""

    @property
    def handled(self) -> bool:
        """The handler ran to the end."""
        return self.reden is None and self.failure is None


@dataclass(frozen=True, slots=True)
class EventConsumer:
    """A durable consumer's handler with the checks every message passes before it runs."""

    spec: ConsumerSpec
    handler: EventHandler
    oin: str
    velden: Veldsleutels | None = None
    """Opens sealed personal data before the handler sees the event."""

    async def process(self, subject: str, body: bytes) -> Verdict:
        """Check and handle one message from the stream; never raises."""
        try:
            event = CloudEvent.model_validate_json(body)
        except ValidationError as invalid:
            return Verdict(reden=Parkeerreden.ONLEESBAAR, toelichting=describe(invalid))
        problem = untrusted(event, subject, self.oin)
        if problem is not None:
            return Verdict(event.id, Parkeerreden.ONBEVOEGDE_BRON, toelichting=problem)
        if self.velden is not None:
            try:
                event = event.model_copy(update={"data": self.velden.open(event.data)})
            except (InvalidTag, ValueError, TypeError, KeyError) as unreadable:
                why = f"versleutelde gegevens niet te openen: {type(unreadable).__name__}"
                return Verdict(event.id, Parkeerreden.ONLEESBAAR, toelichting=why)
        try:
            await self.handler(event)
        except PermanentFailure as failure:
            return Verdict(event.id, Parkeerreden.ONVERWERKBAAR, toelichting=str(failure))
        except Exception as failure:
            return Verdict(event.id, failure=failure, toelichting=describe(failure))
        return Verdict(event.id)


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
    registry: dict[str, EventConsumer] | None = None,
    velden: Veldsleutels | None = None,
) -> Callable[[EventHandler], EventHandler]:
    """Decorator: consume events through a durable pull consumer, trusting no body.

    The stream and the durable consumer are created beforehand by the bootstrap identity
    (`declare=False`: FastStream would overwrite their settings, and services may not change
    them); `inbox_prefix` is the identity's private inbox, the only one the bus lets it use.
    A message that is not a CloudEvent, or that did not come from the service owning
    its subject, is parked: recorded in the audit trail without its content, counted, and
    terminated so it never comes back. So is an event the handler finds it can never process
    (`PermanentFailure`). Any other failure brings the event back after a growing delay,
    logged each time (a VO or a crisis case must not vanish because a store was unreachable
    for a while), until every delay is spent: then it is parked too (`te-vaak-mislukt`), and
    so is a message delivered more often than that without any outcome (a crash on it).
    Parked events stay in the stream; an operator can have them handled again (`registry`
    receives the consumer for that). Handlers must be idempotent: use `command_id_for`.
    """
    attempts = len(retry_delays) + 1

    def register(handler: EventHandler) -> EventHandler:
        checked = EventConsumer(consumer, handler, oin, velden)
        if registry is not None:
            registry[consumer.durable] = checked

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
        async def consume(msg: Message) -> None:
            attempt = msg.raw_message.metadata.num_delivered
            if attempt > attempts:
                why = f"{attempt - 1} keer afgeleverd zonder uitkomst"
                await park(msg, Verdict(reden=Parkeerreden.TE_VAAK_MISLUKT, toelichting=why))
                return
            verdict = await checked.process(msg.raw_message.subject, msg.body)
            if verdict.handled:
                await msg.ack()
            elif verdict.reden is not None:
                await park(msg, verdict)
            elif attempt >= attempts:
                why = f"na {attempt} pogingen: {verdict.toelichting}"
                await park(msg, Verdict(verdict.event_id, Parkeerreden.TE_VAAK_MISLUKT, None, why))
            else:
                await retry_later(msg, verdict)

        return handler

    async def park(msg: NatsMessage, verdict: Verdict) -> None:
        assert verdict.reden is not None
        subject = msg.raw_message.subject
        well_formed = _WELL_FORMED_SUBJECT.match(subject)
        sequence = msg.raw_message.metadata.sequence.stream
        parked = GebeurtenisGeparkeerd(
            service=audit.service,
            consumer=consumer.durable,
            stream_sequence=sequence,
            onderwerp=subject if well_formed else None,
            event_id=verdict.event_id,
            reden=verdict.reden,
            toelichting=verdict.toelichting,
        )
        try:
            await audit.park(parked, well_formed.group(1) if well_formed else None)
        except Exception as failure:
            await retry_later(msg, Verdict(verdict.event_id, toelichting=describe(failure)))
            return
        log.error(
            "%s parked the message at stream position %d (%s): %s",
            consumer.durable,
            sequence,
            verdict.reden.value,
            verdict.toelichting,
        )
        await msg.reject()

    async def retry_later(msg: NatsMessage, verdict: Verdict) -> None:
        attempt = msg.raw_message.metadata.num_delivered
        level = logging.ERROR if attempt >= len(retry_delays) else logging.WARNING
        log.log(
            level,
            "%s failed on event %s (attempt %d of %d): %s",
            consumer.durable,
            verdict.event_id,
            attempt,
            attempts,
            verdict.toelichting,
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
