"""Composition root of the onderzoek service."""

from __future__ import annotations

from collections.abc import Sequence

from faststream.asgi import AsgiFastStream
from pydantic import Field
from wvggz_contracts.onderzoek import EVENTS

from kernel.decider import Decider
from kernel.service import CommandBinding, ServiceDefinition, build_app
from kernel.settings import ServiceSettings
from services.onderzoek.domain import (
    COMMANDS,
    VOORWAARDEN_COMMANDS,
    Onderzoek,
    make_decider,
    make_voorwaarden_decider,
)
from services.onderzoek.handlers import TRIAGE, build_router, deadline_watcher
from services.onderzoek.projections import VIEWS


class OnderzoekSettings(ServiceSettings):
    """Settings of the onderzoek service (WVGGZ_* variables; HTTP port 8102 by default)."""

    service_name: str = "onderzoek"
    http_port: int = Field(default=8102, ge=0, le=65535, description="HTTP port.")
    vo_termijn_dagen: int = Field(
        default=14, ge=1, description="Days from the melding within which the VO must conclude."
    )
    vo_waarschuwing_dagen: int = Field(
        default=10, ge=0, description="Days from the melding at which staff are warned."
    )
    ggz_budget_uren: float = Field(
        default=2.0, gt=0, description="GGZ consultation hours per VO before a motivation."
    )


def vo_decider(settings: ServiceSettings) -> Decider[Onderzoek]:
    """The VO decider configured by the settings."""
    extra = settings if isinstance(settings, OnderzoekSettings) else OnderzoekSettings()
    return make_decider(
        frozenset(settings.gemeenten),
        termijn_dagen=extra.vo_termijn_dagen,
        waarschuwing_dagen=extra.vo_waarschuwing_dagen,
        ggz_budget_uren=extra.ggz_budget_uren,
    )


def commands(settings: ServiceSettings) -> Sequence[CommandBinding]:
    """The VO commands and those of the essentiële voorwaarden."""
    vo = vo_decider(settings)
    voorwaarden = make_voorwaarden_decider(frozenset(settings.gemeenten))
    return [(vo, spec) for spec in COMMANDS] + [(voorwaarden, s) for s in VOORWAARDEN_COMMANDS]


DEFINITION = ServiceDefinition(
    name="onderzoek",
    title="Wvggz onderzoek",
    description="Verkennend onderzoek (VO) en aanvraag aan de officier van justitie.",
    events=EVENTS,
    commands=commands,
    build_router=lambda runtime: build_router(runtime, vo_decider(runtime.settings)),
    views=lambda _settings: VIEWS,
    deadlines=lambda runtime: deadline_watcher(runtime, vo_decider(runtime.settings)),
    consumers=(TRIAGE,),
)


def create_app(settings: OnderzoekSettings | None = None) -> AsgiFastStream:
    """Build the onderzoek process."""
    return build_app(settings or OnderzoekSettings(), DEFINITION)
