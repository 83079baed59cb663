"""The meldpunt router over request/reply (in-memory broker): who the sender is, and answers."""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from faststream.nats import NatsBroker, TestNatsBroker
from wvggz_contracts.subjects import command_subject, query_subject

from kernel.identity.testing import TestIssuer
from services.meldpunt.app import MeldpuntSettings, create_app
from tests.identity import bearer
from tests.services.meldpunt.fixtures import registreer_melding

SUBJECT = command_subject("meldpunt", "registreer-melding")
WERKVOORRAAD = query_subject("meldpunt", "werkvoorraad")

Issuer = tuple[TestIssuer, dict[str, Any]]


def body(**changes: object) -> dict[str, Any]:
    melding = registreer_melding(datetime.now(UTC)).model_dump(mode="json")
    return {"command_id": str(uuid.uuid4()), "payload": melding, **changes}


async def ask(
    broker: NatsBroker, message: dict[str, Any], subject: str, headers: dict[str, str]
) -> dict[str, Any]:
    """Send a request and decode the service's JSON reply."""
    reply = await (await broker.request(message, subject, headers=headers)).decode()
    assert isinstance(reply, dict), reply
    return reply


@pytest.fixture
def broker(tmp_path: Path, issuer: Issuer) -> NatsBroker:
    """The broker of a meldpunt process (its store in `tmp_path`), not connected to any server."""
    _issuer, oidc = issuer
    app = create_app(MeldpuntSettings(data_dir=tmp_path, **oidc))
    assert isinstance(app.broker, NatsBroker)
    return app.broker


@pytest.fixture
def triagist(issuer: Issuer) -> dict[str, str]:
    token_issuer, _oidc = issuer
    return bearer(token_issuer.token("t-1", ["triagist"], ["GM0402"]))


async def test_a_registered_melding_is_answered_with_its_case_and_position(
    broker: NatsBroker, triagist: dict[str, str]
) -> None:
    async with TestNatsBroker(broker) as test_broker:
        reply = await ask(test_broker, body(), SUBJECT, triagist)

    assert reply["ok"] is True, reply
    assert reply["position"] == 1 and reply["version"] == 0
    uuid.UUID(reply["case_id"])


async def test_an_invalid_bsn_is_answered_with_the_field_and_nothing_is_stored(
    broker: NatsBroker, triagist: dict[str, str]
) -> None:
    invalid = body()
    invalid["payload"]["betrokkene"]["bsn"] = "123456789"

    async with TestNatsBroker(broker) as test_broker:
        reply = await ask(test_broker, invalid, SUBJECT, triagist)
        again = await ask(test_broker, body(), SUBJECT, triagist)

    assert reply["error"] == {
        "code": "validation_failed",
        "field": "payload.betrokkene.bsn",
        "message": "payload.betrokkene.bsn: dit BSN voldoet niet aan de elfproef",
    }
    assert again["position"] == 1, "the refused melding took no position"


async def test_an_actor_in_the_body_is_refused_with_where_identity_comes_from(
    broker: NatsBroker, triagist: dict[str, str]
) -> None:
    claimed = body(actor={"id": "b-1", "rol": "burgemeester", "gemeente": "GM0402"})

    async with TestNatsBroker(broker) as test_broker:
        reply = await ask(test_broker, claimed, SUBJECT, triagist)

    assert reply["error"]["code"] == "validation_failed"
    assert "toegangstoken" in reply["error"]["message"]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Basic dDpk"},
        {"Authorization": "Bearer not-a-jwt"},
    ],
    ids=["missing", "not-bearer", "malformed"],
)
async def test_a_request_without_a_valid_token_is_unauthenticated_and_changes_nothing(
    broker: NatsBroker, headers: dict[str, str]
) -> None:
    async with TestNatsBroker(broker) as test_broker:
        reply = await ask(test_broker, body(), SUBJECT, headers)
        query = await ask(test_broker, {"params": {}}, WERKVOORRAAD, headers)

    assert reply["error"]["code"] == "unauthenticated"
    assert query["error"]["code"] == "unauthenticated"
    assert "case_id" not in reply


