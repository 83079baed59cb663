"""The HTTP API: each route a thin translation to one command or query on the bus, sent with the
caller's own bearer token, so every rule and every check stays in the service."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlencode

import jwt
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from wvggz_contracts.commands import ErrorCode
from wvggz_contracts.subjects import command_subject, query_subject

from kernel.catalog import Catalog, CommandRoute, QueryRoute
from kernel.refusals import MAX_REQUEST_BYTES
from services.portaal.gateway import ACTING_HEADERS, Gateway
from services.portaal.problems import from_reply, problem

BASE = "/api/v1"
API_VERSION = "1.0.0"
"""The full version of the API (NL API Design Rules API-57: sent in the `API-Version` header)."""

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
_IDEMPOTENCY = uuid.UUID("5f0c7a61-3d0e-4c55-9f27-4d8c1f7b2a90")
_ETAG = re.compile(r'^(?:W/)?"([0-9]{1,9})"$')
_NUMBER = re.compile(r"[0-9]{1,9}")

Endpoint = Callable[[Request], Awaitable[Response]]


def bearer(request: Request) -> str | None:
    """The caller's access token from `Authorization: Bearer …`, if any."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def command_id(request: Request, token: str) -> uuid.UUID | JSONResponse:
    """`Idempotency-Key` as the command id: a UUID as it is, any other key (1-255 printable
    characters) mapped to one per caller (two integrators' key "1" are two commands); a new id
    when the header is absent."""
    key = request.headers.get("idempotency-key")
    if key is None:
        return uuid.uuid4()
    try:
        return uuid.UUID(key)
    except ValueError:
        if 0 < len(key) <= 255 and key.isprintable():
            return uuid.uuid5(_IDEMPOTENCY, f"{caller_of(token)}:{key}")
    detail = "Idempotency-Key moet 1 tot 255 leesbare tekens zijn"
    return problem(ErrorCode.VALIDATION_FAILED, detail, request.url.path, field="Idempotency-Key")


def caller_of(token: str) -> str:
    """Who a token names (`sub`), read without checking it: only to keep callers' idempotency
    keys apart. The service verifies the token itself; a forged one is refused there."""
    try:
        subject = jwt.decode(token, options={"verify_signature": False}).get("sub")
    except jwt.InvalidTokenError:
        return ""
    return subject if isinstance(subject, str) else ""


async def _body_within_limit(request: Request) -> bytes | None:
    """The request body, or None when it is larger than a service would read."""
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > MAX_REQUEST_BYTES:
        return None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_REQUEST_BYTES:
            return None
    return bytes(body)


def expected_version(request: Request) -> int | JSONResponse | None:
    """The version from `If-Match: "<version>"`, None without the header."""
    header = request.headers.get("if-match")
    if header is None:
        return None
    if match := _ETAG.match(header.strip()):
        return int(match.group(1))
    detail = 'If-Match moet een ETag zijn zoals deze API hem geeft, bijvoorbeeld "3"'
    return problem(ErrorCode.VALIDATION_FAILED, detail, request.url.path, field="If-Match")


def acting(request: Request) -> dict[str, str]:
    """The role and gemeente the caller chose, if any (for a token with several)."""
    return {name: request.headers[name] for name in ACTING_HEADERS if name in request.headers}


def _unauthenticated(request: Request) -> JSONResponse:
    return problem(
        ErrorCode.UNAUTHENTICATED,
        "stuur een toegangstoken: Authorization: Bearer <token>",
        request.url.path,
    )


def command_endpoint(route: CommandRoute, gateway: Gateway) -> Endpoint:
    """POST: the JSON body is the command's payload."""
    subject = command_subject(route.service, route.name)

    async def endpoint(request: Request) -> Response:
        path = request.url.path
        token = bearer(request)
        if token is None:
            return _unauthenticated(request)
        raw = await _body_within_limit(request)
        if raw is None:
            detail = f"het verzoek is groter dan {MAX_REQUEST_BYTES // 1024} KiB"
            return problem(ErrorCode.VALIDATION_FAILED, detail, path, status=413)
        try:
            payload = json.loads(raw)
        except (ValueError, RecursionError):
            return problem(ErrorCode.VALIDATION_FAILED, "de body is geen geldige JSON", path)
        ids = command_id(request, token)
        if isinstance(ids, JSONResponse):
            return ids
        version = expected_version(request)
        if isinstance(version, JSONResponse):
            return version
        body: dict[str, Any] = {"command_id": str(ids), "payload": payload}
        if route.item is not None:
            body["case_id"] = request.path_params[route.item]
        if version is not None:
            body["expected_version"] = version
        reply = await gateway.ask(subject, body, token, acting(request))
        if not reply["ok"]:
            stale = version is not None and reply["error"]["code"] == ErrorCode.CONFLICT.value
            headers = _etag(reply.get("version"))
            return from_reply(reply, path, status=412 if stale else None, headers=headers)
        headers = _etag(reply.get("version"))
        created = route.opent and not reply.get("duplicate")
        if route.opent and route.dossier:
            headers["Location"] = f"{BASE}/{route.resource}/{reply['case_id']}"
        return JSONResponse(reply, status_code=201 if created else 200, headers=headers)

    return endpoint


