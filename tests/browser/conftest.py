"""Browser tests: Debian's Chromium driven by Playwright's async API.

Every test in tests/browser is marked `browser` (deselect with `-m "not browser"`) and runs in
one event loop for the whole session, so that Chromium starts once. Async fixtures written for
these tests must run in that loop too: `@pytest_asyncio.fixture(loop_scope="session")`.

Fixtures: `browser` (one Chromium for the session), `context` (a fresh browser context per
test, Dutch locale, 1280×800), `page` (a page in it) and `screenshot` (`await screenshot(page,
"step", mobile=True)` saves var/screenshots/<test>/step.png and step-mobile.png at 390×844).
Check accessibility with `await tests.browser.axe.check_accessible(page)`.

A test also fails when its pages ask anything of a host other than this machine (the portal serves
its own assets: no CDN), when a style sheet, script, font or image fails to load, or on an
uncaught JavaScript error.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import pytest_asyncio
from playwright.async_api import (
    Browser,
    BrowserContext,
    Page,
    Request,
    Response,
    Route,
    WebError,
    async_playwright,
)

from tests.browser.harness import CHROMIUM_ARGS, DESKTOP, Screenshots, chromium_executable

HERE = Path(__file__).parent
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
LOCAL_SCHEMES = {"data", "blob", "about"}
ASSET_TYPES = {"stylesheet", "script", "font", "image"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests in this folder `browser`; run the async ones in the session's loop."""
    session_loop = pytest.mark.asyncio(loop_scope="session")
    for item in items:
        if HERE not in item.path.parents:
            continue
        item.add_marker(pytest.mark.browser)
        if pytest_asyncio.is_async_test(item):
            item.add_marker(session_loop, append=False)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def browser() -> AsyncIterator[Browser]:
    """Debian's Chromium (or $CHROMIUM), headless, for the whole session."""
    executable = chromium_executable()
    if executable is None or not executable.exists():
        pytest.skip(
            "Chromium is missing: apt-get install --no-install-recommends chromium "
            "(`make test` does so where it can), or set CHROMIUM=/path/to/chromium"
        )
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=executable, headless=True, args=list(CHROMIUM_ARGS)
        )
        yield chromium
        await chromium.close()


@pytest_asyncio.fixture(loop_scope="session")
async def context(browser: Browser) -> AsyncIterator[BrowserContext]:
    """A fresh browser context (no cookies or storage from other tests), checked as it closes."""
    context = await browser.new_context(
        viewport=DESKTOP, locale="nl-NL", timezone_id="Europe/Amsterdam"
    )
    problems: list[str] = []

    async def only_this_machine(route: Route) -> None:
        url = urlsplit(route.request.url)
        if url.scheme in LOCAL_SCHEMES or url.hostname in LOCAL_HOSTS:
            await route.continue_()
        else:
            problems.append(f"request to another host (no CDN at run time): {route.request.url}")
            await route.abort("blockedbyclient")

    def on_response(response: Response) -> None:
        if response.request.resource_type in ASSET_TYPES and response.status >= 400:
            problems.append(
                f"HTTP {response.status}: {response.request.resource_type} {response.url}"
            )

    def on_request_failed(request: Request) -> None:
        # Aborted loads are left-behind navigations; blocked ones are reported by only_this_machine.
        failure = request.failure or ""
        if request.resource_type in ASSET_TYPES and not any(
            reason in failure for reason in ("ERR_ABORTED", "ERR_BLOCKED_BY_CLIENT")
        ):
            problems.append(f"{request.resource_type} {request.url} failed: {failure}")

    def on_web_error(error: WebError) -> None:
        problems.append(f"uncaught JavaScript error: {error.error}")

    await context.route("**/*", only_this_machine)
    context.on("response", on_response)
    context.on("requestfailed", on_request_failed)
    context.on("weberror", on_web_error)
    yield context
    await context.close()
    if problems:
        pytest.fail("the pages under test misbehaved:\n  " + "\n  ".join(problems), pytrace=False)


@pytest_asyncio.fixture(loop_scope="session")
async def page(context: BrowserContext) -> Page:
    """A new page in the test's own browser context."""
    return await context.new_page()


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Screenshots:
    """Saves full-page screenshots under var/screenshots/<test name>/ (test artefacts)."""
    return Screenshots(request.node.name)
