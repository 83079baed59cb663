"""The overleg in the staff portal, in Chromium against the running platform: functioneel beheer
registers an overlegtafel through the generic form and a consulent finds it in the naslag by a
word of its purpose; after a melding is registered and triaged, the secretariaat opens the
quarter's figures from the naslag (tables with small counts as <5, a chart per table), reads the
costs and downloads the quarterly report as PDF and a table as CSV; the secretariaat sets up the
regio-overleg with its deelnemers (a list of groups in the generic form), plans a meeting, puts
items on its agenda (one holding a BSN is refused beside its field), records the verslag and an
afspraak, and reads them in the dossier and on the agenda.
Every new page passes axe (WCAG 2.1 A/AA); screenshots go to var/screenshots/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from services.portaal.web.forms import AMSTERDAM
from tests.browser.axe import check_accessible
from tests.browser.harness import Screenshots
from tests.browser.test_portaal import as_user, log_in, send_form
from tests.integration.events import eventually
from tests.integration.platforms import running
from wvggz.catalog import PORTAAL
from wvggz.runner import Platform


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    with running(tmp_path_factory.mktemp("overleg"), ("meldpunt", "overleg", PORTAAL)) as started:
        yield started


def huidig_kwartaal() -> str:
    """The quarter of today in Amsterdam, e.g. `2026-K4`."""
    nu = datetime.now(AMSTERDAM)
    return f"{nu.year}-K{(nu.month - 1) // 3 + 1}"


async def test_functioneel_beheer_registers_a_table_and_a_consulent_finds_it_in_the_naslag(
    browser: Browser, page: Page, platform: Platform, screenshot: Screenshots
) -> None:
    beheer = await as_user(browser, platform, "functioneel-beheer.gm0402", "/werkvoorraad")
    await beheer.get_by_role("link", name="Neem een overlegtafel op in het overzicht").click()
    await beheer.locator("#veld-naam").fill("Triage- en transfertafel Gooi en Vechtstreek")
    await beheer.locator("#veld-niveau").select_option("regionaal")
    await beheer.locator("#veld-deelnemers").fill("GGZ Centraal\nWijkteam Hilversum")
    await beheer.locator("#veld-doel").fill(
        "Een passende plek vinden voor vastgelopen zorgvragen met een psychische component."
    )
    await beheer.locator("#veld-aanmelders").fill("Wijkteams\nProcesmanagers Wvggz")
    await beheer.locator("#veld-criteria").fill("Lokale mogelijkheden zijn benut.")
    await beheer.locator("#veld-contact").fill("triagetafel@regio.example.nl")
    await send_form(beheer, screenshot, "tafel-registreren")
    await expect(beheer.get_by_text("Triage- en transfertafel Gooi en Vechtstreek")).to_be_visible()
    await beheer.context.close()

    consulent = page
    await log_in(consulent, platform, "consulent.gm0402", then="/werkvoorraad")
    await consulent.get_by_role("link", name="Naslag: Overlegtafels").click()
    await expect(consulent.get_by_role("heading", name="Overlegtafels", level=1)).to_be_visible()
    await consulent.get_by_label("Zoek op woorden").fill("VASTGELOPEN psychische")
    await consulent.get_by_role("button", name="Zoeken").click()
    tafel = consulent.get_by_role("link", name="Triage- en transfertafel Gooi en Vechtstreek")
    await expect(tafel).to_be_visible()
    await expect(
        consulent.get_by_role("cell", name="GGZ Centraal, Wijkteam Hilversum")
    ).to_be_visible()
    await check_accessible(consulent)
    await screenshot(consulent, "naslag-gevonden", mobile=True)

    await consulent.get_by_label("Zoek op woorden").fill("dakloosheid")
    await consulent.get_by_role("button", name="Zoeken").click()
    await expect(consulent.get_by_role("status")).to_have_text("Niets gevonden.")
    await consulent.get_by_label("Zoek op woorden").fill("x" * 201)
    await consulent.get_by_role("button", name="Zoeken").click()
    await expect(consulent.get_by_role("alert")).to_contain_text("Niet gezocht")
    await check_accessible(consulent)
    await screenshot(consulent, "naslag-te-lang")

    await consulent.get_by_label("Zoek op woorden").fill("transfertafel")
    await consulent.get_by_role("button", name="Zoeken").click()
    await tafel.click()
    await expect(consulent.get_by_text("triagetafel@regio.example.nl")).to_be_visible()
    await check_accessible(consulent)


async def register_and_triage(browser: Browser, platform: Platform) -> None:
    """A melding in GM0402, registered and triaged to a verkennend onderzoek by the triagist."""
    page = await as_user(browser, platform, "triagist.gm0402", "/werkvoorraad")
    await page.get_by_role("link", name=re.compile("Registreer een melding")).click()
    await page.get_by_label("Kanaal").select_option("telefoon")
    await page.locator("#veld-melder-naam").fill("A. Buur")
    await page.locator("#veld-melder-relatie").select_option("buur")
    await page.locator("#veld-betrokkene-naam").fill("J. Voorbeeld")
    await page.locator("#veld-betrokkene-bsn").fill("111222333")
    await page.locator("#veld-situatie").fill("Roept dat hij wordt afgeluisterd; eet niet.")
    await page.get_by_role("button", name="Versturen").click()
    await expect(page.get_by_role("heading", name=re.compile("^Dossier"))).to_be_visible()
    await page.get_by_role("link", name=re.compile("^Leg de triage")).click()
    for vraag in ("ernstig-nadeel", "psychische-stoornis", "verplichte-zorg-nodig"):
        await page.locator(f"#veld-antwoorden-{vraag}-aannemelijk-ja").check()
        await page.locator(f"#veld-antwoorden-{vraag}-motivatie").fill("Volgens de melder.")
    await page.locator("#veld-uitkomst").select_option("verkennend-onderzoek")
    await page.get_by_role("button", name="Versturen").click()
    await expect(page.get_by_role("cell", name=re.compile("triage afgerond"))).to_be_visible()
    await page.context.close()


async def test_the_secretariaat_reads_the_quarters_figures_and_downloads_the_report(
    browser: Browser, page: Page, platform: Platform, screenshot: Screenshots, tmp_path: Path
) -> None:
    await register_and_triage(browser, platform)
    kwartaal = huidig_kwartaal()
    await log_in(page, platform, "secretariaat.gm0402", then="/werkvoorraad")
    await page.get_by_role("link", name="Naslag: Kwartaalcijfers").click()
    quarter = page.get_by_role("link", name=kwartaal, exact=True)

    async def counted() -> bool:  # the overleg counts the procedures' events as they come
        await page.reload()
        return await quarter.count() == 1

    await eventually(counted, within=30, what=f"{kwartaal} in the naslag of the figures")
    await check_accessible(page)
    await screenshot(page, "naslag-kwartalen")
    await quarter.click()

    await expect(page.get_by_role("heading", name=f"Beleidscijfers {kwartaal}")).to_be_visible()
    meldingen = page.get_by_role("table").first
    gm0402 = meldingen.get_by_role("row").filter(has=page.get_by_role("rowheader", name="GM0402"))
    await expect(gm0402.get_by_role("cell", name="<5").first).to_be_visible()
    chart = page.get_by_role("img", name=re.compile("^Grafiek van de tabel")).first
    await expect(chart).to_be_visible()
    assert await chart.evaluate("img => img.complete && img.naturalWidth > 0"), "the SVG renders"
    await check_accessible(page)
    await screenshot(page, "kwartaalcijfers", mobile=True)

    async with page.expect_download() as started:
        await page.get_by_role(
            "link", name=f"Download het kwartaalrapport {kwartaal} (PDF)"
        ).click()
    rapport = await started.value
    assert rapport.suggested_filename == f"kwartaalrapport-{kwartaal}.pdf"
    await rapport.save_as(tmp_path / "rapport.pdf")
    assert (tmp_path / "rapport.pdf").read_bytes().startswith(b"%PDF")
    async with page.expect_download() as started:
        await page.get_by_role("link", name=re.compile(r"als CSV$")).first.click()
    tabel = await started.value
    await tabel.save_as(tmp_path / "tabel.csv")
    assert (tmp_path / "tabel.csv").read_text(encoding="utf-8").startswith("Gemeente;")

    await page.get_by_role("link", name=f"Uren en kosten van {kwartaal}").click()
    await expect(page.get_by_role("heading", name=f"Uren en kosten {kwartaal}")).to_be_visible()
    await check_accessible(page)
    await screenshot(page, "kosten")
    response = await page.goto(f"{platform.portaal_url}/kwartaalcijfers/2026-K7")
    assert response is not None and response.status == 404
    await expect(page.get_by_role("alert")).to_contain_text("Een kwartaal schrijft u als 2026-K4")
    await check_accessible(page)


def volgend_kwartaal() -> tuple[str, str]:
    """The quarter after today's in Amsterdam, and a moment in it for `datetime-local`."""
    nu = datetime.now(AMSTERDAM)
    nummer = (nu.month - 1) // 3 + 1
    jaar, nummer = (nu.year + 1, 1) if nummer == 4 else (nu.year, nummer + 1)
    return f"{jaar}-K{nummer}", f"{jaar}-{3 * nummer - 2:02d}-15T10:00"


