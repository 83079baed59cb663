"""Accessibility checks with axe-core (from the npm registry, infra/portaal-assets).

`await check_accessible(page)` fails the test on any violation of the WCAG 2.0 and 2.1 level A and
AA rules in the page as it is now; call it after each step that shows something new.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
from playwright.async_api import Page

from tests.browser.harness import NODE_MODULES

AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
WCAG_A_AA = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
_SHOWN_NODES = 10

Violation = dict[str, Any]


@cache
def _axe_source() -> str:
    if not AXE_JS.exists():
        pytest.fail(
            f"{AXE_JS.relative_to(NODE_MODULES.parents[2])} is missing: install the portal's "
            "assets with `npm ci --prefix infra/portaal-assets` (`make test` does)",
            pytrace=False,
        )
    return AXE_JS.read_text(encoding="utf-8")


async def axe_violations(page: Page, tags: tuple[str, ...] = WCAG_A_AA) -> list[Violation]:
    """axe-core's violations of the rules with these tags, for the whole page as it is now.

    axe is evaluated in the page through the DevTools protocol, not added as a <script>: it runs
    under the page's own Content-Security-Policy, which stays in force for the test.
    """
    if not await page.evaluate("() => typeof window.axe === 'object'"):
        await page.evaluate(_axe_source())
    options = {"runOnly": {"type": "tag", "values": list(tags)}, "resultTypes": ["violations"]}
    results: dict[str, Any] = await page.evaluate(
        "options => window.axe.run(document, options)", options
    )
    violations: list[Violation] = results["violations"]
    return violations


def describe(violations: list[Violation]) -> str:
    """Each violated rule: id, impact, help, where to read more, and the elements that fail it."""
    lines = []
    for violation in violations:
        nodes = violation["nodes"]
        lines.append(
            f"{violation['id']} ({violation.get('impact') or 'no impact given'}, "
            f"{len(nodes)} element(s)): {violation['help']}\n  {violation['helpUrl']}"
        )
        for node in nodes[:_SHOWN_NODES]:
            # One selector per frame; a list where the element sits in shadow DOM.
            target = " >> ".join(
                part if isinstance(part, str) else " >>> ".join(part) for part in node["target"]
            )
            summary = (node.get("failureSummary") or "").replace("\n", "\n      ")
            lines.append(f"    - {target}\n      {summary}")
        if len(nodes) > _SHOWN_NODES:
            lines.append(f"    ... and {len(nodes) - _SHOWN_NODES} more")
    return "\n".join(lines)


async def check_accessible(page: Page, tags: tuple[str, ...] = WCAG_A_AA) -> None:
    """Fail unless axe-core finds no violation of these rules (WCAG 2.0/2.1 A, AA) on the page."""
    __tracebackhide__ = True
    violations = await axe_violations(page, tags)
    if violations:
        raise AssertionError(
            f"axe-core: {len(violations)} rule(s) violated on {page.url}\n{describe(violations)}"
        )
