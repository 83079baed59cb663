"""Audit events every service records besides its domain events (NEN 7513: who did or saw what).

They carry ids, roles, codes and outcomes only, never personal data, so the trail itself can be
shown to the inspectorate and to the gemeenten involved.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, ClassVar
from uuid import UUID

from pydantic import Field

from wvggz_contracts.commands import Rol
from wvggz_contracts.events import DomainEvent, EventRegistry
from wvggz_contracts.gemeenten import GemeenteCode
from wvggz_contracts.typen import Regel


class AutorisatieGeweigerd(DomainEvent):
    """A command was refused for the actor's role or gemeente; nothing else was recorded.

    When the case belongs to another gemeente than the actor's, the refusal is recorded for
    both gemeenten (once under each), so the owner of the case sees who tried.
    """

    event_type: ClassVar[str] = "nl.wvggz.audit.autorisatie-geweigerd.v1"

    service: str
    command: str
    case_id: UUID
    actor: str
    rol: Rol
    actor_gemeente: GemeenteCode
    reden: str
    zaak_gemeente: GemeenteCode | None = Field(
        default=None, description="The gemeente the case belongs to, when it has one."
    )


class Inzageuitkomst(StrEnum):
    """What a read came to."""

    GETOOND = "getoond"
    GEWEIGERD = "geweigerd"
    NIET_GEVONDEN = "niet-gevonden"
    ONGELDIG = "ongeldig"
    NIET_BESCHIKBAAR = "niet-beschikbaar"
    FOUT = "fout"


class GegevensIngezien(DomainEvent):
    """A dossier or a werkvoorraad was read, or a read was refused (NEN 7513 logging).

    A refused read of another gemeente's case is recorded under both gemeenten.
    """

    event_type: ClassVar[str] = "nl.wvggz.audit.gegevens-ingezien.v1"

    service: str
    query: str
    case_id: UUID | None = Field(default=None, description="The case read; none for a list.")
    actor: str
    rol: Rol
    actor_gemeente: GemeenteCode
    zaak_gemeente: GemeenteCode | None = None
    uitkomst: Inzageuitkomst
    aantal: int | None = Field(default=None, ge=0, description="Rows shown by a list.")
    ingezien_op: datetime = Field(description="When the read was answered.")


class AuthenticatieGeweigerd(DomainEvent):
    """A request came without a usable access token; nothing was done.

    Kept in the service's own audit trail; it is not published, as no gemeente is known.
    """

    event_type: ClassVar[str] = "nl.wvggz.audit.authenticatie-geweigerd.v1"

    service: str
    verzoek: str = Field(description="`command:<name>` or `query:<name>`.")
    reden: str = Field(description="Kind of failure, e.g. `expired`, `signature`, `missing`.")


class VerzoekGeweigerd(DomainEvent):
    """An identified user's command was refused before any rule ran: it did not validate, or it
    reused a command id. Holds the error code and the field path, never the input."""

    event_type: ClassVar[str] = "nl.wvggz.audit.verzoek-geweigerd.v1"

    service: str
    verzoek: str = Field(description="`command:<name>`.")
    reden: str = Field(description="The error code, e.g. `validation_failed`.")
    veld: str | None = Field(default=None, description="The offending field's path, if any.")
    actor: str
    rol: Rol
    actor_gemeente: GemeenteCode


class Parkeerreden(StrEnum):
    """Why a consumer set an event aside instead of handling it."""

    ONLEESBAAR = "onleesbaar"
    ONBEVOEGDE_BRON = "onbevoegde-bron"
    ONVERWERKBAAR = "onverwerkbaar"
    TE_VAAK_MISLUKT = "te-vaak-mislukt"
    """Passing failures (e.g. an unreachable store) outlasted every retry, or deliveries kept
    ending without an outcome (a process that crashed on it)."""


class GebeurtenisGeparkeerd(DomainEvent):
    """A consumer refused an event from the bus and set it aside for an operator.

    Holds where the message was in the stream and why, never its content.
    """

    event_type: ClassVar[str] = "nl.wvggz.audit.gebeurtenis-geparkeerd.v1"

    service: str
    consumer: str
    stream_sequence: int = Field(ge=0, description="Position of the message in WVGGZ_EVENTS.")
    onderwerp: str | None = Field(default=None, description="The NATS subject, when well-formed.")
    event_id: UUID | None = None
    reden: Parkeerreden
    toelichting: str = Field(description="What was wrong, without any of the message's data.")


class GeparkeerdeGebeurtenisHerleverd(DomainEvent):
    """An operator had a parked event handled again; `gelukt` says whether it went through.

    Only a successful redelivery ends the parking; a failed one leaves it open.
    """

    event_type: ClassVar[str] = "nl.wvggz.audit.geparkeerde-gebeurtenis-herleverd.v1"

    service: str
    consumer: str
    stream_sequence: int = Field(ge=0)
    gelukt: bool
    toelichting: str | None = Field(
        default=None, description="Why it failed again, without any of the message's data."
    )
    actor: str
    rol: Rol
    actor_gemeente: GemeenteCode


class GeparkeerdeGebeurtenisAfgewezen(DomainEvent):
    """An operator decided a parked event is not to be handled; the parking ends."""

    event_type: ClassVar[str] = "nl.wvggz.audit.geparkeerde-gebeurtenis-afgewezen.v1"

    service: str
    consumer: str
    stream_sequence: int = Field(ge=0)
    reden: Annotated[Regel, Field(max_length=500)] = Field(
        description="Why, in the operator's words (no personal data)."
    )
    actor: str
    rol: Rol
    actor_gemeente: GemeenteCode


class KettingGetekend(DomainEvent):
    """A service signed the newest link of its event store's hash chain (a checkpoint).

    Published on the bus, where a later edit of the store's file cannot reach it; `wvggz
    verify` checks the store's chain against it. Holds a position, hashes and a signature only.
    """

    event_type: ClassVar[str] = "nl.wvggz.audit.ketting-getekend.v1"

    service: str
    positie: int = Field(ge=1, description="The store position (chain number) signed for.")
    hash: str = Field(
        pattern=r"^[0-9a-f]{64}$", description="The chain hash of the event at that position."
    )
    getekend_op: datetime = Field(description="When it was signed.")
    publieke_sleutel: str = Field(
        pattern=r"^[0-9a-f]{64}$", description="The service's Ed25519 public key, hex."
    )
    handtekening: str = Field(
        pattern=r"^[0-9a-f]{128}$",
        description="Ed25519 signature, hex, over service, positie, hash and getekend_op "
        "(encoding: kernel/ketting.py).",
    )


PARKING_EVENTS = EventRegistry(
    [GebeurtenisGeparkeerd, GeparkeerdeGebeurtenisHerleverd, GeparkeerdeGebeurtenisAfgewezen]
)
"""The dead-letter register's events: parked, handled again, dismissed."""

EVENTS = EventRegistry(
    [
        AutorisatieGeweigerd,
        GegevensIngezien,
        AuthenticatieGeweigerd,
        VerzoekGeweigerd,
        GebeurtenisGeparkeerd,
        GeparkeerdeGebeurtenisHerleverd,
        GeparkeerdeGebeurtenisAfgewezen,
        KettingGetekend,
    ]
)
