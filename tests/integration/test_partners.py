"""Functioneel beheer registers chain partners and their subscriptions over the HTTP API, on the
running notificaties service."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from tests.integration.platforms import running
from tests.integration.test_http_api import Api
from wvggz.catalog import PORTAAL
from wvggz.runner import Platform

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    with running(tmp_path_factory.mktemp("partners"), ("notificaties", PORTAAL)) as started:
        yield started


def test_functioneel_beheer_registers_a_partner_and_its_subscription(platform: Platform) -> None:
    beheer = Api(platform, "functioneel-beheer.gm0402")
    partner = str(uuid.uuid4())
    om = {
        "partner_id": partner,
        "naam": "Openbaar Ministerie",
        "oin": "00000001003214345000",
        "soort": "om",
        "beheerd_door": "GM0402",
        "code": "demo",
    }
    abonnement = {
        "partner_id": partner,
        "abonnement_id": str(uuid.uuid4()),
        "gebeurtenissen": ["nl.wvggz.onderzoek.aanvraag-ingediend.v1"],
    }

    registered = beheer.call("POST", "/partners/registreer-partner", om)
    again = beheer.call("POST", "/partners/registreer-partner", om)
    subscribed = beheer.call("POST", f"/partners/{partner}/abonneer", abonnement)
    unknown = beheer.call(
        "POST",
        f"/partners/{partner}/abonneer",
        abonnement | {"abonnement_id": str(uuid.uuid4()), "gebeurtenissen": ["nl.wvggz.x.y.v1"]},
    )
    elsewhere = Api(platform, "functioneel-beheer.gm0406").call(
        "POST", f"/partners/{partner}/abonneer", abonnement | {"abonnement_id": str(uuid.uuid4())}
    )
    triagist = Api(platform, "triagist.gm0402").call("POST", "/partners/registreer-partner", om)

    assert registered.status == 201 and registered.body["case_id"] == partner
    assert again.status == 422 and again.body["invalidParams"][0]["name"] == "partner_id"
    assert subscribed.status == 200, subscribed.body
    assert unknown.status == 422 and unknown.body["invalidParams"][0]["name"] == "gebeurtenissen"
    assert elsewhere.status == 403, "managed by GM0402"
    assert triagist.status == 403
