"""The notificaties' NATS router: fan-out of published events, and the partner queries."""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

from faststream.nats import NatsRouter
from pydantic import BaseModel, ConfigDict
from wvggz_contracts.commands import Actor, ErrorCode, Rol
from wvggz_contracts.envelope import CloudEvent, source_urn
from wvggz_contracts.notificaties import GeefLeveringOp
from wvggz_contracts.subjects import EVENTS_ALL

from kernel.bus.streams import ConsumerSpec
from kernel.decider import DomainError
from kernel.queries import Inzage, NoParams, QuerySpec
from kernel.rules import Rulebook
from kernel.runtime import ServiceRuntime
from services.notificaties.domain.minimalisatie import ophaalbare_velden
from services.notificaties.domain.partners import Partner
from services.notificaties.inhoud import InhoudStore
from services.notificaties.levering.bezorger import Bezorger, Tellers
from services.notificaties.levering.kanalen import NatsKanaal, WebhookKanaal, webhook_geheim
from services.notificaties.levering.stand import WachtrijStand
from services.notificaties.levering.uitlevering import Abonnees, leveringen
from services.notificaties.levering.wachtrij import Levering, Wachtrij
from services.notificaties.levering.webhook import WebhookClient
from services.notificaties.projections import PARTNERS, PartnerRij, zonder_tijdlijn

log = logging.getLogger(__name__)

UITLEVERING = ConsumerSpec(
    "notificaties-uitlevering",
    EVENTS_ALL,
    "Zet elke gepubliceerde gebeurtenis klaar voor de partners die erop geabonneerd zijn.",
)

BEHEER = frozenset({Rol.FUNCTIONEEL_BEHEER})


class PartnerVraag(BaseModel):
    """Params of the queries about one partner."""

    model_config = ConfigDict(extra="forbid")

    partner_id: UUID


PARTNERS_VRAAG = QuerySpec(
    "partners",
    NoParams,
    "De ketenpartners die de eigen gemeente beheert, met hun abonnementen.",
    rollen=BEHEER,
    wat="de partners",
    resource="partners",
    filters=("soort", "code"),
)
PARTNER_VRAAG = QuerySpec(
    "partner",
    PartnerVraag,
    "Eén ketenpartner: abonnementen, opgegeven leveringen en de geschiedenis.",
    rollen=BEHEER,
    wat="de partners",
    resource="partners",
    item="partner_id",
)
LEVERINGEN_VRAAG = QuerySpec(
    "leveringen",
    PartnerVraag,
    "Wat een partner nog tegoed heeft: wachtende en opgegeven leveringen, oudste eerst.",
    rollen=BEHEER,
    wat="de leveringen",
    resource="partners",
    item="partner_id",
    sub="leveringen",
)
GEHEIMEN_VRAAG = QuerySpec(
    "webhook-geheimen",
    PartnerVraag,
    "De ondertekeningsgeheimen van de webhook-abonnementen van een partner (om door te geven).",
    rollen=BEHEER,
    wat="de webhook-geheimen",
    resource="partners",
    item="partner_id",
    sub="webhook-geheimen",
)
QUERIES = (PARTNERS_VRAAG, PARTNER_VRAAG, LEVERINGEN_VRAAG, GEHEIMEN_VRAAG)


@dataclass(slots=True)
class Leveringsdienst:
    """The delivery parts of one process: its queue, who is subscribed, the delivery loop."""

    wachtrij: Wachtrij
    abonnees: Abonnees
    bezorger: Bezorger
    sleutel: bytes
    inhoud: InhoudStore


