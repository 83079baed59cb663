"""Creates the platform's JetStream streams and durable consumers with the settings we keep."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from nats.js import JetStreamContext
from nats.js.api import (
    AckPolicy,
    ConsumerConfig,
    ConsumerInfo,
    DeliverPolicy,
    DiscardPolicy,
    RetentionPolicy,
    StorageType,
    StreamConfig,
)
from nats.js.errors import NotFoundError
from wvggz_contracts.subjects import EVENTS_ALL, EVENTS_STREAM, partner_stream, partner_tree

from kernel.settings import ServiceSettings


def events_stream_config(max_age_s: float, duplicate_window_s: float) -> StreamConfig:
    """The event stream: append-only transport; the event store stays the record."""
    return _kept_stream(
        EVENTS_STREAM,
        "Domain events of the Wvggz platform (transport, not the record)",
        EVENTS_ALL,
        max_age_s,
        duplicate_window_s,
    )


def _kept_stream(
    name: str, description: str, subject: str, max_age_s: float, duplicate_window_s: float
) -> StreamConfig:
    """A file stream that keeps messages for `max_age_s`; nobody deletes or purges them."""
    return StreamConfig(
        name=name,
        description=description,
        subjects=[subject],
        retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE,
        discard=DiscardPolicy.OLD,
        max_age=max_age_s,
        duplicate_window=duplicate_window_s,
        deny_delete=True,
        deny_purge=True,
        allow_direct=True,
    )


async def ensure_events_stream(
    js: JetStreamContext, *, max_age_s: float, duplicate_window_s: float
) -> StreamConfig:
    """Create the event stream, or bring an existing one to our settings."""
    return await _ensure_stream(js, events_stream_config(max_age_s, duplicate_window_s))


PARTNER_DUPLICATE_WINDOW_S = 120.0
"""De-duplication window of a partner stream on `Nats-Msg-Id` (`<partner>:<event id>`)."""


def partner_stream_config(
    partner: str, max_age_s: float, duplicate_window_s: float = PARTNER_DUPLICATE_WINDOW_S
) -> StreamConfig:
    """One chain partner's notifications: replayable within `max_age_s`, readable by it alone.

    A stream per partner, so the bus can give a partner JetStream rights on its own stream
    without any way to reach another partner's notifications.
    """
    return _kept_stream(
        partner_stream(partner),
        f"Notifications for chain partner {partner}",
        partner_tree(partner),
        max_age_s,
        duplicate_window_s,
    )


async def ensure_partner_streams(
    js: JetStreamContext,
    partners: Iterable[str],
    *,
    max_age_s: float,
    duplicate_window_s: float = PARTNER_DUPLICATE_WINDOW_S,
) -> list[StreamConfig]:
    """Create each partner's stream, or bring an existing one to our settings.

    Streams of partners no longer listed are left alone: their notifications stay readable
    until an operator removes them.
    """
    return [
        await _ensure_stream(js, partner_stream_config(partner, max_age_s, duplicate_window_s))
        for partner in dict.fromkeys(partners)
    ]


async def _ensure_stream(js: JetStreamContext, wanted: StreamConfig) -> StreamConfig:
    assert wanted.name is not None
    try:
        await js.stream_info(wanted.name)
    except NotFoundError:
        info = await js.add_stream(wanted)
    else:
        info = await js.update_stream(wanted)
    return info.config


ACK_WAIT_S = 10.0
"""Seconds before an unacknowledged delivery is made again (JetStream's default is 30)."""


@dataclass(frozen=True, slots=True)
class ConsumerSpec:
    """A durable pull consumer on the event stream; its name starts with `<service>-`."""

    durable: str
    subject: str
    description: str | None = None

    def config(self) -> ConsumerConfig:
        """What FastStream's `PullSub` + `AckPolicy.MANUAL` subscriber would have created."""
        return ConsumerConfig(
            name=self.durable,
            durable_name=self.durable,
            description=self.description,
            filter_subject=self.subject,
            deliver_policy=DeliverPolicy.ALL,
            ack_policy=AckPolicy.EXPLICIT,
            # Bounded by consumer.py, not by the bus: it spaces redeliveries with nak(delay) and
            # parks a message after its last attempt (or one that keeps ending without an
            # outcome). While parking itself fails (its store is down) the bus must keep offering
            # the message: a bus-side bound would drop it without any record.
            max_deliver=-1,
            # What a killed process had fetched comes back after this; handlers take
            # milliseconds, and one slower than this is only handled twice (idempotently).
            ack_wait=ACK_WAIT_S,
        )


async def ensure_consumers(
    js: JetStreamContext, specs: Iterable[ConsumerSpec]
) -> list[ConsumerInfo]:
    """Create each durable on the event stream, or bring an existing one to its spec.

    Services may not create consumers; they bind to these by name. Creating one that exists
    with the same configuration changes nothing; a changed filter or description is updated,
    and a change JetStream cannot apply to a live consumer fails loudly.
    """
    return [await js.add_consumer(EVENTS_STREAM, spec.config()) for spec in specs]


async def prepare_streams(js: JetStreamContext, settings: ServiceSettings) -> None:
    """Before a service's broker starts: its durable consumers need the event stream to exist.

    On a locked bus only the bootstrap identity may create it, so its absence is an error; on an
    open development bus (no credentials configured) the service creates it, and the partners'.
    """
    if settings.nats_nkey_seed_file is None:
        await ensure_events_stream(
            js,
            max_age_s=settings.events_max_age_days * 86_400,
            duplicate_window_s=settings.events_duplicate_window_s,
        )
        await ensure_partner_streams(
            js, settings.nats_partners, max_age_s=settings.partner_retention_days * 86_400
        )
        return
    try:
        await js.stream_info(EVENTS_STREAM)
    except NotFoundError:
        raise RuntimeError(
            f"stream {EVENTS_STREAM} does not exist: run `wvggz bootstrap` first"
        ) from None
