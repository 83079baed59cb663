"""The platform's services, by name: each one's definition is its composition root."""

from __future__ import annotations

from typing import Any

from kernel.catalog import Catalog, catalog_of
from kernel.service import ServiceDefinition
from kernel.settings import ServiceSettings
from services.crisis.app import DEFINITION as CRISIS
from services.meldpunt.app import DEFINITION as MELDPUNT
from services.notificaties.app import DEFINITION as NOTIFICATIES
from services.onderzoek.app import DEFINITION as ONDERZOEK
from services.overleg.app import DEFINITION as OVERLEG
from services.portaal.settings import PortaalSettings

SERVICES: dict[str, ServiceDefinition[Any]] = {
    definition.name: definition
    for definition in (MELDPUNT, ONDERZOEK, CRISIS, OVERLEG, NOTIFICATIES)
}

PORTAAL = "portaal"

PROCESSES: dict[str, type[ServiceSettings]] = {
    **{name: definition.settings for name, definition in SERVICES.items()},
    PORTAAL: PortaalSettings,
}
"""Every process of the platform besides NATS and the identity provider, with its settings."""


def api_catalog() -> Catalog:
    """What the services offer over the HTTP API."""
    return catalog_of(SERVICES.values())
