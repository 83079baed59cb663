"""Benchmark: the staff portal's werkvoorraad with 5,000 open meldingen and a dossier of 200
timeline entries, against a static file the same server serves, in the same run.

The platform runs for real (meldpunt and portaal processes, the locked bus, the identity
provider). 5,000 meldingen are registered through the bus (64 in flight); one melding is handed
back and forth between two gemeenten until its dossier has 200 steps. A triagist logs in through
the identity provider's login page as a browser would, and then the three URLs are fetched over
HTTP in turns (static, werkvoorraad, dossier, …), so drift on the machine hits all alike.
Prints p50/p95 per page, the ratios to the static file, and the aims (werkvoorraad p95 <= 200 ms,
dossier p95 <= 150 ms); writes var/bench/portaal.json.

    make bench            or    .venv/bin/python bench/portaal_pages.py --help
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx2
from registreer_melding import commands, concurrent_rate, percentile, progress
from wvggz_contracts.subjects import command_subject

from kernel.testing import free_port
from wvggz.connection import Connection
from wvggz.oidc_client import _authorize, _Session  # the CLI's login, reused as a browser would
from wvggz.runner import Platform

REPO = Path(__file__).resolve().parent.parent
REGISTREER = command_subject("meldpunt", "registreer-melding")
OVERDRAAG = command_subject("meldpunt", "overdraag-melding")
AIMS_MS = {"werkvoorraad": 200.0, "dossier": 150.0}


def platform_for(data_dir: Path) -> Platform:
    """The meldpunt and the portaal on free ports."""
    return Platform(
        data_dir=data_dir,
        nats_port=free_port(),
        monitor_port=free_port(),
        oidc_port=free_port(),
        http_ports={"meldpunt": free_port(), "portaal": free_port()},
        services=("meldpunt", "portaal"),
        extra_env={"WVGGZ_LOG_LEVEL": "WARNING", "WVGGZ_SQLITE_SYNCHRONOUS": "NORMAL"},
        progress=lambda line: print(line, flush=True),
    )


async def seed(connection: Connection, open_cases: int, steps: int) -> str:
    """`open_cases` meldingen of GM0402, one of them with a dossier of `steps` entries."""
    client = await connection.client()
    try:
        hilversum = connection.headers("triagist.gm0402")
        huizen = connection.headers("triagist.gm0406")
        rate = await concurrent_rate(client, commands(open_cases - 1), REGISTREER, 64, hilversum)
        print(f"  {open_cases - 1} meldingen registered ({rate:.0f}/s)")
        first = json.loads(
            (await client.request(REGISTREER, commands(1)[0], timeout=10, headers=hilversum)).data
        )
        melding, version = first["case_id"], first["version"]
        gemeente = "GM0402"
        while version + 1 < steps:
            naar = "GM0406" if gemeente == "GM0402" else "GM0402"
            body = {
                "command_id": str(uuid.uuid4()),
                "payload": {"melding_id": melding, "naar_gemeente": naar, "reden": "bench"},
            }
            headers = hilversum if gemeente == "GM0402" else huizen
            reply = json.loads(
                (
                    await client.request(OVERDRAAG, json.dumps(body).encode(), 10, headers=headers)
                ).data
            )
            if not reply["ok"]:
                raise RuntimeError(f"handover refused: {reply['error']}")
            version, gemeente = reply["version"], naar
            progress("dossier steps", version + 1, steps)
        if gemeente != "GM0402":
            raise RuntimeError("the melding must end in GM0402 (choose an even number of steps)")
        return str(melding)
    finally:
        await client.close()


def log_in(platform: Platform, user: str) -> str:
    """A portal session cookie, by the login a browser does (through the provider's page)."""
    portaal = platform.portaal_url
    start = httpx2.get(f"{portaal}/inloggen", follow_redirects=False, timeout=10)
    session = _Session(10.0)
    callback = _authorize(
        session, start.headers["location"], f"{portaal}/auth/callback", user, "demo"
    )
    started = {"wvggz_inloggen": start.cookies.get("wvggz_inloggen", "")}  # as a browser keeps it
    done = httpx2.get(callback, cookies=started, follow_redirects=False, timeout=10)
    cookie = done.cookies.get("wvggz_sessie")
    if done.status_code != 303 or not cookie:
        raise RuntimeError(f"login failed: {done.status_code}")
    return cookie


def measure(platform: Platform, cookie: str, melding: str, rounds: int) -> dict[str, list[float]]:
    """Fetch the pages in turns; milliseconds per fetch."""
    pages = {
        "static": "/static/portaal.css",
        "werkvoorraad": "/werkvoorraad",
        "dossier": f"/meldingen/{melding}",
    }
    samples: dict[str, list[float]] = {name: [] for name in pages}
    with httpx2.Client(base_url=platform.portaal_url, cookies={"wvggz_sessie": cookie}) as client:
        for n in range(rounds + 10):
            for name, path in pages.items():
                start = time.perf_counter()
                response = client.get(path)
                took = (time.perf_counter() - start) * 1000
                if response.status_code != 200:
                    raise RuntimeError(f"{path} answered {response.status_code}")
                if n >= 10:  # the first rounds warm caches and connections
                    samples[name].append(took)
            progress("page rounds", n + 1, rounds + 10)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--open", type=int, default=5000, help="open meldingen (5000)")
    parser.add_argument("--steps", type=int, default=200, help="dossier entries (200, even)")
    parser.add_argument("--rounds", type=int, default=200, help="fetches per page (200)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        platform = platform_for(Path(scratch))
        print("Starting meldpunt and portaal ...", flush=True)
        platform.start(timeout=90)
        try:
            melding = asyncio.run(seed(platform.connection(), args.open, args.steps))
            cookie = log_in(platform, "triagist.gm0402")
            samples = measure(platform, cookie, melding, args.rounds)
        finally:
            platform.stop()
    report(samples, args)


def report(samples: dict[str, list[float]], args: argparse.Namespace) -> None:
    """Print and store the figures."""
    static_p50 = percentile(samples["static"], 50)
    figures: dict[str, Any] = {"open_cases": args.open, "dossier_steps": args.steps}
    print(f"\n{'page':<14}{'p50 ms':>10}{'p95 ms':>10}{'p95/static p50':>16}  aim")
    for name, values in samples.items():
        p50, p95 = percentile(values, 50), percentile(values, 95)
        aim = AIMS_MS.get(name)
        verdict = (
            "" if aim is None else f"p95 <= {aim:.0f} ms: {'met' if p95 <= aim else 'NOT met'}"
        )
        print(f"{name:<14}{p50:>10.1f}{p95:>10.1f}{p95 / static_p50:>16.1f}  {verdict}")
        figures[f"{name}_p50_ms"] = round(p50, 2)
        figures[f"{name}_p95_ms"] = round(p95, 2)
        figures[f"{name}_p95_ratio_to_static_p50"] = round(p95 / static_p50, 2)
    out = REPO / "var" / "bench" / "portaal.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten: {out.relative_to(REPO)}")


if __name__ == "__main__":
    main()
