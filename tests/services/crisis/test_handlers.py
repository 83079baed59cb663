"""The crisis router over request/reply (in-memory broker): mandates come from the register only."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from faststream.nats import NatsBroker, TestNatsBroker
from pydantic import BaseModel
from wvggz_contracts.commands import Actor
from wvggz_contracts.crisis import RegistreerHoorder, RegistreerHoormandaat
from wvggz_contracts.subjects import command_subject

from kernel.identity.testing import TestIssuer
from services.crisis.app import CrisisSettings, create_app
from services.crisis.domain import (
    LEG_HOORVERSLAG_VAST,
    LEG_HOREN_ONMOGELIJK_VAST,
    MELD_CRISIS,
    REGISTREER_HOORMANDAAT,
)
from services.crisis.domain.mandaatregels import REGISTREER_HOORDER
from tests.identity import bearer
from tests.services.crisis.fixtures import (
    ANDERE_GEMEENTE,
    BEHEER,
    CRISISDIENST,
    GEMEENTE,
    GEMELD_OP,
    HOORDER,
    NU,
    VCARE,
    hoorverslag,
    horen_onmogelijk,
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


@pytest.mark.parametrize("veld", ["mandaat", "loco_registratie", "partij"])
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
    hoorder = RegistreerHoorder(
        gemeente=GEMEENTE, hoorder=HOORDER.id, partij="Vcare", geldig_van=GEMELD_OP
    )
    elders = hoorder.model_copy(update={"gemeente": ANDERE_GEMEENTE})
    beheer_elders = BEHEER.model_copy(update={"gemeente": ANDERE_GEMEENTE})

    async with TestNatsBroker(broker) as test_broker:
        assert (await send(test_broker, issuer, CRISISDIENST, MELD_CRISIS, meld()))["ok"]
        assert (await send(test_broker, issuer, BEHEER, REGISTREER_HOORMANDAAT, mandaat))["ok"]
        unregistered = await send(test_broker, issuer, HOORDER, LEG_HOORVERSLAG_VAST, hoorverslag())
        # registered in another gemeente's register: not a hoorder for this one
        assert (await send(test_broker, issuer, beheer_elders, REGISTREER_HOORDER, elders))["ok"]
        elsewhere = await send(test_broker, issuer, HOORDER, LEG_HOORVERSLAG_VAST, hoorverslag())
        impossible = await send(
            test_broker, issuer, CRISISDIENST, LEG_HOREN_ONMOGELIJK_VAST, horen_onmogelijk()
        )
        assert (await send(test_broker, issuer, BEHEER, REGISTREER_HOORDER, hoorder))["ok"]
        heard = await send(test_broker, issuer, HOORDER, LEG_HOORVERSLAG_VAST, hoorverslag())

    for refused in (unregistered, elsewhere, impossible):
        assert refused["error"]["code"] == "forbidden", refused
        assert "niet in het mandaatregister als hoorder" in refused["error"]["message"]
    assert heard["ok"], heard
