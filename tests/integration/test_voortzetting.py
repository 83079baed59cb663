"""The voortzetting path over NATS with a fake clock, across service and nats-server restarts.

Terms in whole days with the Algemene termijnenwet (issue 9): the measure of Tuesday 3 November
2026 runs to the end of Friday 6 November; the OvJ's request received on Friday gives the court
all of Tuesday 10 November (art. 7:8 lid 3 Wvggz, art. 2 Atw, HR 22-09-2023,
ECLI:NL:HR:2023:1279); the voortzetting granted on Tuesday runs three weeks after its date (art.
7:9), and a zorgmachtiging request of Monday 16 November keeps it to the end of Monday 7 December,
the court's term for that request (art. 7:10 sub a with 6:2 lid 1 sub b, HR 22-01-2021,
ECLI:NL:HR:2021:107). The expiry signal fires once, then.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import nats
import pytest
from wvggz_contracts.crisis import (
    OndertekenMedischeVerklaring,
    RechterlijkVerzoek,
    RegistreerRechterlijkeBeslissing,
    RegistreerVerzoekVoortzetting,
    RegistreerVerzoekZorgmachtiging,
    StelIntegraalAdviesSamen,
)
from wvggz_contracts.rechtstijd import TIJDZONE

from kernel.decider import derived_id
from kernel.identity.testing import TestIssuer
from kernel.testing import NatsServer
from services.crisis.app import CrisisSettings, create_app
from tests.integration.events import eventually
from tests.integration.route import issued_by
from tests.integration.test_crisis_route import Caller, Clock, stored_types
from tests.services.crisis import fixtures as f

pytestmark = pytest.mark.integration


def ams(month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=TIJDZONE)


VERZOEK_OP = ams(11, 6, 10)
"""Friday 6 November 10:00: the court receives the request for voortzetting."""
RECHTER_UITERLIJK = ams(11, 11)
"""The end of Tuesday 10 November: Saturday, Sunday, Monday hold one working day (Atw art. 2)."""
BESLIST_OP = ams(11, 10, 15)
"""Tuesday 15:00: the court grants the voortzetting (refused at that hour before issue 9)."""
EINDE_VOORTZETTING = ams(12, 2)
"""The end of Tuesday 1 December: three weeks after the voortzetting's date (art. 7:9)."""
ZM_OP = ams(11, 16, 10)
"""Monday 16 November: the court receives the zorgmachtiging request."""
EINDE_ZM = ams(12, 8)
"""The end of Monday 7 December: three weeks after receipt (art. 6:2 lid 1 sub b), not the six
weeks after the voortzetting (the end of 22 December) the platform used before."""


async def eindigt_op(caller: Caller) -> datetime:
    """The measure's end as the open-crises view shows it (the row the watcher reads)."""
    reply = await caller.query("open-crises", {})
    assert reply["ok"], reply
    [case] = [c for c in reply["data"] if c["crisis_id"] == str(f.CRISIS_ID)]
    assert case["wacht_op"] == "einde-maatregel", case
    return datetime.fromisoformat(case["tot"])


