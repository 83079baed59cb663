"""The embedded key store: wrapped keys in an owner-only file, destroyed for good."""

from __future__ import annotations

import asyncio
import os
import stat
import threading
import time
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag

from kernel.sleutels.bestand import NAKIJKEN_S, BestandsKluis, hoofdsleutel
from kernel.sleutels.kluis import SleutelVernietigd


@pytest.fixture
def master(tmp_path: Path) -> bytes:
    return hoofdsleutel(tmp_path / "sleutels" / "hoofdsleutel")


def kluis_in(tmp_path: Path, master: bytes) -> BestandsKluis:
    return BestandsKluis(tmp_path / "sleutels" / "kluis.db", master)


def test_a_key_is_made_once_and_found_again_by_another_process(
    tmp_path: Path, master: bytes
) -> None:
    first, second = kluis_in(tmp_path, master), kluis_in(tmp_path, master)
    key = first.maak("melding-1")
    assert len(key) == 32
    assert second.maak("melding-1") == key == second.sleutel("melding-1")
    assert first.maak("melding-2") != key
    assert first.sleutel("melding-3") is None


def test_a_destroyed_key_is_gone_everywhere_and_never_made_again(
    tmp_path: Path, master: bytes
) -> None:
    owner, reader = kluis_in(tmp_path, master), kluis_in(tmp_path, master)
    key = owner.maak("crisis-1")
    assert reader.sleutel("crisis-1") == key  # remembered by the reader
    assert owner.vernietig("crisis-1") is True
    assert owner.sleutel("crisis-1") is None  # at once in the process that destroyed it
    time.sleep(NAKIJKEN_S)
    assert reader.sleutel("crisis-1") is None  # and in the others within NAKIJKEN_S
    assert reader.vernietigd("crisis-1")
    with pytest.raises(SleutelVernietigd):
        reader.maak("crisis-1")
    assert owner.vernietig("crisis-1") is False


def test_destroying_a_key_never_made_still_bars_it(tmp_path: Path, master: bytes) -> None:
    kluis = kluis_in(tmp_path, master)
    assert kluis.vernietig("vo-9") is True
    with pytest.raises(SleutelVernietigd):
        kluis.maak("vo-9")


def test_no_copy_of_a_destroyed_key_stays_in_the_files(tmp_path: Path, master: bytes) -> None:
    kluis = kluis_in(tmp_path, master)
    kluis.maak("melding-1")
    row = kluis._conn.execute("SELECT gewikkeld FROM sleutels WHERE id = 'melding-1'").fetchone()
    wrapped = bytes(row[0])
    kluis.vernietig("melding-1")
    kluis.close()
    files = [p for p in (tmp_path / "sleutels").iterdir() if p.name.startswith("kluis.db")]
    assert all(wrapped not in p.read_bytes() for p in files)


def test_keys_are_wrapped_by_the_master_key(tmp_path: Path, master: bytes) -> None:
    kluis_in(tmp_path, master).maak("melding-1")
    with pytest.raises(InvalidTag):
        kluis_in(tmp_path, os.urandom(32))


async def test_the_bsn_index_holds_no_bsn_and_finds_every_dossier(
    tmp_path: Path, master: bytes
) -> None:
    kluis = kluis_in(tmp_path, master)
    index = kluis.index("111222333")
    assert "111222333" not in index and len(index) == 64
    assert kluis_in(tmp_path, master).index("111222333") == index  # one secret for the region
    await kluis.bewaar({"melding-1"}, {(index, "melding-1")})
    await kluis.bewaar({"vo-1"}, {(index, "vo-1")})
    await kluis.bewaar({"vo-1"}, {(index, "vo-1")})
    assert kluis.sleutels_van(index) == ["melding-1", "vo-1"]
    assert kluis.sleutels_van(kluis.index("123456782")) == []


def test_the_files_are_owner_only_and_a_readable_master_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "sleutels" / "hoofdsleutel"
    master = hoofdsleutel(path)
    assert hoofdsleutel(path) == master
    kluis_in(tmp_path, master).maak("melding-1")
    for p in [path.parent, *path.parent.iterdir()]:
        assert stat.S_IMODE(p.stat().st_mode) in (0o600, 0o700), p
    path.chmod(0o644)
    with pytest.raises(PermissionError):
        hoofdsleutel(path)


def test_a_master_key_of_the_wrong_length_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "hoofdsleutel"
    path.write_bytes(b"c2hvcnQ=\n")
    path.chmod(0o600)
    with pytest.raises(ValueError, match="32 bytes"):
        hoofdsleutel(path)


async def test_concurrent_commands_share_one_write_and_a_destroyed_key_is_refused(
    tmp_path: Path, master: bytes
) -> None:
    kluis = kluis_in(tmp_path, master)
    kluis.vernietig("melding-weg")
    writes: list[int] = []
    write = kluis._write

    def counted(keys: set[str], links: set[tuple[str, str]]) -> set[str]:
        writes.append(len(keys))
        return write(keys, links)

    kluis._write = counted  # type: ignore[method-assign]
    results = await asyncio.gather(
        *(kluis.bewaar({f"melding-{n}"}, set()) for n in range(50)),
        kluis.bewaar({"melding-weg"}, set()),
        return_exceptions=True,
    )
    assert results[:50] == [None] * 50
    assert isinstance(results[50], SleutelVernietigd)
    assert len(writes) <= 3 and sum(writes) == 51  # one round while the first one writes
    assert all(kluis.sleutel(f"melding-{n}") for n in range(50))
    assert kluis_in(tmp_path, master).sleutel("melding-7") == kluis.sleutel("melding-7")


def test_a_remembered_key_is_answered_while_a_write_waits_for_the_disk(
    tmp_path: Path, master: bytes
) -> None:
    kluis = kluis_in(tmp_path, master)
    key = kluis.maak("melding-1")
    answers: list[bytes | None] = []
    with kluis._schrijflock:  # a write of another thread, in its transaction
        reader = threading.Thread(target=lambda: answers.append(kluis.sleutel("melding-1")))
        reader.start()
        reader.join(timeout=5)
    assert answers == [key]


async def test_a_key_made_by_another_process_is_kept_and_remembered(
    tmp_path: Path, master: bytes
) -> None:
    first, second = kluis_in(tmp_path, master), kluis_in(tmp_path, master)
    await first.bewaar({"melding-1"}, set())
    await second.bewaar({"melding-1"}, set())
    assert second._cache["melding-1"] == first.sleutel("melding-1")
    first.vernietig("melding-1")
    with pytest.raises(SleutelVernietigd):
        await kluis_in(tmp_path, master).bewaar({"melding-1"}, set())


def test_a_write_that_a_looked_at_destruction_overtook_remembers_nothing_stale(
    tmp_path: Path, master: bytes
) -> None:
    kluis = kluis_in(tmp_path, master)
    key = kluis.maak("melding-1")
    kluis._cache.clear()
    version, count = kluis._seen
    kluis._seen = (version, count + 1)  # a later destruction was looked at, during the write

    assert kluis._write({"melding-1", "melding-2"}, set()) == set()
    assert "melding-1" not in kluis._cache and "melding-2" not in kluis._cache
    assert kluis.sleutel("melding-1") == key and kluis.sleutel("melding-2") is not None
