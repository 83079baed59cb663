"""The staff portal in Chromium against the running platform and the real identity provider: a
melding triaged to a VO that the consulent takes to the aanvraag; a user of another gemeente sees
none of it; the crisis chain, each step by its own role, to the burgemeester deciding on a phone
and the decision's afschriften showing on the dossier; functioneel beheer registering a chain
partner with a webhook subscription and reading the secret to hand over.
Every page visited passes axe (WCAG 2.1 A/AA); screenshots go to var/screenshots/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from playwright.async_api import Browser, Page, expect

from kernel.eventstore.sqlite import SqliteEventStore
from services.portaal.web.forms import AMSTERDAM
from tests.browser.axe import check_accessible
from tests.browser.harness import Screenshots
from tests.integration.events import eventually
from tests.integration.platforms import running
from wvggz.catalog import PORTAAL
from wvggz.runner import Platform


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    with running(
        tmp_path_factory.mktemp("portaal"),
        ("meldpunt", "onderzoek", "crisis", "notificaties", PORTAAL),
    ) as started:
        yield started


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
    # Received 14 days ago: the term ends tonight at 24:00, or up to 3 days later when the
    # Algemene termijnenwet moves it past a weekend or holiday; either way its warning moment
    # (4 days before the end) has passed and the end has not.
    veertien_dagen = (datetime.now(AMSTERDAM) - timedelta(days=14)).strftime("%Y-%m-%dT%H:%M")
    await page.locator("#veld-ontvangen-op").fill(veertien_dagen)
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
    await page.get_by_label("Zoek op zaaknummer").fill(melding)
    await page.get_by_role("button", name="Zoeken").click()
    await page.wait_for_url(re.compile(re.escape(melding) + "$"))

    await page.get_by_role("link", name=re.compile("^Leg de triage")).click()
    for vraag in ("ernstig-nadeel", "psychische-stoornis", "verplichte-zorg-nodig"):
        await page.locator(f"#veld-antwoorden-{vraag}-aannemelijk-ja").check()
        await page.locator(f"#veld-antwoorden-{vraag}-motivatie").fill("Volgens de melder.")
    await page.locator("#veld-uitkomst").select_option("verkennend-onderzoek")
    await check_accessible(page)
    await screenshot(page, "triage")
    await page.get_by_role("button", name="Versturen").click()
    await expect(page.get_by_role("cell", name=re.compile("triage afgerond"))).to_be_visible()
    await expect(page.get_by_text("Fase: getriageerd: verkennend onderzoek")).to_be_visible()
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
    vo = other.get_by_role("region", name="Verkennende onderzoeken").get_by_role("link").first
    await vo.click()
    await complete_vo(other, screenshot)
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
    # The refused look at another gemeente's dossier is in the meldpunt's read audit.
    assert await refused_reads(platform, melding, "triagist.gm0406") >= 1


async def act(
    page: Page,
    action: str,
    *,
    fill: dict[str, str] | None = None,
    yes: tuple[str, ...] = (),
    select: dict[str, str] | None = None,
) -> None:
    """Take one action of the dossier through its form, and wait for the dossier again."""
    await page.get_by_role("link", name=re.compile(f"^{re.escape(action)}")).click()
    for field, value in (fill or {}).items():
        await page.locator(f"#veld-{field}").fill(value)
    for field in yes:
        await page.locator(f"#veld-{field}-ja").check()
    for field, value in (select or {}).items():
        await page.locator(f"#veld-{field}").select_option(value)
    await page.get_by_role("button", name="Versturen").click()
    await expect(page.get_by_role("heading", name=re.compile("^Dossier"))).to_be_visible()


async def complete_vo(page: Page, screenshot: Screenshots) -> None:
    """The consulent's steps of the VO, each through its form, to the aanvraag to the OvJ."""
    vandaag = datetime.now(AMSTERDAM).date().isoformat()
    await act(page, "Wijs een consulent toe", fill={"consulent": "consulent.gm0402"})
    await act(
        page,
        "Leg het gesprek met de betrokkene vast",
        fill={"datum": vandaag, "samenvatting": "Gesproken."},
        yes=("vonden-plaats",),
    )
    await act(page, "Leg vast dat de betrokkene op onafhankelijke", fill={"datum": vandaag})
    await act(
        page,
        "Leg een consultatie van GGZ-expertise vast",
        fill={
            "consultant": "consulent.gm0402",
            "datum": vandaag,
            "uren": "1.5",
            "onderwerp": "Psychische stoornis en noodzaak verplichte zorg.",
        },
    )
    for toets in ("ernstig-nadeel", "psychische-stoornis", "noodzaak-verplichte-zorg"):
        await act(
            page,
            "Beoordeel de volgende kernvraag",
            select={"toets": toets},
            fill={"motivatie": "Zoals onderzocht."},
            yes=("aannemelijk",),
        )
    await act(page, "Leg het rapport", fill={"samenvatting": "Rapport van het onderzoek."})
    await check_accessible(page)
    await screenshot(page, "vo-voor-aanvraag")
    await act(page, "Dien de aanvraag", fill={"aanvraag-contact-consulent-naam": "C. Onsulent"})
    await expect(page.get_by_role("cell", name=re.compile("aanvraag ingediend"))).to_be_visible()


