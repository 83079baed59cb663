"""The `wvggz` command: `up` starts the platform, `demo` shows it, `token` logs a user in,
`bus-config` and `bootstrap` lock down and prepare the bus, `geparkeerd` deals with parked
messages, `post` hands letters to the mail room, `cijfers-export` writes a quarter's figures for
the inspectorate, `partner-lees` replays a partner's stream, `proefontvanger` tries a webhook
subscription, `verify` checks the event stores' hash chains, `inzage` exports what the platform
holds on one person, `export` writes contracts."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from pathlib import Path
from types import FrameType


def _up(args: argparse.Namespace) -> int:
    from kernel.private_files import OWNER_ONLY_UMASK
    from wvggz.runner import Platform, PlatformError
    from wvggz.supervisor import Supervisor

    try:
        platform = Platform(
            data_dir=Path(args.data_dir).resolve(),
            nats_port=args.nats_port,
            monitor_port=args.monitor_port,
            oidc_port=args.oidc_port,
            http_ports=http_ports(args.http_base_port, dict(args.replicas)),
            replicas=dict(args.replicas),
            progress=lambda line: print(line, flush=True),
        )
    except PlatformError as refused:
        print(f"error: {refused}", file=sys.stderr)
        return 2
    os.umask(OWNER_ONLY_UMASK)  # before anything is written: the runner's files are private too
    stopping = False

    def interrupt(signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt  # while starting: Platform.start stops what it started

    def request_stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, interrupt)
    print(f"Starting the Wvggz platform (state in {platform.data_dir}) ...", flush=True)
    try:
        platform.start()
    except PlatformError as failure:
        print(f"error: {failure}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Interrupted while starting; everything started was stopped.", file=sys.stderr)
        return 130
    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    print("\n" + platform.table())
    print(
        f"\nNATS: {platform.nats_url} (locked: credentials in {platform.data_dir}/bus/creds)"
        f"\nIdentity provider: {platform.issuer}; demo users such as triagist.gm0402"
        " (password demo): `.venv/bin/wvggz token triagist.gm0402` prints an access token."
        "\nTry it: `make demo`.   A process that ends is restarted; Ctrl-C stops everything.",
        flush=True,
    )
    supervisor = Supervisor(platform, report=lambda line: print(line, flush=True))
    while not stopping:
        supervisor.watch_once(time.monotonic())
        time.sleep(0.3)
    print("Stopping ...", flush=True)
    platform.stop()
    print("Stopped; state kept in", platform.data_dir)
    return 0


def http_ports(base: int, replicas: dict[str, int]) -> dict[str, int]:
    """One port per process from `base` on: the processes first, then further replicas."""
    from wvggz.catalog import PROCESSES
    from wvggz.runner import replica_names

    further = [r for name, count in replicas.items() for r in replica_names(name, count)]
    return {name: base + n for n, name in enumerate([*PROCESSES, *further])}


def _replicas(text: str) -> tuple[str, int]:
    """`meldpunt=2` as (service, count)."""
    name, _, count = text.partition("=")
    if not name or not count.isdigit():
        raise argparse.ArgumentTypeError(f"expected SERVICE=N, got {text!r}")
    return name, int(count)


def _demo(args: argparse.Namespace) -> int:
    from wvggz.connection import Connection
    from wvggz.demo import main

    main(Connection(args.nats_url, Path(args.data_dir) / "bus", args.issuer))
    return 0


def _token(args: argparse.Namespace, rest: list[str]) -> int:
    from wvggz.oidc_client import token_command

    return token_command(rest)


def _bus_config(args: argparse.Namespace, rest: list[str]) -> int:
    from wvggz.bus_config import bus_config_command

    return bus_config_command(rest)


def _bootstrap(args: argparse.Namespace) -> int:
    from wvggz.bootstrap import bootstrap_command

    return bootstrap_command()


def _export(args: argparse.Namespace) -> int:
    from wvggz.export import export_all

    stale = export_all(Path(args.root), check=args.check)
    if stale:
        verb = "out of date" if args.check else "written"
        for path in stale:
            print(f"{verb}: {path}")
        if args.check:
            print("run `wvggz export` to regenerate", file=sys.stderr)
            return 1
    return 0


def _partner_lees(rest: list[str]) -> int:
    from wvggz.partnerlezer import partnerlezer_command

    return partnerlezer_command(rest)


def _proefontvanger(rest: list[str]) -> int:
    from wvggz.proefontvanger import proefontvanger_command

    return proefontvanger_command(rest)


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run a sub-command."""
    from wvggz.cijfers_export import parser as cijfers_export_parser
    from wvggz.geparkeerd import parser as geparkeerd_parser
    from wvggz.inzage import parser as inzage_parser
    from wvggz.post import parser as post_parser
    from wvggz.verify import parser as verify_parser

    parser = argparse.ArgumentParser(prog="wvggz", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    up = commands.add_parser(
        "up", help="start nats-server, the identity provider, the services and the portaal"
    )
    up.add_argument("--data-dir", default=os.environ.get("WVGGZ_DATA_DIR", "var"))
    up.add_argument("--nats-port", type=int, default=4222)
    up.add_argument("--monitor-port", type=int, default=8222)
    up.add_argument(
        "--http-base-port", type=int, default=8101, help="HTTP port of the first service (8101)"
    )
    up.add_argument("--oidc-port", type=int, default=8090, help="development identity provider")
    up.add_argument(
        "--replicas",
        type=_replicas,
        action="append",
        default=[],
        metavar="SERVICE=N",
        help="run N processes of a service (repeatable; e.g. meldpunt=2); with the SQLite store"
        " they share it on this machine",
    )
    up.set_defaults(run=_up)

    demo = commands.add_parser("demo", help="register a melding and watch it arrive on the bus")
    demo.add_argument(
        "--nats-url", default=os.environ.get("WVGGZ_NATS_URL", "nats://127.0.0.1:4222")
    )
    demo.add_argument("--data-dir", default=os.environ.get("WVGGZ_DATA_DIR", "var"))
    demo.add_argument(
        "--issuer", default=os.environ.get("WVGGZ_OIDC_ISSUER", "http://127.0.0.1:8090")
    )
    demo.set_defaults(run=_demo)

    token = commands.add_parser(
        "token", help="print an access token of a (demo) user", add_help=False
    )
    token.set_defaults(run_rest=_token)
    bus = commands.add_parser(
        "bus-config", help="generate the locked-down NATS configuration", add_help=False
    )
    bus.set_defaults(run_rest=_bus_config)
    bootstrap = commands.add_parser(
        "bootstrap", help="create the event stream and the durable consumers (bootstrap identity)"
    )
    bootstrap.set_defaults(run=_bootstrap)

    geparkeerd_parser(commands)
    post_parser(commands)
    cijfers_export_parser(commands)
    verify_parser(commands)
    inzage_parser(commands)
    partner_lees = commands.add_parser(
        "partner-lees", help="read a partner's notifications again (replay)", add_help=False
    )
    partner_lees.set_defaults(run_rest=lambda _args, rest: _partner_lees(rest))
    proef = commands.add_parser(
        "proefontvanger", help="a webhook receiver to try a subscription with", add_help=False
    )
    proef.set_defaults(run_rest=lambda _args, rest: _proefontvanger(rest))

    export = commands.add_parser("export", help="write JSON Schemas, AsyncAPI and config docs")
    export.add_argument("--root", default=".")
    export.add_argument("--check", action="store_true", help="fail when a written file is stale")
    export.set_defaults(run=_export)

    args, rest = parser.parse_known_args(argv)
    if hasattr(args, "run_rest"):  # sub-commands that parse their own arguments
        return int(args.run_rest(args, rest))
    if rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
