"""Benchmark: rebuilding every overleg figure from a simulated national year, against reading the
same events from the overleg's file without projecting them, in the same run.

A year of about a million observed events (25 regions of 14 gemeenten; meldingen with their
triage, VO's and crisis cases with their decisions, hearings, consultations and afschriften) is
written to a `waarnemingen.db` as the overleg's consumer keeps them. The baseline reads every
row of that file and does nothing with it. The rebuild is what a restart does and more: read,
decode and fold every row into the cases (`Cijferbron`), then compute every table of every
quarter for every region, small cells suppressed. Each is run three times, interleaved, and its
best run counts. Prints events/s of both and their ratio (aim >= 0.3); writes
var/bench/overleg.json.

    make bench            or    .venv/bin/python bench/overleg_rebuild.py --help
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from uitkomsten import bewaar

from services.overleg.cijfers.berekening import kwartaalcijfers
from services.overleg.cijfers.bijhouden import Cijferbron
from services.overleg.cijfers.bron import Feit
from services.overleg.cijfers.waarnemingen import Waarnemingen

REPO = Path(__file__).resolve().parent.parent
AIM = 0.3
REGIOS = 25
PER_REGIO = 14
KWARTALEN = ("2026-K1", "2026-K2", "2026-K3", "2026-K4")
BEGIN = datetime(2025, 12, 31, 23, tzinfo=UTC)  # 1 January 2026, 00:00 in Amsterdam
Rij = tuple[str, str, str, str, float, Feit, bool | None]


def _rij(
    soort: str, zaak: str, gemeente: str, op: datetime, feit: Feit = None, jeugd: bool | None = None
) -> Rij:
    return (str(uuid.uuid4()), soort, zaak, gemeente, op.timestamp(), feit, jeugd)


def _zaak(kans: random.Random, gemeente: str) -> list[Rij]:
    """The observed events of one melding and what followed from it."""
    melding = str(uuid.uuid4())
    start = BEGIN + timedelta(seconds=kans.randrange(365 * 86_400))
    rijen = [
        _rij(
            "melding-ontvangen",
            melding,
            gemeente,
            start,
            kans.choice(["naaste", "buur", "hulpverlener", "politie", "anders"]),
            kans.random() < 0.1,
        )
    ]
    uitkomst = kans.choice(["crisis", "verkennend-onderzoek", "regulier", "geen-grond"])
    afgerond = start + timedelta(hours=kans.uniform(1, 48))
    rijen.append(_rij("triage-afgerond", melding, gemeente, afgerond, uitkomst))
    if uitkomst == "verkennend-onderzoek":
        vo = str(uuid.uuid4())
        rijen.append(
            _rij(
                "vo-geopend",
                vo,
                gemeente,
                afgerond,
                start.timestamp(),
                False,
            )
        )
        rijen.append(_rij("ggz-consultatie-vastgelegd", vo, gemeente, afgerond, 2.0))
        dagen = kans.uniform(3, 20)
        if dagen > 14:
            rijen.append(_rij("termijn-verstreken", vo, gemeente, start + timedelta(days=14)))
        reden = kans.choice(["aanvraag-ingediend", "geen-aanvraag", "toets-negatief"])
        rijen.append(_rij("vo-afgesloten", vo, gemeente, start + timedelta(days=dagen), reden))
    elif uitkomst == "crisis":
        crisis = str(uuid.uuid4())
        rijen.append(_rij("crisis-gemeld", crisis, gemeente, afgerond, None, kans.random() < 0.1))
        rijen.append(_rij("hoorverslag-vastgelegd", crisis, gemeente, afgerond))
        besloten = afgerond + timedelta(hours=kans.uniform(1, 30))
        rijen.append(_rij("besluit-genomen", crisis, gemeente, besloten))
        if kans.random() < 0.4:
            rijen.append(_rij("verzoek-voortzetting-ingediend", crisis, gemeente, besloten))
        brief = str(uuid.uuid4())
        rijen.append(
            _rij(
                "brief-klaargezet",
                brief,
                gemeente,
                besloten,
                "afschrift-crisismaatregel",
            )
        )
        rijen.append(_rij("brief-verzonden", brief, gemeente, besloten + timedelta(hours=3)))
    return rijen


def genereer(path: Path, doel: int, seed: int) -> tuple[int, list[list[str]]]:
    """Write about `doel` observations; the gemeenten of each region."""
    Waarnemingen(path).close()  # the file, its mode and its table, as the service makes them
    kans = random.Random(seed)
    regios = [[f"GM{r * PER_REGIO + g:04d}" for g in range(PER_REGIO)] for r in range(REGIOS)]
    gemeenten = [g for regio in regios for g in regio]
    conn = sqlite3.connect(path)
    geschreven, stap = 0, doel // 10
    while geschreven < doel:
        batch: list[Rij] = []
        while len(batch) < 20_000:
            batch += _zaak(kans, kans.choice(gemeenten))
        conn.executemany("INSERT INTO waarneming VALUES (?,?,?,?,?,?,?)", batch)
        conn.commit()
        if (geschreven + len(batch)) // stap > geschreven // stap:
            print(f"  generated {geschreven + len(batch):,} of about {doel:,} events", flush=True)
        geschreven += len(batch)
    conn.close()
    return geschreven, regios


def lees_rauw(path: Path) -> tuple[int, float]:
    """Every row read, nothing done with it: the baseline."""
    conn = sqlite3.connect(path)
    started = time.perf_counter()
    aantal = 0
    for _row in conn.execute(
        "SELECT event_id, soort, zaak, gemeente, op, feit, jeugd FROM waarneming ORDER BY rowid"
    ):
        aantal += 1
    duur = time.perf_counter() - started
    conn.close()
    return aantal, duur


def herbouw(path: Path, regios: list[list[str]]) -> tuple[int, float, int]:
    """Read, decode and fold every row, then every table of every region and quarter."""
    started = time.perf_counter()
    bron = Cijferbron(path)
    tabellen = 0
    for regio in regios:
        for kwartaal in KWARTALEN:
            tabellen += len(kwartaalcijfers(bron.feiten, kwartaal, regio).tabellen)
    duur = time.perf_counter() - started
    aantal = bron.waarnemingen.aantal()
    bron.waarnemingen.close()
    return aantal, duur, tabellen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000, help="observations to generate")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--rondes", type=int, default=3, help="runs of each; the best counts")
    parser.add_argument("--out", type=Path, default=REPO / "var" / "bench" / "overleg.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "waarnemingen.db"
        print(f"overleg rebuild: generating a national year ({REGIOS} regions) ...", flush=True)
        geschreven, regios = genereer(path, args.events, args.seed)
        lees_rauw(path)  # warm the page cache for both
        rauw_s = herbouw_s = float("inf")
        for ronde in range(1, args.rondes + 1):  # interleaved, best of each: less noise
            aantal, duur = lees_rauw(path)
            rauw_s = min(rauw_s, duur)
            herbouwd, duur, tabellen = herbouw(path, regios)
            herbouw_s = min(herbouw_s, duur)
            print(f"  round {ronde} of {args.rondes} done", flush=True)
    assert aantal == herbouwd == geschreven
    rauw, opnieuw = aantal / rauw_s, herbouwd / herbouw_s
    ratio = opnieuw / rauw
    figures = {
        "events": aantal,
        "regions": REGIOS,
        "tables": tabellen,
        "raw_read_events_per_s": round(rauw),
        "rebuild_events_per_s": round(opnieuw),
        "rebuild_s": round(herbouw_s, 2),
        "rounds": args.rondes,
        "ratio": round(ratio, 3),
        "aim": AIM,
    }
    print(f"  raw read of {aantal:,} events:       {rauw:>12,.0f} events/s")
    print(f"  rebuild (fold + {tabellen:,} tables): {opnieuw:>12,.0f} events/s ({herbouw_s:.1f} s)")
    print(f"  ratio {ratio:.2f} (aim >= {AIM}): {'met' if ratio >= AIM else 'NOT met'}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, indent=2) + "\n")
    bewaar("overleg_rebuild", figures)


if __name__ == "__main__":
    main()
