"""Views and checkpoints are their owner's alone, SQLite's sidecars too, whatever the umask."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from kernel.checkpoints import CheckpointStore
from kernel.private_files import private_database, private_dir, private_log
from kernel.projection import ViewStore


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def modes(folder: Path) -> dict[str, int]:
    return {p.name: stat.S_IMODE(p.stat().st_mode) for p in [folder, *folder.iterdir()]}


def test_views_and_checkpoints_and_their_sidecars_are_owner_only(tmp_path: Path) -> None:
    folder = tmp_path / "meldpunt"
    views, checkpoints = ViewStore(folder / "views.db"), CheckpointStore(folder / "checkpoints.db")
    checkpoints.save("relay", 7)

    found = modes(folder)
    views.close()
    checkpoints.close()

    assert {"views.db-wal", "checkpoints.db-wal", "checkpoints.db-shm"} <= set(found)
    assert found.pop("meldpunt") == 0o700
    assert set(found.values()) == {0o600}, found


def test_files_left_open_by_an_older_version_are_tightened(tmp_path: Path) -> None:
    folder = tmp_path / "crisis"
    folder.mkdir(mode=0o755)
    for name in ("events.db", "events.db-wal", "events.db-shm", "crisis.log"):
        (folder / name).touch(mode=0o644)

    private_dir(folder)
    private_database(folder / "events.db")
    private_log(folder / "crisis.log").close()

    assert set(modes(folder).values()) == {0o700, 0o600}
    assert modes(folder)["crisis"] == 0o700


def test_a_database_in_memory_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    private_database(":memory:")

    assert list(tmp_path.iterdir()) == []
