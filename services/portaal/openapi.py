"""The API's OpenAPI 3.1 document, generated from the catalog (checked in as docs/openapi.json)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from wvggz_contracts.commands import CommandReply, ErrorCode

from kernel.catalog import Catalog, CommandRoute, QueryRoute
from services.portaal.api import API_VERSION, BASE, MAX_PAGE_SIZE, PAGE_SIZE, command_path
from services.portaal.problems import STATUS, TITLES, problem_type

PROBLEM = {"$ref": "#/components/schemas/Problem"}


def _schema(model: type[BaseModel], prefix: str, schemas: dict[str, Any]) -> dict[str, str]:
    """Add a model (named `<prefix>.<Model>` so services never clash) and return its $ref."""
    document = model.model_json_schema(ref_template=f"#/components/schemas/{prefix}.{{model}}")
    for name, definition in document.pop("$defs", {}).items():
        schemas[f"{prefix}.{name}"] = definition
    schemas[f"{prefix}.{model.__name__}"] = document
    return {"$ref": f"#/components/schemas/{prefix}.{model.__name__}"}


def _problems(*codes: ErrorCode, extra: dict[int, str] | None = None) -> dict[str, Any]:
    responses: dict[str, Any] = {}
    for code in codes:
        key = str(STATUS[code])
        if key not in responses:
            responses[key] = {"$ref": f"#/components/responses/{key}"}
    for status, description in (extra or {}).items():
        responses[str(status)] = {
            "description": description,
            "headers": {"API-Version": {"$ref": "#/components/headers/API-Version"}},
            "content": {"application/problem+json": {"schema": PROBLEM}},
        }
    return responses


_ALWAYS = (
    ErrorCode.VALIDATION_FAILED,
    ErrorCode.UNAUTHENTICATED,
    ErrorCode.FORBIDDEN,
    ErrorCode.NOT_FOUND,
    ErrorCode.UNAVAILABLE,
    ErrorCode.INTERNAL,
)


_KEY_KEYWORDS = ("type", "format", "pattern", "minLength", "maxLength", "enum")


def _item_parameter(name: str, params: type[BaseModel] | None = None) -> dict[str, Any]:
    """The path's key: a case's UUID, or what the query's params declare (a quarter, `2026-K4`)."""
    parameter = {
        "name": name,
        "in": "path",
        "required": True,
        "description": "Het id van de zaak.",
        "schema": {"type": "string", "format": "uuid"},
    }
    declared = params.model_json_schema()["properties"].get(name, {}) if params else {}
    schema = {k: v for k, v in declared.items() if k in _KEY_KEYWORDS}
    if schema.get("type") == "string" and schema.get("format") != "uuid":
        example = " (bijvoorbeeld `2026-K4`)" if name == "kwartaal" else ""
        parameter |= {"description": f"De sleutel {name}{example}.", "schema": schema}
    return parameter


def _command_operation(route: CommandRoute, schemas: dict[str, Any]) -> dict[str, Any]:
    parameters: list[dict[str, Any]] = [{"$ref": "#/components/parameters/Idempotency-Key"}]
    if route.item is not None:
        parameters = [
            _item_parameter(route.item),
            *parameters,
            {"$ref": "#/components/parameters/If-Match"},
        ]
    ok = "201" if route.opent else "200"
    rollen = ", ".join(sorted(route.rollen))
    return {
        "operationId": f"{route.service}.{route.name}",
        "summary": route.description,
        "description": f"{route.description} Toegestaan voor de rol(len): {rollen}.",
        "tags": [route.resource],
        "parameters": parameters,
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": _schema(route.payload, route.service, schemas)}
            },
        },
        "responses": {
            ok: {
                "description": "Uitgevoerd (of eerder uitgevoerd: `duplicate`).",
                "headers": {
                    "API-Version": {"$ref": "#/components/headers/API-Version"},
                    "ETag": {"$ref": "#/components/headers/ETag"},
                    **(
                        {"Location": {"$ref": "#/components/headers/Location"}}
                        if route.opent and route.dossier
                        else {}
                    ),
                },
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/CommandReply"}}
                },
            },
            **_problems(
                *_ALWAYS,
                ErrorCode.CONFLICT,
                ErrorCode.RULE_VIOLATED,
                extra={
                    412: "De zaak is gewijzigd sinds de versie in If-Match.",
                    413: "De body is te groot.",
                }
                if route.item is not None
                else {413: "De body is te groot."},
            ),
        },
    }


