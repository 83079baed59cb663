"""The crisis route to its end: the burgemeester's decision goes as six afschriften (pvp only
with consent), the OvJ's and the IGJ's by their partner channel as signed PDF documents, the
others through the mail room's post batch, and each one leaves a verstrekking in the register;
the melder, a neighbour, gets the receipt and nothing more. The overleg counts the case and its
afschriften in the quarter's figures, and exports them for the inspectorate."""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import io
import json
import uuid
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from pypdf import PdfReader
from wvggz_contracts.overleg import kwartaal_van
from wvggz_contracts.rechtstijd import lokale_datum

from kernel.decider import derived_id
from services.crisis.domain import crisis_id_for
from tests.integration.events import eventually
from tests.integration.platforms import running
from tests.integration.route import Staff, actor, demo_tokens, demo_user, melding, triage
from tests.integration.test_crisis_route import walk_to_the_besluit
from tests.integration.test_http_api import Api
from tests.integration.test_leveringen import geheim, partner
from tests.services.crisis import fixtures as f
from wvggz import cijfers_export, post
from wvggz.catalog import PORTAAL
from wvggz.proefontvanger import ProefOntvanger
from wvggz.runner import Platform

pytestmark = pytest.mark.integration

AFSCHRIFT = "nl.wvggz.crisis.afschrift-klaargezet.v1"
DOCUMENT = "nl.wvggz.notificaties.document.v1"
INSTELLINGEN = {"om": "ovj", "igj": "igj"}
"""The region's institutions with a partner channel; the named advocaat and geneesheer-directeur
get theirs by post (no partner kind says at which firm or provider they are)."""


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    services = ("meldpunt", "crisis", "notificaties", "overleg", PORTAAL)
    with running(tmp_path_factory.mktemp("afschriften"), services) as started:
        yield started


def test_a_crisis_decision_ends_with_six_afschriften_delivered_and_registered(
    platform: Platform,
) -> None:
    beheer = Api(platform, "functioneel-beheer.gm0402")

    async def scenario() -> None:
        ontvangers = {soort: ProefOntvanger(b"nog-onbekend") for soort in INSTELLINGEN}
        for soort, ontvanger in ontvangers.items():
            await ontvanger.start()
            partner_id = partner(
                beheer, soort, None, gebeurtenissen=[AFSCHRIFT], kanaal="webhook", url=ontvanger.url
            )
            ontvanger.secret = geheim(beheer, partner_id)

        connection = platform.connection()
        tokens = demo_tokens(connection)
        client = await connection.client()
        triagist = Staff(client, actor("triagist"), tokens)
        registered = await triagist.command("meldpunt", "registreer-melding", melding("buur"))
        melding_id = registered["case_id"]
        triaged = await triagist.command(
            "meldpunt",
            "rond-triage-af",
            triage(melding_id, uitkomst="crisis", afwijking_motivatie="Acuut gevaar."),
        )
        assert triaged["ok"], triaged
        crisis_id = crisis_id_for(uuid.UUID(melding_id))

        async def started() -> bool:
            reply = await Staff(client, demo_user(f.CRISISDIENST), tokens).query(
                "crisis", "open-crises", {}
            )
            return any(row["crisis_id"] == str(crisis_id) for row in reply["data"])

        await eventually(started, what="the crisis case started")
        await walk_to_the_besluit(client, crisis_id, tokens)
        await client.close()
        for ontvanger in ontvangers.values():
            await ontvanger.wacht_op(1, timeout_s=30.0)

        async def made() -> bool:
            found = beheer.call("GET", f"/brieven?zaak={crisis_id}")
            fasen = [row["fase"] for row in found.body["resultaten"]] if found.status == 200 else []
            return len(fasen) == 6 and fasen.count("aangemaakt") == 4

        await eventually(made, within=30, what="four letters waiting for the post")
        waiting = beheer.call("GET", "/poststukken").body["resultaten"]
        zip_path = platform.data_dir / "post.zip"
        said: list[str] = []
        arguments = argparse.Namespace(
            gebruiker="functioneel-beheer.gm0402", uit=str(zip_path), bevestig=True
        )
        code = await post.run(arguments, platform.connection(), said.append)
        again = await post.run(arguments, platform.connection(), said.append)

        async def registered_all() -> bool:
            found = beheer.call("GET", f"/verstrekkingen?zaak={crisis_id}")
            return found.status == 200 and len(found.body["resultaten"]) == 6

        await eventually(registered_all, within=30, what="six verstrekkingen")
        await the_overleg_counts_it(platform, crisis_id)
        for ontvanger in ontvangers.values():
            await ontvanger.stop()

        brieven = beheer.call("GET", f"/brieven?zaak={crisis_id}").body["resultaten"]
        register = beheer.call("GET", f"/verstrekkingen?zaak={crisis_id}").body["resultaten"]
        for soort, ontvanger in ontvangers.items():
            [document] = ontvanger.ontvangen
            assert (document.type, document.subject) == (DOCUMENT, str(crisis_id)), soort
            assert ontvanger.geweigerd == 0
        per_ontvanger = {row["ontvanger"]: row["fase"] for row in brieven}
        assert {per_ontvanger[o] for o in INSTELLINGEN.values()} == {"afgeleverd"}
        # The melder's receipt waits for the post too: every letter goes in the same batch.
        posted = {row["ontvanger"] for row in waiting if row["zaak"] == str(crisis_id)}
        assert (code, again) == (0, 0)
        assert said[-1] == "Geen brieven voor de post.", "once posted, a letter is not again"
        assert posted == {"betrokkene", "advocaat", "geneesheer-directeur", "pvp"}
        assert {per_ontvanger[o] for o in posted} == {"verzonden"}
        assert {row["aan"] for row in register} == set(per_ontvanger)
        assert {row["wijze"] for row in register} == {"partner", "post"}
        assert all(row["grondslag"] and row["categorieen"] for row in register)
        with zipfile.ZipFile(zip_path) as archive:
            names = archive.namelist()
            manifest = archive.read("manifest.csv").decode()
            pdf = archive.read(f"{waiting[0]['brief_id']}.pdf")
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
        assert len(names) == len(waiting) + 1 and waiting[0]["kenmerk"] in text
        assert waiting[0]["kenmerk"] in manifest
        assert "Mr. A. Advocaat" not in manifest, "no names in the manifest"
        receipt = derived_id(uuid.UUID(melding_id), "melderbrief:ontvangstbevestiging")
        to_melder = [row["brief_id"] for row in waiting if row["zaak"] == melding_id]
        assert to_melder == [str(receipt)], "a neighbour is not entitled: the receipt only"

    asyncio.run(scenario())


