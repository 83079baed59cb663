"""Composition root of the onderzoek service."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from faststream.asgi import AsgiFastStream
from pydantic import Field
from wvggz_contracts.meldpunt import TriageAfgerond
from wvggz_contracts.onderzoek import EVENTS, OpenVerkennendOnderzoek

from kernel.ops import Termijn
from kernel.policies import Policy
from kernel.rules import Rulebook
from kernel.runtime import ServiceRuntime
from kernel.service import ServiceDefinition, utc_now
from kernel.settings import ServiceSettings
from services.onderzoek.domain import (
    Onderzoek,
    make_rulebook,
    make_voorwaarden_rulebook,
    open_uit_triage,
)
from services.onderzoek.handlers import QUERIES, build_router, deadline_watcher
from services.onderzoek.projections import ARCHIEF, VIEWS, WERKVOORRAAD


class OnderzoekSettings(ServiceSettings):
    """Settings of the onderzoek service (WVGGZ_* variables; HTTP port 8102 by default)."""

    service_name: str = "onderzoek"
    http_port: int = Field(default=8102, ge=0, le=65535, description="HTTP port.")
    vo_waarschuwing_dagen: int = Field(
        default=10,
        ge=0,
        description="Days from the melding at which staff are warned (at the latest at the "
        "VO's deadline, which the meldpunt sets).",
    )
    ggz_budget_uren: float = Field(
        default=2.0, gt=0, description="GGZ consultation hours per VO before a motivation."
    )


def vo_rulebook(settings: OnderzoekSettings) -> Rulebook[Onderzoek]:
    """The VO's rules configured by the settings."""
    return make_rulebook(
        frozenset(settings.gemeenten),
        waarschuwing_dagen=settings.vo_waarschuwing_dagen,
        ggz_budget_uren=settings.ggz_budget_uren,
    )


def rulebooks(settings: OnderzoekSettings) -> Sequence[Rulebook[Any]]:
    """The VO's rules and those of the essentiële voorwaarden."""
    return (vo_rulebook(settings), make_voorwaarden_rulebook(frozenset(settings.gemeenten)))


TRIAGE = Policy(
    durable="onderzoek-triage",
    event=TriageAfgerond,
    command=OpenVerkennendOnderzoek,
    translate=open_uit_triage,
    description="Opent een verkennend onderzoek als de triage daartoe besloot.",
)


def termijnen(runtime: ServiceRuntime[OnderzoekSettings]) -> Iterable[Termijn]:
    """The decision term of every open VO, with the warning moment the service signals."""
    return (
        Termijn(
            "vo-besluit",
            row.gemeente,
            row.deadline,
            zaak=str(row.vo_id),
            waarschuwing=row.waarschuwing_op,
        )
        for row in runtime.views.rows(WERKVOORRAAD)
    )


DEFINITION = ServiceDefinition(
    settings=OnderzoekSettings,
    name="onderzoek",
    title="Wvggz onderzoek",
    description="Verkennend onderzoek (VO) en aanvraag aan de officier van justitie.",
    events=EVENTS,
    rulebooks=rulebooks,
    queries=QUERIES,
    build_router=build_router,
    views=lambda _settings: VIEWS,
    deadlines=lambda runtime: deadline_watcher(runtime, vo_rulebook(runtime.settings)),
    policies=(TRIAGE,),
    termijnen=termijnen,
    archief=ARCHIEF,
)


def create_app(
    settings: OnderzoekSettings | None = None, *, clock: Callable[[], datetime] = utc_now
) -> AsgiFastStream:
    """Build the onderzoek process."""
    return DEFINITION.build(settings, clock=clock)
