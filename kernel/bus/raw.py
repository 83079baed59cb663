"""Messages reach our handlers as raw bytes: the kernel validates them, not FastStream."""

from __future__ import annotations

from typing import Any


async def raw_body(msg: Any) -> bytes:
    """A FastStream decoder that leaves the body as received.

    FastStream would otherwise parse every body with `json.loads` before the handler runs: a
    second parse of what pydantic validates anyway, one that crashes on deeply nested JSON
    (leaving the request unanswered) and logs the input of a body it cannot decode.
    """
    body: bytes = msg.body
    return body
