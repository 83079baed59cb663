"""Commands and events of the notificaties service: the chain partners, their subscriptions and
what became of the deliveries to them."""

from __future__ import annotations

import ipaddress
from enum import StrEnum
from typing import Annotated, ClassVar, Self
from urllib.parse import urlsplit
from uuid import UUID

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from wvggz_contracts.brieven import BRIEF_EVENTS
from wvggz_contracts.events import DomainEvent, EventRegistry
from wvggz_contracts.gemeenten import GemeenteCode
from wvggz_contracts.typen import Regel

Oin = Annotated[str, Field(pattern=r"^\d{20}$", description="Organisatie-identificatienummer.")]
EventType = Annotated[
    str, Field(pattern=r"^nl\.wvggz\.[a-z]+\.[a-z][a-z-]*\.v\d+$", max_length=120)
]
PartnerCode = Annotated[
    str,
    Field(
        pattern=r"^[a-z][a-z0-9-]{1,30}$",
        description="The partner's name on the bus: its NATS identity `partner-<code>` and its"
        " subject tree `wvggz.partner.<code>.>`.",
    ),
]


MAX_URL_LENGTH = 2048
"""Longer addresses are refused (servers and proxies cut them off unpredictably)."""


def webhook_adres_fout(url: str) -> str | None:
    """Why a webhook address is refused (Dutch, for the person who entered it), or None.

    Only https, except http to this machine (127.0.0.0/8, ::1, localhost) for development and
    tests. No user name or password in the address (it would end up in logs), no fragment.
    """
    if len(url) > MAX_URL_LENGTH:
        return f"Het webhookadres is te lang (meer dan {MAX_URL_LENGTH} tekens)."
    if any(ch.isspace() or not ch.isprintable() for ch in url):
        return "Het webhookadres bevat spaties of stuurtekens."
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises for a port that is no number or out of range
    except ValueError:
        return "Het webhookadres is geen geldige URL."
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http"):
        return "Het webhookadres moet met https:// beginnen."
    if "@" in parts.netloc:
        return "Het webhookadres mag geen gebruikersnaam of wachtwoord bevatten."
    if "#" in url:
        return "Het webhookadres mag geen fragment (#…) bevatten."
    host = parts.hostname
    if not host:
        return "Het webhookadres mist een hostnaam."
    if scheme == "http" and not _is_loopback(host):
        return "Het webhookadres moet https gebruiken (http alleen naar localhost, om te testen)."
    return None


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _webhook_url(url: str) -> str:
    fout = webhook_adres_fout(url)
    if fout is not None:
        raise ValueError(fout)
    return url


WebhookUrl = Annotated[
    str,
    Field(max_length=MAX_URL_LENGTH, json_schema_extra={"format": "uri"}),
    AfterValidator(_webhook_url),
]
"""Where a partner receives its CloudEvents: https, or http to this machine for development."""


class PartnerSoort(StrEnum):
    """What kind of chain partner: it decides which fields the law lets it receive."""

    OM = "om"
    IGJ = "igj"
    GGZ_AANBIEDER = "ggz-aanbieder"
    POLITIE = "politie"
    ADVOCATUUR = "advocatuur"
    GEMEENTE = "gemeente"
    ANDERS = "anders"


class Procedure(StrEnum):
    """The procedures whose events partners may subscribe to."""

    MELDPUNT = "meldpunt"
    ONDERZOEK = "onderzoek"
    CRISIS = "crisis"


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
    code: PartnerCode | None = Field(
        default=None, description="Required for subscriptions on the NATS channel."
    )


