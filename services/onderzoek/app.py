"""Composition root of the onderzoek service."""

from __future__ import annotations

from faststream.asgi import AsgiFastStream
from pydantic import Field
from wvggz_contracts.events import EventRegistry

from kernel.service import ServiceDefinition, build_app
from kernel.settings import ServiceSettings


class OnderzoekSettings(ServiceSettings):
    """Settings of the onderzoek service (WVGGZ_* variables; WVGGZ_HTTP_PORT defaults to 8102)."""

    service_name: str = "onderzoek"
    http_port: int = Field(default=8102, ge=0, le=65535, description="HTTP port.")


DEFINITION = ServiceDefinition(
    name="onderzoek",
    title="Wvggz onderzoek",
    description="Verkennend onderzoek (VO) en aanvraag aan de officier van justitie.",
    events=EventRegistry(),
)


def create_app(settings: OnderzoekSettings | None = None) -> AsgiFastStream:
    """Build the onderzoek process."""
    return build_app(settings or OnderzoekSettings(), DEFINITION)
