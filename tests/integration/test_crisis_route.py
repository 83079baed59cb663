"""The crisismaatregel over NATS: melding → verklaring → horen → besluit → afschriften → expiry."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import nats
import pytest
from nats.aio.client import Client as Nats
from pydantic import BaseModel
from wvggz_contracts.commands import Actor
from wvggz_contracts.crisis import OndertekenMedischeVerklaring, StelIntegraalAdviesSamen
from wvggz_contracts.subjects import EVENTS_STREAM

from kernel.decider import derived_id
from kernel.eventstore.sqlite import SqliteEventStore
from kernel.identity.testing import TestIssuer
from kernel.testing import NatsServer
from services.crisis.app import CrisisSettings, create_app
from services.crisis.domain import crisis_id_for
from tests.integration.events import eventually
from tests.integration.platforms import local_platform
from tests.integration.route import (
    Staff,
    Tokens,
    actor,
    demo_tokens,
    demo_user,
    issued_by,
    melding,
    triage,
)
from tests.services.crisis import fixtures as f

pytestmark = pytest.mark.integration


class Clock:
    def __init__(self) -> None:
        self.now = f.GEMELD_OP + timedelta(minutes=5)

    def __call__(self) -> datetime:
        return self.now


class Caller:
    """Staff of the crisis service."""

    def __init__(self, client: Nats, who: Actor, tokens: Tokens) -> None:
        self.staff = Staff(client, who, tokens)

    async def command(
        self, name: str, payload: BaseModel | dict[str, Any], command_id: uuid.UUID | None = None
    ) -> dict[str, Any]:
        return await self.staff.command("crisis", name, payload, command_id)

    async def query(self, name: str, params: dict[str, Any]) -> dict[str, Any]:
        return await self.staff.query("crisis", name, params)


async def stored_types(path: Path, crisis_id: uuid.UUID) -> list[str]:
    store = SqliteEventStore(path)
    try:
        return [e.type.split(".")[-2] for e in await store.read(f"crisismaatregel-{crisis_id}")]
    finally:
        await store.close()


async def test_a_crisismaatregel_is_decided_copied_and_expires_once(
    tmp_path: Path, nats_server: NatsServer, issuer: tuple[TestIssuer, dict[str, Any]]
) -> None:
    clock = Clock()
    token_issuer, oidc = issuer
    tokens = issued_by(token_issuer)
    settings = CrisisSettings(
        data_dir=tmp_path, nats_url=nats_server.url, deadline_interval_s=0.05, **oidc
    )
    events_db = settings.store_path

    async with create_app(settings, clock=clock):
        client = await nats.connect(nats_server.url)
        beheer = Caller(client, f.BEHEER, tokens)
        crisisdienst = Caller(client, f.CRISISDIENST, tokens)
        psychiater, hoorder = (
            Caller(client, f.PSYCHIATER, tokens),
            Caller(client, f.HOORDER, tokens),
        )
        burgemeester = Caller(client, f.BURGEMEESTER, tokens)
        mandaat = {
            "gemeente": f.GEMEENTE,
            "partij": "Vcare",
            "geldig_van": "2026-01-01",
            "geldig_tot": "2026-12-31",
        }
        registered = await beheer.command("registreer-hoormandaat", mandaat)
        assert registered["ok"], registered
        assert (await crisisdienst.command("meld-crisis", f.meld()))["ok"]

        # The party mandated, but the user not (yet) registered as one of its hoorders.
        unregistered = await hoorder.command("leg-hoorverslag-vast", f.hoorverslag())
        assert unregistered["error"]["code"] == "forbidden", unregistered
        hoorder_van_vcare = {
            "gemeente": f.GEMEENTE,
            "hoorder": f.HOORDER.id,
            "partij": "Vcare",
            "geldig_van": "2026-01-01",
        }
        assert (await beheer.command("registreer-hoorder", hoorder_van_vcare))["ok"]
        clock.now = f.GEMELD_OP + timedelta(hours=1, minutes=10)
        draft_id = uuid.uuid4()
        drafted = await psychiater.command("stel-medische-verklaring-op", f.verklaring(), draft_id)
        assert drafted["ok"], drafted["error"]
        signed = OndertekenMedischeVerklaring(
            crisis_id=f.CRISIS_ID, verklaring_id=derived_id(draft_id, "medische-verklaring")
        )
        assert (await psychiater.command("onderteken-medische-verklaring", signed))["ok"]
        clock.now = f.GEMELD_OP + timedelta(hours=3)
        # A client cannot claim a mandate (the contract has no such field); the register decides.
        claimed = {**f.hoorverslag().model_dump(mode="json"), "mandaat": None}
        refused = await hoorder.command("leg-hoorverslag-vast", claimed)
        assert refused["error"]["code"] == "validation_failed", refused
        assert (await hoorder.command("leg-hoorverslag-vast", f.hoorverslag()))["ok"]
        advies = StelIntegraalAdviesSamen(crisis_id=f.CRISIS_ID)
        assert (await crisisdienst.command("stel-integraal-advies-samen", advies))["ok"]
        clock.now = f.BESLUIT_OP
        decided = await burgemeester.command("neem-besluit", f.besluit(advocaat=None))
        assert decided["ok"], decided
        open_cases = await crisisdienst.query("open-crises", {})
        await client.close()

    [case] = open_cases["data"]
    assert case["wacht_op"] == "einde-maatregel" and case["uren_over"] > 60
    types = await stored_types(events_db, f.CRISIS_ID)
    # betrokkene, GD, IGJ, OvJ and the pvp (consent given); the advocaat once one is assigned
    assert types.count("afschrift-klaargezet") == 5
    assert "advocaat-toewijzing-gevraagd" in types

    nats_server.stop()
    nats_server.start()
    async with create_app(settings, clock=clock):
        clock.now = f.EINDIGT_OP + timedelta(minutes=1)

        async def expired() -> bool:
            return "crisismaatregel-verlopen" in await stored_types(events_db, f.CRISIS_ID)

        await eventually(expired, what="the measure's expiry")
    async with create_app(settings, clock=clock):
        await asyncio.sleep(0.5)  # a restarted watcher with the end long past

    assert (await stored_types(events_db, f.CRISIS_ID)).count("crisismaatregel-verlopen") == 1


async def test_the_18_hour_norm_warns_at_12_hours_and_then_passes_once(
    tmp_path: Path, nats_server: NatsServer, issuer: tuple[TestIssuer, dict[str, Any]]
) -> None:
    clock = Clock()
    token_issuer, oidc = issuer
    settings = CrisisSettings(
        data_dir=tmp_path, nats_url=nats_server.url, deadline_interval_s=0.05, **oidc
    )

    async with create_app(settings, clock=clock):
        client = await nats.connect(nats_server.url)
        crisisdienst = Caller(client, f.CRISISDIENST, issued_by(token_issuer))
        assert (await crisisdienst.command("meld-crisis", f.meld()))["ok"]
        await client.close()
        clock.now = f.WAARSCHUWING_OP + timedelta(minutes=1)

        async def warned() -> bool:
            return "besluit-termijn-waarschuwing" in await stored_types(
                settings.store_path, f.CRISIS_ID
            )

        await eventually(warned, what="the 12-hour warning")
        clock.now = f.BESLUIT_UITERLIJK + timedelta(minutes=1)

        async def passed() -> bool:
            return "besluit-termijn-verstreken" in await stored_types(
                settings.store_path, f.CRISIS_ID
            )

        await eventually(passed, what="the 18-hour norm passing")
        await asyncio.sleep(0.3)

    types = await stored_types(settings.store_path, f.CRISIS_ID)
    assert types.count("besluit-termijn-waarschuwing") == 1
    assert types.count("besluit-termijn-verstreken") == 1


async def test_a_crisis_triage_at_the_meldpunt_starts_a_crisis_case(tmp_path: Path) -> None:
    platform = local_platform(tmp_path / "var", ("meldpunt", "crisis"))
    platform.start(timeout=60)
    try:
        connection = platform.connection()
        tokens = demo_tokens(connection)
        client = await connection.client()
        observer = await connection.client("bootstrap")
        triagist = Staff(client, actor("triagist"), tokens)
        crisisdienst = Caller(client, demo_user(f.CRISISDIENST), tokens)
        registered = await triagist.command("meldpunt", "registreer-melding", melding("buur"))
        triaged = await triagist.command(
            "meldpunt",
            "rond-triage-af",
            triage(registered["case_id"], uitkomst="crisis", afwijking_motivatie="Acuut gevaar."),
        )
        assert triaged["ok"], triaged
        crisis_id = str(crisis_id_for(uuid.UUID(registered["case_id"])))

        async def started() -> bool:
            rows = (await crisisdienst.query("open-crises", {}))["data"]
            return any(row["crisis_id"] == crisis_id for row in rows)

        await eventually(started, what="the crisis case started from the triage event")
        [case] = (await crisisdienst.query("open-crises", {}))["data"]
        assert case["wacht_op"] == "besluit" and 17.9 < case["uren_over"] <= 18
        await walk_to_the_besluit(client, uuid.UUID(crisis_id), tokens)

        async def copies_published() -> bool:
            info = await observer.jetstream().stream_info(
                EVENTS_STREAM, subjects_filter="wvggz.evt.crisis.*.afschrift-klaargezet.v1"
            )
            return sum((info.state.subjects or {}).values()) == 6

        await eventually(copies_published, what="six afschriften on the bus")
        await client.close()
        await observer.close()
    finally:
        platform.stop()


async def walk_to_the_besluit(client: Nats, crisis_id: uuid.UUID, tokens: Tokens) -> None:
    """Verklaring, hearing, advies and the burgemeester's besluit by the demo users."""
    now = datetime.now(UTC)
    psychiater, hoorder = demo_user(f.PSYCHIATER).id, demo_user(f.HOORDER).id
    mandaat = {"gemeente": f.GEMEENTE, "partij": "Vcare", "geldig_van": "2026-01-01"}
    van_vcare = {**mandaat, "hoorder": hoorder}
    steps: list[tuple[Actor, str, BaseModel | dict[str, Any], uuid.UUID | None]] = [
        (f.BEHEER, "registreer-hoormandaat", mandaat, None),
        (f.BEHEER, "registreer-hoorder", van_vcare, None),
        (
            f.PSYCHIATER,
            "stel-medische-verklaring-op",
            f.verklaring(crisis_id=crisis_id, onderzocht_op=now, psychiater=psychiater),
            uuid.UUID(int=1),
        ),
        (
            f.PSYCHIATER,
            "onderteken-medische-verklaring",
            OndertekenMedischeVerklaring(
                crisis_id=crisis_id,
                verklaring_id=derived_id(uuid.UUID(int=1), "medische-verklaring"),
            ),
            None,
        ),
        (
            f.HOORDER,
            "leg-hoorverslag-vast",
            f.hoorverslag(crisis_id=crisis_id, gehoord_op=now, hoorder=hoorder),
            None,
        ),
        (
            f.CRISISDIENST,
            "stel-integraal-advies-samen",
            StelIntegraalAdviesSamen(crisis_id=crisis_id),
            None,
        ),
        (f.BURGEMEESTER, "neem-besluit", f.besluit(crisis_id=crisis_id, besloten_op=now), None),
    ]
    for who, name, payload, command_id in steps:
        reply = await Caller(client, demo_user(who), tokens).command(name, payload, command_id)
        assert reply["ok"], (name, reply["error"])
