"""Composition root of the meldpunt service."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from faststream.asgi import AsgiFastStream
from faststream.nats import NatsRouter
from pydantic import Field, SecretStr
from wvggz_contracts.meldpunt import EVENTS, VO_TERMIJN_ATW, RegistreerVoAfsluiting
from wvggz_contracts.onderzoek.events import VoAfgesloten

from kernel.ops import Termijn
from kernel.policies import Policy
from kernel.projection import CaseView
from kernel.rules import Rulebook
from kernel.runtime import ServiceRuntime
from kernel.service import ServiceDefinition, utc_now
from kernel.settings import ServiceSettings
from services.meldpunt.domain import Melding, make_rulebook, uit_vo_afgesloten
from services.meldpunt.handlers import QUERIES, VO_WAARSCHUWING_VOOR, build_router
from services.meldpunt.projections import ARCHIEF, DOSSIERS, WERKVOORRAAD, personen_view


class MeldpuntSettings(ServiceSettings):
    """Settings of the meldpunt (WVGGZ_* variables; WVGGZ_HTTP_PORT defaults to 8101)."""

    service_name: str = "meldpunt"
    http_port: int = Field(default=8101, ge=0, le=65535, description="HTTP port.")
    vo_termijn_atw: bool = Field(
        default=VO_TERMIJN_ATW,
        description="Apply the Algemene termijnenwet to the 14-day VO term (see the onderzoek"
        " README for the sources).",
    )
    samenhang_sleutel: SecretStr | None = Field(
        default=None,
        description="Secret for the keyed hashes that link meldingen about one betrokkene;"
        " when unset, a random one is made once in the data folder (samenhang.key).",
    )


def geheim(settings: MeldpuntSettings) -> bytes:
    """The samenhang key: from the settings, or a random key kept beside the event store."""
    if settings.samenhang_sleutel is not None:
        return settings.samenhang_sleutel.get_secret_value().encode()
    path = settings.data_dir / settings.service_name / "samenhang.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as key_file:
            key_file.write(secrets.token_bytes(32))
    return path.read_bytes()


def rulebooks(settings: MeldpuntSettings) -> Sequence[Rulebook[Melding]]:
    """The meldpunt's rules for the settings' region."""
    return (make_rulebook(frozenset(settings.gemeenten), atw=settings.vo_termijn_atw),)


def views(settings: MeldpuntSettings) -> Sequence[CaseView[Any]]:
    """Werkvoorraad, dossiers, and the keyed index of open meldingen per betrokkene."""
    return (WERKVOORRAAD, DOSSIERS, personen_view(geheim(settings)))


def router(runtime: ServiceRuntime[MeldpuntSettings]) -> NatsRouter:
    """Queries, and the samenhang look-up."""
    key = geheim(runtime.settings)
    return build_router(runtime, personen_view(key), key)


def termijnen(runtime: ServiceRuntime[MeldpuntSettings]) -> Iterable[Termijn]:
    """The VO term of every open melding (the onderzoek shows the same term once a VO opens)."""
    return (
        Termijn(
            "vo-termijn",
            row.gemeente,
            row.vo_termijn_eind,
            zaak=str(row.melding_id),
            waarschuwing=row.vo_termijn_eind - VO_WAARSCHUWING_VOOR,
        )
        for row in runtime.views.rows(WERKVOORRAAD)
    )


VO_AFGESLOTEN = Policy(
    durable="meldpunt-vo-afgesloten",
    event=VoAfgesloten,
    command=RegistreerVoAfsluiting,
    translate=uit_vo_afgesloten,
    description="Een gesloten VO telt niet meer mee voor samenhang.",
)

DEFINITION = ServiceDefinition(
    settings=MeldpuntSettings,
    name="meldpunt",
    title="Wvggz meldpunt",
    description="Meldingen over personen om wie men zich zorgen maakt, en hun triage.",
    events=EVENTS,
    rulebooks=rulebooks,
    queries=QUERIES,
    policies=(VO_AFGESLOTEN,),
    build_router=router,
    views=views,
    termijnen=termijnen,
    archief=ARCHIEF,
)


def create_app(
    settings: MeldpuntSettings | None = None, *, clock: Callable[[], datetime] = utc_now
) -> AsgiFastStream:
    """Build the meldpunt process."""
    return DEFINITION.build(settings, clock=clock)
