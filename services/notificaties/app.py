"""Composition root of the notificaties service."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from faststream.asgi import AsgiFastStream
from pydantic import Field
from wvggz_contracts.crisis import EVENTS as CRISIS_EVENTS
from wvggz_contracts.meldpunt import EVENTS as MELDPUNT_EVENTS
from wvggz_contracts.notificaties import EVENTS
from wvggz_contracts.onderzoek import EVENTS as ONDERZOEK_EVENTS

from kernel.service import ServiceDefinition, utc_now
from kernel.settings import ServiceSettings
from services.notificaties.domain.regels import make_rulebook

PUBLISHED = frozenset([*MELDPUNT_EVENTS.models, *ONDERZOEK_EVENTS.models, *CRISIS_EVENTS.models])
"""The event types of the procedures, which partners may subscribe to."""


class NotificatiesSettings(ServiceSettings):
    """Settings of the notificaties service (WVGGZ_* variables; HTTP port 8105 by default)."""

    service_name: str = "notificaties"
    http_port: int = Field(default=8105, ge=0, le=65535, description="HTTP port.")


DEFINITION = ServiceDefinition(
    settings=NotificatiesSettings,
    name="notificaties",
    title="Wvggz notificaties",
    description="Brieven, afschriften en leveringen aan ketenpartners, met verstrekkingenlog.",
    events=EVENTS,
    rulebooks=lambda settings: (make_rulebook(frozenset(settings.gemeenten), PUBLISHED),),
)


def create_app(
    settings: NotificatiesSettings | None = None, *, clock: Callable[[], datetime] = utc_now
) -> AsgiFastStream:
    """Build the notificaties process."""
    return DEFINITION.build(settings, clock=clock)
