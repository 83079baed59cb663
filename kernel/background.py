"""A loop that runs beside the service's handlers: started, watched for health, stopped."""

from __future__ import annotations

import abc
import asyncio
import contextlib
import logging

from kernel.logsafe import describe

log = logging.getLogger(__name__)


async def cancel_and_wait(task: asyncio.Task[None]) -> None:
    """Cancel a task and wait until it has ended.

    Python 3.11's `asyncio.wait_for` can swallow a cancellation that races the event it waits
    for (an append waking a subscription), so the cancellation is repeated until it takes.
    """
    while not task.done():
        task.cancel()
        await asyncio.wait([task], timeout=0.1)
    with contextlib.suppress(asyncio.CancelledError):
        task.result()


class BackgroundLoop(abc.ABC):
    """Subclasses write `_run`; stopping cancels it, and state saved so far is kept."""

    _task: asyncio.Task[None] | None = None
    _backing_off: bool = False
    restart_delays: tuple[float, ...] = (0.5, 1.0, 2.0, 5.0, 10.0)

    def start(self) -> None:
        """Run in the background until stopped; an unexpected failure restarts the loop."""
        self._task = asyncio.create_task(self._supervise(), name=type(self).__name__)

    async def _supervise(self) -> None:
        failures = 0
        while True:
            try:
                await self._run()
                return
            except Exception as failure:
                delay = self.restart_delays[min(failures, len(self.restart_delays) - 1)]
                name = type(self).__name__
                log.error("%s failed (%s); restarting in %.1f s", name, describe(failure), delay)
                failures += 1
                self._backing_off = True
                await asyncio.sleep(delay)
                self._backing_off = False

    @property
    def running(self) -> bool:
        """Whether the loop is alive and not waiting to restart after a failure (readiness)."""
        return self._task is not None and not self._task.done() and not self._backing_off

    async def stop(self) -> None:
        """Cancel the loop and wait until it has ended."""
        if self._task is not None:
            await cancel_and_wait(self._task)

    @abc.abstractmethod
    async def _run(self) -> None:
        """The loop itself."""
