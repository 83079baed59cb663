"""Creates the event stream, the durables and the partner streams, as the bootstrap identity."""

from __future__ import annotations

import asyncio

import nats

from kernel.bus.connection import connect_options
from kernel.bus.streams import (
    ConsumerSpec,
    ensure_consumers,
    ensure_events_stream,
    ensure_partner_streams,
)
from kernel.settings import ServiceSettings
from wvggz.catalog import SERVICES

BOOTSTRAP = "bootstrap"


def platform_consumers() -> list[ConsumerSpec]:
    """The durable consumers every service declares."""
    return [c for definition in SERVICES.values() for c in definition.consumers]


async def bootstrap_bus(settings: ServiceSettings) -> None:
    """Bring the streams and the consumers to what the code and settings declare (safe to repeat).

    Services may only use them: on a locked bus nobody else can create or change them.
    """
    client = await nats.connect(
        **{**connect_options(settings, "wvggz-bootstrap"), "max_reconnect_attempts": 5}
    )
    try:
        js = client.jetstream()
        await ensure_events_stream(
            js,
            max_age_s=settings.events_max_age_days * 86_400,
            duplicate_window_s=settings.events_duplicate_window_s,
        )
        await ensure_consumers(js, platform_consumers())
        await ensure_partner_streams(
            js, settings.nats_partners, max_age_s=settings.partner_retention_days * 86_400
        )
    finally:
        await client.close()


def bootstrap_command() -> int:
    """`wvggz bootstrap`: settings from WVGGZ_* (URL, nkey seed, TLS CA) of the bootstrap id."""
    settings = ServiceSettings(service_name=BOOTSTRAP)
    asyncio.run(bootstrap_bus(settings))
    count = len(platform_consumers())
    partners = len(set(settings.nats_partners))
    print(
        f"stream, {count} durable consumers and {partners} partner streams in place"
        f" on {settings.nats_url}"
    )
    return 0