def delen(runtime: ServiceRuntime[Any], rulebook: Rulebook[Partner]) -> Leveringsdienst:
    """The delivery parts, composed once per process (the router and the loops share them)."""
    if "levering" in runtime.parts:
        return runtime.parts["levering"]  # type: ignore[no-any-return]
    settings = runtime.settings
    wachtrij = Wachtrij(settings.data_dir / settings.service_name / "leveringen.db")
    abonnees = Abonnees(
        lambda: runtime.views.rows(PARTNERS), lambda: runtime.views.versions(PARTNERS)
    )
    sleutel = settings.webhook_sleutel()

    def client() -> WebhookClient:
        # As many connections as deliveries under way: none waits in the pool for one.
        return WebhookClient(
            timeout_s=settings.webhook_timeout_s,
            origin=settings.webhook_origin,
            user_agent="wvggz-notificaties",
            max_connections=settings.levering_gelijktijdig,
        )

    spec = next(rule.spec for rule in rulebook.rules if rule.name == "geef-levering-op")

    async def geef_op(levering: Levering, pogingen: int, reden: str, sinds: Any) -> int | None:
        partner = runtime.views.get(PARTNERS, UUID(levering.partner_id))
        if partner is None:
            return None
        payload = GeefLeveringOp(
            partner_id=UUID(levering.partner_id),
            event_id=UUID(levering.event_id),
            zaak=UUID(levering.zaak),
            type=levering.type,
            pogingen=pogingen,
            reden=reden or "onbekend",
            sinds=sinds,
        )
        body = {
            # A fresh id: the rule itself records a give-up once while it stands, and after a
            # release giving up again is a new fact (an id derived from the event would be
            # refused as reused with other attempts in its payload).
            "command_id": str(uuid4()),
            "payload": payload.model_dump(mode="json"),
        }
        actor = runtime.system_actor(partner.beheerd_door)
        reply = await runtime.pipeline.handle(rulebook.decider, spec, body, actor)
        if not reply.ok:
            log.warning("giving up a delivery was refused: %s", reply.error)
            return None
        # Already given up (nothing appended): the store's head is past that record too.
        return reply.position or await runtime.store.last_position()

    gezien = -1

    def vrijgegeven() -> None:
        nonlocal gezien
        tot = runtime.views.position(PARTNERS.name)
        if tot == gezien:
            return
        gezien = tot
        los = [
            sleutel
            for sleutel in wachtrij.vrij_te_geven(tot)
            if sleutel[1] not in abonnees.opgegeven(sleutel[0])
        ]
        if los and wachtrij.herlever(los, runtime.clock().timestamp()):
            bezorger.wek()

    bezorger = Bezorger(
        wachtrij,
        {
            "nats": NatsKanaal(lambda: runtime.nats),
            "webhook": WebhookKanaal(client, sleutel),
        },
        geef_op,
        vrijgegeven,
        runtime.clock,
        horizon=timedelta(seconds=settings.webhook_horizon_s),
        tellers=Tellers.voor(runtime.metrics.registry),
        gelijktijdig=settings.levering_gelijktijdig,
        rng=random.Random(),
    )
    runtime.metrics.registry.register(WachtrijStand(wachtrij, runtime.clock))
    inhoud = InhoudStore(
        settings.data_dir / settings.service_name / "inhoud.db",
        bewaar_s=settings.partner_retention_days * 86_400,
    )
    runtime.parts["levering"] = Leveringsdienst(wachtrij, abonnees, bezorger, sleutel, inhoud)
    return runtime.parts["levering"]  # type: ignore[no-any-return]


def build_router(runtime: ServiceRuntime[Any], rulebook: Rulebook[Partner]) -> NatsRouter:
    """The fan-out consumer and the partner queries."""
    router = NatsRouter()
    parts = delen(runtime, rulebook)
    bron = source_urn(runtime.settings.oin, runtime.name)
    bij_de_tijd = False

    @runtime.consume(router, UITLEVERING, description=UITLEVERING.description or "")
    async def uitleveren(event: CloudEvent) -> None:
        nonlocal bij_de_tijd
        if not bij_de_tijd:
            # Fanned out against the subscriptions as recorded, not an empty view after a start.
            # Waiting here holds the events behind this one too (they are handled one by one),
            # where failing would let them overtake it and break the order per case.
            head = await runtime.store.last_position()
            while True:
                try:
                    await runtime.projector.wait_for(head, within=5.0)
                    break
                except TimeoutError:
                    log.warning("fan-out waits for the views to reach position %d", head)
            bij_de_tijd = True
        partners = parts.abonnees.nu()
        if not partners:
            return
        nu = runtime.clock().timestamp()
        velden = ophaalbare_velden(event.type)
        if velden:  # kept before the notification that points at it can go out
            parts.inhoud.bewaar(event, velden, nu)
        owed = leveringen(event, partners, bron, nu)
        if parts.wachtrij.plaats(owed):
            parts.bezorger.wek()

    async def lijst(actor: Actor, _params: NoParams, inzage: Inzage) -> list[dict[str, Any]]:
        rows = [zonder_tijdlijn(row) for row in runtime.views.docs(PARTNERS, actor.gemeente)]
        rows.sort(key=lambda row: str(row["naam"]).lower())
        inzage.aantal = len(rows)
        return rows

    def eigen(actor: Actor, partner_id: UUID, inzage: Inzage) -> PartnerRij:
        found = runtime.views.get(PARTNERS, partner_id)
        inzage.zaak_gemeente = found.beheerd_door if found else None
        if found is None or found.beheerd_door != actor.gemeente:
            raise DomainError(ErrorCode.NOT_FOUND, "geen partner met dit id voor uw gemeente")
        return found

    async def partner(actor: Actor, params: PartnerVraag, inzage: Inzage) -> dict[str, Any]:
        return eigen(actor, params.partner_id, inzage).model_dump(mode="json")

    async def tegoed(actor: Actor, params: PartnerVraag, inzage: Inzage) -> list[dict[str, Any]]:
        eigen(actor, params.partner_id, inzage)
        rows = parts.wachtrij.van_partner(str(params.partner_id))
        inzage.aantal = len(rows)
        return rows

    async def geheimen(actor: Actor, params: PartnerVraag, inzage: Inzage) -> list[dict[str, Any]]:
        found = eigen(actor, params.partner_id, inzage)
        return [
            {
                "abonnement_id": str(a.abonnement_id),
                "url": a.url,
                "geheim": webhook_geheim(
                    parts.sleutel, str(found.partner_id), str(a.abonnement_id)
                ).hex(),
            }
            for a in found.abonnementen
            if a.url is not None
        ]

    runtime.query(router, PARTNERS_VRAAG, lijst)
    runtime.query(router, PARTNER_VRAAG, partner)
    runtime.query(router, LEVERINGEN_VRAAG, tegoed)
    runtime.query(router, GEHEIMEN_VRAAG, geheimen)
    return router


__all__ = ["QUERIES", "UITLEVERING", "build_router", "delen"]
