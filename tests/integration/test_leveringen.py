"""Deliveries to chain partners on the running platform: a webhook receiver that is down, then
failing, then back gets every notification once and in order per case; a partner on NATS reads
its own stream; a given-up delivery waits for functioneel beheer and is delivered when released."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

import nats
import pytest

from tests.integration.platforms import running
from tests.integration.route import melding, triage
from tests.integration.test_http_api import Api
from wvggz.catalog import PORTAAL
from wvggz.partnerlezer import lees
from wvggz.proefontvanger import ProefOntvanger
from wvggz.runner import Platform

pytestmark = pytest.mark.integration

ONTVANGEN = "nl.wvggz.meldpunt.melding-ontvangen.v1"
TRIAGE = "nl.wvggz.meldpunt.triage-afgerond.v1"


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    with running(
        tmp_path_factory.mktemp("leveringen"), ("meldpunt", "notificaties", PORTAAL)
    ) as started:
        yield started


def partner(beheer: Api, soort: str, code: str | None, **abonnement: Any) -> str:
    """Register a partner with one subscription; its id."""
    partner_id = str(uuid.uuid4())
    registered = beheer.call(
        "POST",
        "/partners/registreer-partner",
        {
            "partner_id": partner_id,
            "naam": f"Partner {soort}",
            "oin": "00000001003214345000",
            "soort": soort,
            "beheerd_door": "GM0402",
            **({"code": code} if code else {}),
        },
    )
    assert registered.status == 201, registered.body
    subscribed = beheer.call(
        "POST",
        f"/partners/{partner_id}/abonneer",
        {"partner_id": partner_id, "abonnement_id": str(uuid.uuid4())} | abonnement,
    )
    assert subscribed.status == 200, subscribed.body
    return partner_id


def geheim(beheer: Api, partner_id: str, position: int | None = None) -> bytes:
    """The subscription's signing secret, as functioneel beheer hands it to the partner."""
    query = f"?min_position={position}" if position else ""
    found = beheer.call("GET", f"/partners/{partner_id}/webhook-geheimen{query}")
    assert found.status == 200, found.body
    return bytes.fromhex(found.body[0]["geheim"])


def meldingen(platform: Platform, aantal: int) -> list[str]:
    """Register and triage meldingen: two events per case, in this order."""
    triagist = Api(platform, "triagist.gm0402")
    ids = []
    for _ in range(aantal):
        created = triagist.call("POST", "/meldingen/registreer-melding", melding())
        assert created.status == 201, created.body
        ids.append(created.body["case_id"])
    for melding_id in ids:
        done = triagist.call(
            "POST",
            f"/meldingen/{melding_id}/rond-triage-af",
            triage(melding_id, uitkomst="verkennend-onderzoek"),
        )
        assert done.status == 200, done.body
    return ids


def metric(platform: Platform, name: str, partner_id: str) -> float:
    """One per-partner sample from the notificaties' /metrics."""
    import urllib.request

    url = f"http://127.0.0.1:{platform.port_of('notificaties')}/metrics"
    with urllib.request.urlopen(url, timeout=5) as response:
        text = response.read().decode()
    for line in text.splitlines():
        if line.startswith(f'{name}{{partner="{partner_id}"') or (
            line.startswith(name + "{") and f'partner="{partner_id}"' in line
        ):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_a_receiver_that_was_down_and_failing_gets_each_notification_once_in_order(
    platform: Platform,
) -> None:
    beheer = Api(platform, "functioneel-beheer.gm0402")

    async def scenario() -> None:
        ontvanger = ProefOntvanger(b"nog-onbekend")
        await ontvanger.start()
        partner_id = partner(
            beheer,
            "ggz-aanbieder",
            None,
            gebeurtenissen=[ONTVANGEN, TRIAGE],
            kanaal="webhook",
            url=ontvanger.url,
        )
        ontvanger.secret = geheim(beheer, partner_id)
        await ontvanger.stop()

        ids = await asyncio.to_thread(meldingen, platform, 6)
        await asyncio.sleep(2.0)
        waiting = metric(platform, "wvggz_notificaties_deliveries_waiting", partner_id)
        ontvanger.mode = "fout"
        await ontvanger.start()
        await asyncio.sleep(2.0)
        ontvanger.mode = "ok"
        await ontvanger.wacht_op(12, timeout_s=40.0)
        await asyncio.sleep(0.5)  # nothing more may come
        await ontvanger.stop()

        assert waiting == 12, "while the receiver was down, all twelve waited"
        got = ontvanger.ontvangen
        assert len(got) == 12 and ontvanger.dubbel == 0
        assert ontvanger.geweigerd == 0, "every delivery was signed with the subscription's secret"
        for melding_id in ids:
            types = [o.type for o in got if o.subject == melding_id]
            assert types == [ONTVANGEN, TRIAGE], "in order per case"
        failed = metric(platform, "wvggz_notificaties_deliveries_total", partner_id)
        assert failed > 0
        assert metric(platform, "wvggz_notificaties_deliveries_waiting", partner_id) == 0

    asyncio.run(scenario())


