"""A client for the zorgmachtiging route: commands and queries as staff send them over NATS."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from nats.aio.client import Client as Nats
from wvggz_contracts.commands import Actor, Rol
from wvggz_contracts.subjects import command_subject, query_subject

from kernel.identity.testing import TestIssuer
from wvggz.connection import Connection
from wvggz.demo import registreer_melding_request
from wvggz.runner import Platform

Tokens = Callable[[Actor], str]
"""An access token for an actor: from the real identity provider, or a test issuer."""

Clients = tuple[Nats, Nats, Tokens]
"""A client application, an operator's observer of the bus, and demo users' tokens."""


def actor(rol: str, gemeente: str = "GM0402") -> Actor:
    """A demo user of the development identity provider, e.g. `triagist.gm0402`."""
    return Actor(id=f"{rol}.{gemeente.lower()}", rol=Rol(rol), gemeente=gemeente)


def demo_user(who: Actor) -> Actor:
    """The demo user with the same role and gemeente as a test's actor."""
    return actor(who.rol.value, who.gemeente)


def issued_by(issuer: TestIssuer) -> Tokens:
    """Tokens a test issuer signs for any actor."""
    return lambda who: issuer.token(who.id, [who.rol.value], [who.gemeente])


@asynccontextmanager
async def clients_of(platform: Platform) -> AsyncIterator[Clients]:
    """A client application, an operator's observer of the bus, and demo users' tokens, for a
    started platform; both connections closed afterwards."""
    connection = platform.connection()
    client, observer = await connection.client(), await connection.client("bootstrap")
    try:
        yield client, observer, demo_tokens(connection)
    finally:
        await client.close()
        await observer.close()


def demo_tokens(connection: Connection) -> Tokens:
    """Tokens of the development identity provider's demo users, by the real login flow."""
    return lambda who: connection.token(who.id)


def headers(tokens: Tokens, who: Actor) -> dict[str, str]:
    """The NATS headers of a request sent as `who`."""
    return {"Authorization": f"Bearer {tokens(who)}"}


def triage(melding_id: str, ja: bool = True, **extra: Any) -> dict[str, Any]:
    antwoord = {"aannemelijk": ja, "motivatie": "Volgens de melder en het wijkteam."}
    return {
        "melding_id": melding_id,
        "antwoorden": {
            "ernstig_nadeel": antwoord,
            "psychische_stoornis": antwoord,
            "verplichte_zorg_nodig": antwoord,
        },
        **extra,
    }


@dataclass
class Staff:
    """Sends commands and queries as one actor and remembers its last write."""

    client: Nats
    actor: Actor
    tokens: Tokens
    last_position: int | None = None

    async def command(
        self, service: str, name: str, payload: Any, command_id: uuid.UUID | None = None
    ) -> dict[str, Any]:
        if hasattr(payload, "model_dump"):
            payload = payload.model_dump(mode="json")
        body = {"command_id": str(command_id or uuid.uuid4()), "payload": payload}
        message = await self.client.request(
            command_subject(service, name),
            json.dumps(body).encode(),
            timeout=5,
            headers=headers(self.tokens, self.actor),
        )
        reply: dict[str, Any] = json.loads(message.data)
        if reply.get("position"):
            self.last_position = reply["position"]
        return reply

    async def query(
        self, service: str, name: str, params: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        body = {"min_position": self.last_position, "params": params or {}}
        message = await self.client.request(
            query_subject(service, name),
            json.dumps(body).encode(),
            timeout=10,
            headers=headers(self.tokens, self.actor),
        )
        reply: dict[str, Any] = json.loads(message.data)
        return reply


def melding(relatie: str = "ouder") -> dict[str, Any]:
    request = registreer_melding_request()
    request["payload"]["melder"]["relatie"] = relatie
    payload: dict[str, Any] = request["payload"]
    return payload
