"""Composition root of the meldpunt service."""

from __future__ import annotations

from collections.abc import Sequence

from faststream.asgi import AsgiFastStream
from pydantic import Field
from wvggz_contracts.meldpunt import EVENTS

from kernel.service import CommandBinding, ServiceDefinition, build_app
from kernel.settings import ServiceSettings
from services.meldpunt.domain import COMMANDS, make_decider
from services.meldpunt.handlers import build_router
from services.meldpunt.projections import VIEWS


class MeldpuntSettings(ServiceSettings):
    """Settings of the meldpunt (WVGGZ_* variables; WVGGZ_HTTP_PORT defaults to 8101)."""

    service_name: str = "meldpunt"
    http_port: int = Field(default=8101, ge=0, le=65535, description="HTTP port.")


def commands(settings: ServiceSettings) -> Sequence[CommandBinding]:
    """The meldpunt's commands, decided for the settings' region."""
    decider = make_decider(frozenset(settings.gemeenten))
    return [(decider, spec) for spec in COMMANDS]


DEFINITION = ServiceDefinition(
    name="meldpunt",
    title="Wvggz meldpunt",
    description="Meldingen over personen om wie men zich zorgen maakt, en hun triage.",
    events=EVENTS,
    commands=commands,
    build_router=build_router,
    views=VIEWS,
)


def create_app(settings: MeldpuntSettings | None = None) -> AsgiFastStream:
    """Build the meldpunt process."""
    return build_app(settings or MeldpuntSettings(), DEFINITION)