PAGING = ("page", "pageSize", "min_position")


async def _ask_query(
    request: Request,
    gateway: Gateway,
    subject: str,
    params: dict[str, Any],
    *,
    paged: bool,
    filters: tuple[str, ...] = (),
) -> tuple[dict[str, Any], int, int] | Response:
    """A query as the caller, with the URL's page, filters and `min_position`; or the problem."""
    token = bearer(request)
    if token is None:
        return _unauthenticated(request)
    paging = _paging(request)
    if isinstance(paging, JSONResponse):
        return paging
    page, size, min_position = paging
    chosen = {k: v for k, v in request.query_params.items() if k not in PAGING}
    for name in chosen:
        if name not in filters:
            detail = f"onbekende parameter {name} (filters: {', '.join(filters) or 'geen'})"
            return problem(ErrorCode.VALIDATION_FAILED, detail, request.url.path, field=name)
    body: dict[str, Any] = {"params": params}
    if paged:
        body |= {"page": page, "page_size": size}
    if chosen:
        body["filters"] = chosen
    if min_position is not None:
        body["min_position"] = min_position
    reply = await gateway.ask(subject, body, token, acting(request))
    if not reply["ok"]:
        return from_reply(reply, request.url.path)
    return reply, page, size


def list_endpoint(route: QueryRoute, gateway: Gateway) -> Endpoint:
    """GET on a collection: the query's rows, one page at a time."""
    subject = query_subject(route.service, route.spec.name)

    async def endpoint(request: Request) -> Response:
        asked = await _ask_query(
            request, gateway, subject, {}, paged=True, filters=route.spec.filters
        )
        if isinstance(asked, Response):
            return asked
        reply, page, size = asked
        total = int(reply.get("total") or 0)
        last = max(1, -(-total // size))
        path = request.url.path

        kept = {k: v for k, v in request.query_params.items() if k in route.spec.filters}

        def link(number: int) -> dict[str, str]:
            query = urlencode({**kept, "page": number, "pageSize": size})
            return {"href": f"{path}?{query}"}

        links = {"self": link(page), "first": link(1), "last": link(last)}
        if page > 1:
            links["prev"] = link(page - 1)
        if page < last:
            links["next"] = link(page + 1)
        document = {
            "_links": links,
            "resultaten": reply["data"],
            "pagina": page,
            "paginagrootte": size,
            "totaal": total,
        }
        return JSONResponse(document, headers={"X-Total-Count": str(total)})

    return endpoint


def item_endpoint(route: QueryRoute, gateway: Gateway) -> Endpoint:
    """GET on one case: its dossier, with its stream version as the ETag."""
    subject = query_subject(route.service, route.spec.name)
    item = route.spec.item
    assert item is not None

    async def endpoint(request: Request) -> Response:
        params = {item: request.path_params[item]}
        asked = await _ask_query(request, gateway, subject, params, paged=False)
        if isinstance(asked, Response):
            return asked
        data = asked[0]["data"]
        headers = _etag(data.get("versie") if isinstance(data, dict) else None)
        if headers and request.headers.get("if-none-match") == headers["ETag"]:
            return Response(status_code=304, headers=headers)
        return JSONResponse(data, headers=headers)

    return endpoint


def _paging(request: Request) -> tuple[int, int, int | None] | JSONResponse:
    """`page` (from 1), `pageSize` (1-100) and `min_position` (read your own writes)."""
    values: dict[str, int | None] = {}
    for name, default in (("page", 1), ("pageSize", PAGE_SIZE), ("min_position", None)):
        raw = request.query_params.get(name)
        if raw is None:
            values[name] = default
            continue
        if not _NUMBER.fullmatch(raw):
            detail = f"{name} moet een geheel getal zijn"
            return problem(ErrorCode.VALIDATION_FAILED, detail, request.url.path, field=name)
        values[name] = int(raw)
    page, size = values["page"] or 0, values["pageSize"] or 0
    if page < 1 or not 1 <= size <= MAX_PAGE_SIZE:
        detail = f"page moet minstens 1 zijn en pageSize tussen 1 en {MAX_PAGE_SIZE}"
        return problem(ErrorCode.VALIDATION_FAILED, detail, request.url.path, field="page")
    return page, size, values["min_position"]


def _etag(version: Any) -> dict[str, str]:
    return {"ETag": f'"{version}"'} if isinstance(version, int) and version >= 0 else {}


def routes(catalog: Catalog, gateway: Gateway) -> list[Route]:
    """Every route of the API, from the catalog, relative to BASE (mounted there)."""
    found: list[Route] = []
    for query in catalog.queries:
        make = list_endpoint if query.spec.item is None else item_endpoint
        found.append(Route(query.spec.path, make(query, gateway), methods=["GET"]))
    for command in catalog.commands:
        path = f"/{command_path(command)}"
        found.append(Route(path, command_endpoint(command, gateway), methods=["POST"]))
    return found


def command_path(command: CommandRoute) -> str:
    """Where a command is posted, below the API's base: a sub-resource of its case or of its
    collection (NL API Design Rules API-10: operations that are not CRUD as sub-resources)."""
    if command.item is None:
        return f"{command.resource}/{command.name}"
    return f"{command.resource}/{{{command.item}}}/{command.name}"