async def the_overleg_counts_it(platform: Platform, crisis_id: uuid.UUID) -> None:
    """The quarter's figures hold the crisis case and its six afschriften, sent in time."""
    secretariaat = Api(platform, "secretariaat.gm0402")
    kwartaal = kwartaal_van(lokale_datum(datetime.now(UTC)))

    def tabel(naam: str) -> dict[str, Any]:
        found = secretariaat.call("GET", f"/kwartaalcijfers/{kwartaal}")
        assert found.status == 200, found.body
        [gevonden] = [t for t in found.body["tabellen"] if t["naam"] == naam]
        rij = gevonden["cellen"][gevonden["rijen"].index("GM0402")]
        return dict(zip(gevonden["kolommen"], rij, strict=True))

    async def verzonden() -> bool:
        return tabel("afschriften") == {"tijdig": 6, "te-laat": 0, "niet-verzonden": 0, "Totaal": 6}

    await eventually(verzonden, within=30, what="six afschriften counted as sent in time")
    # One case in the quarter: every count of its row is hidden, the zeros too.
    assert set(tabel("crisis-afloop").values()) == {"<5"}
    uit = platform.data_dir / "inspectie"
    said: list[str] = []
    arguments = argparse.Namespace(gebruiker="secretariaat.gm0402", kwartaal=[kwartaal], uit=uit)
    assert await cijfers_export.run(arguments, platform.connection(), said.append) == 0, said
    manifest = json.loads((uit / "manifest.json").read_text())
    for naam, sha256 in manifest.items():
        assert hashlib.sha256((uit / naam).read_bytes()).hexdigest() == sha256, naam
    afschriften = (uit / kwartaal / f"{kwartaal}-afschriften.csv").read_text().splitlines()
    assert "GM0402;6;0;0;6" in afschriften
    rapport = (uit / kwartaal / f"kwartaalrapport-{kwartaal}.pdf").read_bytes()
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(rapport)).pages)
    assert kwartaal in text and "Afschriften van crisisbesluiten" in text
    assert str(crisis_id) not in json.dumps(manifest) + text
