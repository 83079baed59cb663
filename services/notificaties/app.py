"""Composition root of the notificaties service."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from faststream.asgi import AsgiFastStream
from faststream.nats import NatsRouter
from pydantic import Field
from wvggz_contracts.brieven import ZetBriefKlaar
from wvggz_contracts.crisis import EVENTS as CRISIS_EVENTS
from wvggz_contracts.crisis import AfschriftKlaargezet
from wvggz_contracts.meldpunt import EVENTS as MELDPUNT_EVENTS
from wvggz_contracts.meldpunt import MelderBriefKlaargezet as MeldpuntBrief
from wvggz_contracts.notificaties import EVENTS
from wvggz_contracts.onderzoek import EVENTS as ONDERZOEK_EVENTS
from wvggz_contracts.onderzoek import MelderBriefKlaargezet as OnderzoekBrief

from kernel.background import BackgroundLoop
from kernel.decider import Command
from kernel.policies import Policy
from kernel.rules import Rulebook
from kernel.runtime import ServiceRuntime
from kernel.service import ServiceDefinition, utc_now
from kernel.settings import ServiceSettings
from services.notificaties import brieven_vragen, ophalen
from services.notificaties.domain.briefregels import make_brief_rulebook
from services.notificaties.domain.partners import CODE_IN_GEBRUIK, Partner
from services.notificaties.domain.regels import make_rulebook
from services.notificaties.domain.uit_procedures import uit_afschrift, uit_melderbrief
from services.notificaties.domain.verstrekkingen import make_verstrekking_rulebook
from services.notificaties.drukkerij import Drukkerij
from services.notificaties.handlers import QUERIES, UITLEVERING, build_router, delen
from services.notificaties.projections import ARCHIEF, PARTNERS, VIEWS

PUBLISHED = frozenset([*MELDPUNT_EVENTS.models, *ONDERZOEK_EVENTS.models, *CRISIS_EVENTS.models])
"""The event types of the procedures, which partners may subscribe to."""


class NotificatiesSettings(ServiceSettings):
    """Settings of the notificaties service (WVGGZ_* variables; HTTP port 8105 by default)."""

    service_name: str = "notificaties"
    http_port: int = Field(default=8105, ge=0, le=65535, description="HTTP port.")
    webhook_horizon_s: float = Field(
        default=86_400,
        gt=0,
        description="How long a notification is retried (from its first attempt) before it is"
        " given up and waits for an operator (NL GOV webhook guideline: 24 hours).",
    )
    webhook_timeout_s: float = Field(
        default=10, gt=0, description="Seconds a partner's webhook may take to answer."
    )
    webhook_origin: str = Field(
        default="wvggz.localhost",
        max_length=253,
        description="Host name this platform announces in the webhook handshake"
        " (`WebHook-Request-Origin`).",
    )
    webhook_key_file: Path | None = Field(
        default=None,
        description="File (0600) with the key webhook signing secrets are derived from; default"
        " `<data_dir>/notificaties/webhook.key`, created on first start.",
    )
    levering_gelijktijdig: int = Field(
        default=64, ge=1, le=1024, description="Deliveries under way at the same time."
    )

    def webhook_sleutel(self) -> bytes:
        """The key webhook secrets derive from; created (0600) when it does not exist yet.

        Written whole or not at all, and refused when short or readable by others: an empty
        key would make every subscription's secret computable from its id.
        """
        path = self.webhook_key_file or self.data_dir / self.service_name / "webhook.key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            tijdelijk = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            fd = os.open(tijdelijk, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            with os.fdopen(fd, "w") as file:
                file.write(secrets.token_hex(32))
                file.flush()
                os.fsync(file.fileno())
            os.replace(tijdelijk, path)
        if path.stat().st_mode & 0o077:
            raise ValueError(f"{path}: the webhook key may be readable by its owner only (0600)")
        try:
            sleutel = bytes.fromhex(path.read_text().strip())
        except ValueError:
            sleutel = b""
        if len(sleutel) < 32:
            raise ValueError(f"{path}: the webhook key must hold at least 32 bytes as hex")
        return sleutel


def partner_rulebook(settings: NotificatiesSettings) -> Rulebook[Partner]:
    """The partner rules for this region."""
    return make_rulebook(
        frozenset(settings.gemeenten), PUBLISHED, frozenset(settings.nats_partners)
    )


def _router(runtime: ServiceRuntime[NotificatiesSettings]) -> NatsRouter:
    router = build_router(runtime, partner_rulebook(runtime.settings))
    settings = runtime.settings
    brieven_vragen.serve(router, runtime, settings.data_dir / settings.service_name / "documenten")
    inhoud = delen(runtime, partner_rulebook(settings)).inhoud
    ophalen.serve(router, runtime, inhoud, make_verstrekking_rulebook())

    async def code_in_gebruik(command: Command[Any]) -> UUID | None:
        code = command.payload.code
        found = [p for p in runtime.views.rows(PARTNERS) if code and p.code == code]
        return found[0].partner_id if found else None

    runtime.pipeline.provide(CODE_IN_GEBRUIK, code_in_gebruik)
    return router


def _loops(runtime: ServiceRuntime[NotificatiesSettings]) -> Sequence[BackgroundLoop]:
    parts = delen(runtime, partner_rulebook(runtime.settings))

    def opruimen(ouder_dan: float) -> None:
        parts.wachtrij.ruim_op(ouder_dan)
        parts.inhoud.ruim_op(ouder_dan)

    drukkerij = Drukkerij(
        runtime,
        make_brief_rulebook(),
        parts.wachtrij,
        lambda: runtime.views.rows(PARTNERS),
        parts.bezorger.wek,
        bewaar_s=runtime.settings.partner_retention_days * 86_400,
        opruimen=opruimen,
    )
    return (parts.bezorger, drukkerij)


POLICIES: tuple[Policy[Any, Any], ...] = (
    Policy(
        durable="notificaties-afschriften",
        event=AfschriftKlaargezet,
        command=ZetBriefKlaar,
        translate=uit_afschrift,
        description="Maakt en verstuurt elk afschrift van een crisisbesluit.",
    ),
    Policy(
        durable="notificaties-melderbrieven",
        event=MeldpuntBrief,
        command=ZetBriefKlaar,
        translate=uit_melderbrief,
        description="Maakt en verstuurt de brieven van het meldpunt aan melders.",
    ),
    Policy(
        durable="notificaties-vo-melderbrieven",
        event=OnderzoekBrief,
        command=ZetBriefKlaar,
        translate=uit_melderbrief,
        description="Maakt en verstuurt de terugkoppeling van een onderzoek aan de melder.",
    ),
)


DEFINITION: ServiceDefinition[Any] = ServiceDefinition(
    settings=NotificatiesSettings,
    name="notificaties",
    title="Wvggz notificaties",
    description="Brieven, afschriften en leveringen aan ketenpartners, met verstrekkingenlog.",
    events=EVENTS,
    rulebooks=lambda settings: (
        partner_rulebook(settings),
        make_brief_rulebook(),
        make_verstrekking_rulebook(),
    ),
    queries=(*QUERIES, *brieven_vragen.QUERIES),
    policies=POLICIES,
    build_router=_router,
    views=lambda _settings: VIEWS,
    event_consumers=(UITLEVERING,),
    background=_loops,
    archief=ARCHIEF,
    een_proces="its delivery queue and letter files are kept beside it, not in the store",
)


def create_app(
    settings: NotificatiesSettings | None = None, *, clock: Callable[[], datetime] = utc_now
) -> AsgiFastStream:
    """Build the notificaties process."""
    return DEFINITION.build(settings, clock=clock)
