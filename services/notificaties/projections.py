"""The notificaties' views: each partner with its running subscriptions and given-up deliveries,
and each letter with where it stands and the disclosure it made."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field
from wvggz_contracts.brieven import (
    BriefAangemaakt,
    BriefAfgeleverd,
    BriefKlaargezet,
    BriefMislukt,
    BriefVerzonden,
    BriefVorm,
    VerstrekkingGeregistreerd,
    Verzendwijze,
)
from wvggz_contracts.events import DomainEvent
from wvggz_contracts.notificaties import (
    AbonnementAangemaakt,
    AbonnementBeeindigd,
    Kanaal,
    LeveringenHerleverd,
    LeveringOpgegeven,
    PartnerGeregistreerd,
    PartnerSoort,
)

from kernel.bewaring import Archief, Bijlage
from kernel.projection import CaseView, EventMeta, Tijdlijn
from services.notificaties.domain.briefregels import CATEGORY as BRIEF
from services.notificaties.domain.regels import CATEGORY
from services.notificaties.domain.verstrekkingen import CATEGORY as VERSTREKKING


def zonder_tijdlijn(row: dict[str, Any]) -> dict[str, Any]:
    """A row as a list shows it: without the dossier's timeline."""
    row.pop("stappen", None)
    return row


class Abonnement(BaseModel):
    """A running subscription: which events, of which gemeenten, by which channel."""

    abonnement_id: UUID
    gebeurtenissen: list[str]
    procedures: list[str] = Field(default_factory=list)
    """Every event type of these procedures."""
    gemeenten: list[str]
    """Empty: every gemeente of the region."""
    kanaal: Kanaal
    url: str | None = None

    def dekt(self, event_type: str, gemeente: str) -> bool:
        """Whether an event of this type and gemeente falls under the subscription."""
        soort = event_type in self.gebeurtenissen or event_type.split(".")[2] in self.procedures
        return soort and (not self.gemeenten or gemeente in self.gemeenten)


class PartnerRij(Tijdlijn):
    """A registered partner, as functioneel beheer and the delivery see it."""

    partner_id: UUID
    naam: str
    oin: str
    soort: PartnerSoort
    beheerd_door: str
    code: str | None = None
    abonnementen: list[Abonnement] = Field(default_factory=list)
    opgegeven: list[UUID] = Field(default_factory=list)
    """Notifications whose delivery was given up and not released again."""


def evolve_partner(
    row: PartnerRij | None, event: DomainEvent, meta: EventMeta
) -> PartnerRij | None:
    """A partner's row after one more of its events."""
    if isinstance(event, PartnerGeregistreerd):
        row = PartnerRij(
            partner_id=event.partner_id,
            naam=event.naam,
            oin=event.oin,
            soort=event.soort,
            beheerd_door=event.beheerd_door,
            code=event.code,
        )
    if row is None:
        return None
    if isinstance(event, AbonnementAangemaakt):
        nieuw = Abonnement(
            abonnement_id=event.abonnement_id,
            gebeurtenissen=event.gebeurtenissen,
            procedures=event.procedures,
            gemeenten=event.gemeenten,
            kanaal=event.kanaal,
            url=event.url,
        )
        row = row.model_copy(update={"abonnementen": [*row.abonnementen, nieuw]})
    elif isinstance(event, AbonnementBeeindigd):
        lopend = [a for a in row.abonnementen if a.abonnement_id != event.abonnement_id]
        row = row.model_copy(update={"abonnementen": lopend})
    elif isinstance(event, LeveringOpgegeven):
        row = row.model_copy(update={"opgegeven": [*row.opgegeven, event.event_id]})
    elif isinstance(event, LeveringenHerleverd):
        vrij = set(event.event_ids)
        row = row.model_copy(update={"opgegeven": [e for e in row.opgegeven if e not in vrij]})
    return row.met_stap(meta)


PARTNERS: CaseView[PartnerRij] = CaseView(
    "partners", PartnerRij, evolve_partner, frozenset({CATEGORY})
)


