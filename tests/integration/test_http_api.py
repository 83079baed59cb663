"""The HTTP API on the running platform: the portaal process in front of the real services, with
tokens from the real identity provider."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from typing import Any

import pytest

from tests.integration.platforms import running
from tests.integration.route import melding, triage
from wvggz.catalog import PORTAAL
from wvggz.runner import Platform

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    with running(
        tmp_path_factory.mktemp("api"), ("meldpunt", "onderzoek", "crisis", PORTAAL)
    ) as started:
        yield started


@dataclass
class Answer:
    status: int
    headers: Message
    """Case-insensitive, as HTTP header names are."""
    body: Any


@dataclass
class Api:
    """HTTP calls to the portaal as one demo user (or nobody)."""

    platform: Platform
    user: str | None

    def call(self, method: str, path: str, body: Any = None, **headers: str) -> Answer:
        url = f"http://127.0.0.1:{self.platform.port_of(PORTAAL)}/api/v1{path}"
        sent = {k.replace("_", "-"): v for k, v in headers.items()}
        if self.user is not None:
            sent["Authorization"] = f"Bearer {self.platform.connection().token(self.user)}"
        data = None if body is None else json.dumps(body).encode()
        if data is not None:
            sent["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=data, method=method, headers=sent)
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                raw = response.read()
                return Answer(response.status, response.headers, json.loads(raw or b"null"))
        except urllib.error.HTTPError as error:
            raw = error.read()
            return Answer(error.code, error.headers, json.loads(raw) if raw else None)


def test_a_melding_is_registered_read_and_triaged_over_http(platform: Platform) -> None:
    triagist = Api(platform, "triagist.gm0402")
    key, payload = str(uuid.uuid4()), melding()

    created = triagist.call("POST", "/meldingen/registreer-melding", payload, Idempotency_Key=key)
    again = triagist.call("POST", "/meldingen/registreer-melding", payload, Idempotency_Key=key)
    reused = triagist.call("POST", "/meldingen/registreer-melding", melding(), Idempotency_Key=key)
    melding_id = created.body["case_id"]
    position = created.body["position"]
    dossier = triagist.call("GET", f"/meldingen/{melding_id}?min_position={position}")
    lijst = triagist.call("GET", f"/meldingen?min_position={position}&pageSize=5")
    before = triagist.call("GET", f"/meldingen/{melding_id}/acties")
    stale = triagist.call(
        "POST",
        f"/meldingen/{melding_id}/rond-triage-af",
        triage(melding_id, uitkomst="verkennend-onderzoek"),
        If_Match='"7"',
    )
    triaged = triagist.call(
        "POST",
        f"/meldingen/{melding_id}/rond-triage-af",
        triage(melding_id, uitkomst="verkennend-onderzoek"),
        If_Match=dossier.headers["ETag"],
    )

    version = created.body["version"]
    assert created.status == 201 and created.headers["ETag"] == f'"{version}"'
    assert created.headers["Location"] == f"/api/v1/meldingen/{melding_id}"
    assert created.headers["API-Version"] == "1.0.0"
    assert again.status == 200 and again.body["duplicate"] is True
    assert again.body["case_id"] == melding_id, "the Idempotency-Key made it the same command"
    assert reused.status == 422 and reused.body["code"] == "idempotency_key_reused"
    assert dossier.status == 200 and dossier.body["melding_id"] == melding_id
    assert dossier.headers["ETag"] == f'"{version}"', "the dossier shows the version written"
    assert lijst.status == 200 and lijst.body["paginagrootte"] == 5
    assert melding_id in json.dumps(lijst.body["resultaten"]) or lijst.body["totaal"] > 5
    assert stale.status == 412 and stale.body["code"] == "conflict"
    assert stale.headers["ETag"] == f'"{version}"', "the current version, to read again"
    assert triaged.status == 200 and triaged.headers["ETag"] == f'"{triaged.body["version"]}"'
    assert triaged.body["version"] > version
    after = triagist.call("GET", f"/meldingen/{melding_id}/acties")
    assert before.status == 200 and "rond-triage-af" in before.body["acties"]
    assert after.status == 200 and after.body["acties"] == [], "triaged: nothing left to do here"


def test_refusals_come_back_as_problems_with_the_services_field(platform: Platform) -> None:
    triagist = Api(platform, "triagist.gm0402")
    created = triagist.call("POST", "/meldingen/registreer-melding", melding())
    melding_id = created.body["case_id"]
    bad = melding()
    bad["betrokkene"]["bsn"] = "123456789"

    anonymous = Api(platform, None).call("GET", "/meldingen")
    invalid = triagist.call("POST", "/meldingen/registreer-melding", bad)
    elsewhere = triagist.call(
        "POST",
        f"/meldingen/{uuid.uuid4()}/rond-triage-af",
        triage(melding_id, uitkomst="verkennend-onderzoek"),
    )
    other_gemeente = Api(platform, "triagist.gm0406").call(
        "GET", f"/meldingen/{melding_id}?min_position={created.body['position']}"
    )
    wrong_role = Api(platform, "consulent.gm0402").call(
        "POST",
        f"/meldingen/{melding_id}/rond-triage-af",
        triage(melding_id, uitkomst="verkennend-onderzoek"),
    )

    assert anonymous.status == 401 and anonymous.headers["WWW-Authenticate"].startswith("Bearer")
    assert invalid.status == 400 and invalid.headers["Content-Type"] == "application/problem+json"
    assert invalid.body["invalidParams"][0]["name"] == "payload.betrokkene.bsn"
    assert elsewhere.status == 400 and elsewhere.body["invalidParams"][0]["name"] == "case_id"
    assert other_gemeente.status == 404, "another gemeente's melding does not exist for them"
    assert wrong_role.status == 403 and wrong_role.body["code"] == "forbidden"


def test_the_openapi_document_and_health_are_served(platform: Platform) -> None:
    document = Api(platform, None).call("GET", "/openapi.json")

    assert document.status == 200 and document.body["info"]["version"] == "1.0.0"
    assert platform.ready(PORTAAL)
