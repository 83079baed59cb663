"""Composition root of the meldpunt service."""

from __future__ import annotations

import os
import secrets
from collections.abc import Sequence
from typing import Any

from faststream.asgi import AsgiFastStream
from faststream.nats import NatsRouter
from pydantic import Field, SecretStr
from wvggz_contracts.meldpunt import EVENTS

from kernel.decider import Decider
from kernel.projection import CaseView
from kernel.service import CommandBinding, ServiceDefinition, ServiceRuntime, build_app
from kernel.settings import ServiceSettings
from services.meldpunt.domain import COMMANDS, Melding, make_decider
from services.meldpunt.handlers import VO_AFGESLOTEN, build_router
from services.meldpunt.projections import DOSSIERS, WERKVOORRAAD, personen_view


class MeldpuntSettings(ServiceSettings):
    """Settings of the meldpunt (WVGGZ_* variables; WVGGZ_HTTP_PORT defaults to 8101)."""

    service_name: str = "meldpunt"
    http_port: int = Field(default=8101, ge=0, le=65535, description="HTTP port.")
    samenhang_sleutel: SecretStr | None = Field(
        default=None,
        description="Secret for the keyed hashes that link meldingen about one betrokkene;"
        " when unset, a random one is made once in the data folder (samenhang.key).",
    )


def geheim(settings: ServiceSettings) -> bytes:
    """The samenhang key: from the settings, or a random key kept beside the event store."""
    configured = getattr(settings, "samenhang_sleutel", None)
    if isinstance(configured, SecretStr):
        return configured.get_secret_value().encode()
    path = settings.data_dir / settings.service_name / "samenhang.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as key_file:
            key_file.write(secrets.token_bytes(32))
    return path.read_bytes()


def decider(settings: ServiceSettings) -> Decider[Melding]:
    """The melding decider for the settings' region."""
    return make_decider(frozenset(settings.gemeenten))


def commands(settings: ServiceSettings) -> Sequence[CommandBinding]:
    """The meldpunt's commands, decided for the settings' region."""
    melding = decider(settings)
    return [(melding, spec) for spec in COMMANDS]


def views(settings: ServiceSettings) -> Sequence[CaseView[Any]]:
    """Werkvoorraad, dossiers, and the keyed index of open meldingen per betrokkene."""
    return (WERKVOORRAAD, DOSSIERS, personen_view(geheim(settings)))


def router(runtime: ServiceRuntime) -> NatsRouter:
    """Queries, samenhang and the consumer of closed VO's."""
    key = geheim(runtime.settings)
    return build_router(runtime, decider(runtime.settings), personen_view(key), key)


DEFINITION = ServiceDefinition(
    name="meldpunt",
    title="Wvggz meldpunt",
    description="Meldingen over personen om wie men zich zorgen maakt, en hun triage.",
    events=EVENTS,
    commands=commands,
    build_router=router,
    views=views,
    consumers=(VO_AFGESLOTEN,),
)


def create_app(settings: MeldpuntSettings | None = None) -> AsgiFastStream:
    """Build the meldpunt process."""
    return build_app(settings or MeldpuntSettings(), DEFINITION)
