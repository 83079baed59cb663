"""Someone with the SQLite file drops the triggers and edits it: `wvggz verify` names where."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kernel.audit import AuditTrail
from kernel.eventstore import NO_STREAM
from kernel.eventstore.chain import GENESIS, link_hash
from kernel.eventstore.sqlite import SqliteEventStore
from kernel.eventstore.verification import Checkpoint, sqlite_rows, verify_rows
from kernel.ketting import ChainSigner, key_path, signing_key
from tests.kernel.eventstore.contract import new_events
from wvggz.cli import main

SERVICE = "meldpunt"
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
async def data_dir(tmp_path: Path) -> Path:
    """Events at positions 1-9, a signed checkpoint of 9 at 10, then events at 11-13."""
    store = SqliteEventStore(tmp_path / SERVICE / "events.db")
    for n in range(3):
        await store.append(f"melding-{n}", new_events(3), NO_STREAM)
    key = signing_key(key_path(tmp_path, SERVICE))
    signer = ChainSigner(
        store,
        AuditTrail(store, SERVICE, lambda: NOW),
        key,
        lambda: NOW,
        gemeente="GM0402",
        interval=60,
    )
    assert await signer.sign_now() == 10
    await store.append("melding-0", new_events(3), 2)
    await store.close()
    return tmp_path


def tamper(data_dir: Path, *statements: str) -> None:
    with sqlite3.connect(data_dir / SERVICE / "events.db") as conn:
        conn.execute("DROP TRIGGER events_refuse_update")
        conn.execute("DROP TRIGGER events_refuse_delete")
        for statement in statements:
            conn.execute(statement)


def verify(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["verify", "--data-dir", str(data_dir), "--dienst", SERVICE])
    return code, capsys.readouterr().out


def test_a_clean_store_verifies(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = verify(data_dir, capsys)

    assert code == 0, out
    assert "meldpunt: keten intact (13 events, 1 controlepunten (1 uit store)" in out
    assert "events/s" in out


def test_an_edited_event_is_named(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tamper(data_dir, """UPDATE events SET data = '{"n":1,"tekst":"twee"}' WHERE position = 5""")

    code, out = verify(data_dir, capsys)

    assert code == 1
    assert "BREUK op positie 5 (bewerkt)" in out, out


def test_a_deleted_event_is_named(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tamper(data_dir, "DELETE FROM events WHERE position = 6")

    code, out = verify(data_dir, capsys)

    assert code == 1
    assert "BREUK op positie 6 (verwijderd): positie 6 ontbreekt" in out, out


def test_a_deletion_closed_up_by_renumbering_is_named(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tamper(
        data_dir,
        "DELETE FROM events WHERE position = 5",
        "UPDATE events SET position = position - 1 WHERE position > 5",
    )

    code, out = verify(data_dir, capsys)

    assert code == 1
    assert "BREUK op positie 5 (verwijderd): stream melding-1: versie 1 ontbreekt" in out, out


def test_swapped_events_are_named(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tamper(
        data_dir,
        "UPDATE events SET position = -3 WHERE position = 3",
        "UPDATE events SET position = 3 WHERE position = 7",
        "UPDATE events SET position = 7 WHERE position = -3",
    )

    code, out = verify(data_dir, capsys)

    assert code == 1
    assert "BREUK op positie 3 (volgorde): het event hier" in out, out
    assert "stond op positie 7" in out


def test_a_consistently_rewritten_chain_is_caught_by_the_signed_checkpoint(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = data_dir / SERVICE / "events.db"
    tamper(data_dir, """UPDATE events SET data = '{"n":1,"tekst":"twee"}' WHERE position = 5""")
    rehash(path)

    chain_alone = verify_rows(sqlite_rows(path), [], trusted_key=None, stored_hashes=list)
    code, out = verify(data_dir, capsys)

    assert chain_alone.broken is None and chain_alone.events == 13
    assert code == 1
    assert "BREUK op positie 9 (herschreven)" in out, out
    assert "op of na positie 1 en op of voor 9" in out


def test_a_removed_tail_is_caught_by_a_checkpoint_from_elsewhere(data_dir: Path) -> None:
    path = data_dir / SERVICE / "events.db"
    rows = list(sqlite_rows(path))
    published = Checkpoint(12, rows[11][8], "stream", "2026-12-01T09:00:00", "ab" * 32, True)
    tamper(data_dir, "DELETE FROM events WHERE position > 9")

    outcome = verify_rows(sqlite_rows(path), [published], trusted_key=None, stored_hashes=list)

    assert outcome.broken is not None
    assert (outcome.broken.position, outcome.broken.kind) == (10, "verwijderd")


def test_a_checkpoint_signed_with_another_key_is_refused(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (data_dir / SERVICE / "ketting.pub").write_text("cd" * 32)

    code, out = verify(data_dir, capsys)

    assert code == 1
    assert "BREUK op positie 9 (handtekening)" in out, out


def rehash(path: Path) -> None:
    """What a careful forger does: recompute every hash with the published encoding."""
    with sqlite3.connect(path) as conn:
        previous = GENESIS
        for row in list(sqlite_rows(path)):
            previous = link_hash(previous, *row[:8])
            conn.execute("UPDATE events SET hash = ? WHERE position = ?", (previous, row[0]))
