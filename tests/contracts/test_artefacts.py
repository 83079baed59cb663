"""Generated schemas, AsyncAPI and config docs are checked in and fresh."""

from __future__ import annotations

import shutil
from pathlib import Path

from wvggz.export import ASYNCAPI, CONFIG_DOC, SCHEMA_DIR, export_all

ROOT = Path(__file__).resolve().parents[2]


def copy_artefacts(target: Path) -> None:
    for relative in (SCHEMA_DIR, ASYNCAPI.parent):
        shutil.copytree(ROOT / relative, target / relative)


def test_the_checked_in_artefacts_are_fresh() -> None:
    assert export_all(ROOT, check=True) == []


def test_a_stale_or_stray_artefact_is_reported(tmp_path: Path) -> None:
    copy_artefacts(tmp_path)
    (tmp_path / CONFIG_DOC).write_text("old\n")
    (tmp_path / SCHEMA_DIR / "nl.wvggz.meldpunt.verdwenen.v1.json").write_text("{}\n")

    stale = export_all(tmp_path, check=True)

    assert CONFIG_DOC in stale
    assert SCHEMA_DIR / "nl.wvggz.meldpunt.verdwenen.v1.json" in stale


def test_the_asyncapi_document_lists_commands_and_events() -> None:
    document = (ROOT / ASYNCAPI).read_text()

    assert '"asyncapi": "3.0.0"' in document
    assert "wvggz.cmd.meldpunt.registreer-melding" in document
    assert "wvggz.evt.meldpunt.{gemeente}.melding-ontvangen.v1" in document
