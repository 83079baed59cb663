"""`wvggz geparkeerd`: operators list parked messages, have them handled again or dismiss them.

Each service that consumes events keeps its own register (kernel/parking.py); this command
asks them as a functioneel beheerder, with that user's access token: `WVGGZ_TOKEN` when set,
otherwise a login at the identity provider as `--gebruiker` (development: the demo users).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from nats.errors import NoRespondersError
from wvggz_contracts.geparkeerd import HERLEVER, QUERY, WIJS_AF
from wvggz_contracts.subjects import command_subject, query_subject

from wvggz.connection import (
    Connection,
    add_operator_arguments,
    operator_connection,
    operator_headers,
)

Say = Callable[[str], None]


def consuming_services() -> list[str]:
    """The services with consumers, i.e. with a register of parked messages."""
    from wvggz.catalog import SERVICES

    return [name for name, definition in SERVICES.items() if definition.consumers]


def owner_of(consumer: str, services: Sequence[str]) -> str | None:
    """The service a durable consumer belongs to (its name starts with the service's)."""
    owners = [s for s in services if consumer.startswith(f"{s}-")]
    return owners[0] if len(owners) == 1 else None


def table(rows: list[dict[str, Any]]) -> str:
    """The parked messages as aligned text, oldest first; never their content."""
    header = ("positie", "consumer", "gemeente", "reden", "geparkeerd op", "status", "toelichting")
    lines = [
        (
            str(row["stream_sequence"]),
            row["consumer"],
            row["gemeente"] or "-",
            row["reden"],
            row["geparkeerd_op"][:19].replace("T", " "),
            row["status"]
            + (
                f" ({row['mislukte_herleveringen']}x mislukt)"
                if row["mislukte_herleveringen"]
                else ""
            ),
            _short(row["laatste_toelichting"] or row["toelichting"]),
        )
        for row in rows
    ]
    widths = [max(len(cell) for cell in column) for column in zip(header, *lines, strict=True)]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in (header, *lines)
    )


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


async def run(args: argparse.Namespace, connection: Connection, say: Say) -> int:
    """Carry out one sub-command; the exit code says whether the service agreed."""
    services = consuming_services()
    headers = operator_headers(connection, args.gebruiker)
    client = await connection.client("cli")
    try:

        async def ask(subject: str, body: dict[str, Any]) -> dict[str, Any]:
            reply = await client.request(subject, json.dumps(body).encode(), 10, headers=headers)
            answer: dict[str, Any] = json.loads(reply.data)
            return answer

        if args.actie == "lijst":
            rows: list[dict[str, Any]] = []
            unreachable: list[str] = []
            for service in [args.dienst] if args.dienst else services:
                page = 1
                while True:  # by page: a flood of parked messages is a long list
                    body = {"params": {"alle": args.alle}, "page": page, "page_size": 500}
                    try:
                        answer = await ask(query_subject(service, QUERY), body)
                    except NoRespondersError:
                        if args.dienst:
                            say(f"fout: {service} draait niet of is niet bereikbaar")
                            return 1
                        unreachable.append(service)  # the others' registers still count
                        break
                    if not answer["ok"]:
                        return _failed(say, service, answer)
                    rows += answer["data"]
                    if page * 500 >= answer["total"]:
                        break
                    page += 1
            say(table(rows) if rows else "Geen geparkeerde berichten.")
            if unreachable:
                say(
                    "Niet bereikbaar (hun geparkeerde berichten ontbreken): "
                    + ", ".join(unreachable)
                )
            return 0
        service = owner_of(args.consumer, services)
        if service is None:
            say(f"fout: {args.consumer!r} is geen consumer van {', '.join(services)}")
            return 2
        payload: dict[str, Any] = {"consumer": args.consumer, "stream_sequence": args.positie}
        if args.actie == "wijs-af":
            payload["reden"] = args.reden
        name = HERLEVER if args.actie == "herlever" else WIJS_AF
        request = {"command_id": str(uuid.uuid4()), "payload": payload}
        answer = await ask(command_subject(service, name), request)
        if not answer["ok"]:
            return _failed(say, service, answer)
        done = "opnieuw verwerkt" if args.actie == "herlever" else "afgewezen"
        say(f"{args.consumer} positie {args.positie}: {done}.")
        return 0
    finally:
        await client.close()


def _failed(say: Say, service: str, answer: dict[str, Any]) -> int:
    error = answer["error"]
    say(f"fout van {service}: {error['code']}: {error['message']}")
    return 1


def parser(parent: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `geparkeerd` and its actions to the `wvggz` command line."""
    command = parent.add_parser(
        "geparkeerd", help="parked messages: list, redeliver (herlever) or dismiss (wijs-af)"
    )
    add_operator_arguments(command)
    actions = command.add_subparsers(dest="actie", required=True)
    listing = actions.add_parser("lijst", help="the open parked messages (--alle: all)")
    listing.add_argument("--dienst", help="only this service")
    listing.add_argument("--alle", action="store_true", help="also those dealt with")
    for name, what in (
        ("herlever", "have one parked message handled again"),
        ("wijs-af", "dismiss one parked message, with a reason"),
    ):
        action = actions.add_parser(name, help=what)
        action.add_argument("consumer", help="the consumer that parked it, e.g. onderzoek-triage")
        action.add_argument("positie", type=int, help="its position in the stream")
        if name == "wijs-af":
            action.add_argument("--reden", required=True, help="why (no personal data)")
    command.set_defaults(run=command_main)


def command_main(args: argparse.Namespace) -> int:
    """Entry point of `wvggz geparkeerd`."""
    return asyncio.run(run(args, operator_connection(args), print))
