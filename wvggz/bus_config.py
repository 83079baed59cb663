"""`wvggz bus-config`: writes the locked-down nats-server configuration for a deployment."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from kernel.settings import ServiceSettings
from wvggz.bus_security import prepare_bus_config
from wvggz.bus_tls import generate_tls


def bus_config_command(argv: Sequence[str] | None = None) -> int:
    """`wvggz bus-config --out DIR [--host NAME]... [--tls]`: write seeds, config and certs."""
    parser = argparse.ArgumentParser(
        prog="wvggz bus-config",
        description="Write a locked-down nats-server config, one nkey seed per identity and"
        " (with --tls) a CA and server certificate. Seeds and CA are kept on later runs.",
    )
    parser.add_argument("--out", type=Path, required=True, help="folder for config, creds, certs")
    parser.add_argument(
        "--host",
        action="append",
        default=[],
        help="name clients reach the server by (repeatable; the first one goes into the URL)",
    )
    parser.add_argument("--tls", action="store_true", help="serve clients over TLS only")
    parser.add_argument("--listen", default="0.0.0.0", help="address the server listens on")
    parser.add_argument("--port", type=int, default=4222)
    parser.add_argument("--monitor-port", type=int, default=8222)
    parser.add_argument("--store-dir", type=Path, default=Path("/data/jetstream"))
    args = parser.parse_args(argv)

    from wvggz.catalog import SERVICES

    consumers = [spec for definition in SERVICES.values() for spec in definition.consumers]
    out = args.out.resolve()
    hosts = args.host or ["localhost"]
    # Operators on the Docker host come in through the published port.
    names = list(dict.fromkeys([*hosts, "localhost", "127.0.0.1"]))
    config = prepare_bus_config(
        out,
        host=args.listen,
        port=args.port,
        monitor_port=args.monitor_port,
        store_dir=args.store_dir,
        services=tuple(SERVICES),
        partners=ServiceSettings().nats_partners,
        consumers=consumers,
        tls=generate_tls(out, names) if args.tls else None,
        server_host_names=hosts,
    )
    print(f"wrote {config.config_path} for {config.url}")
    for identity in config.identities:
        print(f"  {identity.id:<14} {config.seed_file(identity.id)}")
    return 0
