"""The crisis service's NATS router: mandate look-ups, queries, deadlines."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from faststream.nats import NatsRouter
from pydantic import BaseModel, ConfigDict
from wvggz_contracts.commands import Actor, CommandReply, ErrorCode, Rol
from wvggz_contracts.crisis import MandaatBewijs, NeemBesluit

from kernel.deadlines import DeadlineWatcher, DueSignal
from kernel.decider import Command, DomainError
from kernel.projection import ViewStore
from kernel.queries import Inzage, NoParams, QuerySpec, stoplicht, time_left
from kernel.rules import Rulebook
from kernel.runtime import ServiceRuntime
from services.crisis.besluitstukken import BESLISSERS, BESLUITSTUKKEN, PSYCHIATERS
from services.crisis.domain import (
    HOORMANDAAT,
    LOCO_REGISTRATIE,
    Crisis,
    Mandaatregister,
    Termijnstand,
    mandaat_id_for,
    te_signaleren,
)
from services.crisis.domain.mandaat import Hoorbevoegdheid
from services.crisis.projections import DOSSIERS, OPEN_CRISES

if TYPE_CHECKING:  # the app imports this module to build its router
    from services.crisis.app import CrisisSettings

LEZERS = frozenset(
    {
        Rol.CRISISDIENST,
        Rol.PSYCHIATER,
        Rol.HOORDER,
        Rol.BURGEMEESTER,
        Rol.LOCO_BURGEMEESTER,
        Rol.FUNCTIONEEL_BEHEER,
    }
)
"""Roles that may read the open crises and their dossiers."""

EINDE_WAARSCHUWING_VOOR = timedelta(hours=24)
"""A measure's end warns this long before: time to ask for a voortzetting."""


class DossierVraag(BaseModel):
    """Params of the dossier query."""

    model_config = ConfigDict(extra="forbid")

    crisis_id: UUID


OPEN_CRISES_VRAAG = QuerySpec(
    "open-crises",
    NoParams,
    "Open crisiszaken van de eigen gemeente met de uren tot besluit of einde.",
    rollen=LEZERS,
    wat="de crisiszaken",
    resource="crisiszaken",
    filters=("stoplicht", "wacht_op", "crisis_id"),
)

DOSSIER_VRAAG = QuerySpec(
    "dossier",
    DossierVraag,
    "Wie deed wat en wanneer in één crisiszaak.",
    rollen=LEZERS,
    wat="de crisiszaken",
    resource="crisiszaken",
    item="crisis_id",
)
BESLUITSTUKKEN_VRAAG = QuerySpec(
    "besluitstukken",
    DossierVraag,
    "De ondertekende medische verklaring, het horen en het integraal advies van één crisiszaak,"
    " met de uren tot het besluit uiterlijk moet vallen.",
    rollen=BESLISSERS,
    wat="de stukken voor het besluit",
    resource="crisiszaken",
    item="crisis_id",
    sub="besluitstukken",
)
VERKLARING_VRAAG = QuerySpec(
    "medische-verklaring",
    DossierVraag,
    "De medische verklaring zoals laatst opgesteld, met haar id: wat de psychiater ondertekent.",
    rollen=PSYCHIATERS,
    wat="de medische verklaring",
    resource="crisiszaken",
    item="crisis_id",
    sub="medische-verklaring",
)
QUERIES = (OPEN_CRISES_VRAAG, DOSSIER_VRAAG, BESLUITSTUKKEN_VRAAG, VERKLARING_VRAAG)
"""The queries this service answers."""


