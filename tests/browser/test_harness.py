"""The browser harness itself: Chromium, the NL Design System assets, axe-core and screenshots.

A static page with the Utrecht components the portal uses (static/voorbeeld.html) is served from
this machine together with infra/portaal-assets/node_modules under /assets/, as the portal will
serve them: under a strict Content-Security-Policy, without any CDN.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Page

from tests.browser.axe import axe_violations, check_accessible
from tests.browser.harness import NODE_MODULES, Screenshots

STATIC = Path(__file__).parent / "static"
CSP = (
    "default-src 'self'; img-src 'self' data:; script-src 'self'; style-src 'self'; "
    "font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


class _Handler(SimpleHTTPRequestHandler):
    """Static files with the security headers the portal will send."""

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def site(tmp_path: Path) -> Iterator[str]:
    """The base URL of a loopback server for static/ at / and the npm assets at /assets/."""
    if not NODE_MODULES.is_dir():
        pytest.fail("infra/portaal-assets/node_modules is missing: run `make test`", pytrace=False)
    root = tmp_path / "site"
    shutil.copytree(STATIC, root)
    (root / "assets").symlink_to(NODE_MODULES, target_is_directory=True)
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, name="static-site", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


async def test_nl_design_system_page_is_accessible(
    page: Page, site: str, screenshot: Screenshots
) -> None:
    await page.goto(f"{site}/voorbeeld.html")

    # The theme and the components are applied: a primary button is filled, in the theme's font.
    button = page.get_by_role("button", name="Melding registreren")
    style = await button.evaluate(
        "b => { const s = getComputedStyle(b); return [s.backgroundColor, s.fontFamily] }"
    )
    assert style[0] not in {"rgba(0, 0, 0, 0)", "rgb(239, 239, 239)"}, style
    assert "Noto Sans" in style[1], style
    # The fonts come from this server: loading them yields the font faces (none when missing).
    for font in ('400 16px "Noto Sans"', '700 16px "Noto Sans"', '700 16px "Noto Serif"'):
        assert await page.evaluate("f => document.fonts.load(f).then(l => l.length)", font), font
    assert await page.get_by_label("Geboortedatum").get_attribute("aria-invalid") == "true"

    await check_accessible(page)
    saved = await screenshot(page, "formulier", mobile=True)

    assert [path.name for path in saved] == ["formulier.png", "formulier-mobile.png"]
    for path in saved:
        assert path.read_bytes().startswith(b"\x89PNG")


async def test_axe_finds_an_input_without_label(page: Page) -> None:
    await page.set_content(
        '<!DOCTYPE html><html lang="nl"><head><title>Zonder label</title></head>'
        '<body><main><h1>Zoeken</h1><input id="zoekterm" type="text"></main></body></html>'
    )

    violations = await axe_violations(page)

    assert [violation["id"] for violation in violations] == ["label"]
    with pytest.raises(AssertionError, match=r"(?s)rule\(s\) violated.*label.*#zoekterm"):
        await check_accessible(page)