class Abonneer(_Payload):
    """A partner subscribes to event types, for some or all gemeenten of the region."""

    partner_id: UUID
    abonnement_id: UUID = Field(description="Chosen by the caller; a retry repeats it.")
    gebeurtenissen: list[EventType] = Field(
        default_factory=list, max_length=100, description="Event types by name."
    )
    procedures: list[Procedure] = Field(
        default_factory=list,
        max_length=3,
        description="Every event type of these procedures, also those added later.",
    )
    gemeenten: list[GemeenteCode] = Field(
        default_factory=list, max_length=50, description="None: every gemeente of the region."
    )
    kanaal: Kanaal = Kanaal.NATS
    url: WebhookUrl | None = Field(default=None, description="Required for the webhook channel.")

    @model_validator(mode="after")
    def _iets_gekozen(self) -> Self:
        if not self.gebeurtenissen and not self.procedures:
            raise ValueError("kies soorten gebeurtenissen of procedures")
        return self

    @model_validator(mode="after")
    def _url_hoort_bij_webhook(self) -> Self:
        if (self.kanaal is Kanaal.WEBHOOK) != (self.url is not None):
            raise ValueError("een webhook-abonnement heeft een url, een NATS-abonnement geen")
        return self


class BeeindigAbonnement(_Payload):
    """End a subscription; what was delivered stays delivered."""

    partner_id: UUID
    abonnement_id: UUID
    reden: Annotated[Regel, Field(max_length=500)]


class GeefLeveringOp(_Payload):
    """The service gives up delivering one notification after its horizon (system only)."""

    partner_id: UUID
    event_id: UUID = Field(description="The notification's CloudEvent id: the event's own id.")
    zaak: UUID
    type: EventType
    pogingen: int = Field(ge=0)
    reden: Annotated[Regel, Field(max_length=200)]
    sinds: AwareDatetime = Field(description="When the first attempt was made.")


class HerleverLeveringen(_Payload):
    """Functioneel beheer has given-up notifications of a partner delivered again."""

    partner_id: UUID
    event_ids: list[UUID] = Field(min_length=1, max_length=1000)


class Ophaalverzoek(_Payload):
    """A partner asks for the content of one notification it received (NATS request on
    `wvggz.ophalen.<partner>`; the answer is a QueryReply)."""

    id: UUID = Field(description="The notification's id (the event's CloudEvent id).")


class PartnerGeregistreerd(DomainEvent):
    """A chain partner was registered."""

    event_type: ClassVar[str] = "nl.wvggz.notificaties.partner-geregistreerd.v1"

    partner_id: UUID
    naam: str
    oin: str
    soort: PartnerSoort
    beheerd_door: GemeenteCode
    code: str | None = None


class AbonnementAangemaakt(DomainEvent):
    """A partner subscribed."""

    event_type: ClassVar[str] = "nl.wvggz.notificaties.abonnement-aangemaakt.v1"

    partner_id: UUID
    abonnement_id: UUID
    gebeurtenissen: list[str]
    gemeenten: list[GemeenteCode]
    kanaal: Kanaal
    url: str | None = None
    procedures: list[Procedure] = Field(default_factory=list)


class AbonnementBeeindigd(DomainEvent):
    """A subscription ended."""

    event_type: ClassVar[str] = "nl.wvggz.notificaties.abonnement-beeindigd.v1"

    partner_id: UUID
    abonnement_id: UUID
    reden: str


class LeveringOpgegeven(DomainEvent):
    """A notification did not reach the partner within the horizon: it waits for an operator."""

    event_type: ClassVar[str] = "nl.wvggz.notificaties.levering-opgegeven.v1"

    partner_id: UUID
    event_id: UUID
    zaak: UUID
    type: str
    pogingen: int
    reden: str
    sinds: AwareDatetime


class LeveringenHerleverd(DomainEvent):
    """Functioneel beheer released given-up notifications for delivery again."""

    event_type: ClassVar[str] = "nl.wvggz.notificaties.leveringen-herleverd.v1"

    partner_id: UUID
    event_ids: list[UUID]


EVENTS = EventRegistry(
    [
        PartnerGeregistreerd,
        AbonnementAangemaakt,
        AbonnementBeeindigd,
        LeveringOpgegeven,
        LeveringenHerleverd,
        *BRIEF_EVENTS,
    ]
)
