"""The platform's services: their settings classes and composition roots."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kernel.service import ServiceDefinition
from kernel.settings import ServiceSettings
from services.crisis import app as crisis
from services.meldpunt import app as meldpunt
from services.notificaties import app as notificaties
from services.onderzoek import app as onderzoek
from services.overleg import app as overleg


@dataclass(frozen=True, slots=True)
class ServiceEntry:
    """One service as the runner and the exporters see it."""

    settings: type[ServiceSettings]
    create_app: Callable[[Any], Any]
    definition: ServiceDefinition


SERVICES: dict[str, ServiceEntry] = {
    "meldpunt": ServiceEntry(meldpunt.MeldpuntSettings, meldpunt.create_app, meldpunt.DEFINITION),
    "onderzoek": ServiceEntry(
        onderzoek.OnderzoekSettings, onderzoek.create_app, onderzoek.DEFINITION
    ),
    "crisis": ServiceEntry(crisis.CrisisSettings, crisis.create_app, crisis.DEFINITION),
    "overleg": ServiceEntry(overleg.OverlegSettings, overleg.create_app, overleg.DEFINITION),
    "notificaties": ServiceEntry(
        notificaties.NotificatiesSettings, notificaties.create_app, notificaties.DEFINITION
    ),
}