def _query_operation(route: QueryRoute) -> dict[str, Any]:
    spec = route.spec
    common = {
        "operationId": f"{route.service}.{spec.name}",
        "summary": spec.description,
        "description": f"{spec.description} Elke inzage wordt gelogd (NEN 7513).",
        "tags": [spec.resource],
    }
    position = {"$ref": "#/components/parameters/min_position"}
    headers = {"API-Version": {"$ref": "#/components/headers/API-Version"}}
    if spec.item is None:
        return common | {
            "parameters": [
                {"$ref": "#/components/parameters/page"},
                {"$ref": "#/components/parameters/pageSize"},
                position,
                *(
                    {
                        "name": name,
                        "in": "query",
                        "required": False,
                        "description": f"Alleen de rijen met deze {name}.",
                        "schema": {"type": "string"},
                    }
                    for name in spec.filters
                ),
            ],
            "responses": {
                "200": {
                    "description": "Eén pagina van de lijst.",
                    "headers": headers
                    | {"X-Total-Count": {"schema": {"type": "integer"}, "description": "Totaal."}},
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Pagina"}}
                    },
                },
                **_problems(*_ALWAYS),
            },
        }
    return common | {
        "parameters": [
            _item_parameter(spec.item, spec.params),
            {"$ref": "#/components/parameters/If-None-Match"},
            position,
        ],
        "responses": {
            "200": {
                "description": "De zaak.",
                "headers": headers | {"ETag": {"$ref": "#/components/headers/ETag"}},
                "content": {"application/json": {"schema": {"type": "object"}}},
            },
            "304": {"description": "Ongewijzigd sinds de ETag in If-None-Match."},
            **_problems(*_ALWAYS),
        },
    }


def openapi_document(catalog: Catalog) -> dict[str, Any]:
    """The whole document."""
    schemas: dict[str, Any] = {
        "Problem": _problem_schema(),
        "CommandReply": CommandReply.model_json_schema(
            ref_template="#/components/schemas/CommandReply.{model}"
        ),
        "Pagina": _page_schema(),
    }
    for name, definition in schemas["CommandReply"].pop("$defs", {}).items():
        schemas[f"CommandReply.{name}"] = definition
    paths: dict[str, dict[str, Any]] = {}
    for query in catalog.queries:
        paths.setdefault(query.spec.path, {})["get"] = _query_operation(query)
    for command in catalog.commands:
        paths.setdefault(f"/{command_path(command)}", {})["post"] = _command_operation(
            command, schemas
        )
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Wvggz regionaal platform",
            "description": (
                "De commando's en vragen van meldpunt, onderzoek en crisis over HTTP. Elke route"
                " vertaalt naar hetzelfde commando of dezelfde vraag op de berichtenbus, met het"
                " toegangstoken van de aanroeper; alle regels en controles blijven in de dienst."
            ),
            "version": API_VERSION,
            "contact": {"name": "Wvggz regionaal platform", "url": "https://example.org/wvggz"},
            "license": {"name": "EUPL-1.2", "identifier": "EUPL-1.2"},
        },
        "servers": [{"url": BASE, "description": "Deze portaal-server"}],
        "security": [{"bearer": []}],
        "tags": [{"name": name, "description": f"De {name}."} for name in catalog.resources],
        "paths": dict(sorted(paths.items())),
        "components": {
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "JWT",
                    "description": "Een OIDC-toegangstoken (aud wvggz) van de"
                    " identiteitsaanbieder.",
                }
            },
            "schemas": dict(sorted(schemas.items())),
            "parameters": _parameters(),
            "headers": _headers(),
            "responses": _problem_responses(),
        },
    }


