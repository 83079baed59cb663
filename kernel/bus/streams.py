"""Creates the platform's JetStream streams with the settings FastStream would not keep."""

from __future__ import annotations

from nats.js import JetStreamContext
from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError
from wvggz_contracts.subjects import EVENTS_ALL, EVENTS_STREAM


def events_stream_config(max_age_s: float, duplicate_window_s: float) -> StreamConfig:
    """The event stream: append-only transport; the event store stays the record."""
    return StreamConfig(
        name=EVENTS_STREAM,
        description="Domain events of the Wvggz platform (transport, not the record)",
        subjects=[EVENTS_ALL],
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
    wanted = events_stream_config(max_age_s, duplicate_window_s)
    try:
        await js.stream_info(EVENTS_STREAM)
    except NotFoundError:
        info = await js.add_stream(wanted)
    else:
        info = await js.update_stream(wanted)
    return info.config
