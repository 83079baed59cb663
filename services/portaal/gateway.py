"""The portaal's one way to the services: a command or query over NATS with the caller's token."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

import nats
from nats.aio.client import Client as Nats
from nats.errors import Error as NatsError
from wvggz_contracts.commands import AUTHORIZATION_HEADER, GEMEENTE_HEADER, ROL_HEADER, ErrorCode

from kernel.bus.connection import connect_options
from services.portaal.settings import PortaalSettings

log = logging.getLogger(__name__)

UNAVAILABLE: dict[str, Any] = {
    "ok": False,
    "error": {"code": ErrorCode.UNAVAILABLE.value, "message": "de dienst is nu niet bereikbaar"},
}


ACTING_HEADERS = (ROL_HEADER, GEMEENTE_HEADER)
"""Headers a caller with several roles or gemeenten chooses with; passed on as they are."""


class Gateway:
    """Sends requests as the user whose access token it passes on; decides nothing itself."""

    def __init__(self, settings: PortaalSettings) -> None:
        self.settings = settings
        self.nc: Nats | None = None

    async def start(self) -> None:
        """Connect to the bus."""
        self.nc = await nats.connect(**connect_options(self.settings, "wvggz-portaal"))

    async def stop(self) -> None:
        """Let requests in flight finish, then disconnect."""
        if self.nc is not None:
            await self.nc.drain()

    @property
    def connected(self) -> bool:
        """Whether requests can go out now."""
        return self.nc is not None and self.nc.is_connected

    async def ask(
        self,
        subject: str,
        body: dict[str, Any],
        token: str,
        acting: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        """The service's reply (a CommandReply or QueryReply as JSON), or `unavailable`.
        `acting`: the role and gemeente headers a user with several chose, passed on."""
        if self.nc is None:
            return UNAVAILABLE
        try:
            reply = await self.nc.request(
                subject,
                json.dumps(body).encode(),
                timeout=self.settings.request_timeout_s,
                headers={**(acting or {}), AUTHORIZATION_HEADER: f"Bearer {token}"},
            )
        except (NatsError, TimeoutError) as failure:
            log.warning("no answer on %s (%s)", subject, type(failure).__name__)
            return UNAVAILABLE
        answer: dict[str, Any] = json.loads(reply.data)
        return answer