async def refused_reads(platform: Platform, case_id: str, actor: str) -> int:
    """Read-audit records of `actor` being refused a look at a case, in the meldpunt's store."""

    async def count() -> int:
        store = SqliteEventStore(platform.data_dir / "meldpunt" / "events.db")
        try:
            return sum(
                1
                for e in await store.read("audit-meldpunt")
                if e.type == "nl.wvggz.audit.gegevens-ingezien.v1"
                and e.data["actor"] == actor
                and e.data["case_id"] == case_id
                and e.data["uitkomst"] == "niet-gevonden"
            )
        finally:
            await store.close()

    async def recorded() -> bool:
        return await count() > 0  # records are appended in batches

    await eventually(recorded, within=5, what="the refused read's audit record")
    return await count()


async def as_user(browser: Browser, platform: Platform, user: str, then: str) -> Page:
    """A new browser session logged in as a demo user, at `then`."""
    context = await browser.new_context(locale="nl-NL")
    page = await context.new_page()
    await log_in(page, platform, user, then=then)
    return page


async def send_form(page: Page, screenshot: Screenshots, step: str) -> None:
    """Check the form, keep a picture of it, and send it."""
    await check_accessible(page)
    await screenshot(page, step)
    await page.get_by_role("button", name="Versturen").click()


