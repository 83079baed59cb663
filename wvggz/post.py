"""`wvggz post`: the letters waiting for the mail room as one ZIP (PDFs and a manifest without
names), and, once posted, the confirmation that records each one as sent and disclosed."""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from wvggz_contracts.subjects import command_subject, query_subject

from services.notificaties.documenten import Document, postbatch
from wvggz.connection import (
    Connection,
    add_operator_arguments,
    operator_connection,
    operator_headers,
)

Say = Callable[[str], None]
SERVICE = "notificaties"
BATCH = 200
"""Letters in one ZIP at most."""


async def run(args: argparse.Namespace, connection: Connection, say: Say) -> int:
    """Write the batch to `args.uit`; with `args.bevestig`, confirm those letters as posted."""
    headers = operator_headers(connection, args.gebruiker)
    client = await connection.client("cli")
    try:

        async def ask(subject: str, body: dict[str, Any]) -> dict[str, Any]:
            reply = await client.request(subject, json.dumps(body).encode(), 10, headers=headers)
            answer: dict[str, Any] = json.loads(reply.data)
            if not answer["ok"]:
                raise RuntimeError(f"{answer['error']['code']}: {answer['error']['message']}")
            return answer

        rows = (
            await ask(
                query_subject(SERVICE, "postbatch"), {"params": {}, "page": 1, "page_size": BATCH}
            )
        )["data"]
        if not rows:
            say("Geen brieven voor de post.")
            return 0
        stukken = []
        for row in rows:
            found = await ask(
                query_subject(SERVICE, "document"), {"params": {"brief_id": row["brief_id"]}}
            )
            stukken.append((row["brief_id"], _document(row, found["data"])))
        await asyncio.to_thread(Path(args.uit).write_bytes, postbatch(stukken))
        say(f"{len(stukken)} brieven in {args.uit}.")
        if not args.bevestig:
            return 0
        geweigerd = 0
        for brief_id, _stuk in stukken:  # exactly the letters in the ZIP, each on its own
            body = {"command_id": str(uuid.uuid4()), "payload": {"brief_id": brief_id}}
            try:
                await ask(command_subject(SERVICE, "bevestig-postverzending"), body)
            except RuntimeError as refused:
                say(f"brief {brief_id}: niet vastgelegd: {refused}")
                geweigerd += 1
        say(f"{len(stukken) - geweigerd} brieven als verzonden vastgelegd.")
        return 1 if geweigerd else 0
    except RuntimeError as refused:
        say(f"fout van {SERVICE}: {refused}")
        return 1
    finally:
        await client.close()


def _document(row: dict[str, Any], found: dict[str, Any]) -> Document:
    return Document(
        pdf=base64.b64decode(found["base64"]),
        sha256=found["sha256"],
        paginas=row["paginas"],
        kenmerk=row["kenmerk"],
        soort=row["vorm"],
        aangemaakt_op=datetime.fromisoformat(row["aangemaakt_op"]),
    )


def parser(parent: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `post` to the `wvggz` command line."""
    command = parent.add_parser(
        "post", help="the letters for the mail room as a ZIP; --bevestig records them as posted"
    )
    add_operator_arguments(command)
    command.add_argument("--uit", required=True, help="the ZIP file to write")
    command.add_argument(
        "--bevestig", action="store_true", help="after writing: record each letter as posted"
    )
    command.set_defaults(run=command_main)


def command_main(args: argparse.Namespace) -> int:
    """Entry point of `wvggz post`."""
    return asyncio.run(run(args, operator_connection(args), print))
