"""A loop that runs beside the service's handlers: started, watched for health, stopped."""

from __future__ import annotations

import abc
import asyncio
import contextlib


class BackgroundLoop(abc.ABC):
    """Subclasses write `_run`; stopping cancels it, and state saved so far is kept."""

    _task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Run in the background until stopped."""
        self._task = asyncio.create_task(self._run(), name=type(self).__name__)

    @property
    def running(self) -> bool:
        """Whether the loop is alive (readiness reports it)."""
        return self._task is not None and not self._task.done()

    async def stop(self) -> None:
        """Cancel the loop and wait until it has ended."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    @abc.abstractmethod
    async def _run(self) -> None:
        """The loop itself."""
