"""Composition root of the crisis service."""

from __future__ import annotations

from faststream.asgi import AsgiFastStream
from pydantic import Field
from wvggz_contracts.events import EventRegistry

from kernel.service import ServiceDefinition, build_app
from kernel.settings import ServiceSettings


class CrisisSettings(ServiceSettings):
    """Settings of the crisis service (WVGGZ_* variables; WVGGZ_HTTP_PORT defaults to 8103)."""

    service_name: str = "crisis"
    http_port: int = Field(default=8103, ge=0, le=65535, description="HTTP port.")


DEFINITION = ServiceDefinition(
    name="crisis",
    title="Wvggz crisis",
    description="Crisismaatregel: medische verklaring, horen, besluit, afschriften, termijnen.",
    events=EventRegistry(),
)


def create_app(settings: CrisisSettings | None = None) -> AsgiFastStream:
    """Build the crisis process."""
    return build_app(settings or CrisisSettings(), DEFINITION)
