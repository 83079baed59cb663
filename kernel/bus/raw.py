"""Messages reach our handlers as raw bytes: the kernel validates them, not FastStream."""

from __future__ import annotations

from typing import Annotated, Any

from faststream._internal.context import Context
from faststream.nats.message import NatsMessage


async def raw_body(msg: Any) -> bytes:
    """A FastStream decoder that leaves the body as received.

    FastStream would otherwise parse every body with `json.loads` before the handler runs: a
    second parse of what pydantic validates anyway, one that crashes on deeply nested JSON
    (leaving the request unanswered) and logs the input of a body it cannot decode.
    """
    body: bytes = msg.body
    return body


class _InLoop(Context):
    """FastStream's context lookup, answered in the event loop.

    fast_depends runs a synchronous `use` in a worker thread, so `faststream.nats.NatsMessage`
    costs every message a thread hop and two wake-ups; this one is awaited where it is asked.
    """

    async def use(self, /, **kwargs: Any) -> dict[str, Any]:  # type: ignore[override]
        return super().use(**kwargs)


Message = Annotated[NatsMessage, _InLoop("message")]
"""The message being handled (raw body, headers, reply subject), for a handler's signature."""
