"""Retention in the staff portal, in Chromium against the running platform: after a melding's
VO closed and its term passed, functioneel beheer finds the proposed destruction in the
werkvoorraad, approves it through the generic form, and reads in its dossier that the personal
data was destroyed; the melding's own dossier still shows its history. Every page passes axe."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.async_api import Page, expect

from tests.browser.axe import check_accessible
from tests.browser.harness import Screenshots
from tests.browser.test_portaal import log_in, send_form
from tests.integration.events import eventually
from tests.integration.marked_routes import all_consumed, to_the_ovj
from tests.integration.platforms import running
from tests.integration.route import clients_of
from wvggz.catalog import PORTAAL
from wvggz.runner import Platform

PROCEDURES = ("meldpunt", "onderzoek")


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    settings = {
        "WVGGZ_BEWAARTERMIJN_JAREN": "0.0000002",  # about six seconds
        "WVGGZ_BEWARING_INTERVAL_S": "0.3",
    }
    with running(tmp_path_factory.mktemp("bewaring"), (*PROCEDURES, PORTAAL), settings) as up:
        yield up


async def test_functioneel_beheer_approves_a_proposed_destruction_in_the_portal(
    page: Page, platform: Platform, screenshot: Screenshots
) -> None:
    async with clients_of(platform) as (client, observer, tokens):
        await to_the_ovj(client, tokens)
        await all_consumed(observer, PROCEDURES)

    await log_in(page, platform, "functioneel-beheer.gm0402", then="/werkvoorraad")
    voorstellen = page.get_by_role("region", name="Meldpunt vernietigingen")

    async def proposed() -> bool:
        await page.reload()
        return await voorstellen.get_by_role("link").count() > 0

    await eventually(proposed, within=30, what="the proposal in the werkvoorraad")
    await check_accessible(page)
    await screenshot(page, "werkvoorraad-voorstel")
    await voorstellen.get_by_role("link").first.click()
    await expect(page.get_by_text("voorgesteld").first).to_be_visible()
    await page.get_by_role(
        "link", name=re.compile("^Keur de voorgestelde vernietiging goed")
    ).click()
    await send_form(page, screenshot, "goedkeuren")
    # The portal answers a sent form with a redirect to the case: reloading before it arrived
    # would race that navigation.
    await page.wait_for_url(re.compile(r"\?positie=\d+"))

    async def destroyed() -> bool:
        await page.reload()
        return await page.get_by_text("vernietigd", exact=True).count() > 0

    await eventually(destroyed, within=20, what="the destruction carried out")
    await check_accessible(page)
    await screenshot(page, "vernietigd", mobile=True)
    await expect(
        page.get_by_role("link", name=re.compile("^Keur de voorgestelde vernietiging goed"))
    ).to_have_count(0)
