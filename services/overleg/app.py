"""Composition root of the overleg service."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from faststream.asgi import AsgiFastStream
from faststream.nats import NatsRouter
from pydantic import Field
from wvggz_contracts.commands import CommandReply
from wvggz_contracts.doorzetting import DOORZETTING_EVENTS, Niveau
from wvggz_contracts.envelope import CloudEvent
from wvggz_contracts.overleg import OVERLEG_EVENTS, kwartaal_van
from wvggz_contracts.rechtstijd import lokale_datum
from wvggz_contracts.subjects import EVENTS_ALL

from kernel.bus.streams import ConsumerSpec
from kernel.deadlines import DeadlineWatcher, DueSignal
from kernel.rules import Rulebook
from kernel.runtime import ServiceRuntime
from kernel.service import ServiceDefinition, utc_now
from kernel.settings import ServiceSettings
from services.overleg import vragen
from services.overleg.cijfers import vragen as cijfervragen
from services.overleg.cijfers.bijhouden import Cijferbron
from services.overleg.cijfers.bron import waarneming
from services.overleg.domain.regels import (
    SIGNALEER_CLIENTENPERSPECTIEF,
    SIGNALEER_OVERLEG,
    make_rulebook,
)
from services.overleg.doorzetting import vragen as doorzettingvragen
from services.overleg.doorzetting.regels import (
    SIGNALEER_STAGNATIE,
    make_escalatie_rulebook,
    make_tafel_rulebook,
)
from services.overleg.doorzetting.stagnatie import due_stagnaties, stagnatie_command
from services.overleg.doorzetting.views import ARCHIEF as ESCALATIE_ARCHIEF
from services.overleg.doorzetting.views import ESCALATIES
from services.overleg.doorzetting.views import VIEWS as DOORZETTING_VIEWS
from services.overleg.projections import REGIO_OVERLEGGEN
from services.overleg.projections import VIEWS as OVERLEG_VIEWS
from services.overleg.signalen import (
    CLIENTENPERSPECTIEF_ONTBREEKT,
    OVERLEG_ONTBREEKT,
    due_signalen,
    signaal_payload,
)

EVENTS = OVERLEG_EVENTS.merged(DOORZETTING_EVENTS)

KENGETALLEN = ConsumerSpec(
    "overleg-kengetallen",
    EVENTS_ALL,
    "Houdt uit de gebeurtenissen van de procedures de feiten bij waaruit het regio-overleg zijn"
    " beleidscijfers berekent (zonder persoonsgegevens).",
)


class OverlegSettings(ServiceSettings):
    """Settings of the overleg service (WVGGZ_* variables; WVGGZ_HTTP_PORT defaults to 8104)."""

    service_name: str = "overleg"
    http_port: int = Field(default=8104, ge=0, le=65535, description="HTTP port.")
    overleg_planning_dagen: int = Field(
        default=14,
        ge=0,
        le=90,
        description="Days into a quarter by which a meeting must be planned in it; later, the"
        " overleg is signalled (art. 8:31: at least once every three months).",
    )
    clientenperspectief_maand: int = Field(
        default=10,
        ge=1,
        le=12,
        description="From the first of this month, a year with no meeting that invites the"
        " client and family organisations is signalled.",
    )
    escalatie_signaal_dagen: float = Field(
        default=14,
        gt=0,
        description="Days an escalation may stay on one level of the ladder before it is"
        " signalled as standing still.",
    )
    afschrift_tijdig_uren: float = Field(
        default=24,
        gt=0,
        description="Hours within which an afschrift of a crisis decision counts as sent on time.",
    )
    uren_per_horen: float = Field(
        default=2, gt=0, description="Hours one hearing takes, incl. travel (seed 001 §4.6)."
    )
    tarief_horen: float = Field(default=76.80, ge=0, description="Euro per hour of hearing.")
    tarief_ggz_consultatie: float = Field(
        default=98.85, ge=0, description="Euro per hour of GGZ consultation in a VO."
    )
    tarief_secretarieel: float = Field(
        default=40.0, ge=0, description="Euro per hour of the overleg's secretarial support."
    )
    tarief_beleidsmatig: float = Field(
        default=50.0, ge=0, description="Euro per hour of the overleg's policy support."
    )


def rulebooks(settings: OverlegSettings) -> Sequence[Rulebook[Any]]:
    """The regio-overleg, the tables directory and the escalations, for the region."""
    regio = frozenset(settings.gemeenten)
    return (make_rulebook(regio), make_tafel_rulebook(regio), make_escalatie_rulebook(regio))


def cijferbron(runtime: ServiceRuntime[Any]) -> Cijferbron:
    """The figures' observations and cases, composed once per process."""
    if "cijfers" not in runtime.parts:
        settings = runtime.settings
        path = settings.data_dir / settings.service_name / "waarnemingen.db"
        runtime.parts["cijfers"] = Cijferbron(path)
    return runtime.parts["cijfers"]  # type: ignore[no-any-return]