def _problem_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "description": "RFC 9457 problem details, met de foutcode van de dienst.",
        "required": ["type", "title", "status", "detail", "code"],
        "properties": {
            "type": {
                "type": "string",
                "format": "uri",
                "enum": [problem_type(c) for c in ErrorCode],
            },
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "instance": {"type": "string"},
            "code": {"type": "string", "enum": [code.value for code in ErrorCode]},
            "invalidParams": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["name", "code", "reason"],
                    "properties": {
                        "name": {"type": "string", "description": "Pad van het veld."},
                        "code": {"type": "string"},
                        "reason": {"type": "string"},
                    },
                },
            },
        },
    }


def _page_schema() -> dict[str, Any]:
    link = {"type": "object", "properties": {"href": {"type": "string"}}, "required": ["href"]}
    return {
        "type": "object",
        "required": ["_links", "resultaten", "pagina", "paginagrootte", "totaal"],
        "properties": {
            "_links": {
                "type": "object",
                "properties": {k: link for k in ("self", "first", "last", "prev", "next")},
            },
            "resultaten": {"type": "array", "items": {"type": "object"}},
            "pagina": {"type": "integer", "minimum": 1},
            "paginagrootte": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            "totaal": {"type": "integer", "minimum": 0},
        },
    }


def _parameters() -> dict[str, Any]:
    return {
        "Idempotency-Key": {
            "name": "Idempotency-Key",
            "in": "header",
            "required": False,
            "description": "Maakt een herhaald verzoek veilig: hetzelfde commando wordt één keer"
            " uitgevoerd (een UUID, of 1-255 leesbare tekens).",
            "schema": {"type": "string", "maxLength": 255},
        },
        "If-Match": {
            "name": "If-Match",
            "in": "header",
            "required": False,
            "description": "Voer het commando alleen uit als de zaak nog deze versie (ETag) heeft.",
            "schema": {"type": "string", "pattern": '^(W/)?"[0-9]+"$'},
        },
        "If-None-Match": {
            "name": "If-None-Match",
            "in": "header",
            "required": False,
            "description": "Antwoord 304 als de zaak nog deze versie (ETag) heeft.",
            "schema": {"type": "string"},
        },
        "page": {
            "name": "page",
            "in": "query",
            "required": False,
            "schema": {"type": "integer", "minimum": 1, "default": 1},
        },
        "pageSize": {
            "name": "pageSize",
            "in": "query",
            "required": False,
            "schema": {
                "type": "integer",
                "minimum": 1,
                "maximum": MAX_PAGE_SIZE,
                "default": PAGE_SIZE,
            },
        },
        "min_position": {
            "name": "min_position",
            "in": "query",
            "required": False,
            "description": "Antwoord pas als de overzichten deze positie (uit een"
            " commando-antwoord) bevatten: lees uw eigen schrijfacties.",
            "schema": {"type": "integer", "minimum": 0},
        },
    }


def _headers() -> dict[str, Any]:
    return {
        "API-Version": {
            "description": "De volledige versie van deze API.",
            "schema": {"type": "string", "example": API_VERSION},
        },
        "ETag": {
            "description": "De versie van de zaak; stuur hem terug in If-Match.",
            "schema": {"type": "string"},
        },
        "Location": {"description": "De zaak.", "schema": {"type": "string"}},
    }


def _problem_responses() -> dict[str, Any]:
    responses: dict[str, Any] = {}
    for code in ErrorCode:
        status = str(STATUS[code])
        entry = responses.setdefault(
            status,
            {
                "description": TITLES[code],
                "headers": {"API-Version": {"$ref": "#/components/headers/API-Version"}},
                "content": {"application/problem+json": {"schema": PROBLEM}},
            },
        )
        if TITLES[code] not in entry["description"]:
            entry["description"] += f" / {TITLES[code]}"
    return dict(sorted(responses.items()))