async def test_the_secretariaat_runs_the_regio_overleg_in_the_portal(
    page: Page, platform: Platform, screenshot: Screenshots
) -> None:
    await log_in(page, platform, "secretariaat.gm0402", then="/werkvoorraad")
    await check_accessible(page)
    await screenshot(page, "werkvoorraad")
    await page.get_by_role("link", name=re.compile("^Stel het regio-overleg")).click()
    await page.locator("#veld-naam").fill("Regio-overleg Wvggz Gooi en Vechtstreek")
    await page.locator("#veld-veiligheidsregio").fill("Veiligheidsregio Gooi en Vechtstreek")
    await page.locator("#veld-voorzitter").fill("Burgemeester van Hilversum")
    await page.locator("#veld-secretariaat").fill("Gemeente Hilversum, team Wvggz")
    # The deelnemers: a group each, found by its legend as a screen reader user would.
    ovj = page.get_by_role("group", name="Deelnemer 1", exact=True)
    await ovj.get_by_label("Soort").select_option("ovj")
    await ovj.get_by_label("Organisatie").fill("Openbaar Ministerie, parket Midden-Nederland")
    college = page.get_by_role("group", name="Deelnemer 2 (niet verplicht)", exact=True)
    await college.get_by_label("Soort").select_option("college")
    await college.get_by_label("Organisatie").fill("College van B&W van Hilversum")
    await college.get_by_label("Gemeente").fill("GM0402")
    await college.get_by_label("Mandaat").fill("Besluiten over de regionale aanpak Wvggz")
    await send_form(page, screenshot, "overleg-instellen")

    await expect(page.get_by_role("heading", name=re.compile("^Dossier"))).to_be_visible()
    deelnemers = page.get_by_role("region", name="Deelnemers")
    await expect(deelnemers.get_by_role("listitem")).to_have_count(2)
    await expect(deelnemers).to_contain_text("College van B&W van Hilversum")
    await expect(deelnemers).to_contain_text("GM0402")
    await check_accessible(page)
    await screenshot(page, "overleg-dossier")

    kwartaal, moment = volgend_kwartaal()
    await page.get_by_role("link", name=re.compile("^Plan een vergadering")).click()
    await page.locator("#veld-datum").fill(moment)
    await page.locator("#veld-locatie").fill("Raadhuis Hilversum")
    await send_form(page, screenshot, "vergadering-plannen")
    vergaderingen = page.get_by_role("region", name="Vergaderingen")
    await expect(vergaderingen).to_contain_text(kwartaal)
    await check_accessible(page)

    await vergaderingen.get_by_role("link", name=re.compile("^Zet een punt op de agenda")).click()
    await page.locator("#veld-thema").select_option("toezicht")
    await page.locator("#veld-titel").fill("Toezicht op de uitvoering van crisismaatregelen")
    await send_form(page, screenshot, "agendapunt")
    await expect(vergaderingen).to_contain_text("Toezicht op de uitvoering van crisismaatregelen")
    await check_accessible(page)

    # No individual cases: a title with a BSN is refused beside its field, without the number.
    await vergaderingen.get_by_role("link", name=re.compile("^Zet een punt op de agenda")).click()
    await page.locator("#veld-thema").select_option("overig")
    titel = "Casus van de heer met BSN 111222333"
    await page.locator("#veld-titel").fill(titel)
    await page.get_by_role("button", name="Versturen").click()
    fout = page.locator("#veld-titel-fout")
    await expect(fout).to_contain_text("geen individuele casussen")
    await expect(page.get_by_role("alert")).to_contain_text("Titel:")
    await expect(page.locator("#veld-titel")).to_have_attribute("aria-invalid", "true")
    await expect(page.locator("#veld-titel")).to_have_value(titel)
    await expect(page.locator("#veld-thema")).to_have_value("overig")
    assert "111222333" not in await fout.inner_text()
    assert "111222333" not in await page.get_by_role("alert").inner_text()
    await check_accessible(page)
    await screenshot(page, "agendapunt-met-bsn")
    await page.get_by_role("link", name="Annuleren").click()

    await vergaderingen.get_by_role("link", name=re.compile("^Leg het verslag")).click()
    await page.locator("#veld-aanwezig").fill("ovj\ncollege")
    await page.locator("#veld-verslag").fill(
        "Besproken: het toezicht op de uitvoering. De OvJ licht de aantallen van het kwartaal toe."
    )
    await send_form(page, screenshot, "verslag")
    await expect(vergaderingen).to_contain_text("ovj, college")
    await check_accessible(page)

    uiterlijk = (datetime.now(AMSTERDAM).date() + timedelta(days=30)).isoformat()
    await vergaderingen.get_by_role("link", name=re.compile("^Leg een afspraak")).click()
    await page.locator("#veld-omschrijving").fill("Cijfers over toezicht per gemeente aanleveren.")
    await page.locator("#veld-eigenaar").fill("Secretariaat regio-overleg")
    await page.locator("#veld-uiterlijk").fill(uiterlijk)
    await send_form(page, screenshot, "afspraak")

    # The dossier: the meeting with its item and verslag, and the afspraak still open.
    fase = page.locator(".portaal-fase strong")
    await expect(fase).to_have_text(re.compile(r"0 geplande vergaderingen, 1 open afspraak$"))
    await expect(vergaderingen).to_contain_text(f"15-{int(moment[5:7])}-{moment[:4]} 10:00")
    await expect(vergaderingen).to_contain_text("toezicht")
    afspraken = page.get_by_role("region", name="Afspraken")
    await expect(afspraken).to_contain_text("Cijfers over toezicht per gemeente aanleveren.")
    await expect(afspraken).to_contain_text(uiterlijk)
    await expect(afspraken.get_by_role("definition").filter(has_text="open")).to_have_count(1)
    await expect(afspraken.get_by_role("link", name=re.compile("^Werk de status"))).to_be_visible()
    await check_accessible(page)
    await screenshot(page, "overleg-na-vergadering", mobile=True)

    await page.get_by_role("link", name="Lees de agenda").click()
    await expect(page.get_by_role("heading", name="De agenda", level=1)).to_be_visible()
    op_de_agenda = page.get_by_role("region", name="Afspraken")
    await expect(op_de_agenda.get_by_role("term").filter(has_text="Omschrijving")).to_have_count(1)
    await expect(
        op_de_agenda.get_by_role("definition").filter(has_text="Cijfers over toezicht")
    ).to_have_text("Cijfers over toezicht per gemeente aanleveren.")
    await check_accessible(page)
    await screenshot(page, "agenda")
