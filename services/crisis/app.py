"""Composition root of the crisis service."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from faststream.asgi import AsgiFastStream
from faststream.nats import NatsRouter
from pydantic import Field
from wvggz_contracts.crisis import EVENTS, StartCrisisUitTriage
from wvggz_contracts.meldpunt import TriageAfgerond
from wvggz_contracts.rechtstijd import met_gelijkgestelde_dagen

from kernel.ops import Termijn
from kernel.policies import Policy
from kernel.rules import Rulebook
from kernel.runtime import ServiceRuntime
from kernel.service import ServiceDefinition, utc_now
from kernel.settings import ServiceSettings
from services.crisis.besluitstukken import BESLUITSTUKKEN
from services.crisis.domain import (
    Crisis,
    Termijnregels,
    make_mandaat_rulebook,
    make_rulebook,
    start_uit_triage_van,
)
from services.crisis.handlers import (
    EINDE_WAARSCHUWING_VOOR,
    QUERIES,
    build_router,
    deadline_watcher,
)
from services.crisis.projections import ARCHIEF, OPEN_CRISES, VIEWS


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
        default=True,
        description="Apply the Algemene termijnenwet to the day terms (CM, the court's terms).",
    )
    cm_atw_einde_op_werkdag: bool = Field(
        default=True,
        description="Atw art. 1: a term ending on a Saturday, Sunday or holiday runs to the end "
        "of the next working day.",
    )
    cm_gelijkgestelde_dagen: tuple[date, ...] = Field(
        default=(),
        description="Days equated to public holidays by royal decree (Atw art. 3 lid 3, e.g. a "
        'bridging day), as a JSON list: ["2026-05-15"].',
    )


def termijnregels(settings: CrisisSettings) -> Termijnregels:
    """The term rules configured by the settings, with the days equated by royal decree."""
    return Termijnregels(
        dagen_cm=settings.cm_dagen,
        min_werkdagen=settings.cm_min_werkdagen,
        atw_toepassen=settings.cm_atw_toepassen,
        einde_op_werkdag=settings.cm_atw_einde_op_werkdag,
        feestdagen=met_gelijkgestelde_dagen(settings.cm_gelijkgestelde_dagen),
    )


def crisis_rulebook(settings: CrisisSettings) -> Rulebook[Crisis]:
    """The crisis rules configured by the settings."""
    return make_rulebook(
        frozenset(settings.gemeenten),
        besluit_binnen=timedelta(hours=settings.cm_besluit_binnen_uren),
        waarschuwing_na=timedelta(hours=settings.cm_waarschuwing_na_uren),
        termijnregels=termijnregels(settings),
    )


def rulebooks(settings: CrisisSettings) -> Sequence[Rulebook[Any]]:
    """The crisis cases and the gemeenten's mandate registers."""
    return (crisis_rulebook(settings), make_mandaat_rulebook(frozenset(settings.gemeenten)))


def router(runtime: ServiceRuntime[CrisisSettings]) -> NatsRouter:
    """Mandate look-ups and queries."""
    return build_router(runtime, make_mandaat_rulebook(frozenset(runtime.settings.gemeenten)))


TRIAGE = Policy(
    durable="crisis-triage",
    event=TriageAfgerond,
    command=StartCrisisUitTriage,
    translate=start_uit_triage_van,
    description="Start een crisiszaak als de triage van het meldpunt 'crisis' besloot.",
)


def termijnen(runtime: ServiceRuntime[CrisisSettings]) -> Iterator[Termijn]:
    """The burgemeester's 18 hours to decide (warned when the service signals it), then the
    measure's end (warned 24 h before)."""
    for row in runtime.views.rows(OPEN_CRISES):
        if not row.besloten and row.besluit_uiterlijk is not None:
            yield Termijn(
                "crisis-besluit",
                row.gemeente,
                row.besluit_uiterlijk,
                zaak=str(row.crisis_id),
                waarschuwing=row.waarschuwing_op,
            )
        elif row.besloten and row.eindigt_op is not None:
            yield Termijn(
                "crisismaatregel-einde",
                row.gemeente,
                row.eindigt_op,
                zaak=str(row.crisis_id),
                waarschuwing=row.eindigt_op - EINDE_WAARSCHUWING_VOOR,
            )


DEFINITION = ServiceDefinition(
    settings=CrisisSettings,
    name="crisis",
    title="Wvggz crisis",
    description="Crisismaatregel: medische verklaring, horen, besluit, afschriften, termijnen.",
    events=EVENTS,
    rulebooks=rulebooks,
    queries=QUERIES,
    build_router=router,
    views=lambda _settings: (*VIEWS, BESLUITSTUKKEN),
    deadlines=lambda runtime: deadline_watcher(runtime, crisis_rulebook(runtime.settings)),
    policies=(TRIAGE,),
    termijnen=termijnen,
    archief=ARCHIEF,
)


def create_app(
    settings: CrisisSettings | None = None, *, clock: Callable[[], datetime] = utc_now
) -> AsgiFastStream:
    """Build the crisis process."""
    return DEFINITION.build(settings, clock=clock)
