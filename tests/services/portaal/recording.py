"""The bus's edge for portaal tests: services that answer as prepared."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from services.portaal.gateway import Gateway
from services.portaal.settings import PortaalSettings


class RecordingGateway(Gateway):
    """The bus's edge: records each request and answers with the next prepared reply."""

    def __init__(self) -> None:
        super().__init__(PortaalSettings())
        self.sent: list[tuple[str, dict[str, Any], str]] = []
        self.replies: list[dict[str, Any]] = []
        self.acting: list[dict[str, str]] = []

    async def start(self) -> None:
        """Nothing to connect."""

    async def stop(self) -> None:
        """Nothing to close."""

    @property
    def connected(self) -> bool:
        return True

    async def ask(
        self,
        subject: str,
        body: dict[str, Any],
        token: str,
        acting: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        self.sent.append((subject, body, token))
        self.acting.append(dict(acting or {}))
        return self.replies.pop(0)
