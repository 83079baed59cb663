"""Child process for the atomicity test: appends large batches until it is killed."""

import asyncio
import sys
import uuid

from kernel.eventstore import NO_STREAM, NewEvent
from kernel.eventstore.factory import open_store


async def main(url: str, prefix: str, batch: int) -> None:
    store = open_store(url)
    print("appending", flush=True)
    for n in range(1_000_000):
        events = [
            NewEvent(uuid.uuid4(), "nl.wvggz.test.iets-gebeurd.v1", {"n": i, "pad": "x" * 200})
            for i in range(batch)
        ]
        await store.append(f"{prefix}-{n}", events, NO_STREAM)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
