"""Audit events every service records besides its domain events."""

from __future__ import annotations

from typing import ClassVar
from uuid import UUID

from wvggz_contracts.commands import Rol
from wvggz_contracts.events import DomainEvent, EventRegistry
from wvggz_contracts.gemeenten import GemeenteCode


class AutorisatieGeweigerd(DomainEvent):
    """A command was refused for the actor's role or gemeente; nothing else was recorded."""

    event_type: ClassVar[str] = "nl.wvggz.audit.autorisatie-geweigerd.v1"

    service: str
    command: str
    case_id: UUID
    actor: str
    rol: Rol
    actor_gemeente: GemeenteCode
    reden: str


EVENTS = EventRegistry([AutorisatieGeweigerd])