def _router(runtime: ServiceRuntime[OverlegSettings]) -> NatsRouter:
    router = NatsRouter()
    bron = cijferbron(runtime)

    @runtime.consume(router, KENGETALLEN, description=KENGETALLEN.description or "")
    async def waarneem(event: CloudEvent) -> None:
        found = waarneming(
            str(event.id), event.type, str(event.subject), event.gemeente, event.time, event.data
        )
        if found is not None:
            bron.neem_op(found)

    def escalaties(kwartaal: str) -> tuple[Sequence[str], list[tuple[str, str]]]:
        geteld = [
            (row.gemeente, row.niveau.value)
            for row in runtime.views.rows(ESCALATIES)
            if kwartaal_van(lokale_datum(row.niveaus[0].sinds)) == kwartaal
        ]
        return [n.value for n in Niveau], geteld

    vragen.serve(router, runtime)
    cijfervragen.serve(router, runtime, bron, escalaties)
    doorzettingvragen.serve(router, runtime)
    return router


def _watcher(runtime: ServiceRuntime[OverlegSettings]) -> DeadlineWatcher:
    """Signals a quarter without a planned meeting, a year without the clients' perspective, and
    an escalation standing still on its level."""
    settings = runtime.settings
    bindings = {
        spec.name: (rulebook.decider, spec)
        for rulebook in rulebooks(settings)
        for spec in rulebook.specs
    }
    commands = {
        OVERLEG_ONTBREEKT: SIGNALEER_OVERLEG,
        CLIENTENPERSPECTIEF_ONTBREEKT: SIGNALEER_CLIENTENPERSPECTIEF,
        SIGNALEER_STAGNATIE: SIGNALEER_STAGNATIE,
    }

    async def due(now: datetime) -> list[DueSignal]:
        return [
            *due_signalen(
                runtime.views.rows(REGIO_OVERLEGGEN),
                now,
                planning_dagen=settings.overleg_planning_dagen,
                clienten_maand=settings.clientenperspectief_maand,
            ),
            *due_stagnaties(runtime.views.rows(ESCALATIES), now, settings.escalatie_signaal_dagen),
        ]

    async def send(signal: DueSignal) -> CommandReply:
        payload = (
            stagnatie_command(signal)
            if signal.signal == SIGNALEER_STAGNATIE
            else signaal_payload(signal)
        )
        decider, spec = bindings[commands[signal.signal]]
        body = {"command_id": str(signal.command_id), "payload": payload}
        return await runtime.pipeline.handle(
            decider, spec, body, runtime.system_actor(signal.gemeente)
        )

    return DeadlineWatcher(due, send, runtime.clock, interval=settings.deadline_interval_s)


DEFINITION = ServiceDefinition(
    settings=OverlegSettings,
    name="overleg",
    title="Wvggz overleg",
    description="Periodiek regio-overleg (art. 8:31), beleidscijfers en regionale"
    " doorzettingsmacht.",
    events=EVENTS,
    rulebooks=rulebooks,
    queries=(*vragen.QUERIES, *cijfervragen.QUERIES, *doorzettingvragen.QUERIES),
    build_router=_router,
    views=lambda _settings: (*OVERLEG_VIEWS, *DOORZETTING_VIEWS),
    deadlines=_watcher,
    event_consumers=(KENGETALLEN,),
    archief=ESCALATIE_ARCHIEF,
)


def create_app(
    settings: OverlegSettings | None = None, *, clock: Callable[[], datetime] = utc_now
) -> AsgiFastStream:
    """Build the overleg process."""
    return DEFINITION.build(settings, clock=clock)
