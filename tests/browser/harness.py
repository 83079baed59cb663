"""Where the browser tests find Chromium and the portal's assets; where screenshots go."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from playwright.async_api import Page, ViewportSize

REPO = Path(__file__).resolve().parents[2]
# The portal's front-end assets, installed by `make` from infra/portaal-assets/package-lock.json.
NODE_MODULES = REPO / "infra" / "portaal-assets" / "node_modules"
SCREENSHOTS = REPO / "var" / "screenshots"

# Debian's Chromium (package `chromium`); never a browser downloaded by `playwright install`.
DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags the closed network refuses many connections; the
# Debian launcher's own /dev/shm size check is unreliable in containers, hence the shm flag.
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
MOBILE: ViewportSize = {"width": 390, "height": 844}

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def chromium_executable() -> Path | None:
    """$CHROMIUM if set, else Debian's /usr/bin/chromium, else `chromium` on PATH."""
    if chosen := os.environ.get("CHROMIUM"):
        return Path(chosen)
    if DEBIAN_CHROMIUM.exists():
        return DEBIAN_CHROMIUM
    found = shutil.which("chromium")
    return Path(found) if found else None


def artefact_name(name: str) -> str:
    """A test or step name made safe as one path component (`test_x[a b]` -> `test_x-a-b-`)."""
    return _UNSAFE.sub("-", name).strip("-") or "unnamed"


class Screenshots:
    """Full-page screenshots of one test: var/screenshots/<test-name>/<step>.png (overwritten)."""

    def __init__(self, test_name: str, root: Path = SCREENSHOTS) -> None:
        self.folder = root / artefact_name(test_name)

    async def __call__(self, page: Page, step: str, *, mobile: bool = False) -> list[Path]:
        """Save <step>.png at the page's viewport and, if `mobile`, <step>-mobile.png at 390×844."""
        self.folder.mkdir(parents=True, exist_ok=True)
        name = artefact_name(step)
        saved = [await self._shoot(page, self.folder / f"{name}.png")]
        if mobile:
            viewport = page.viewport_size
            await page.set_viewport_size(MOBILE)
            try:
                saved.append(await self._shoot(page, self.folder / f"{name}-mobile.png"))
            finally:
                if viewport is not None:
                    await page.set_viewport_size(viewport)
        return saved

    @staticmethod
    async def _shoot(page: Page, path: Path) -> Path:
        await page.screenshot(path=path, full_page=True, animations="disabled", caret="hide")
        return path