def test_a_partner_on_nats_reads_references_from_its_own_stream(platform: Platform) -> None:
    beheer = Api(platform, "functioneel-beheer.gm0402")
    partner(beheer, "politie", "demo", gebeurtenissen=[ONTVANGEN])
    ids = meldingen(platform, 3)

    async def read() -> list[dict[str, Any]]:
        assert platform.bus is not None
        client = await nats.connect(
            servers=platform.nats_url,
            nkeys_seed=str(platform.bus.seed_file("partner-demo")),
            inbox_prefix=platform.bus.inbox_prefix("partner-demo"),
        )
        try:
            deadline = time.monotonic() + 15
            while True:
                found = await lees(client.jetstream(), "demo", timeout_s=1.0)
                bodies = [json.loads(n.data) for n in found]
                if {b["subject"] for b in bodies} >= set(ids) or time.monotonic() > deadline:
                    return bodies
                await asyncio.sleep(0.2)
        finally:
            await client.close()

    bodies = asyncio.run(read())

    mine = [b for b in bodies if b["subject"] in ids]
    assert len(mine) == 3 and {b["type"] for b in mine} == {ONTVANGEN}
    assert all(b["data"] == {} for b in mine), "a reference only: no personal data"
    assert "bsn" not in json.dumps(bodies)


def test_a_given_up_delivery_waits_for_functioneel_beheer_and_goes_out_when_released(
    platform: Platform,
) -> None:
    beheer = Api(platform, "functioneel-beheer.gm0402")

    async def scenario() -> None:
        ontvanger = ProefOntvanger(b"nog-onbekend")
        ontvanger.mode = "weg"  # 410 Gone: retrying cannot help, so it is given up at once
        await ontvanger.start()
        partner_id = partner(
            beheer, "om", None, gebeurtenissen=[ONTVANGEN], kanaal="webhook", url=ontvanger.url
        )
        ontvanger.secret = geheim(beheer, partner_id)
        [melding_id] = await asyncio.to_thread(meldingen, platform, 1)

        deadline = time.monotonic() + 15
        dossier = beheer.call("GET", f"/partners/{partner_id}")
        while not dossier.body["opgegeven"] and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
            dossier = beheer.call("GET", f"/partners/{partner_id}")
        owed = beheer.call("GET", f"/partners/{partner_id}/leveringen")
        given_up = metric(platform, "wvggz_notificaties_deliveries_given_up", partner_id)
        refused = Api(platform, "triagist.gm0402").call(
            "POST",
            f"/partners/{partner_id}/herlever-leveringen",
            {"partner_id": partner_id, "event_ids": dossier.body["opgegeven"]},
        )
        ontvanger.mode = "ok"
        released = beheer.call(
            "POST",
            f"/partners/{partner_id}/herlever-leveringen",
            {"partner_id": partner_id, "event_ids": dossier.body["opgegeven"]},
        )
        await ontvanger.wacht_op(1, timeout_s=15.0)
        await ontvanger.stop()

        assert len(dossier.body["opgegeven"]) == 1
        assert owed.body[0]["staat"] == "opgegeven" and owed.body[0]["zaak"] == melding_id
        assert owed.body[0]["reden"] == "weg (HTTP 410)"
        assert given_up == 1
        assert refused.status == 403
        assert released.status == 200, released.body
        assert [o.subject for o in ontvanger.ontvangen] == [melding_id]
        after = beheer.call(
            "GET", f"/partners/{partner_id}?min_position={released.body['position']}"
        )
        assert after.body["opgegeven"] == []

    asyncio.run(scenario())