async def test_the_voortzetting_path_moves_the_end_and_expires_once(
    tmp_path: Path, nats_server: NatsServer, issuer: tuple[TestIssuer, dict[str, Any]]
) -> None:
    clock = Clock()
    token_issuer, oidc = issuer
    tokens = issued_by(token_issuer)
    settings = CrisisSettings(
        data_dir=tmp_path, nats_url=nats_server.url, deadline_interval_s=0.05, **oidc
    )
    events_db = settings.store_path

    async def verlopen() -> int:
        return (await stored_types(events_db, f.CRISIS_ID)).count("crisismaatregel-verlopen")

    async with create_app(settings, clock=clock):
        client = await nats.connect(nats_server.url)
        beheer, crisisdienst = (
            Caller(client, f.BEHEER, tokens),
            Caller(client, f.CRISISDIENST, tokens),
        )
        psychiater, hoorder = (
            Caller(client, f.PSYCHIATER, tokens),
            Caller(client, f.HOORDER, tokens),
        )
        burgemeester, ovj = Caller(client, f.BURGEMEESTER, tokens), Caller(client, f.OVJ, tokens)
        mandaat = {
            "gemeente": f.GEMEENTE,
            "partij": "Vcare",
            "geldig_van": "2026-01-01",
            "geldig_tot": "2026-12-31",
        }
        assert (await beheer.command("registreer-hoormandaat", mandaat))["ok"]
        hoorder_van_vcare = {
            "gemeente": f.GEMEENTE,
            "hoorder": f.HOORDER.id,
            "partij": "Vcare",
            "geldig_van": "2026-01-01",
        }
        assert (await beheer.command("registreer-hoorder", hoorder_van_vcare))["ok"]
        assert (await crisisdienst.command("meld-crisis", f.meld()))["ok"]
        clock.now = f.GEMELD_OP + timedelta(hours=1, minutes=10)
        draft_id = uuid.uuid4()
        assert (await psychiater.command("stel-medische-verklaring-op", f.verklaring(), draft_id))[
            "ok"
        ]
        signed = OndertekenMedischeVerklaring(
            crisis_id=f.CRISIS_ID, verklaring_id=derived_id(draft_id, "medische-verklaring")
        )
        assert (await psychiater.command("onderteken-medische-verklaring", signed))["ok"]
        clock.now = f.GEMELD_OP + timedelta(hours=3)
        heard = await hoorder.command("leg-hoorverslag-vast", f.hoorverslag())
        assert heard["ok"], heard
        advies = StelIntegraalAdviesSamen(crisis_id=f.CRISIS_ID)
        assert (await crisisdienst.command("stel-integraal-advies-samen", advies))["ok"]
        # the burgemeester decided at 04:30 by phone; it is recorded at 08:00
        clock.now = f.BESLUIT_OP + timedelta(hours=3, minutes=30)
        decided = await burgemeester.command("neem-besluit", f.besluit())
        assert decided["ok"], decided
        assert await eindigt_op(crisisdienst) == f.EINDIGT_OP == ams(11, 7)

        clock.now = VERZOEK_OP + timedelta(minutes=20)
        verzoek = RegistreerVerzoekVoortzetting(crisis_id=f.CRISIS_ID, ingediend_op=VERZOEK_OP)
        requested = await ovj.command("registreer-verzoek-voortzetting", verzoek)
        assert requested["ok"], requested
        assert await eindigt_op(crisisdienst) == RECHTER_UITERLIJK
        await client.close()

    nats_server.stop()
    nats_server.start()
    async with create_app(settings, clock=clock):
        client = await nats.connect(nats_server.url)
        crisisdienst, ovj = Caller(client, f.CRISISDIENST, tokens), Caller(client, f.OVJ, tokens)
        # past the measure's own three days and Tuesday morning: the court may still decide
        clock.now = ams(11, 10, 9, 30)
        await asyncio.sleep(0.5)
        assert await verlopen() == 0
        clock.now = BESLIST_OP + timedelta(minutes=5)
        grant = RegistreerRechterlijkeBeslissing(
            crisis_id=f.CRISIS_ID,
            verzoek=RechterlijkVerzoek.VOORTZETTING,
            toegewezen=True,
            beslist_op=BESLIST_OP,
        )
        granted = await ovj.command("registreer-rechterlijke-beslissing", grant)
        assert granted["ok"], granted
        assert await eindigt_op(crisisdienst) == EINDE_VOORTZETTING

        clock.now = ZM_OP + timedelta(hours=1)
        zm = RegistreerVerzoekZorgmachtiging(crisis_id=f.CRISIS_ID, ingediend_op=ZM_OP)
        filed = await ovj.command("registreer-verzoek-zorgmachtiging", zm)
        assert filed["ok"], filed
        assert await eindigt_op(crisisdienst) == EINDE_ZM
        await client.close()

    nats_server.stop()
    nats_server.start()
    async with create_app(settings, clock=clock):
        # past the voortzetting's own three weeks, within the court's term for the zorgmachtiging
        clock.now = EINDE_ZM - timedelta(minutes=1)
        await asyncio.sleep(0.5)
        assert await verlopen() == 0
        clock.now = EINDE_ZM + timedelta(minutes=1)

        async def expired() -> bool:
            return await verlopen() > 0

        await eventually(expired, what="the voortzetting's expiry")
    async with create_app(settings, clock=clock):
        clock.now = EINDE_ZM + timedelta(days=1)
        await asyncio.sleep(0.5)  # a restarted watcher with the end long past

    assert await verlopen() == 1
    assert EINDE_ZM.astimezone(UTC) == datetime(2026, 12, 7, 23, 0, tzinfo=UTC)
