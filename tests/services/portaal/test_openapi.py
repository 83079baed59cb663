"""The OpenAPI document: valid OpenAPI 3.1 (openapi-spec-validator) and true to the NL API
Design Rules we follow (checked here, rule by rule; see services/portaal/README.md)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import validate

from services.portaal.api import API_VERSION
from services.portaal.openapi import openapi_document
from wvggz.catalog import api_catalog

CHECKED_IN = Path(__file__).parents[3] / "docs" / "openapi.json"
METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return openapi_document(api_catalog())


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def test_the_document_is_valid_openapi_3_1(document: dict[str, Any]) -> None:
    validate(document)
    assert document["openapi"].startswith("3.1")


def test_the_checked_in_document_is_the_generated_one(document: dict[str, Any]) -> None:
    assert json.loads(CHECKED_IN.read_text(encoding="utf-8")) == document


def test_api_20_the_major_version_is_in_the_url_and_the_full_version_in_info(
    document: dict[str, Any],
) -> None:
    assert [server["url"] for server in document["servers"]] == ["/api/v1"]
    assert document["info"]["version"] == API_VERSION
    assert re.fullmatch(r"\d+\.\d+\.\d+", API_VERSION), "API-56: semantic versioning"


def test_api_05_54_48_resources_are_lower_case_plural_nouns_without_trailing_slash(
    document: dict[str, Any],
) -> None:
    for path in document["paths"]:
        assert not path.endswith("/"), path
        collection = path.split("/")[1]
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", collection), path
        assert collection.endswith(("en", "s")), f"{collection} is no Dutch plural"
        for segment in path.split("/")[1:]:
            assert re.fullmatch(r"[a-z]+(-[a-z]+)*|\{[a-z_]+\}", segment), path


def test_every_operation_is_documented_secured_and_answers_problems(
    document: dict[str, Any],
) -> None:
    ids = []
    for path, method, operation in operations(document):
        ids.append(operation["operationId"])
        assert operation["summary"] and operation["description"] and operation["tags"], path
        statuses = set(operation["responses"])
        assert {"400", "401", "403", "404", "500", "503"} <= statuses, (method, path)
        assert any(s.startswith("2") for s in statuses), (method, path)
    assert len(ids) == len(set(ids)), "operationIds are unique"
    assert document["security"] == [{"bearer": []}]
    for response in document["components"]["responses"].values():
        assert list(response["content"]) == ["application/problem+json"]


def test_every_command_takes_its_payload_schema_and_an_idempotency_key(
    document: dict[str, Any],
) -> None:
    schemas = document["components"]["schemas"]
    posts = [(path, op) for path, method, op in operations(document) if method == "post"]
    assert len(posts) == len(api_catalog().commands)
    for path, operation in posts:
        ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        assert ref.removeprefix("#/components/schemas/") in schemas, path
        parameters = [p.get("$ref", p.get("name")) for p in operation["parameters"]]
        assert "#/components/parameters/Idempotency-Key" in parameters, path
        if "{" in path:
            assert "#/components/parameters/If-Match" in parameters, path


def test_no_command_only_the_platform_may_give_is_offered(document: dict[str, Any]) -> None:
    paths = " ".join(document["paths"])
    assert "signaleer-" not in paths and "start-crisis-uit-triage" not in paths