async def crisis_chain(browser: Browser, platform: Platform, screenshot: Screenshots) -> str:
    """Every step before the decision, each by its own role in the portal: the mandate to hear,
    the melding, the medische verklaring drafted and signed, the hearing, the integraal advies."""
    beheer = await as_user(browser, platform, "functioneel-beheer.gm0402", "/werkvoorraad")
    await beheer.get_by_role("link", name="Registreer een mandaat om te horen.").click()
    await beheer.locator("#veld-partij").fill("Vcare")
    await beheer.locator("#veld-geldig-van").fill(f"{datetime.now(UTC).year}-01-01")
    await send_form(beheer, screenshot, "mandaat")
    await beheer.get_by_role("link", name=re.compile("^Registreer een gebruiker die hoort")).click()
    await beheer.locator("#veld-hoorder").fill("hoorder.gm0402")
    await beheer.locator("#veld-partij").fill("Vcare")
    await beheer.locator("#veld-geldig-van").fill(f"{datetime.now(UTC).year}-01-01")
    await send_form(beheer, screenshot, "hoorder")
    await expect(beheer.get_by_role("heading", name="Werkvoorraad", level=1)).to_be_visible()
    await beheer.context.close()

    dienst = await as_user(browser, platform, "crisisdienst.gm0402", "/werkvoorraad")
    await dienst.get_by_role("link", name=re.compile("^Registreer een crisis")).click()
    await dienst.locator("#veld-melder-soort").select_option("politie")
    await dienst.locator("#veld-betrokkene-naam").fill("K. Voorbeeld")
    await dienst.locator("#veld-situatie").fill("Dreigt van het balkon te springen.")
    await send_form(dienst, screenshot, "crisis-melden")
    await expect(dienst.get_by_text("Fase: voorbereiding van het besluit")).to_be_visible()
    case_path = urlsplit(dienst.url).path

    psychiater = await as_user(browser, platform, "psychiater.gm0402", case_path)
    await psychiater.get_by_role("link", name=re.compile("^Stel als onafhankelijk")).click()
    await psychiater.locator("#veld-psychiater").fill("psychiater.gm0402")
    await psychiater.locator("#veld-is-behandelaar-nee").check()
    for criterium in (
        "onmiddellijk-dreigend-ernstig-nadeel",
        "ernstig-vermoeden-psychische-stoornis",
        "maatregel-kan-nadeel-afwenden",
        "zorgmachtiging-niet-afwachten",
        "verzet-tegen-zorg",
    ):
        await psychiater.locator(f"#veld-criteria-{criterium}-voldaan-ja").check()
        await psychiater.locator(f"#veld-criteria-{criterium}-toelichting").fill("Onderzocht.")
    await psychiater.locator("#veld-bevindingen").fill("Psychotisch, suïcidaal, weigert opname.")
    await send_form(psychiater, screenshot, "verklaring")
    await psychiater.get_by_role("link", name="Lees de medische verklaring").click()
    await expect(psychiater.get_by_text("Psychotisch, suïcidaal")).to_be_visible()
    await check_accessible(psychiater)
    await psychiater.get_by_role("link", name=re.compile("^Onderteken")).click()
    await expect(psychiater.locator("#veld-verklaring-id")).not_to_have_value("")
    await send_form(psychiater, screenshot, "ondertekenen")
    await expect(psychiater.get_by_role("heading", name=re.compile("^Dossier"))).to_be_visible()
    await psychiater.context.close()

    hoorder = await as_user(browser, platform, "hoorder.gm0402", case_path)
    await hoorder.get_by_role("link", name=re.compile("het hoorverslag vast")).click()
    await hoorder.locator("#veld-hoorder").fill("hoorder.gm0402")
    await hoorder.locator("#veld-wijze").select_option("telefoon")
    await hoorder.locator("#veld-wensen-en-voorkeuren").fill("Liever geen injectie.")
    for feit, antwoord in (
        ("crisiskaart-geraadpleegd", "nee"),
        ("tolk-gebruikt", "nee"),
        ("naasten-aanwezig", "ja"),
        ("pvp-uitgelegd", "ja"),
        ("toestemming-gegevens-pvp", "ja"),
        ("leeftijd-verklaring-jonger-dan-16", "nee"),
    ):
        await hoorder.locator(f"#veld-{feit}-{antwoord}").check()
    await hoorder.locator("#veld-leeftijd-verklaring-toelichting").fill("Volgens het ID-bewijs.")
    await send_form(hoorder, screenshot, "hoorverslag")
    await expect(hoorder.get_by_role("heading", name=re.compile("^Dossier"))).to_be_visible()
    await hoorder.context.close()

    await dienst.goto(f"{platform.portaal_url}{case_path}")
    await dienst.get_by_role("link", name=re.compile("^Stel het integraal advies")).click()
    await send_form(dienst, screenshot, "integraal-advies")
    await expect(dienst.get_by_text("Fase: advies ligt klaar")).to_be_visible()
    await dienst.context.close()
    return case_path.rsplit("/", 1)[-1]


