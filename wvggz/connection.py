"""How a client program (demo, tests, benchmarks) reaches the running platform as itself."""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nats
from nats.aio.client import Client as Nats

from wvggz.oidc_client import fetch_token

DEMO_PASSWORD = "demo"
"""Password of every demo user of the development identity provider (development only)."""


@dataclass(frozen=True)
class Connection:
    """The bus URL and credentials folder, and the identity provider that issues tokens.

    On a locked bus (credentials under `bus_dir/creds`), a program connects as one NATS
    identity: `cli` to send commands and queries, `bootstrap` to watch the event stream as
    operators do. Each request carries a user's access token, fetched from the issuer.
    """

    nats_url: str
    bus_dir: Path
    issuer: str
    _tokens: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def nats_options(self, identity: str = "cli") -> dict[str, Any]:
        """Keyword arguments for `nats.connect` as this NATS identity."""
        seed = self.bus_dir / "creds" / f"{identity}.nk"
        options: dict[str, Any] = {"servers": self.nats_url, "name": f"wvggz-{identity}"}
        if seed.exists():
            options |= {"nkeys_seed": str(seed), "inbox_prefix": f"_INBOX_{identity}"}
        return options

    async def client(self, identity: str = "cli") -> Nats:
        """A NATS connection as this identity."""
        return await nats.connect(**self.nats_options(identity))

    def token(self, user: str, password: str = DEMO_PASSWORD) -> str:
        """An access token for a user (cached; the demo users' tokens last an hour)."""
        if user not in self._tokens:
            self._tokens[user] = fetch_token(self.issuer, user, password)
        return self._tokens[user]

    def headers(self, user: str) -> dict[str, str]:
        """NATS headers that identify a request as sent by this user."""
        return {"Authorization": f"Bearer {self.token(user)}"}


def demo_user(rol: str, gemeente: str = "GM0402") -> str:
    """The demo user of the development identity provider for a role in a gemeente."""
    return f"{rol}.{gemeente.lower()}"


def add_operator_arguments(command: argparse.ArgumentParser) -> None:
    """Where the platform is and who acts, for a command an operator runs (`geparkeerd`, `post`):
    the bus, its credentials folder, the identity provider and the user."""
    command.add_argument(
        "--nats-url", default=os.environ.get("WVGGZ_NATS_URL", "nats://127.0.0.1:4222")
    )
    command.add_argument("--data-dir", default=os.environ.get("WVGGZ_DATA_DIR", "var"))
    command.add_argument(
        "--issuer", default=os.environ.get("WVGGZ_OIDC_ISSUER", "http://127.0.0.1:8090")
    )
    command.add_argument(
        "--gebruiker",
        default="functioneel-beheer.gm0402",
        help="who logs in when WVGGZ_TOKEN is not set (password: WVGGZ_WACHTWOORD)",
    )


def operator_connection(args: argparse.Namespace) -> Connection:
    """The connection `add_operator_arguments` describes."""
    return Connection(args.nats_url, Path(args.data_dir) / "bus", args.issuer)


def operator_headers(connection: Connection, user: str) -> dict[str, str]:
    """The operator's access token as a request header: WVGGZ_TOKEN, or the user's login."""
    token = os.environ.get("WVGGZ_TOKEN") or connection.token(
        user, os.environ.get("WVGGZ_WACHTWOORD", DEMO_PASSWORD)
    )
    return {"Authorization": f"Bearer {token}"}
