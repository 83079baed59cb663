"""Composition root of the overleg service."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from faststream.asgi import AsgiFastStream
from pydantic import Field
from wvggz_contracts.events import EventRegistry

from kernel.service import ServiceDefinition, utc_now
from kernel.settings import ServiceSettings


class OverlegSettings(ServiceSettings):
    """Settings of the overleg service (WVGGZ_* variables; WVGGZ_HTTP_PORT defaults to 8104)."""

    service_name: str = "overleg"
    http_port: int = Field(default=8104, ge=0, le=65535, description="HTTP port.")


DEFINITION = ServiceDefinition(
    settings=OverlegSettings,
    name="overleg",
    title="Wvggz overleg",
    description="Periodiek regio-overleg (art. 8:31) en regionale doorzettingsmacht.",
    events=EventRegistry(),
)


def create_app(
    settings: OverlegSettings | None = None, *, clock: Callable[[], datetime] = utc_now
) -> AsgiFastStream:
    """Build the overleg process."""
    return DEFINITION.build(settings, clock=clock)
