"""The staff portal in Chromium against the running platform and the real identity provider:
log in, register a melding, triage it to a VO that a consulent then finds; a user of another
gemeente sees none of it. Every page visited passes axe (WCAG 2.1 A/AA)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from playwright.async_api import Page, expect

from services.portaal.web.forms import AMSTERDAM
from tests.browser.axe import check_accessible
from tests.browser.harness import Screenshots
from tests.integration.platforms import local_platform
from wvggz.catalog import PORTAAL
from wvggz.runner import Platform


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    started = local_platform(
        tmp_path_factory.mktemp("portaal"), services=("meldpunt", "onderzoek", "crisis", PORTAAL)
    )
    started.start()
    try:
        yield started
    finally:
        started.stop()


async def log_in(page: Page, platform: Platform, user: str, then: str = "/") -> None:
    """Through the identity provider's own login page, as a person would."""
    await page.goto(f"{platform.portaal_url}{then}")
    if then == "/":
        await page.get_by_role("link", name="Inloggen").click()
    await page.get_by_label("Gebruikersnaam").fill(user)
    await page.get_by_label("Wachtwoord").fill("demo")
    await page.get_by_role("button", name="Inloggen").click()
    await page.wait_for_url(re.compile(re.escape(platform.portaal_url)))


async def test_a_triagist_registers_and_triages_a_melding_and_the_consulent_finds_the_vo(
    page: Page, platform: Platform, screenshot: Screenshots
) -> None:
    await page.goto(platform.portaal_url)
    await check_accessible(page)
    await screenshot(page, "start")
    await log_in(page, platform, "triagist.gm0402")
    await expect(page.get_by_role("heading", name="Werkvoorraad", level=1)).to_be_visible()
    await check_accessible(page)
    await screenshot(page, "werkvoorraad", mobile=True)

    await page.get_by_role("link", name=re.compile("Registreer een melding")).click()
    await check_accessible(page)
    # Received 11 days ago: the VO term's warning moment (4 days before its end) has passed.
    elf_dagen = (datetime.now(AMSTERDAM) - timedelta(days=11)).strftime("%Y-%m-%dT%H:%M")
    await page.locator("#veld-ontvangen-op").fill(elf_dagen)
    await page.get_by_label("Kanaal").select_option("telefoon")
    await page.locator("#veld-melder-naam").fill("A. Buur")
    await page.locator("#veld-melder-relatie").select_option("ouder")
    await page.locator("#veld-betrokkene-naam").fill("J. Voorbeeld")
    await page.locator("#veld-betrokkene-bsn").fill("123456789")  # fails the elfproef
    await page.locator("#veld-situatie").fill("Roept dat hij wordt afgeluisterd; eet niet.")
    await page.get_by_role("button", name="Versturen").click()

    # Refused: the service's message next to the field, and nothing typed is lost.
    await expect(page.get_by_role("alert")).to_contain_text("Bsn")
    await expect(page.locator("#veld-betrokkene-naam")).to_have_value("J. Voorbeeld")
    await expect(page.locator("#veld-betrokkene-bsn")).to_have_attribute("aria-invalid", "true")
    await check_accessible(page)
    await screenshot(page, "melding-fout")
    await page.locator("#veld-betrokkene-bsn").fill("111222333")
    await page.get_by_role("button", name="Versturen").click()

    await expect(page.get_by_role("heading", name=re.compile("^Dossier"))).to_be_visible()
    await expect(page.get_by_role("cell", name=re.compile("melding ontvangen"))).to_be_visible()
    await check_accessible(page)
    await screenshot(page, "dossier")
    dossier_url = page.url.split("?")[0]
    melding = dossier_url.rsplit("/", 1)[-1]
    await page.get_by_role("link", name="Werkvoorraad").click()
    row = page.get_by_role("row").filter(has_text=melding[:8])
    await expect(row).to_contain_text("Waarschuwing")
    await page.goto(dossier_url)

    await page.get_by_role("link", name=re.compile("^Leg de triage")).click()
    for vraag in ("ernstig-nadeel", "psychische-stoornis", "verplichte-zorg-nodig"):
        await page.locator(f"#veld-antwoorden-{vraag}-aannemelijk-ja").check()
        await page.locator(f"#veld-antwoorden-{vraag}-motivatie").fill("Volgens de melder.")
    await page.locator("#veld-uitkomst").select_option("verkennend-onderzoek")
    await check_accessible(page)
    await screenshot(page, "triage")
    await page.get_by_role("button", name="Versturen").click()
    await expect(page.get_by_role("cell", name=re.compile("triage afgerond"))).to_be_visible()
    # The rules say what may be done now: a triaged melding is not triaged or handed over again.
    await expect(page.get_by_role("link", name=re.compile("^Leg de triage"))).to_have_count(0)
    await expect(page.get_by_role("link", name=re.compile("^Draag"))).to_have_count(0)

    consulent = await page.context.browser.new_context()  # type: ignore[union-attr]
    other = await consulent.new_page()
    await log_in(other, platform, "consulent.gm0402", then="/werkvoorraad")
    await expect(other.get_by_role("heading", name="Verkennende onderzoeken")).to_be_visible()
    await expect(other.get_by_role("row").nth(1)).to_be_visible()
    await check_accessible(other)
    await screenshot(other, "werkvoorraad-consulent")
    await consulent.close()

    stranger = await page.context.browser.new_context()  # type: ignore[union-attr]
    elsewhere = await stranger.new_page()
    await log_in(elsewhere, platform, "triagist.gm0406", then="/werkvoorraad")
    response = await elsewhere.goto(dossier_url)
    assert response is not None and response.status == 404
    await expect(elsewhere.get_by_role("alert")).to_contain_text("geen melding")
    await check_accessible(elsewhere)
    await screenshot(elsewhere, "andere-gemeente")
    await stranger.close()
