"""A store subscription that hands over, at once, every event that is ready."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from kernel.background import cancel_and_wait
from kernel.eventstore.port import EventStore, RecordedEvent


async def subscribe_batches(
    store: EventStore, after_position: int, max_size: int = 256
) -> AsyncIterator[list[RecordedEvent]]:
    """Catch up, then follow live, in batches of whatever arrived meanwhile (at most max_size)."""
    ready: asyncio.Queue[RecordedEvent | BaseException] = asyncio.Queue(maxsize=max_size * 4)

    async def feed() -> None:
        try:
            async for event in store.subscribe(after_position):
                await ready.put(event)
        except Exception as failure:  # handed to the consumer, which raises it
            await ready.put(failure)

    feeder = asyncio.create_task(feed(), name="subscription-feed")
    try:
        while True:
            items = [await ready.get()]
            while len(items) < max_size and not ready.empty():
                items.append(ready.get_nowait())
            batch: list[RecordedEvent] = []
            for item in items:
                if isinstance(item, BaseException):
                    raise item
                batch.append(item)
            yield batch
    finally:
        await cancel_and_wait(feeder)
