"""The platform's services, by name: each one's definition is its composition root."""

from __future__ import annotations

from typing import Any

from kernel.service import ServiceDefinition
from services.crisis.app import DEFINITION as CRISIS
from services.meldpunt.app import DEFINITION as MELDPUNT
from services.notificaties.app import DEFINITION as NOTIFICATIES
from services.onderzoek.app import DEFINITION as ONDERZOEK
from services.overleg.app import DEFINITION as OVERLEG

SERVICES: dict[str, ServiceDefinition[Any]] = {
    definition.name: definition
    for definition in (MELDPUNT, ONDERZOEK, CRISIS, OVERLEG, NOTIFICATIES)
}
