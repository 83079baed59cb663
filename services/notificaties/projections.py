"""The notificaties' view: each partner with its running subscriptions and given-up deliveries."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, Field
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

from kernel.projection import CaseView, EventMeta, Tijdlijn
from services.notificaties.domain.regels import CATEGORY


class Abonnement(BaseModel):
    """A running subscription: which events, of which gemeenten, by which channel."""

    abonnement_id: UUID
    gebeurtenissen: list[str]
    gemeenten: list[str]
    """Empty: every gemeente of the region."""
    kanaal: Kanaal
    url: str | None = None

    def dekt(self, event_type: str, gemeente: str) -> bool:
        """Whether an event of this type and gemeente falls under the subscription."""
        return event_type in self.gebeurtenissen and (
            not self.gemeenten or gemeente in self.gemeenten
        )


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
VIEWS = (PARTNERS,)
