"""The HTTP API's translation, with the bus replaced by services that answer as recorded:
what goes out on which subject, and how each answer comes back in HTTP."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import jwt
import pytest
from starlette.testclient import TestClient

from services.portaal.api import API_VERSION
from services.portaal.app import create_app
from services.portaal.settings import PortaalSettings
from tests.services.portaal.recording import RecordingGateway
from wvggz.catalog import api_catalog

TOKEN = "een.toegangs.token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
MELDING = uuid.UUID("8c7f1e6a-2b3d-4e5f-9a0b-1c2d3e4f5a6b")


@pytest.fixture
def gateway() -> RecordingGateway:
    return RecordingGateway()


@pytest.fixture
def client(gateway: RecordingGateway) -> Iterator[TestClient]:
    with TestClient(create_app(PortaalSettings(), api_catalog(), gateway=gateway)) as client:
        yield client


def ok(**fields: Any) -> dict[str, Any]:
    return {"ok": True, **fields}


def refused(code: str, message: str, field: str | None = None) -> dict[str, Any]:
    error = {"code": code, "message": message} | ({"field": field} if field else {})
    return {"ok": False, "error": error}


def test_a_command_that_opens_a_case_goes_out_with_the_callers_token_and_is_created(
    client: TestClient, gateway: RecordingGateway
) -> None:
    gateway.replies.append(ok(case_id=str(MELDING), version=0, position=7, duplicate=False))
    key = str(uuid.uuid4())

    response = client.post(
        "/api/v1/meldingen/registreer-melding",
        json={"gemeente": "GM0402"},
        headers=AUTH | {"Idempotency-Key": key},
    )

    [(subject, body, token)] = gateway.sent
    assert subject == "wvggz.cmd.meldpunt.registreer-melding" and token == TOKEN
    assert body == {"command_id": key, "payload": {"gemeente": "GM0402"}}
    assert response.status_code == 201
    assert response.headers["Location"] == f"/api/v1/meldingen/{MELDING}"
    assert response.headers["ETag"] == '"0"' and response.headers["API-Version"] == API_VERSION
    assert response.json()["position"] == 7


def test_a_command_on_a_case_names_the_case_of_its_url_and_the_version_of_if_match(
    client: TestClient, gateway: RecordingGateway
) -> None:
    gateway.replies.append(ok(case_id=str(MELDING), version=3))

    response = client.post(
        f"/api/v1/meldingen/{MELDING}/rond-triage-af",
        json={"melding_id": str(MELDING)},
        headers=AUTH | {"If-Match": '"2"', "Idempotency-Key": "aanvraag-17"},
    )

    [(subject, body, _token)] = gateway.sent
    assert subject == "wvggz.cmd.meldpunt.rond-triage-af"
    assert body["case_id"] == str(MELDING) and body["expected_version"] == 2
    assert uuid.UUID(body["command_id"]).version == 5, "a key that is no UUID maps to one"
    assert response.status_code == 200 and response.headers["ETag"] == '"3"'


def test_the_same_idempotency_key_always_maps_to_the_same_command(
    client: TestClient, gateway: RecordingGateway
) -> None:
    gateway.replies += [ok(case_id=str(MELDING), version=1)] * 2
    for _ in range(2):
        client.post(
            f"/api/v1/meldingen/{MELDING}/rond-triage-af",
            json={},
            headers=AUTH | {"Idempotency-Key": "aanvraag-17"},
        )

    first, second = (body["command_id"] for _subject, body, _token in gateway.sent)
    assert first == second


def test_a_stale_if_match_is_precondition_failed_with_the_current_etag(
    client: TestClient, gateway: RecordingGateway
) -> None:
    gateway.replies.append(
        refused("conflict", "de zaak is gewijzigd", "expected_version") | {"version": 4}
    )

    response = client.post(
        f"/api/v1/meldingen/{MELDING}/rond-triage-af", json={}, headers=AUTH | {"If-Match": '"2"'}
    )

    assert response.status_code == 412
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["ETag"] == '"4"'
    assert response.json()["code"] == "conflict"


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("validation_failed", 400),
        ("unauthenticated", 401),
        ("forbidden", 403),
        ("not_found", 404),
        ("conflict", 409),
        ("rule_violated", 422),
        ("idempotency_key_reused", 422),
        ("unavailable", 503),
        ("internal", 500),
    ],
)
def test_a_refusal_is_a_problem_with_the_services_code_and_field(
    client: TestClient, gateway: RecordingGateway, code: str, status: int
) -> None:
    gateway.replies.append(refused(code, "waarom", "payload.betrokkene.bsn"))

    response = client.post("/api/v1/meldingen/registreer-melding", json={}, headers=AUTH)

    problem = response.json()
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert problem["type"] == f"urn:wvggz:probleem:{code}" and problem["status"] == status
    assert problem["detail"] == "waarom" and problem["code"] == code
    assert problem["instance"] == "/api/v1/meldingen/registreer-melding"
    assert problem["invalidParams"] == [
        {"name": "payload.betrokkene.bsn", "code": code, "reason": "waarom"}
    ]


@pytest.mark.parametrize(
    ("headers", "body", "field"),
    [
        ({}, b"{}", None),
        (AUTH, b"{niet: json", None),
        (AUTH | {"If-Match": "3"}, b"{}", "If-Match"),
        (AUTH | {"Idempotency-Key": "x" * 256}, b"{}", "Idempotency-Key"),
    ],
    ids=["no token", "no json", "bad if-match", "long key"],
)
def test_bad_requests_are_answered_without_asking_any_service(
    client: TestClient,
    gateway: RecordingGateway,
    headers: dict[str, str],
    body: bytes,
    field: str | None,
) -> None:
    response = client.post(
        f"/api/v1/meldingen/{MELDING}/rond-triage-af", content=body, headers=headers
    )

    assert response.status_code == (401 if not headers else 400)
    assert gateway.sent == []
    params = response.json().get("invalidParams", [{}])
    assert params[0].get("name") == field
    if not headers:
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_list_comes_one_page_at_a_time_with_links(
    client: TestClient, gateway: RecordingGateway
) -> None:
    gateway.replies.append(ok(data=[{"n": n} for n in range(20, 40)], total=45))

    response = client.get("/api/v1/meldingen?page=2&pageSize=20&min_position=9", headers=AUTH)

    [(subject, body, _token)] = gateway.sent
    page = response.json()
    assert subject == "wvggz.qry.meldpunt.werkvoorraad"
    assert body == {"params": {}, "page": 2, "page_size": 20, "min_position": 9}
    assert [row["n"] for row in page["resultaten"]] == list(range(20, 40))
    assert (page["pagina"], page["paginagrootte"], page["totaal"]) == (2, 20, 45)
    assert page["_links"]["next"]["href"] == "/api/v1/meldingen?page=3&pageSize=20"
    assert page["_links"]["prev"]["href"] == "/api/v1/meldingen?page=1&pageSize=20"
    assert page["_links"]["last"]["href"] == "/api/v1/meldingen?page=3&pageSize=20"
    assert response.headers["X-Total-Count"] == "45"


@pytest.mark.parametrize("query", ["page=0", "pageSize=101", "page=een", "min_position=-1"])
def test_invalid_paging_is_a_bad_request(
    client: TestClient, gateway: RecordingGateway, query: str
) -> None:
    response = client.get(f"/api/v1/meldingen?{query}", headers=AUTH)

    assert response.status_code == 400 and gateway.sent == []


def test_a_case_comes_with_its_version_as_etag_and_not_again_when_unchanged(
    client: TestClient, gateway: RecordingGateway
) -> None:
    gateway.replies += [ok(data={"melding_id": str(MELDING), "versie": 5})] * 2

    first = client.get(f"/api/v1/meldingen/{MELDING}", headers=AUTH)
    again = client.get(
        f"/api/v1/meldingen/{MELDING}", headers=AUTH | {"If-None-Match": first.headers["ETag"]}
    )

    assert gateway.sent[0][:2] == (
        "wvggz.qry.meldpunt.dossier",
        {"params": {"melding_id": str(MELDING)}},
    )
    assert first.status_code == 200 and first.headers["ETag"] == '"5"'
    assert again.status_code == 304


def test_unknown_routes_and_methods_are_problems_too(client: TestClient) -> None:
    missing = client.get("/api/v1/onbekend", headers=AUTH)
    wrong = client.delete(f"/api/v1/meldingen/{MELDING}", headers=AUTH)

    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    assert wrong.status_code == 405
    assert wrong.headers["content-type"] == "application/problem+json"


def test_the_openapi_document_is_served(client: TestClient) -> None:
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200 and response.json()["openapi"] == "3.1.0"


def test_the_role_and_gemeente_a_caller_chose_go_along(
    client: TestClient, gateway: RecordingGateway
) -> None:
    gateway.replies.append(ok(data=[]))

    client.get("/api/v1/meldingen", headers=AUTH | {"Wvggz-Rol": "triagist", "X-Other": "no"})

    assert gateway.acting == [{"Wvggz-Rol": "triagist"}]


def test_a_list_filter_goes_to_the_service_and_an_unknown_parameter_is_refused(
    client: TestClient, gateway: RecordingGateway
) -> None:
    gateway.replies.append(ok(data=[], total=30))

    filtered = client.get("/api/v1/meldingen?stoplicht=rood&pageSize=10", headers=AUTH)
    unknown = client.get("/api/v1/meldingen?naam=Jansen", headers=AUTH)

    [(_subject, body, _token)] = gateway.sent
    assert body["filters"] == {"stoplicht": "rood"}
    assert filtered.json()["_links"]["next"]["href"] == (
        "/api/v1/meldingen?stoplicht=rood&page=2&pageSize=10"
    )
    assert unknown.status_code == 400 and unknown.json()["invalidParams"][0]["name"] == "naam"


@pytest.mark.parametrize("query", ["page=²", "pageSize=" + "9" * 5000, "min_position=٣"])
def test_strange_numbers_are_a_bad_request(
    client: TestClient, gateway: RecordingGateway, query: str
) -> None:
    response = client.get(f"/api/v1/meldingen?{query}", headers=AUTH)

    assert response.status_code == 400 and gateway.sent == []


def test_json_nested_too_deep_is_a_bad_request(
    client: TestClient, gateway: RecordingGateway
) -> None:
    body = b"[" * 100_000 + b"]" * 100_000

    response = client.post("/api/v1/meldingen/registreer-melding", content=body, headers=AUTH)

    assert response.status_code in (400, 413) and gateway.sent == []


def test_only_a_command_that_opens_a_case_creates_one_and_only_a_dossier_has_a_location(
    client: TestClient, gateway: RecordingGateway
) -> None:
    gateway.replies += [ok(case_id=str(uuid.uuid4()), version=3)] * 2

    register = client.post("/api/v1/mandaatregisters/registreer-hoormandaat", json={}, headers=AUTH)
    end = client.post("/api/v1/voorwaardenverzoeken/leg-voorwaarde-afgerond", json={}, headers=AUTH)

    assert register.status_code == 201 and "location" not in register.headers, "no dossier"
    assert end.status_code == 200 and "location" not in end.headers


def test_an_idempotency_key_is_the_callers_own(
    client: TestClient, gateway: RecordingGateway
) -> None:
    gateway.replies += [ok(case_id=str(MELDING), version=1)] * 2
    for caller in ("een", "twee"):
        token = jwt.encode({"sub": caller}, key="", algorithm="none")  # shaped like a real one
        client.post(
            f"/api/v1/meldingen/{MELDING}/rond-triage-af",
            json={},
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "1"},
        )

    first, second = (body["command_id"] for _subject, body, _token in gateway.sent)
    assert first != second
