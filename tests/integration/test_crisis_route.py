"""The crisismaatregel over NATS: melding → verklaring → horen → besluit → afschriften → expiry."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import nats
import pytest
from wvggz_contracts.crisis import OndertekenMedischeVerklaring, StelIntegraalAdviesSamen
from wvggz_contracts.subjects import EVENTS_STREAM, command_subject, query_subject

from kernel.decider import derived_id
from kernel.eventstore.sqlite import SqliteEventStore
from kernel.service import build_app
from kernel.testing import free_port
from services.crisis.app import DEFINITION, CrisisSettings
from services.crisis.domain import crisis_id_for
from tests.integration.events import eventually
from tests.integration.route import Staff, actor, melding, triage
from tests.services.crisis import fixtures as f
from wvggz.runner import Platform

pytestmark = pytest.mark.integration


class Clock:
    def __init__(self) -> None:
        self.now = f.GEMELD_OP + timedelta(minutes=5)

    def __call__(self):
        return self.now


class Caller:
    def __init__(self, client, actor) -> None:
        self.client = client
        self.actor = actor.model_dump(mode="json")

    async def command(
        self, name: str, payload, command_id: uuid.UUID | None = None
    ) -> dict[str, Any]:
        body = {
            "command_id": str(command_id or uuid.uuid4()),
            "actor": self.actor,
            "payload": payload.model_dump(mode="json")
            if hasattr(payload, "model_dump")
            else payload,
        }
        message = await self.client.request(
            command_subject("crisis", name), json.dumps(body).encode(), timeout=5
        )
        return json.loads(message.data)

    async def query(self, name: str, params: dict) -> dict[str, Any]:
        body = {"actor": self.actor, "params": params}
        message = await self.client.request(
            query_subject("crisis", name), json.dumps(body).encode(), timeout=5
        )
        return json.loads(message.data)


async def stored_types(path, crisis_id) -> list[str]:
    store = SqliteEventStore(path)
    try:
        return [e.type.split(".")[-2] for e in await store.read(f"crisismaatregel-{crisis_id}")]
    finally:
        await store.close()


async def test_a_crisismaatregel_is_decided_copied_and_expires_once(tmp_path, nats_server):
    clock = Clock()
    settings = CrisisSettings(data_dir=tmp_path, nats_url=nats_server.url, deadline_interval_s=0.05)
    events_db = settings.store_path

    async with build_app(settings, DEFINITION, clock=clock):
        client = await nats.connect(nats_server.url)
        beheer, crisisdienst = Caller(client, f.BEHEER), Caller(client, f.CRISISDIENST)
        psychiater, hoorder = Caller(client, f.PSYCHIATER), Caller(client, f.HOORDER)
        burgemeester = Caller(client, f.BURGEMEESTER)
        mandaat = {
            "gemeente": f.GEMEENTE,
            "partij": "Vcare",
            "geldig_van": "2026-01-01",
            "geldig_tot": "2026-12-31",
        }
        registered = await beheer.command("registreer-hoormandaat", mandaat)
        assert registered["ok"], registered
        assert (await crisisdienst.command("meld-crisis", f.meld()))["ok"]

        unmandated = await hoorder.command("leg-hoorverslag-vast", f.hoorverslag(partij="Onbekend"))
        assert unmandated["error"]["code"] == "forbidden", unmandated
        clock.now = f.GEMELD_OP + timedelta(hours=1, minutes=10)
        draft_id = uuid.uuid4()
        drafted = await psychiater.command("stel-medische-verklaring-op", f.verklaring(), draft_id)
        assert drafted["ok"], drafted["error"]
        signed = OndertekenMedischeVerklaring(
            crisis_id=f.CRISIS_ID, verklaring_id=derived_id(draft_id, "medische-verklaring")
        )
        assert (await psychiater.command("onderteken-medische-verklaring", signed))["ok"]
        clock.now = f.GEMELD_OP + timedelta(hours=3)
        # The client claims a mandate it does not have; the register decides.
        forged = f.hoorverslag(mandaat=None)
        assert (await hoorder.command("leg-hoorverslag-vast", forged))["ok"]
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
    async with build_app(settings, DEFINITION, clock=clock):
        clock.now = f.EINDIGT_OP + timedelta(minutes=1)

        async def expired() -> bool:
            return "crisismaatregel-verlopen" in await stored_types(events_db, f.CRISIS_ID)

        await eventually(expired, what="the measure's expiry")
    async with build_app(settings, DEFINITION, clock=clock):
        await asyncio.sleep(0.5)  # a restarted watcher with the end long past

    assert (await stored_types(events_db, f.CRISIS_ID)).count("crisismaatregel-verlopen") == 1


async def test_the_18_hour_norm_warns_at_12_hours_and_then_passes_once(tmp_path, nats_server):
    clock = Clock()
    settings = CrisisSettings(data_dir=tmp_path, nats_url=nats_server.url, deadline_interval_s=0.05)

    async with build_app(settings, DEFINITION, clock=clock):
        client = await nats.connect(nats_server.url)
        assert (await Caller(client, f.CRISISDIENST).command("meld-crisis", f.meld()))["ok"]
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


async def test_a_crisis_triage_at_the_meldpunt_starts_a_crisis_case(tmp_path):
    platform = Platform(
        data_dir=tmp_path / "var",
        nats_port=free_port(),
        monitor_port=free_port(),
        http_ports={"meldpunt": free_port(), "crisis": free_port()},
        services=("meldpunt", "crisis"),
    )
    platform.start(timeout=60)
    try:
        client = await nats.connect(platform.nats_url)
        triagist = Staff(client, actor("triagist"))
        crisisdienst = Caller(client, f.CRISISDIENST)
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
        await walk_to_the_besluit(client, uuid.UUID(crisis_id))

        async def copies_published() -> bool:
            info = await client.jetstream().stream_info(
                EVENTS_STREAM, subjects_filter="wvggz.evt.crisis.*.afschrift-klaargezet.v1"
            )
            return sum((info.state.subjects or {}).values()) == 6

        await eventually(copies_published, what="six afschriften on the bus")
        await client.close()
    finally:
        platform.stop()


async def walk_to_the_besluit(client, crisis_id: uuid.UUID) -> None:
    """Verklaring, hearing, advies and the burgemeester's besluit, with real times."""
    now = datetime.now(UTC)
    mandaat = {"gemeente": f.GEMEENTE, "partij": "Vcare", "geldig_van": "2026-01-01"}
    steps = [
        (f.BEHEER, "registreer-hoormandaat", mandaat, None),
        (
            f.PSYCHIATER,
            "stel-medische-verklaring-op",
            f.verklaring(crisis_id=crisis_id, onderzocht_op=now),
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
            f.hoorverslag(crisis_id=crisis_id, gehoord_op=now),
            None,
        ),
        (
            f.CRISISDIENST,
            "stel-integraal-advies-samen",
            StelIntegraalAdviesSamen(crisis_id=crisis_id),
            None,
        ),
        (f.BURGEMEESTER, "neem-besluit", f.besluit(crisis_id=crisis_id), None),
    ]
    for who, name, payload, command_id in steps:
        reply = await Caller(client, who).command(name, payload, command_id)
        assert reply["ok"], (name, reply["error"])
