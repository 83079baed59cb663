"""`wvggz cijfers-export`: a quarter's policy figures as files for the inspectorate (IGJ) or the
regio-overleg's archive: the figures as JSON, each table as CSV, each chart as SVG and PNG, the
quarterly report as PDF, and a manifest with every file's SHA-256."""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from wvggz_contracts.overleg import KWARTAAL_PATTERN
from wvggz_contracts.subjects import query_subject

from wvggz.connection import (
    Connection,
    add_operator_arguments,
    operator_connection,
    operator_headers,
)

Say = Callable[[str], None]
SERVICE = "overleg"


async def run(args: argparse.Namespace, connection: Connection, say: Say) -> int:
    """Write every file of each quarter asked into `args.uit`, saying how far it got."""
    uit = Path(args.uit)
    headers = operator_headers(connection, args.gebruiker)
    client = await connection.client("cli")
    try:

        async def ask(name: str, kwartaal: str) -> Any:
            body = {"params": {"kwartaal": kwartaal}}
            reply = await client.request(
                query_subject(SERVICE, name), json.dumps(body).encode(), 60, headers=headers
            )
            answer: dict[str, Any] = json.loads(reply.data)
            if not answer["ok"]:
                raise RuntimeError(f"{answer['error']['code']}: {answer['error']['message']}")
            return answer["data"]

        bestanden: dict[str, bytes] = {}
        for n, kwartaal in enumerate(args.kwartaal, start=1):
            say(f"[{n}/{len(args.kwartaal)}] {kwartaal}: cijfers ...")
            cijfers = await ask("kwartaalcijfers", kwartaal)
            bestanden[f"{kwartaal}/cijfers.json"] = json.dumps(
                cijfers, indent=2, ensure_ascii=False
            ).encode()
            for tabel in await ask("kwartaalcijfers-csv", kwartaal):
                bestanden[f"{kwartaal}/{tabel['naam']}"] = tabel["tekst"].encode()
            say(f"[{n}/{len(args.kwartaal)}] {kwartaal}: grafieken ...")
            for grafiek in await ask("grafieken", kwartaal):
                bestanden[f"{kwartaal}/{grafiek['naam']}.svg"] = grafiek["svg"].encode()
                png = base64.b64decode(grafiek["png_base64"])
                bestanden[f"{kwartaal}/{grafiek['naam']}.png"] = png
            say(f"[{n}/{len(args.kwartaal)}] {kwartaal}: kwartaalrapport ...")
            rapport = await ask("kwartaalrapport", kwartaal)
            bestanden[f"{kwartaal}/{rapport['naam']}"] = base64.b64decode(rapport["base64"])
        manifest = {naam: hashlib.sha256(inhoud).hexdigest() for naam, inhoud in bestanden.items()}
        bestanden["manifest.json"] = json.dumps(manifest, indent=2).encode()
        await asyncio.to_thread(_schrijf, uit, bestanden)
        say(f"{len(bestanden)} bestanden in {uit}.")
        return 0
    except RuntimeError as refused:
        say(f"fout van {SERVICE}: {refused}")
        return 1
    finally:
        await client.close()


def _schrijf(uit: Path, bestanden: dict[str, bytes]) -> None:
    """Every file, each written whole (a partial file is never left under its name)."""
    for naam, inhoud in bestanden.items():
        pad = uit / naam
        pad.parent.mkdir(parents=True, exist_ok=True)
        tijdelijk = pad.with_name(f".{pad.name}.tmp")
        tijdelijk.write_bytes(inhoud)
        tijdelijk.replace(pad)


def _kwartaal(value: str) -> str:
    if not re.fullmatch(KWARTAAL_PATTERN, value):
        raise argparse.ArgumentTypeError(f"geen kwartaal: {value!r} (bijvoorbeeld 2026-K3)")
    return value


def parser(parent: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `cijfers-export` to the `wvggz` command line."""
    command = parent.add_parser(
        "cijfers-export",
        help="a quarter's policy figures as files (JSON, CSV, SVG, PNG, PDF) for the inspectorate",
    )
    add_operator_arguments(command)
    command.add_argument(
        "--kwartaal", required=True, action="append", type=_kwartaal, help="e.g. 2026-K3; repeat"
    )
    command.add_argument("--uit", required=True, help="the folder to write into")
    command.set_defaults(run=command_main)


def command_main(args: argparse.Namespace) -> int:
    """Entry point of `wvggz cijfers-export`."""
    return asyncio.run(run(args, operator_connection(args), print))
