"""Generates the checked-in artefacts: JSON Schemas, the platform AsyncAPI, the HTTP API's OpenAPI
document and the config docs."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from faststream.nats import NatsBroker
from faststream.specification import AsyncAPI
from pydantic import BaseModel
from wvggz_contracts import audit
from wvggz_contracts.bewaring import BEWARING_EVENTS
from wvggz_contracts.commands import CONTRACT_VERSION, CommandRequest
from wvggz_contracts.envelope import CloudEvent
from wvggz_contracts.events import DomainEvent, EventRegistry
from wvggz_contracts.subjects import AUDIT

from kernel.parking import COMMANDS as PARKING_COMMANDS
from kernel.settings import ServiceSettings
from services.portaal.openapi import openapi_document
from wvggz.catalog import PROCESSES, SERVICES, api_catalog

SCHEMA_DIR = Path("contracts/wvggz_contracts/schemas")
ASYNCAPI = Path("docs/asyncapi.json")
OPENAPI = Path("docs/openapi.json")
CONFIG_DOC = Path("docs/configuration.md")


def platform_events() -> EventRegistry:
    """Every event type the platform publishes."""
    registry = audit.EVENTS.merged(BEWARING_EVENTS)
    for definition in SERVICES.values():
        registry = registry.merged(definition.events)
    return registry


def published_events() -> dict[str, type[DomainEvent]]:
    """Event types that go out on the bus (an anonymous request's audit record does not)."""
    return {
        event_type: model
        for event_type, model in platform_events().models.items()
        if event_type != audit.AuthenticatieGeweigerd.event_type
    }


def _dump(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def event_schemas() -> dict[Path, str]:
    """One JSON Schema per event type (its `data`), plus the envelope's."""
    files = {SCHEMA_DIR / "cloudevent.json": _dump(CloudEvent.model_json_schema())}
    for event_type, model in platform_events().models.items():
        schema = model.model_json_schema()
        schema["$id"] = f"urn:wvggz:schema:{event_type}"
        schema["x-cloudevents-type"] = event_type
        files[SCHEMA_DIR / f"{event_type}.json"] = _dump(schema)
    return files


def asyncapi_document() -> str:
    """The platform's AsyncAPI 3.0 document: every command, query and event channel."""
    brokers: list[Any] = []
    commands: list[tuple[str, str, type[BaseModel]]] = []
    with tempfile.TemporaryDirectory() as scratch:
        for name, definition in SERVICES.items():
            # Defaults only: the generated documents must not depend on who runs the export.
            settings = definition.settings.model_construct(data_dir=Path(scratch))
            brokers.extend(definition.build(settings).brokers)
            commands += [(name, s.name, s.payload) for _d, s in definition.bindings(settings)]
            if definition.consumers:  # the dead-letter register's commands
                commands += [(name, command, payload) for command, payload in PARKING_COMMANDS]
    events = NatsBroker(description="Events published by the relays on JetStream")
    for event_type, model in published_events().items():
        procedure, event, version = event_type.removeprefix("nl.wvggz.").split(".")
        # Every service publishes its own audit events, under its own name.
        publisher = "{service}" if procedure == AUDIT else procedure
        events.publisher(
            f"wvggz.evt.{publisher}.{{gemeente}}.{event}.{version}",
            title=event_type,
            description=model.__doc__,
        )
    document = (
        AsyncAPI(
            *brokers,
            events,
            title="Wvggz regional platform",
            version=f"0.{CONTRACT_VERSION}.0",
            description="Commands and queries (request/reply), events (JetStream) of all services.",
        )
        .to_specification()
        .to_jsonable()
    )
    # Handlers take raw bytes so the pipeline can answer invalid input with a typed error;
    # the request schemas are therefore added here, named per service so none clash.
    for service, command, payload in commands:
        request: type[BaseModel] = CommandRequest[payload]  # type: ignore[valid-type]
        _set_payload(
            document,
            f"{service}.{command}:SubscribeMessage",
            _namespaced(request, service, f"{payload.__name__}Request"),
            "Answered with a CommandReply: ok with version and position, or a typed error.",
        )
    for event_type, model in published_events().items():
        procedure = event_type.split(".")[2]
        data, defs = _namespaced(model, procedure, model.__name__)
        envelope = CloudEvent.model_json_schema()
        envelope["title"] = event_type
        envelope["properties"]["data"] = {"$ref": f"#/components/schemas/{data['title']}"}
        _set_payload(
            document,
            f"{event_type}:Message",
            (envelope, {**defs, data["title"]: data}),
            "A structured CloudEvent; its Nats-Msg-Id header is the event id.",
        )
    return _dump(document)


def _namespaced(
    model: type[BaseModel], prefix: str, title: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A model's schema and definitions, named `<prefix>.<Model>` so procedures never clash."""
    schema = model.model_json_schema(ref_template=f"#/components/schemas/{prefix}.{{model}}")
    defs = {f"{prefix}.{key}": value for key, value in schema.pop("$defs", {}).items()}
    schema["title"] = f"{prefix}.{title}"
    return schema, defs


def _set_payload(
    document: dict[str, Any],
    message: str,
    schema_and_defs: tuple[dict[str, Any], dict[str, Any]],
    description: str,
) -> None:
    schema, defs = schema_and_defs
    schemas = document["components"]["schemas"]
    schemas.update(defs)
    schemas[schema["title"]] = schema
    entry = document["components"]["messages"][message]
    entry["payload"] = {"$ref": f"#/components/schemas/{schema['title']}"}
    entry["description"] = description


def configuration_doc() -> str:
    """Markdown reference of every WVGGZ_* setting."""
    lines = [
        "# Configuration reference",
        "",
        "Generated by `wvggz export` from the settings classes; do not edit by hand.",
        "Every service reads these environment variables (prefix `WVGGZ_`).",
        "",
        "| variable | default | description |",
        "| --- | --- | --- |",
    ]
    for name, field in ServiceSettings.model_fields.items():
        default = field.default if field.default is not None else ""
        if isinstance(default, tuple):
            default = json.dumps(list(default))
        lines.append(f"| `WVGGZ_{name.upper()}` | `{default}` | {field.description or ''} |")
    lines += ["", "Default HTTP port per service (`WVGGZ_HTTP_PORT`):", ""]
    lines += [
        f"- {name}: {settings.model_fields['http_port'].default}"
        for name, settings in PROCESSES.items()
    ]
    for name, settings in PROCESSES.items():
        own = {
            k: f for k, f in settings.model_fields.items() if k not in ServiceSettings.model_fields
        }
        if own:
            lines += ["", f"Only the {name} service:", "", "| variable | default | description |"]
            lines += ["| --- | --- | --- |"]
            lines += [
                f"| `WVGGZ_{k.upper()}` | `{f.default}` | {f.description} |" for k, f in own.items()
            ]
    return "\n".join(lines) + "\n"


def export_all(root: Path, *, check: bool) -> list[Path]:
    """Write every artefact (or, with `check`, only report stale ones); return what differed."""
    files = {
        **event_schemas(),
        ASYNCAPI: asyncapi_document(),
        OPENAPI: _dump(openapi_document(api_catalog())),
        CONFIG_DOC: configuration_doc(),
    }
    differing = []
    for relative, content in files.items():
        path = root / relative
        if path.exists() and path.read_text(encoding="utf-8") == content:
            continue
        differing.append(relative)
        if not check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
    known = {root / p for p in files}
    stray = [p for p in (root / SCHEMA_DIR).glob("*.json") if p not in known]
    if not check:
        for path in stray:
            path.unlink()  # the schema of an event type that no longer exists
    return differing + [p.relative_to(root) for p in stray]
