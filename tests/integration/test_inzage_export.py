"""`wvggz inzage` on the real platform: both marked routes, then the export of everything held on
the betrokkene (JSON, PDF, manifest), itself logged as a read; an unknown BSN finds nothing."""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import io
import json
import stat
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from tests.integration.events import eventually
from tests.integration.marked_routes import all_consumed, to_the_besluit, to_the_ovj
from tests.integration.markers import BETROKKENE, BSN
from tests.integration.platforms import running
from tests.integration.route import clients_of
from wvggz import inzage
from wvggz.connection import Connection

pytestmark = pytest.mark.integration

SERVICES = ("meldpunt", "onderzoek", "crisis", "notificaties")
ONBEKEND = "123456782"
"""Passes the elfproef; nobody on the routes has it."""


async def export(connection: Connection, uit: Path, bsn: str = BSN) -> dict[str, Any]:
    """Run the command in-process as functioneel beheer; the export it wrote."""
    said: list[str] = []
    arguments = argparse.Namespace(
        uit=uit, verzoek="AVG-2026-0042", gebruiker="functioneel-beheer.gm0402"
    )
    assert await inzage.run(arguments, connection, said.append, bsn) == 0, said
    assert said[0].startswith("[1/4] meldpunt: ") and said[3].startswith("[4/4] notificaties: ")
    assert not any(bsn in line or BETROKKENE in line for line in said), said
    loaded: dict[str, Any] = json.loads((uit / "inzage.json").read_text())
    return loaded


def dossiers(answer: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    return {d["dienst"]: d["dossiers"] for d in answer["diensten"]}


async def test_the_export_holds_every_dossier_of_the_person_and_is_itself_logged(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "var"
    with running(data_dir, SERVICES) as platform:
        connection = platform.connection()
        async with clients_of(platform) as (client, observer, tokens):
            await to_the_ovj(client, tokens)
            await to_the_besluit(client, tokens)
            await all_consumed(observer, SERVICES)

        uit = tmp_path / "inzage"
        eerste = await export(connection, uit)
        found = dossiers(eerste)
        assert list(found) == list(SERVICES)
        assert [len(found[s]) for s in SERVICES[:3]] == [2, 1, 1], found
        assert len(found["notificaties"]) >= 1, "the melder's letters and the afschriften"
        assert eerste["verzoek"] == "AVG-2026-0042" and eerste["gemeente"] == "GM0402"
        assert BSN not in json.dumps({k: v for k, v in eerste.items() if k != "diensten"})
        text = (uit / "inzage.json").read_text()
        assert BETROKKENE in text
        for service in SERVICES:
            assert BETROKKENE in json.dumps(found[service], ensure_ascii=False), service

        pdf = (uit / "inzage.pdf").read_bytes()
        pdf_text = " ".join(
            " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split()
        )
        assert BETROKKENE in pdf_text
        assert "Overzicht van gegevens (inzage, art. 15 AVG)" in pdf_text
        assert "melding-ontvangen" in pdf_text

        manifest = json.loads((uit / "manifest.json").read_text())
        assert set(manifest) == {"inzage.json", "inzage.pdf"}
        for naam, sha256 in manifest.items():
            assert hashlib.sha256((uit / naam).read_bytes()).hexdigest() == sha256, naam
        assert stat.S_IMODE(uit.stat().st_mode) == 0o700
        for bestand in uit.iterdir():
            assert stat.S_IMODE(bestand.stat().st_mode) == 0o600, bestand

        # The export is a read like any other: the next one shows it against each dossier.
        async def logged() -> bool:
            await asyncio.sleep(0.3)
            tweede = dossiers(await export(connection, tmp_path / "tweede"))
            return all(
                any(
                    r["query"] == "inzage" and r["actor"] == "functioneel-beheer.gm0402"
                    for r in dossier["inzagen"]
                )
                for dossier in tweede["meldpunt"]
            )

        await eventually(logged, within=20, what="the first export logged as a read")

        onbekend = await export(connection, tmp_path / "onbekend", ONBEKEND)
        assert dossiers(onbekend) == {service: [] for service in SERVICES}
        assert onbekend["gemeente"] is None
