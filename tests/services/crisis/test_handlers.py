"""The crisis router over request/reply (in-memory broker): mandates come from the register only."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from faststream.nats import NatsBroker, TestNatsBroker
from pydantic import BaseModel
from wvggz_contracts.commands import Actor
from wvggz_contracts.crisis import RegistreerHoormandaat
from wvggz_contracts.subjects import command_subject

from kernel.identity.testing import TestIssuer
from services.crisis.app import CrisisSettings, create_app
from services.crisis.domain import LEG_HOORVERSLAG_VAST, MELD_CRISIS, REGISTREER_HOORMANDAAT
from tests.identity import bearer
from tests.services.crisis.fixtures import (
    BEHEER,
    CRISISDIENST,
    GEMEENTE,
    GEMELD_OP,
    HOORDER,
    NU,
    VCARE,
    hoorverslag,
    meld,
)

Issuer = tuple[TestIssuer, dict[str, Any]]


@pytest.fixture
def broker(tmp_path: Path, issuer: Issuer) -> NatsBroker:
    """The broker of a crisis process (its store in `tmp_path`), not connected to any server."""
    _issuer, oidc = issuer
    app = create_app(CrisisSettings(data_dir=tmp_path, **oidc), clock=lambda: NU)
    assert isinstance(app.broker, NatsBroker)
    return app.broker


def body(payload: BaseModel | dict[str, Any]) -> dict[str, Any]:
    data = payload.model_dump(mode="json") if isinstance(payload, BaseModel) else payload
    return {"command_id": str(uuid.uuid4()), "payload": data}


async def send(
    broker: NatsBroker,
    issuer: Issuer,
    who: Actor,
    name: str,
    payload: BaseModel | dict[str, Any],
) -> dict[str, Any]:
    token_issuer, _oidc = issuer
    token = token_issuer.token(who.id, [who.rol.value], [who.gemeente])
    subject = command_subject("crisis", name)
    reply = await (await broker.request(body(payload), subject, headers=bearer(token))).decode()
    assert isinstance(reply, dict)
    return reply


@pytest.mark.parametrize("veld", ["mandaat", "loco_registratie"])
async def test_a_client_that_sends_a_mandate_is_refused_as_invalid(
    broker: NatsBroker, issuer: Issuer, veld: str
) -> None:
    claimed = {**hoorverslag().model_dump(mode="json"), veld: VCARE.model_dump(mode="json")}

    async with TestNatsBroker(broker) as test_broker:
        reply = await send(test_broker, issuer, HOORDER, LEG_HOORVERSLAG_VAST, claimed)

    assert reply["error"]["code"] == "validation_failed"
    assert reply["error"]["field"] == f"payload.{veld}"


async def test_the_register_decides_whether_the_hoorder_may_hear(
    broker: NatsBroker, issuer: Issuer
) -> None:
    mandaat = RegistreerHoormandaat(gemeente=GEMEENTE, partij="Vcare", geldig_van=GEMELD_OP)

    async with TestNatsBroker(broker) as test_broker:
        assert (await send(test_broker, issuer, CRISISDIENST, MELD_CRISIS, meld()))["ok"]
        before = await send(test_broker, issuer, HOORDER, LEG_HOORVERSLAG_VAST, hoorverslag())
        assert (await send(test_broker, issuer, BEHEER, REGISTREER_HOORMANDAAT, mandaat))["ok"]
        other = hoorverslag(partij="Kwintes")
        unmandated = await send(test_broker, issuer, HOORDER, LEG_HOORVERSLAG_VAST, other)
        heard = await send(test_broker, issuer, HOORDER, LEG_HOORVERSLAG_VAST, hoorverslag())

    assert before["error"]["code"] == "forbidden", before
    assert "niet in het mandaatregister" in before["error"]["message"]
    assert unmandated["error"]["code"] == "forbidden", unmandated
    assert heard["ok"], heard
