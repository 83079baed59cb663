"""Composition root of the notificaties service."""

from __future__ import annotations

from faststream.asgi import AsgiFastStream
from pydantic import Field
from wvggz_contracts.events import EventRegistry

from kernel.service import ServiceDefinition, build_app
from kernel.settings import ServiceSettings


class NotificatiesSettings(ServiceSettings):
    """Settings of the notificaties service (WVGGZ_* variables; HTTP port 8105 by default)."""

    service_name: str = "notificaties"
    http_port: int = Field(default=8105, ge=0, le=65535, description="HTTP port.")


DEFINITION = ServiceDefinition(
    name="notificaties",
    title="Wvggz notificaties",
    description="Brieven, afschriften en leveringen aan ketenpartners, met verstrekkingenlog.",
    events=EventRegistry(),
)


def create_app(settings: NotificatiesSettings | None = None) -> AsgiFastStream:
    """Build the notificaties process."""
    return build_app(settings or NotificatiesSettings(), DEFINITION)
