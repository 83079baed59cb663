"""A partner fetches the content behind a notification with its own right: over its own fetch
subject, only the fields its kind has a legal basis for, each fetch a verstrekking."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import nats
import pytest
from wvggz_contracts.envelope import CloudEvent, source_urn
from wvggz_contracts.subjects import event_subject, fetch_subject

from kernel.settings import ServiceSettings
from tests.integration.platforms import running
from tests.integration.test_http_api import Api
from tests.integration.test_leveringen import partner
from wvggz.catalog import PORTAAL
from wvggz.partnerlezer import lees
from wvggz.runner import Platform

pytestmark = pytest.mark.integration

AANVRAAG = "nl.wvggz.onderzoek.aanvraag-ingediend.v1"


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    with running(tmp_path_factory.mktemp("ophalen"), ("notificaties", PORTAAL)) as started:
        yield started


def aanvraag(vo_id: uuid.UUID) -> CloudEvent:
    """An aanvraag to the OvJ as the onderzoek publishes it (its content abridged)."""
    return CloudEvent(
        id=uuid.uuid4(),
        source=source_urn(ServiceSettings().oin, "onderzoek"),
        type=AANVRAAG,
        time=datetime.now(UTC),
        subject=vo_id,
        gemeente="GM0402",
        correlationid=vo_id,
        causationid=vo_id,
        actor="consulent.gm0402",
        sequence="1",
        data={
            "vo_id": str(vo_id),
            "betrokkene": {"bsn": "111222333", "naam": "J. Jansen"},
            "gronden": {"ernstig_nadeel": "Verwaarlozing."},
            "spoed": False,
            "rapport_id": str(uuid.uuid4()),
        },
    )


def test_a_partner_fetches_what_its_kind_may_know_and_each_fetch_is_registered(
    platform: Platform,
) -> None:
    beheer = Api(platform, "functioneel-beheer.gm0402")
    partner(beheer, "om", "demo", gebeurtenissen=[AANVRAAG])
    vo_id = uuid.uuid4()
    event = aanvraag(vo_id)

    async def scenario() -> tuple[list[dict[str, Any]], dict[str, Any], dict[str, Any]]:
        assert platform.bus is not None
        onderzoek = await nats.connect(
            servers=platform.nats_url,
            nkeys_seed=str(platform.bus.seed_file("onderzoek")),
            inbox_prefix=platform.bus.inbox_prefix("onderzoek"),
        )
        await onderzoek.jetstream().publish(
            event_subject(AANVRAAG, "GM0402"), event.model_dump_json().encode()
        )
        await onderzoek.close()
        demo = await nats.connect(
            servers=platform.nats_url,
            nkeys_seed=str(platform.bus.seed_file("partner-demo")),
            inbox_prefix=platform.bus.inbox_prefix("partner-demo"),
        )
        try:
            deadline = time.monotonic() + 15
            bodies: list[dict[str, Any]] = []
            while not bodies and time.monotonic() < deadline:
                bodies = [json.loads(n.data) for n in await lees(demo.jetstream(), "demo")]
                await asyncio.sleep(0.2)
            ask = bodies[0]["dataref"].removeprefix("nats:")
            fetched = await demo.request(ask, json.dumps({"id": str(event.id)}).encode(), 5)
            unknown = await demo.request(ask, json.dumps({"id": str(uuid.uuid4())}).encode(), 5)
            malformed = await demo.request(ask, b'{"id": "geen-id", "extra": 1}', 5)
            assert json.loads(malformed.data)["error"]["code"] == "validation_failed"
            return bodies, json.loads(fetched.data), json.loads(unknown.data)
        finally:
            await demo.close()

    bodies, fetched, unknown = asyncio.run(scenario())

    assert bodies[0]["data"] == {} and bodies[0]["dataref"] == f"nats:{fetch_subject('demo')}"
    assert fetched["ok"], fetched
    assert fetched["data"]["data"]["betrokkene"]["naam"] == "J. Jansen"
    assert "rapport_id" not in fetched["data"]["data"], "only what the OvJ's basis names"
    assert unknown["ok"] is False and unknown["error"]["code"] == "not_found"
    register = beheer.call("GET", f"/verstrekkingen?zaak={vo_id}")
    for _ in range(50):  # the register is a view: it follows the store within moments
        if register.body["resultaten"]:
            break
        time.sleep(0.1)
        register = beheer.call("GET", f"/verstrekkingen?zaak={vo_id}")
    [row] = register.body["resultaten"]
    assert (row["aan"], row["wijze"], row["event_id"]) == ("om", "opgehaald", str(event.id))
    assert "art. 5:2 Wvggz" in row["grondslag"] and "betrokkene" in row["categorieen"]
