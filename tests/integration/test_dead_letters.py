"""The dead-letter register on the running platform: operators list, redeliver and dismiss
parked messages with `wvggz geparkeerd`, and a flood of parked messages shows in readiness."""

from __future__ import annotations

import argparse
import urllib.error
import urllib.request
from collections.abc import Iterator

import nats
import pytest

from tests.integration.events import eventually
from tests.integration.platforms import running
from wvggz.geparkeerd import run
from wvggz.runner import Platform

pytestmark = pytest.mark.integration

POISON_SUBJECT = "wvggz.evt.meldpunt.GM0402.triage-afgerond.v1"


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    # Not ready after more than 2 parked messages within 4 s: small enough to see both ways.
    parking = {"WVGGZ_READY_MAX_PARKED": "2", "WVGGZ_READY_PARKED_WINDOW_S": "4"}
    services = ("meldpunt", "onderzoek", "crisis", "notificaties", "overleg")
    with running(tmp_path_factory.mktemp("geparkeerd"), services, parking) as started:
        yield started


def args(
    actie: str, *rest: str, gebruiker: str = "functioneel-beheer.gm0402"
) -> argparse.Namespace:
    """What `wvggz geparkeerd` parses from its command line."""
    values: dict[str, object] = {
        "actie": actie,
        "gebruiker": gebruiker,
        "dienst": None,
        "alle": False,
    }
    if actie in ("herlever", "wijs-af"):
        values |= {"consumer": rest[0], "positie": int(rest[1])}
    if actie == "wijs-af":
        values["reden"] = rest[2]
    return argparse.Namespace(**values)


async def geparkeerd(platform: Platform, arguments: argparse.Namespace) -> tuple[int, str]:
    """Run the operator command in-process: its exit code and what it printed."""
    said: list[str] = []
    code = await run(arguments, platform.connection(), said.append)
    return code, "\n".join(said)


def ready(platform: Platform, service: str) -> bool:
    url = f"http://127.0.0.1:{platform.port_of(service)}/health/ready"
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except urllib.error.HTTPError:
        return False


def metric(platform: Platform, service: str, sample: str) -> float | None:
    url = f"http://127.0.0.1:{platform.port_of(service)}/metrics"
    with urllib.request.urlopen(url, timeout=2) as response:
        for line in response.read().decode().splitlines():
            if line.startswith(sample + " "):
                return float(line.split()[-1])
    return None


async def test_operators_list_redeliver_and_dismiss_parked_messages(
    platform: Platform,
) -> None:
    # A producer gone wrong: the meldpunt's own identity publishes what nobody can read.
    connection = platform.connection()
    producer = await nats.connect(**connection.nats_options("meldpunt"))
    js = producer.jetstream()
    positions = [
        (await js.publish(POISON_SUBJECT, f"geen cloudevent {n}".encode())).seq for n in range(3)
    ]
    await producer.close()

    async def all_parked() -> bool:
        code, out = await geparkeerd(platform, args("lijst"))
        return code == 0 and out.count("onleesbaar") == 12

    # By each triage consumer, and by the notificaties' fan-out and the overleg's figures, which
    # read every event.
    await eventually(all_parked, what="three messages parked by each of four consumers")
    not_ready = not ready(platform, "onderzoek")
    _, listing = await geparkeerd(platform, args("lijst"))
    again = await geparkeerd(platform, args("herlever", "onderzoek-triage", str(positions[0])))
    dismissed = await geparkeerd(
        platform,
        args("wijs-af", "onderzoek-triage", str(positions[0]), "testbericht leverancier"),
    )
    twice = await geparkeerd(
        platform, args("wijs-af", "onderzoek-triage", str(positions[0]), "nog eens")
    )
    elsewhere = await geparkeerd(platform, args("lijst", gebruiker="functioneel-beheer.gm0406"))
    triagist = await geparkeerd(platform, args("lijst", gebruiker="triagist.gm0402"))
    unknown = await geparkeerd(platform, args("herlever", "onbekend-iets", "1"))
    _, after = await geparkeerd(platform, args("lijst"))

    assert not_ready, "more parked messages than allowed within the window: not ready"
    assert all(str(p) in listing for p in positions) and "GM0402" in listing
    assert "geen cloudevent" not in listing, "never the content"
    assert again[0] == 1 and "opnieuw niet verwerkt (onleesbaar" in again[1]
    assert dismissed == (0, f"onderzoek-triage positie {positions[0]}: afgewezen.")
    assert twice[0] == 1 and "al afgewezen" in twice[1]
    assert elsewhere == (0, "Geen geparkeerde berichten."), "another gemeente's are not shown"
    assert triagist[0] == 1 and "forbidden" in triagist[1]
    assert unknown[0] == 2
    assert after.count("onleesbaar") == 11
    assert "1x mislukt" not in after, "the redelivered one was dismissed afterwards"
    assert (
        metric(platform, "onderzoek", 'wvggz_onderzoek_parked_open{consumer="onderzoek-triage"}')
        == 2
    )

    async def ready_again() -> bool:
        return ready(platform, "onderzoek")

    await eventually(ready_again, within=15, what="ready once the window has passed")