def build_router(
    runtime: ServiceRuntime[CrisisSettings], mandaten: Rulebook[Mandaatregister]
) -> NatsRouter:
    """The mandate look-ups and the queries of the crisis service."""
    router = NatsRouter()
    registry = runtime.pipeline.registry
    register = mandaten.decider

    async def register_of(gemeente: str) -> Mandaatregister:
        recorded = await runtime.store.read(register.stream(mandaat_id_for(gemeente)))
        return register.fold(registry.parse(e.type, e.data) for e in recorded)

    async def vind_hoormandaat(command: Command[Any]) -> Hoorbevoegdheid | None:
        """The acting user's party and its mandate to hear, as the register of the user's
        gemeente has them (for the hearing and for hearing impossible)."""
        gevonden = await register_of(command.actor.gemeente)
        return gevonden.hoorbevoegdheid(command.actor.id)

    async def vind_loco_registratie(command: Command[NeemBesluit]) -> MandaatBewijs | None:
        """A deciding loco-burgemeester's registration; the burgemeester needs none."""
        if command.actor.rol is not Rol.LOCO_BURGEMEESTER:
            return None
        gevonden = await register_of(command.actor.gemeente)
        return gevonden.loco_registratie(command.actor.id)

    runtime.pipeline.provide(HOORMANDAAT, vind_hoormandaat)
    runtime.pipeline.provide(LOCO_REGISTRATIE, vind_loco_registratie)

    async def open_crises(actor: Actor, _params: NoParams, inzage: Inzage) -> list[dict[str, Any]]:
        nu = runtime.clock()
        rows = [
            overzicht(row.crisis_id, row, nu)
            for row in runtime.views.rows(OPEN_CRISES, actor.gemeente)
        ]
        inzage.aantal = len(rows)
        return sorted(rows, key=lambda r: r["uren_over"])

    async def dossier(actor: Actor, params: DossierVraag, inzage: Inzage) -> dict[str, Any]:
        found = runtime.views.get(DOSSIERS, params.crisis_id)
        inzage.zaak_gemeente = found.gemeente if found else None
        if found is None or found.gemeente != actor.gemeente:
            raise DomainError(ErrorCode.NOT_FOUND, "geen crisiszaak met dit id voor uw gemeente")
        return found.model_dump(mode="json")

    async def besluitstukken(actor: Actor, params: DossierVraag, inzage: Inzage) -> dict[str, Any]:
        found = runtime.views.get(BESLUITSTUKKEN, params.crisis_id)
        inzage.zaak_gemeente = found.gemeente if found else None
        if found is None or found.gemeente != actor.gemeente:
            raise DomainError(ErrorCode.NOT_FOUND, "geen crisiszaak met dit id voor uw gemeente")
        stukken = found.model_dump(mode="json", exclude={"concepten"})
        if found.besluit_uiterlijk is not None:
            uren = time_left(found.besluit_uiterlijk, runtime.clock(), timedelta(hours=1))
            stukken["uren_over"] = uren
        return stukken

    async def verklaring(actor: Actor, params: DossierVraag, inzage: Inzage) -> dict[str, Any]:
        found = runtime.views.get(BESLUITSTUKKEN, params.crisis_id)
        inzage.zaak_gemeente = found.gemeente if found else None
        if found is None or found.gemeente != actor.gemeente:
            raise DomainError(ErrorCode.NOT_FOUND, "geen crisiszaak met dit id voor uw gemeente")
        if found.concept_id is None:
            return {"crisis_id": str(found.crisis_id), "verklaring_id": None}
        concept = found.concepten[found.concept_id]
        ondertekend = found.medische_verklaring is not None
        return concept | {"ondertekend": ondertekend}

    runtime.query(router, OPEN_CRISES_VRAAG, open_crises)
    runtime.query(router, VERKLARING_VRAAG, verklaring)
    runtime.query(router, DOSSIER_VRAAG, dossier)
    runtime.query(router, BESLUITSTUKKEN_VRAAG, besluitstukken)
    return router


def overzicht(crisis_id: UUID, stand: Termijnstand, nu: datetime) -> dict[str, Any]:
    """One open case for people: what it waits for, and the hours left until then."""
    if not stand.besloten and stand.besluit_uiterlijk is not None:
        wacht_op, tot, waarschuwing = "besluit", stand.besluit_uiterlijk, stand.waarschuwing_op
    else:
        wacht_op, tot = "einde-maatregel", stand.eindigt_op or nu
        waarschuwing = tot - EINDE_WAARSCHUWING_VOOR
    return {
        "crisis_id": str(crisis_id),
        "wacht_op": wacht_op,
        "tot": tot.isoformat(),
        "uren_over": time_left(tot, nu, timedelta(hours=1)),
        "stoplicht": stoplicht(nu, waarschuwing, tot),
    }


def due_signals(views: ViewStore, crisis: Rulebook[Crisis], now: datetime) -> list[DueSignal]:
    """What the open-crises view says is due now: rows only, no case's stream is read."""
    names = {rule.payload: rule.name for rule in crisis.rules}
    return [
        DueSignal(row.crisis_id, row.gemeente, names[signal], moment)
        for row in views.rows(OPEN_CRISES)
        for signal, moment in te_signaleren(row, now)
    ]


def deadline_watcher(
    runtime: ServiceRuntime[CrisisSettings], crisis: Rulebook[Crisis]
) -> DeadlineWatcher:
    """The 18-hour decision norm (warning at 12 h) and the end of each measure.

    The view may lag the store a moment: a signal sent twice is answered as a duplicate (its id
    follows from the case and the moment), one made moot records nothing, and one whose moment
    moved (a voortzetting) is refused until it is due.
    """
    specs = {spec.name: spec for spec in crisis.specs}

    async def due(now: datetime) -> list[DueSignal]:
        return due_signals(runtime.views, crisis, now)

    async def send(signal: DueSignal) -> CommandReply:
        body = {
            "command_id": str(signal.command_id),
            "payload": {"crisis_id": str(signal.case_id)},
        }
        actor = runtime.system_actor(signal.gemeente)
        return await runtime.pipeline.handle(crisis.decider, specs[signal.signal], body, actor)

    return DeadlineWatcher(due, send, runtime.clock, interval=runtime.settings.deadline_interval_s)
