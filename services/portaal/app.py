"""Composition root of the portaal: the HTTP API and the staff portal's pages."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path

from prometheus_client import CollectorRegistry, Counter, make_asgi_app
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from wvggz_contracts.commands import ErrorCode

from kernel.catalog import Catalog
from kernel.identity import RemoteJwks, TokenVerifier
from services.portaal.api import API_VERSION, BASE, routes
from services.portaal.gateway import Gateway
from services.portaal.openapi import openapi_document
from services.portaal.problems import problem
from services.portaal.settings import PortaalSettings
from services.portaal.web.cijfers import Cijfers
from services.portaal.web.login import OidcLogin
from services.portaal.web.naslag import Naslag
from services.portaal.web.pages import Pages
from services.portaal.web.sessions import SessionStore
from services.portaal.web.site import Site
from services.portaal.web.toegang import Toegang

log = logging.getLogger(__name__)


class ApiVersionHeader:
    """Every answer of the HTTP API says its full version (NL API Design Rules API-57) and is
    counted by status class."""

    def __init__(self, app: ASGIApp, answered: Counter) -> None:
        self.app = app
        self.answered = answered

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        api = scope["type"] == "http" and str(scope.get("path", "")).startswith(BASE)

        async def with_version(message: Message) -> None:
            if message["type"] == "http.response.start" and api:
                headers = [*message.get("headers", []), (b"api-version", API_VERSION.encode())]
                message["headers"] = headers
                self.answered.labels(status=f"{message['status'] // 100}xx").inc()
            await send(message)

        await self.app(scope, receive, with_version)


ASSET_PACKAGES = (
    "@utrecht/component-library-css",
    "@nl-design-system-unstable/voorbeeld-design-tokens",
    "@fontsource/noto-sans",
    "@fontsource/noto-serif",
)
"""The NL Design System packages the pages use, served from the portal itself (no CDN)."""


def create_app(
    settings: PortaalSettings,
    catalog: Catalog,
    *,
    gateway: Gateway | None = None,
    sessions: SessionStore | None = None,
) -> Starlette:
    """The portaal process for the services in the catalog; nothing connects until it starts.
    (`gateway`: the way to the bus, `sessions`: who is logged in; tests pass their own.)"""
    gateway = gateway or Gateway(settings)
    verifier = TokenVerifier(settings, RemoteJwks(settings))
    sessions = sessions or SessionStore(settings.session_idle_minutes * 60)
    site = Site(settings, gateway, sessions)
    toegang = Toegang(site, OidcLogin(settings, verifier), sessions)
    pages = Pages(site, catalog)
    naslag = Naslag(site, catalog)
    cijfers = Cijfers(site, catalog)
    assets = [
        Mount(
            f"/assets/{package}",
            StaticFiles(directory=settings.assets / package, check_dir=False),
        )
        for package in ASSET_PACKAGES
    ]
    document = openapi_document(catalog)
    registry = CollectorRegistry()
    answered = Counter(
        "wvggz_portaal_requests_answered",
        "HTTP API answers by status class.",
        ["status"],
        registry=registry,
    )

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        await gateway.start()
        try:
            yield
        finally:
            await gateway.stop()

    async def openapi(_request: Request) -> Response:
        return JSONResponse(document)

    async def live(_request: Request) -> Response:
        return PlainTextResponse("live")

    async def ready(_request: Request) -> Response:
        if gateway.connected:
            return PlainTextResponse("ready")
        return PlainTextResponse("not ready", status_code=503)

    async def not_found(request: Request, _exc: Exception) -> Response:
        if not request.url.path.startswith(BASE):
            return site.render("fout.html", None, 404, melding="Deze pagina bestaat niet.")
        return problem(ErrorCode.NOT_FOUND, "deze route bestaat niet", request.url.path)

    async def not_allowed(request: Request, _exc: Exception) -> Response:
        detail = f"{request.method} kan niet op deze route"
        return problem(ErrorCode.VALIDATION_FAILED, detail, request.url.path, status=405)

    async def failed(request: Request, exc: Exception) -> Response:
        log.error("request failed unexpectedly: %s", type(exc).__name__)
        if not request.url.path.startswith(BASE):
            return pages.render(
                "fout.html", None, 500, melding="Er ging iets mis; probeer het opnieuw."
            )
        return problem(ErrorCode.INTERNAL, "interne fout", request.url.path)

    app = Starlette(
        routes=[
            Mount(
                BASE,
                routes=[
                    Route("/openapi.json", openapi, methods=["GET"]),
                    *routes(catalog, gateway),
                ],
            ),
            Route("/health/live", live),
            Route("/health/ready", ready),
            Mount("/metrics", make_asgi_app(registry)),
            Mount("/static", StaticFiles(directory=Path(__file__).parent / "static")),
            *assets,
            *toegang.routes(),
            *naslag.routes(),
            *cijfers.routes(),  # before the generic dossier: a quarter has pages of its own
            *pages.routes(),
        ],
        exception_handlers={404: not_found, 405: not_allowed, 500: failed},
        lifespan=lifespan,
    )

    app.add_middleware(ApiVersionHeader, answered=answered)
    return app
