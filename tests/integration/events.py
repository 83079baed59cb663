"""Helpers to put events in a store and read the JetStream event stream back."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from nats.js import JetStreamContext
from wvggz_contracts.envelope import CloudEvent, source_urn
from wvggz_contracts.events import DomainEvent
from wvggz_contracts.meldpunt import TriageAfgerond, vo_termijn_eind
from wvggz_contracts.subjects import EVENTS_STREAM, event_subject

from kernel.eventstore import ANY_VERSION, EventStore, NewEvent


def melding_event(n: int = 0, gemeente: str = "GM0402") -> NewEvent:
    """A stored event with the metadata the relay needs (no personal data)."""
    case = uuid.uuid4()
    cause = uuid.uuid4()
    return NewEvent(
        uuid.uuid4(),
        "nl.wvggz.test.iets-gebeurd.v1",
        {"n": n},
        {
            "case_id": str(case),
            "gemeente": gemeente,
            "correlation_id": str(cause),
            "causation_id": str(cause),
            "actor": "test-actor",
            "occurred_at": datetime.now(UTC).isoformat(),
        },
    )


async def append_one(store: EventStore, n: int = 0) -> NewEvent:
    event = melding_event(n)
    await store.append(f"test-{event.metadata['case_id']}", [event], ANY_VERSION)
    return event


async def published_ids(js: JetStreamContext) -> list[str]:
    """`Nats-Msg-Id` of every message in the event stream, in stream order."""
    info = await js.stream_info(EVENTS_STREAM)
    ids: list[str] = []
    for sequence in range(info.state.first_seq, info.state.last_seq + 1):
        message = await js.get_msg(EVENTS_STREAM, sequence)
        ids.append((message.headers or {})["Nats-Msg-Id"])
    return ids


async def eventually(
    condition: Callable[[], Awaitable[bool]], within: float = 20.0, what: str = "condition"
) -> None:
    """Wait until an async condition holds."""
    deadline = asyncio.get_running_loop().time() + within
    while not await condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"{what} did not happen within {within} s")
        await asyncio.sleep(0.05)


def triage_afgerond(melding_id: uuid.UUID, uitkomst: str, at: datetime) -> CloudEvent:
    """The meldpunt's TriageAfgerond as its relay would publish it (default OIN, GM0402)."""
    ja = {"aannemelijk": True, "motivatie": "Volgens melder en wijkteam."}
    data = TriageAfgerond(
        melding_id=melding_id,
        gemeente="GM0402",
        uitkomst=uitkomst,
        antwoorden={"ernstig_nadeel": ja, "psychische_stoornis": ja, "verplichte_zorg_nodig": ja},
        afwijking_motivatie=None,
        doorverwezen_naar=None,
        afgerond_op=at,
        melding_ontvangen_op=at,
        vo_termijn_eind=vo_termijn_eind(at),
        betrokkene={"naam": "J. Voorbeeld"},
        melder={"naam": "A. Ouder", "relatie": "ouder", "telefoon": "035-0000000"},
        situatie="Zorgen.",
    )
    return as_published(data, melding_id, at)


def as_published(event: DomainEvent, case_id: uuid.UUID, at: datetime) -> CloudEvent:
    """A meldpunt event as its relay would publish it (default OIN, GM0402)."""
    return CloudEvent(
        id=uuid.uuid4(),
        source=source_urn("00000001234567890000", "meldpunt"),
        type=event.event_type,
        time=at,
        subject=case_id,
        gemeente="GM0402",
        correlationid=case_id,
        causationid=case_id,
        actor="triagist.gm0402",
        sequence="1",
        data=event.model_dump(mode="json"),
    )


async def publish_event(js: JetStreamContext, event: CloudEvent) -> None:
    """Put an event on the stream under its producer's subject."""
    subject = event_subject(event.type, event.gemeente)
    await js.publish(subject, event.model_dump_json().encode(), stream=EVENTS_STREAM)