@pytest.mark.parametrize("bad", ["expired", "other-key", "alg-none", "hs256", "audience"])
async def test_forged_and_expired_tokens_are_refused(
    broker: NatsBroker, issuer: Issuer, bad: str
) -> None:
    token_issuer, _oidc = issuer
    claims = token_issuer.claims("t-1", ["triagist"], ["GM0402"])
    token = {
        "expired": lambda: token_issuer.token("t-1", ["triagist"], ["GM0402"], expires_in=-120),
        "other-key": lambda: token_issuer.signed_by_other_key(claims),
        "alg-none": lambda: token_issuer.unsigned(claims),
        "hs256": lambda: token_issuer.hmac_signed_with_public_key(claims),
        "audience": lambda: token_issuer.token(
            "t-1", ["triagist"], ["GM0402"], audience="someone-else"
        ),
    }[bad]()

    async with TestNatsBroker(broker) as test_broker:
        reply = await ask(test_broker, body(), SUBJECT, bearer(token))

    assert reply["error"]["code"] == "unauthenticated", reply


async def test_a_token_for_several_roles_needs_the_role_header(
    broker: NatsBroker, issuer: Issuer
) -> None:
    token_issuer, _oidc = issuer
    token = token_issuer.token("tc-1", ["triagist", "consulent"], ["GM0402"])

    async with TestNatsBroker(broker) as test_broker:
        unchosen = await ask(test_broker, body(), SUBJECT, bearer(token))
        chosen = await ask(test_broker, body(), SUBJECT, bearer(token, **{"Wvggz-Rol": "triagist"}))
        not_granted = await ask(
            test_broker, body(), SUBJECT, bearer(token, **{"Wvggz-Rol": "burgemeester"})
        )

    assert unchosen["error"]["code"] == "forbidden" and "Wvggz-Rol" in unchosen["error"]["message"]
    assert chosen["ok"] is True
    assert not_granted["error"]["code"] == "forbidden"


async def raw_ask(
    broker: NatsBroker, raw: bytes, subject: str, headers: dict[str, str]
) -> dict[str, Any]:
    """Send raw bytes, as a careless or hostile client could, and decode the reply."""
    reply = await (await broker.request(raw, subject, headers=headers, timeout=5)).decode()
    assert isinstance(reply, dict), reply
    return reply


async def test_json_nested_far_too_deep_is_answered_with_a_validation_error(
    broker: NatsBroker, triagist: dict[str, str]
) -> None:
    deep = b'{"params":' + b"[" * 200_000 + b"]" * 200_000 + b"}"

    async with TestNatsBroker(broker) as test_broker:
        command = await raw_ask(test_broker, deep, SUBJECT, triagist)
        query = await raw_ask(test_broker, deep, WERKVOORRAAD, triagist)

    for reply in (command, query):
        assert reply["error"]["code"] == "validation_failed", reply


async def test_a_request_over_the_size_limit_is_refused_before_it_is_parsed(
    broker: NatsBroker, triagist: dict[str, str]
) -> None:
    huge = json.dumps(body(payload={"situatie": "x" * 300_000})).encode()

    async with TestNatsBroker(broker) as test_broker:
        reply = await raw_ask(test_broker, huge, SUBJECT, triagist)

    assert reply["error"]["code"] == "validation_failed"
    assert "256 KiB" in reply["error"]["message"]


async def test_a_min_position_beyond_the_store_is_refused_at_once_instead_of_waiting(
    broker: NatsBroker, triagist: dict[str, str]
) -> None:
    query = json.dumps({"params": {}, "min_position": 10**18}).encode()

    async with TestNatsBroker(broker) as test_broker:
        start = time.monotonic()
        reply = await raw_ask(test_broker, query, WERKVOORRAAD, triagist)
        took = time.monotonic() - start

    assert reply["error"]["code"] == "validation_failed"
    assert reply["error"]["field"] == "min_position"
    assert took < 1.0, "no worker is held for the view to reach an impossible position"
