"""Composition root of the crisis service."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from faststream.asgi import AsgiFastStream
from faststream.nats import NatsRouter
from pydantic import Field
from wvggz_contracts.crisis import EVENTS, StartCrisisUitTriage
from wvggz_contracts.meldpunt import TriageAfgerond

from kernel.decider import Decider
from kernel.policies import Policy
from kernel.service import CommandBinding, ServiceDefinition, ServiceRuntime, utc_now
from kernel.settings import ServiceSettings
from services.crisis.domain import (
    COMMANDS,
    MANDAAT_COMMANDS,
    Crisis,
    Termijnregels,
    make_decider,
    make_mandaat_decider,
)
from services.crisis.domain.start import start_uit_triage_van
from services.crisis.handlers import build_router, deadline_watcher
from services.crisis.projections import VIEWS


class CrisisSettings(ServiceSettings):
    """Settings of the crisis service (WVGGZ_* variables; HTTP port 8103 by default)."""

    service_name: str = "crisis"
    http_port: int = Field(default=8103, ge=0, le=65535, description="HTTP port.")
    cm_besluit_binnen_uren: float = Field(
        default=18, gt=0, description="Hours from the crisis melding within which to decide."
    )
    cm_waarschuwing_na_uren: float = Field(
        default=12, gt=0, description="Hours from the crisis melding at which staff are warned."
    )
    cm_dagen: int = Field(default=3, ge=1, description="Days a crisismaatregel lasts.")
    cm_min_werkdagen: int = Field(
        default=2, ge=0, description="Working days a term must include (Algemene termijnenwet)."
    )
    cm_atw_toepassen: bool = Field(
        default=True, description="Apply the Algemene termijnenwet extension to the CM term."
    )


def crisis_decider(settings: ServiceSettings) -> Decider[Crisis]:
    """The crisis decider configured by the settings."""
    own = settings if isinstance(settings, CrisisSettings) else CrisisSettings.model_construct()
    return make_decider(
        frozenset(settings.gemeenten),
        besluit_binnen=timedelta(hours=own.cm_besluit_binnen_uren),
        waarschuwing_na=timedelta(hours=own.cm_waarschuwing_na_uren),
        termijnregels=Termijnregels(
            dagen_cm=own.cm_dagen,
            min_werkdagen=own.cm_min_werkdagen,
            atw_toepassen=own.cm_atw_toepassen,
        ),
    )


def commands(settings: ServiceSettings) -> Sequence[CommandBinding]:
    """The crisis commands and those of the mandate register."""
    crisis = crisis_decider(settings)
    mandaten = make_mandaat_decider(frozenset(settings.gemeenten))
    return [(crisis, spec) for spec in COMMANDS] + [(mandaten, s) for s in MANDAAT_COMMANDS]


def router(runtime: ServiceRuntime) -> NatsRouter:
    """Consumer, mandate look-ups and queries."""
    settings = runtime.settings
    return build_router(
        runtime, crisis_decider(settings), make_mandaat_decider(frozenset(settings.gemeenten))
    )


TRIAGE = Policy(
    durable="crisis-triage",
    event=TriageAfgerond,
    command=StartCrisisUitTriage,
    translate=start_uit_triage_van,
    description="Start een crisiszaak als de triage van het meldpunt 'crisis' besloot.",
)

DEFINITION = ServiceDefinition(
    settings=CrisisSettings,
    name="crisis",
    title="Wvggz crisis",
    description="Crisismaatregel: medische verklaring, horen, besluit, afschriften, termijnen.",
    events=EVENTS,
    commands=commands,
    build_router=router,
    views=lambda _settings: VIEWS,
    deadlines=lambda runtime: deadline_watcher(runtime, crisis_decider(runtime.settings)),
    policies=(TRIAGE,),
)


def create_app(
    settings: CrisisSettings | None = None, *, clock: Callable[[], datetime] = utc_now
) -> AsgiFastStream:
    """Build the crisis process."""
    return DEFINITION.build(settings, clock=clock)