async def test_the_crisis_chain_runs_in_the_portal_to_the_burgemeester_deciding_on_a_phone(
    browser: Browser, platform: Platform, screenshot: Screenshots
) -> None:
    crisis_id = await crisis_chain(browser, platform, screenshot)
    phone = await browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-NL")
    page = await phone.new_page()

    await log_in(page, platform, "burgemeester.gm0402", then=f"/crisiszaken/{crisis_id}")
    await page.get_by_role("link", name=re.compile("^Lees de stukken")).click()
    await expect(page.get_by_role("status")).to_contain_text("uur tot het besluit")
    await expect(page.get_by_role("heading", name="Integraal advies")).to_be_visible()
    await expect(page.get_by_role("heading", name="Medische verklaring")).to_be_visible()
    await expect(page.get_by_text("Psychotisch, suïcidaal").first).to_be_visible()
    await check_accessible(page)
    await screenshot(page, "besluitstukken")

    await page.get_by_role("link", name=re.compile("besluit", re.IGNORECASE)).first.click()
    await page.locator("#veld-besluit-genomen").check()
    await page.locator("#veld-besluit-genomen-verplichte-zorg").fill("opname\nmedicatie")
    await page.locator("#veld-besluit-genomen-zorgaanbieder").fill("GGZ Centraal")
    await page.locator("#veld-besluit-genomen-geneesheer-directeur").fill("Dr. G. Directeur")
    await page.locator("#veld-besluit-genomen-zorgverantwoordelijke").fill(
        "Dr. Z. Verantwoordelijk"
    )
    await page.locator("#veld-besluit-genomen-rechtsmiddel").fill("Beroep bij de rechtbank.")
    await page.locator("#veld-besluit-genomen-motivatie").fill("Alle criteria voldaan.")
    await check_accessible(page)
    await screenshot(page, "besluit")
    await page.get_by_role("button", name="Versturen").click()

    await expect(page.get_by_role("cell", name=re.compile("besluit genomen"))).to_be_visible()
    await check_accessible(page)
    await screenshot(page, "besloten")

    # The afschriften of the decision, made and waiting to go, show on the case's dossier: five,
    # as the advocaat's waits until one is assigned.
    afschriften = page.locator("#bij-brieven + table tbody tr")

    async def made() -> bool:
        await page.goto(f"{platform.portaal_url}/crisiszaken/{crisis_id}")
        return await afschriften.count() == 5 and await page.get_by_text("aangemaakt").count() == 5

    await eventually(made, within=30, what="five afschriften made, on the crisis dossier")
    await expect(page.get_by_role("rowheader", name="betrokkene")).to_be_visible()
    await check_accessible(page)
    await screenshot(page, "afschriften")
    await phone.close()


async def test_functioneel_beheer_registers_a_partner_subscribes_it_and_reads_its_secret(
    browser: Browser, platform: Platform, screenshot: Screenshots
) -> None:
    beheer = await as_user(browser, platform, "functioneel-beheer.gm0402", "/werkvoorraad")
    await beheer.get_by_role("link", name="Registreer een ketenpartner van de regio.").click()
    await beheer.locator("#veld-naam").fill("Inspectie Gezondheidszorg en Jeugd")
    await beheer.locator("#veld-oin").fill("00000001003214345000")
    await beheer.locator("#veld-soort").select_option("igj")
    await beheer.locator("#veld-beheerd-door").fill("GM0402")
    await send_form(beheer, screenshot, "partner-registreren")
    await expect(beheer.get_by_text("Fase: geregistreerd, 0 lopende abonnementen")).to_be_visible()
    partner_path = urlsplit(beheer.url).path

    await beheer.get_by_role("link", name=re.compile("^Abonneer een partner")).click()
    await beheer.locator("#veld-gebeurtenissen").fill("nl.wvggz.crisis.afschrift-klaargezet.v1")
    await beheer.locator("#veld-kanaal").select_option("webhook")
    await beheer.locator("#veld-url").fill("https://igj.example.nl/wvggz/afschriften")
    await send_form(beheer, screenshot, "abonneren")
    await expect(beheer.get_by_text("Fase: geregistreerd, 1 lopende abonnementen")).to_be_visible()
    await check_accessible(beheer)
    await screenshot(beheer, "partner")

    await beheer.get_by_role("link", name="Lees de webhook-geheimen").click()
    await expect(beheer.get_by_text(re.compile(r"\b[0-9a-f]{64}\b"))).to_be_visible()
    await screenshot(beheer, "geheimen")
    await check_accessible(beheer)
    await beheer.goto(f"{platform.portaal_url}{partner_path}/leveringen")
    await check_accessible(beheer)
    await beheer.goto(f"{platform.portaal_url}/werkvoorraad")
    await expect(beheer.get_by_role("heading", name="Partners")).to_be_visible()
    await expect(
        beheer.get_by_role("cell", name="Inspectie Gezondheidszorg en Jeugd")
    ).to_be_visible()
    await check_accessible(beheer)
    await screenshot(beheer, "werkvoorraad-beheer")
    await beheer.context.close()
