"""`wvggz inzage`: what the platform holds on one person (AVG art. 15) as JSON, PDF and manifest."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import hashlib
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import nats.errors
from wvggz_contracts.bsn import bevat_bsn, is_bsn
from wvggz_contracts.subjects import query_subject

from kernel.documenten import pdf_a, sjablonen
from kernel.private_files import private_dir, private_file
from wvggz.connection import (
    Connection,
    add_operator_arguments,
    operator_connection,
    operator_headers,
)

Say = Callable[[str], None]
OP_BSN: Final = ("meldpunt", "onderzoek", "crisis")
OP_ZAKEN: Final = "notificaties"
"""Letters name no BSN: notificaties finds them by the cases the other services returned."""
DIENSTEN: Final = {
    "meldpunt": "Meldpunt (meldingen en triage)",
    "onderzoek": "Verkennend onderzoek",
    "crisis": "Crisismaatregel",
    "notificaties": "Brieven en afschriften",
}
SJABLONEN: Final = Path(__file__).parent / "sjablonen"
STYLESHEET: Final = SJABLONEN / "inzage.css"
TIMEOUT_S: Final = 60
VERZOEK_MAX: Final = 100


class Geweigerd(Exception):
    """A service refused the inzage or did not answer."""


async def run(
    args: argparse.Namespace,
    connection: Connection,
    say: Say,
    bsn: str,
    fout: Say | None = None,
) -> int:
    """Ask every service for what it holds on this BSN and write the export into `args.uit`."""
    fout = fout or _op_stderr
    probleem = _verzoek_probleem(args.verzoek) or _bsn_probleem(bsn)
    if probleem:
        fout(f"fout: {probleem}")
        return 2
    bsn = _bsn(bsn)
    headers = operator_headers(connection, args.gebruiker)
    client = await connection.client("cli")
    try:

        async def ask(service: str, params: dict[str, Any]) -> dict[str, Any]:
            body = json.dumps({"params": params}).encode()
            try:
                reply = await client.request(
                    query_subject(service, "inzage"), body, TIMEOUT_S, headers=headers
                )
            except (nats.errors.Error, TimeoutError) as failure:
                raise Geweigerd(f"{service}: geen antwoord ({type(failure).__name__})") from None
            answer: dict[str, Any] = json.loads(reply.data)
            if not answer["ok"]:
                error = answer["error"]
                raise Geweigerd(f"{service} weigert: {error['code']}: {error['message']}")
            data: dict[str, Any] = answer["data"]
            return data

        antwoorden: list[dict[str, Any]] = []
        totaal = len(OP_BSN) + 1
        for n, service in enumerate(OP_BSN, start=1):
            antwoorden.append(await ask(service, {"bsn": bsn}))
            say(f"[{n}/{totaal}] {service}: {_aantal(antwoorden[-1])}")
        zaken = list(dict.fromkeys(d["zaak"] for a in antwoorden for d in a["dossiers"]))
        antwoorden.append(await ask(OP_ZAKEN, {"bsn": bsn, "zaken": zaken}))
        say(f"[{totaal}/{totaal}] {OP_ZAKEN}: {_aantal(antwoorden[-1])}")
    except Geweigerd as refused:
        fout(f"fout: {refused}; niets geschreven")
        return 1
    finally:
        await client.close()
    inzage = {
        "opgesteld_op": datetime.now(UTC).isoformat(timespec="seconds"),
        "verzoek": args.verzoek or None,
        "gemeente": next((d["gemeente"] for a in antwoorden for d in a["dossiers"]), None),
        "diensten": antwoorden,
    }
    uit = Path(args.uit)
    bestanden = await asyncio.to_thread(bestanden_van, inzage)
    await asyncio.to_thread(_schrijf, uit, bestanden)
    say(f"{len(bestanden)} bestanden in {uit}.")
    return 0


def bestanden_van(inzage: dict[str, Any]) -> dict[str, bytes]:
    """The export's files: the answers as JSON, readable as PDF, and the manifest of both."""
    bestanden = {
        "inzage.json": json.dumps(inzage, indent=2, ensure_ascii=False).encode(),
        "inzage.pdf": pdf(inzage),
    }
    manifest = {naam: hashlib.sha256(inhoud).hexdigest() for naam, inhoud in bestanden.items()}
    bestanden["manifest.json"] = json.dumps(manifest, indent=2).encode()
    return bestanden


