"""Reads a chain partner's notifications back from its own stream, from a sequence or a time."""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import nats
from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeout
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from wvggz_contracts.subjects import partner_stream, partner_tree

from kernel.bus.connection import connect_options
from kernel.settings import ServiceSettings

BATCH = 256
"""Messages asked for per fetch."""

INACTIVE_THRESHOLD_S = 60.0
"""After this long unused the server removes a reader's consumer that was not deleted."""


@dataclass(frozen=True, slots=True)
class Notificatie:
    """One notification as its stream holds it."""

    volgnummer: int
    tijd: datetime
    subject: str
    data: bytes
    headers: dict[str, str]


async def lees(
    js: JetStreamContext,
    partner: str,
    *,
    vanaf_volgnummer: int | None = None,
    vanaf_tijd: datetime | None = None,
    filter: str | None = None,
    max: int | None = None,
    timeout_s: float = 5.0,
) -> list[Notificatie]:
    """The partner's notifications from a stream sequence or a time on (both inclusive; neither:
    all the stream still holds), in order, as far as the stream reached when reading began.

    `filter` narrows within the partner's own subjects (`GM0402.crisis.>`, or the full
    subject). Reads through an ephemeral consumer on the partner's stream, deleted afterwards.
    """
    if vanaf_volgnummer is not None and vanaf_tijd is not None:
        raise ValueError("read from a sequence or from a time, not both")
    if vanaf_tijd is not None and vanaf_tijd.tzinfo is None:
        raise ValueError("vanaf_tijd needs a time zone")
    stream = partner_stream(partner)
    config = ConsumerConfig(
        filter_subject=_filter(partner, filter),
        deliver_policy=DeliverPolicy.ALL,
        ack_policy=AckPolicy.NONE,
        inactive_threshold=INACTIVE_THRESHOLD_S,
        num_replicas=1,
        mem_storage=True,
    )
    if vanaf_volgnummer is not None:
        config.deliver_policy = DeliverPolicy.BY_START_SEQUENCE
        config.opt_start_seq = vanaf_volgnummer
    elif vanaf_tijd is not None:
        config.deliver_policy = DeliverPolicy.BY_START_TIME
        config.opt_start_time = vanaf_tijd
    info = await js.add_consumer(stream, config)
    try:
        pending = info.num_pending or 0
        wanted = pending if max is None else min(max, pending)
        sub = await js.pull_subscribe_bind(consumer=info.name, stream=stream)
        found: list[Notificatie] = []
        try:
            while len(found) < wanted:
                try:
                    batch = await sub.fetch(min(wanted - len(found), BATCH), timeout=timeout_s)
                except NatsTimeout:
                    # Messages that reached the stream's age limit while we read are gone.
                    if (await js.consumer_info(stream, info.name)).num_pending == 0:
                        break
                    raise
                found += [_notificatie(msg) for msg in batch]
        finally:
            await sub.unsubscribe()
    finally:
        await js.delete_consumer(stream, info.name)
    return found


def _filter(partner: str, filter: str | None) -> str:
    tree = partner_tree(partner)
    if filter is None:
        return tree
    return filter if filter.startswith(tree[:-1]) else tree[:-1] + filter


def _notificatie(msg: Msg) -> Notificatie:
    metadata = msg.metadata
    return Notificatie(
        volgnummer=metadata.sequence.stream,
        tijd=metadata.timestamp,
        subject=msg.subject,
        data=msg.data,
        headers=dict(msg.headers or {}),
    )


def as_json(notificatie: Notificatie) -> str:
    """One output line: sequence, time, subject and the body (JSON as is, else as text)."""
    body: Any
    try:
        body = json.loads(notificatie.data)
    except ValueError:
        body = notificatie.data.decode(errors="replace")
    return json.dumps(
        {
            "sequence": notificatie.volgnummer,
            "time": notificatie.tijd.isoformat(),
            "subject": notificatie.subject,
            "body": body,
        },
        ensure_ascii=False,
    )


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as wrong:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time: {text!r}") from wrong
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(f"give a time zone (Z or +01:00): {text!r}")
    return moment


def partnerlezer_command(argv: Sequence[str] | None = None) -> int:
    """`wvggz partner-lees --partner NAME [--vanaf SEQ | --sinds TIME] [--filter SUBJECTS]`."""
    parser = argparse.ArgumentParser(
        prog="wvggz partner-lees",
        description="Read a chain partner's notifications again from its own stream, as that"
        " partner's NATS identity (WVGGZ_NATS_URL, WVGGZ_NATS_NKEY_SEED_FILE,"
        " WVGGZ_NATS_TLS_CA_FILE). Prints one JSON line per notification.",
    )
    parser.add_argument("--partner", required=True, help="the partner's name, e.g. demo")
    start = parser.add_mutually_exclusive_group()
    start.add_argument("--vanaf", type=int, metavar="SEQ", help="from this stream sequence on")
    start.add_argument(
        "--sinds", type=_moment, metavar="TIME", help="from this time on (2026-12-01T00:00:00Z)"
    )
    parser.add_argument("--filter", help="subjects within the partner's own, e.g. GM0402.crisis.>")
    parser.add_argument("--max", type=int, help="at most this many notifications")
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds per fetch")
    args = parser.parse_args(argv)

    settings = ServiceSettings(service_name=f"partner-{args.partner}")
    found = asyncio.run(
        _lees(
            settings,
            args.partner,
            vanaf_volgnummer=args.vanaf,
            vanaf_tijd=args.sinds,
            filter=args.filter,
            max=args.max,
            timeout_s=args.timeout,
        )
    )
    for notificatie in found:
        print(as_json(notificatie))
    return 0


async def _lees(settings: ServiceSettings, partner: str, **options: Any) -> list[Notificatie]:
    client = await nats.connect(
        **{**connect_options(settings, settings.service_name), "max_reconnect_attempts": 5}
    )
    try:
        return await lees(client.jetstream(), partner, **options)
    finally:
        await client.close()
