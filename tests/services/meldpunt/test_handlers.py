"""The meldpunt router answers RegistreerMelding over request/reply (in-memory broker)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from faststream.nats import TestNatsBroker
from wvggz_contracts.subjects import command_subject

from services.meldpunt.app import MeldpuntSettings, create_app
from tests.services.meldpunt.fixtures import registreer_melding, request_body

SUBJECT = command_subject("meldpunt", "registreer-melding")
TRIAGIST = {"id": "t-1", "rol": "triagist", "gemeente": "GM0402"}


async def test_a_registered_melding_is_answered_with_its_case_and_position(tmp_path):
    app = create_app(MeldpuntSettings(data_dir=tmp_path))
    body = request_body(registreer_melding(datetime.now(UTC)), TRIAGIST, str(uuid.uuid4()))

    async with TestNatsBroker(app.broker) as broker:
        reply = await (await broker.request(body, SUBJECT)).decode()

    assert reply["ok"] is True
    assert reply["position"] == 1 and reply["version"] == 0
    uuid.UUID(reply["case_id"])


async def test_an_invalid_bsn_is_answered_with_the_field_and_nothing_is_stored(tmp_path):
    app = create_app(MeldpuntSettings(data_dir=tmp_path))
    melding = registreer_melding(datetime.now(UTC)).model_dump(mode="json")
    melding["betrokkene"]["bsn"] = "123456789"
    body = {"command_id": str(uuid.uuid4()), "actor": TRIAGIST, "payload": melding}

    async with TestNatsBroker(app.broker) as broker:
        reply = await (await broker.request(body, SUBJECT)).decode()
        again = await (
            await broker.request(
                request_body(registreer_melding(datetime.now(UTC)), TRIAGIST, str(uuid.uuid4())),
                SUBJECT,
            )
        ).decode()

    assert reply["error"] == {
        "code": "validation_failed",
        "field": "payload.betrokkene.bsn",
        "message": "payload.betrokkene.bsn: Value error, dit BSN voldoet niet aan de elfproef",
    }
    assert again["position"] == 1, "the refused melding took no position"