class BriefRij(Tijdlijn):
    """A letter as functioneel beheer and the drukkerij see it (never its content)."""

    brief_id: UUID
    zaak: UUID
    gemeente: str
    vorm: BriefVorm
    ontvanger: str
    bron_type: str
    fase: str = "klaargezet"
    kenmerk: str | None = None
    sha256: str | None = None
    paginas: int | None = None
    aangemaakt_op: datetime | None = None
    wijze: Verzendwijze | None = None
    partner_id: UUID | None = None
    verzonden_op: datetime | None = None
    afgeleverd_op: datetime | None = None
    reden: str | None = None
    verstrekking: VerstrekkingGeregistreerd | None = None


def evolve_brief(row: BriefRij | None, event: DomainEvent, meta: EventMeta) -> BriefRij | None:
    """A letter's row after one more of its events."""
    if isinstance(event, BriefKlaargezet):
        row = BriefRij(
            brief_id=event.brief_id,
            zaak=event.zaak,
            gemeente=event.gemeente,
            vorm=event.vorm,
            ontvanger=event.ontvanger,
            bron_type=event.bron_type,
        )
    if row is None:
        return None
    update: dict[str, object] = {}
    if isinstance(event, BriefAangemaakt):
        update = {
            "fase": "aangemaakt",
            "kenmerk": event.kenmerk,
            "sha256": event.sha256,
            "paginas": event.paginas,
            "aangemaakt_op": event.aangemaakt_op,
            "wijze": event.wijze,
            "partner_id": event.partner_id,
        }
    elif isinstance(event, BriefVerzonden):
        update = {
            "fase": "verzonden",
            "wijze": event.wijze,
            "partner_id": event.partner_id,
            "verzonden_op": event.verzonden_op,
        }
    elif isinstance(event, BriefAfgeleverd):
        update = {"fase": "afgeleverd", "afgeleverd_op": event.afgeleverd_op}
    elif isinstance(event, BriefMislukt):
        update = {"fase": "mislukt", "reden": event.reden}
    elif isinstance(event, VerstrekkingGeregistreerd):
        update = {"verstrekking": event}
    return row.model_copy(update=update).met_stap(meta)


def brief_sleutels(row: BriefRij) -> list[str]:
    """Found by case, and by the step that waits: the drukkerij's or the mail room's."""
    keys = [f"zaak:{row.zaak}"]
    if row.fase == "klaargezet":
        keys.append("open:klaargezet")
    elif row.fase == "aangemaakt":
        keys.append("open:post" if row.wijze is Verzendwijze.POST else "open:naar-partner")
    elif row.fase in ("verzonden", "mislukt") and row.wijze is Verzendwijze.PARTNER:
        keys.append("open:bij-partner")  # a given-up one may still arrive once released
    return keys


BRIEVEN: CaseView[BriefRij] = CaseView(
    "brieven", BriefRij, evolve_brief, frozenset({BRIEF}), lookup_keys=brief_sleutels
)


class OphalingRij(BaseModel):
    """A partner's fetch of an event's content, as the verstrekkingenregister lists it."""

    verstrekking: VerstrekkingGeregistreerd


def evolve_ophaling(
    row: OphalingRij | None, event: DomainEvent, meta: EventMeta
) -> OphalingRij | None:
    """One row per fetch."""
    if isinstance(event, VerstrekkingGeregistreerd):
        return OphalingRij(verstrekking=event)
    return row


OPHALINGEN: CaseView[OphalingRij] = CaseView(
    "ophalingen", OphalingRij, evolve_ophaling, frozenset({VERSTREKKING})
)
VIEWS = (PARTNERS, BRIEVEN, OPHALINGEN)


def brief_afgesloten_op(row: BriefRij) -> datetime | None:
    """When a letter was done with: delivered, or given up (its last step)."""
    if row.afgeleverd_op is not None:
        return row.afgeleverd_op
    return row.stappen[-1].op if row.fase == "mislukt" and row.stappen else None


ARCHIEF = Archief(
    BRIEVEN,
    (BRIEF,),
    brief_afgesloten_op,
    hoort_bij=lambda row: row.zaak,
    bijlagen=(Bijlage(OPHALINGEN, VERSTREKKING, lambda row: row.verstrekking.zaak),),
)
"""The letters for retention (their content: the procedure's event they were made from)."""
