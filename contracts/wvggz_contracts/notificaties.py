"""Commands and events of the notificaties service: the chain partners and their subscriptions."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from wvggz_contracts.events import DomainEvent, EventRegistry
from wvggz_contracts.gemeenten import GemeenteCode
from wvggz_contracts.typen import Regel

Oin = Annotated[str, Field(pattern=r"^\d{20}$", description="Organisatie-identificatienummer.")]
EventType = Annotated[
    str, Field(pattern=r"^nl\.wvggz\.[a-z]+\.[a-z][a-z-]*\.v\d+$", max_length=120)
]


class PartnerSoort(StrEnum):
    """What kind of chain partner: it decides which fields the law lets it receive."""

    OM = "om"
    IGJ = "igj"
    GGZ_AANBIEDER = "ggz-aanbieder"
    POLITIE = "politie"
    ADVOCATUUR = "advocatuur"
    GEMEENTE = "gemeente"
    ANDERS = "anders"


class Kanaal(StrEnum):
    """How a partner receives its notifications."""

    NATS = "nats"
    """Its own subject tree `wvggz.partner.<partner>.>`, with replay."""
    WEBHOOK = "webhook"
    """CloudEvents POSTed to its URL (NL GOV webhook guideline)."""


class _Payload(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RegistreerPartner(_Payload):
    """Functioneel beheer registers a chain partner of the region."""

    partner_id: UUID = Field(description="Chosen by the caller; a retry repeats it.")
    naam: Annotated[Regel, Field(max_length=200)]
    oin: Oin
    soort: PartnerSoort
    beheerd_door: GemeenteCode = Field(
        description="The gemeente whose functioneel beheer manages this registration."
    )


class Abonneer(_Payload):
    """A partner subscribes to event types, for some or all gemeenten of the region."""

    partner_id: UUID
    abonnement_id: UUID = Field(description="Chosen by the caller; a retry repeats it.")
    gebeurtenissen: list[EventType] = Field(min_length=1, max_length=100)
    gemeenten: list[GemeenteCode] = Field(
        default_factory=list, max_length=50, description="None: every gemeente of the region."
    )
    kanaal: Kanaal = Kanaal.NATS


class BeeindigAbonnement(_Payload):
    """End a subscription; what was delivered stays delivered."""

    partner_id: UUID
    abonnement_id: UUID
    reden: Annotated[Regel, Field(max_length=500)]


class PartnerGeregistreerd(DomainEvent):
    """A chain partner was registered."""

    event_type: ClassVar[str] = "nl.wvggz.notificaties.partner-geregistreerd.v1"

    partner_id: UUID
    naam: str
    oin: str
    soort: PartnerSoort
    beheerd_door: GemeenteCode


class AbonnementAangemaakt(DomainEvent):
    """A partner subscribed."""

    event_type: ClassVar[str] = "nl.wvggz.notificaties.abonnement-aangemaakt.v1"

    partner_id: UUID
    abonnement_id: UUID
    gebeurtenissen: list[str]
    gemeenten: list[GemeenteCode]
    kanaal: Kanaal


class AbonnementBeeindigd(DomainEvent):
    """A subscription ended."""

    event_type: ClassVar[str] = "nl.wvggz.notificaties.abonnement-beeindigd.v1"

    partner_id: UUID
    abonnement_id: UUID
    reden: str


EVENTS = EventRegistry([PartnerGeregistreerd, AbonnementAangemaakt, AbonnementBeeindigd])