def pdf(inzage: dict[str, Any]) -> bytes:
    """The inzage as a readable PDF/A document."""
    data, _paginas = pdf_a(html(inzage), STYLESHEET)
    return data


def html(inzage: dict[str, Any]) -> str:
    """The inzage as HTML: per service each dossier's events with their data, and its reads."""
    diensten = [
        {
            "naam": antwoord["dienst"],
            "titel": DIENSTEN.get(antwoord["dienst"], antwoord["dienst"]),
            "dossiers": [_dossier(d) for d in antwoord["dossiers"]],
        }
        for antwoord in inzage["diensten"]
    ]
    return (
        sjablonen(SJABLONEN)
        .get_template("inzage.html")
        .render(
            titel="Overzicht van gegevens (inzage, art. 15 AVG)",
            opgesteld_op=datetime.fromisoformat(inzage["opgesteld_op"]),
            verzoek=inzage["verzoek"],
            gemeente=inzage["gemeente"],
            diensten=diensten,
            leeg=not any(d["dossiers"] for d in diensten),
        )
    )


def kort_type(event_type: str) -> str:
    """The event's name without namespace and version: `melding-ontvangen` of
    `nl.wvggz.meldpunt.melding-ontvangen.v1`."""
    delen = event_type.split(".")
    return delen[-2] if len(delen) >= 2 else event_type


def _dossier(dossier: dict[str, Any]) -> dict[str, Any]:
    return {
        **dossier,
        "gebeurtenissen": [
            {**g, "op": datetime.fromisoformat(g["op"]), "kort": kort_type(g["type"])}
            for g in dossier["gebeurtenissen"]
        ],
        "inzagen": [
            {**i, "ingezien_op": datetime.fromisoformat(i["ingezien_op"])}
            for i in dossier["inzagen"]
        ],
    }


def _aantal(antwoord: dict[str, Any]) -> str:
    n = len(antwoord["dossiers"])
    return f"{n} dossier" if n == 1 else f"{n} dossiers"


def _bsn(regel: str) -> str:
    bsn = regel.strip()
    return "0" + bsn if len(bsn) == 8 else bsn


def _bsn_probleem(regel: str) -> str | None:
    bsn = _bsn(regel)
    if not bsn:
        return "geen BSN ingevoerd"
    if not is_bsn(bsn):
        return "dit is geen geldig BSN (9 cijfers die aan de elfproef voldoen)"
    return None


def _verzoek_probleem(verzoek: str | None) -> str | None:
    if verzoek is None:
        return None
    if len(verzoek) > VERZOEK_MAX:
        return f"het kenmerk van het verzoek is langer dan {VERZOEK_MAX} tekens"
    # The reference ends up in files kept with the request's paperwork: it names no person.
    if bevat_bsn(verzoek):
        return "het kenmerk van het verzoek bevat een BSN; geef het BSN alleen via de invoer"
    return None


def _schrijf(uit: Path, bestanden: dict[str, bytes]) -> None:
    """Every file owner-only, each written whole (a partial file is never left under its name)."""
    private_dir(uit)
    for naam, inhoud in bestanden.items():
        pad = uit / naam
        tijdelijk = private_file(pad.with_name(f".{pad.name}.tmp"))
        tijdelijk.write_bytes(inhoud)
        tijdelijk.replace(pad)


def _op_stderr(regel: str) -> None:
    print(regel, file=sys.stderr)


def _lees_bsn() -> str:
    # Never from argv: the command line shows in `ps` and in the shell's history.
    try:
        return getpass.getpass("BSN: ") if sys.stdin.isatty() else sys.stdin.readline()
    except EOFError:
        return ""


def _verzoek(value: str) -> str:
    if probleem := _verzoek_probleem(value):
        raise argparse.ArgumentTypeError(probleem)
    return value


def parser(parent: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `inzage` to the `wvggz` command line."""
    command = parent.add_parser(
        "inzage",
        help="what the platform holds on one person (AVG art. 15); the BSN is read from stdin",
    )
    add_operator_arguments(command)
    command.add_argument("--uit", required=True, help="the folder to write into (made 0700)")
    command.add_argument(
        "--verzoek", type=_verzoek, help="the request's own reference (no BSN, at most 100 chars)"
    )
    command.set_defaults(run=command_main)


def command_main(args: argparse.Namespace) -> int:
    """Entry point of `wvggz inzage`."""
    return asyncio.run(run(args, operator_connection(args), print, _lees_bsn()))
