"""A client for the zorgmachtiging route: commands and queries as staff send them over NATS."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from wvggz_contracts.subjects import command_subject, query_subject

from wvggz.demo import registreer_melding_request


def actor(rol: str, gemeente: str = "GM0402", id_: str | None = None) -> dict[str, str]:
    return {"id": id_ or f"{rol}-1", "rol": rol, "gemeente": gemeente}


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

    client: Any
    actor: dict[str, str]
    last_position: int | None = None

    async def command(self, service: str, name: str, payload: dict[str, Any]) -> dict[str, Any]:
        body = {"command_id": str(uuid.uuid4()), "actor": self.actor, "payload": payload}
        reply = json.loads(
            (
                await self.client.request(
                    command_subject(service, name), json.dumps(body).encode(), timeout=5
                )
            ).data
        )
        if reply.get("position"):
            self.last_position = reply["position"]
        return reply

    async def query(
        self, service: str, name: str, params: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        body = {"actor": self.actor, "min_position": self.last_position, "params": params or {}}
        message = await self.client.request(
            query_subject(service, name), json.dumps(body).encode(), timeout=10
        )
        return json.loads(message.data)


def melding(relatie: str = "ouder") -> dict[str, Any]:
    request = registreer_melding_request()
    request["payload"]["melder"]["relatie"] = relatie
    return request["payload"]
