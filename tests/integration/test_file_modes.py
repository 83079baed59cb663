"""Every file the platform writes is its owner's alone (0600), every folder too (0700): the
views, checkpoints, event stores and their SQLite sidecars, notificaties' queue, content and
letters, the bus's credentials and JetStream store, the identity provider's key and every log."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.events import eventually
from tests.integration.marked_routes import all_consumed
from tests.integration.modes import loose_modes
from tests.integration.platforms import running
from tests.integration.route import Staff, actor, demo_tokens, melding, triage
from wvggz.catalog import PORTAAL

pytestmark = pytest.mark.integration

PROCESSES = ("meldpunt", "onderzoek", "crisis", "notificaties", "overleg", PORTAAL)
EXPECTED = (
    "bus/nats.conf",
    "bus/creds/meldpunt.nk",
    "nats/jetstream",
    "oidc/jwks.json",
    "nats-server.log",
    "oidc.log",
    "meldpunt.log",
    "meldpunt/events.db-wal",
    "meldpunt/views.db-shm",
    "meldpunt/checkpoints.db",
    "onderzoek/views.db",
    "notificaties/inhoud.db",
    "notificaties/leveringen.db",
)
"""A sample of what the walk must meet, so that it cannot pass by seeing nothing."""


@pytest.fixture
def usual_umask() -> Iterator[None]:
    """The usual 022 in the test process: the platform may not rely on a stricter one."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.mark.usefixtures("usual_umask")
async def test_a_route_leaves_only_owner_only_files_and_folders(tmp_path: Path) -> None:
    data_dir = tmp_path / "var"
    letters = data_dir / "notificaties" / "documenten"

    async def letter_written() -> bool:
        return any(letters.glob("*.pdf"))

    with running(data_dir, PROCESSES) as platform:
        connection = platform.connection()
        client, observer = await connection.client(), await connection.client("bootstrap")
        triagist = Staff(client, actor("triagist"), demo_tokens(connection))
        registered = await triagist.command("meldpunt", "registreer-melding", melding("ouder"))
        triaged = await triagist.command(
            "meldpunt",
            "rond-triage-af",
            triage(registered["case_id"], uitkomst="verkennend-onderzoek"),
        )
        assert triaged["ok"], triaged
        await all_consumed(observer, PROCESSES)
        await eventually(letter_written, what="the melder's receipt written as a PDF")
        await client.close()
        await observer.close()
        missing = [p for p in EXPECTED if not (data_dir / p).exists()]
        while_running = loose_modes(data_dir)
    after_stop = loose_modes(data_dir)

    assert missing == []
    assert while_running == [], "open to group or others while the platform ran"
    assert after_stop == [], "open to group or others after it stopped"


def test_the_walk_finds_what_group_or_others_may_use(tmp_path: Path) -> None:
    (tmp_path / "meldpunt").mkdir(mode=0o750)
    (tmp_path / "meldpunt" / "views.db").touch(mode=0o640)
    (tmp_path / "meldpunt.log").touch(mode=0o604)
    (tmp_path / "bus").mkdir(mode=0o700)
    tmp_path.chmod(0o700)

    assert loose_modes(tmp_path) == ["750 meldpunt", "640 meldpunt/views.db", "604 meldpunt.log"]
