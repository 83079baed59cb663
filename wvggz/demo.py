"""A guided run against the running platform: the first slice, then the zorgmachtiging route.

Every command and query carries a demo user's access token from the development identity
provider; events are watched as operators do, with the bus's bootstrap identity.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime
from typing import Any

from nats.js.api import DeliverPolicy
from wvggz_contracts.envelope import CloudEvent
from wvggz_contracts.subjects import (
    EVENTS_STREAM,
    command_subject,
    events_of,
    query_subject,
)

from wvggz.connection import Connection, demo_user


def registreer_melding_request(gemeente: str = "GM0402", bsn: str = "111222333") -> dict[str, Any]:
    """A RegistreerMelding command about a fictional person, as a triagist of Hilversum sends it."""
    return {
        "command_id": str(uuid.uuid4()),
        "payload": {
            "gemeente": gemeente,
            "ontvangen_op": datetime.now(UTC).isoformat(),
            "kanaal": "telefoon",
            "melder": {"naam": "A. Buur", "telefoon": "035-0000000", "relatie": "buur"},
            "betrokkene": {"naam": "J. Voorbeeld", "geboortedatum": "1980-01-01", "bsn": bsn},
            "situatie": "Buurman roept al dagen dat hij wordt afgeluisterd en eet niet meer.",
        },
    }


def triage_naar_vo(melding_id: str) -> dict[str, Any]:
    """RondTriageAf's payload: all three questions plausible, on to a verkennend onderzoek."""
    ja = {"aannemelijk": True, "motivatie": "Volgens melder en wijkteam."}
    return {
        "melding_id": melding_id,
        "antwoorden": {
            "ernstig_nadeel": ja,
            "psychische_stoornis": ja,
            "verplichte_zorg_nodig": ja,
        },
        "uitkomst": "verkennend-onderzoek",
    }


async def run_demo(connection: Connection, say: Any = print) -> CloudEvent:
    """Send one good and one bad melding; show the reply, the error and the published event."""
    client = await connection.client()
    observer = await connection.client("bootstrap")
    try:
        watcher = await observer.jetstream().subscribe(
            events_of("meldpunt"),
            stream=EVENTS_STREAM,
            ordered_consumer=True,
            deliver_policy=DeliverPolicy.NEW,
        )
        subject = command_subject("meldpunt", "registreer-melding")
        triagist = demo_user("triagist")
        headers = connection.headers(triagist)

        say(f"1. An operator's observer on the bus follows {events_of('meldpunt')}.")
        anonymous = await client.request(
            subject, json.dumps(registreer_melding_request()).encode(), timeout=5
        )
        say(f"2. A request without an access token: {anonymous.data.decode()}")
        say(f"3. {triagist} logs in and sends RegistreerMelding on {subject} with an invalid BSN:")
        bad = await client.request(
            subject,
            json.dumps(registreer_melding_request(bsn="123456789")).encode(),
            timeout=5,
            headers=headers,
        )
        say(f"   reply: {bad.data.decode()}")

        say("4. The same melding with a valid BSN:")
        request = registreer_melding_request()
        good = await client.request(
            subject, json.dumps(request).encode(), timeout=5, headers=headers
        )
        reply = json.loads(good.data)
        say(f"   reply: ok={reply['ok']} case={reply.get('case_id')} at {reply.get('position')}")
        if not reply["ok"]:
            raise RuntimeError(f"the meldpunt refused the demo melding: {reply}")

        say("5. The relay publishes MeldingOntvangen; the observer receives:")
        while True:
            message = await watcher.next_msg(timeout=10)
            event = CloudEvent.model_validate_json(message.data)
            if str(event.subject) == reply["case_id"]:
                break
        say(f"   subject: {message.subject}")
        say(f"   Nats-Msg-Id: {(message.headers or {}).get('Nats-Msg-Id')}")
        envelope = event.model_dump(mode="json", exclude={"data"})
        say("   envelope: " + json.dumps(envelope, indent=2).replace("\n", "\n   "))
        return event
    finally:
        await client.close()
        await observer.close()


def main(connection: Connection) -> None:
    """Entry point of `wvggz demo`."""
    from wvggz.demo_crisis import run_crisis

    asyncio.run(run_demo(connection))
    asyncio.run(run_route(connection))
    asyncio.run(run_crisis(connection))


async def run_route(connection: Connection, say: Any = print) -> list[str]:
    """Walk the zorgmachtiging route: triage → VO → aanvraag → OvJ; return the letters due."""
    client = await connection.client()
    observer = await connection.client("bootstrap")
    try:
        letters = await observer.jetstream().subscribe(
            # Letters to the melder come from the meldpunt and from the onderzoek.
            "wvggz.evt.*.*.melder-brief-klaargezet.v1",
            stream=EVENTS_STREAM,
            ordered_consumer=True,
            deliver_policy=DeliverPolicy.NEW,
        )
        triagist = Caller(client, connection, demo_user("triagist"))
        consulent = Caller(client, connection, demo_user("consulent"))
        ovj = Caller(client, connection, demo_user("ovj-koppeling"))

        melding = registreer_melding_request()["payload"]
        melding["melder"] = {"naam": "M. Moeder", "telefoon": "035-1111111", "relatie": "ouder"}
        registered = await triagist.command("meldpunt", "registreer-melding", melding)
        melding_id = registered["case_id"]
        say(f"6. The mother of the betrokkene reports; melding {melding_id}.")
        await triagist.command("meldpunt", "rond-triage-af", triage_naar_vo(melding_id))
        say("7. Triage: all three questions plausible → verkennend onderzoek.")
        vo = await consulent.wait_for("onderzoek", "werkvoorraad", "melding_id", melding_id)
        say(
            f"8. The onderzoek service opened VO {vo['vo_id']} from the bus; "
            f"{vo['dagen_over']} days left."
        )
        for name, payload in _vo_steps(consulent.user):
            await consulent.command("onderzoek", name, {"vo_id": vo["vo_id"], **payload})
            say(f"   consulent: {name}")
        await ovj.command(
            "onderzoek",
            "registreer-ovj-reactie",
            {
                "vo_id": vo["vo_id"],
                "bereidt_verzoekschrift_voor": True,
                "ontvangen_op": datetime.now(UTC).isoformat(),
            },
        )
        say("9. The OvJ will prepare a verzoekschrift zorgmachtiging.")
        due: list[str] = []
        while len(due) < 4:
            event = CloudEvent.model_validate_json((await letters.next_msg(timeout=10)).data)
            if str(event.subject) in (melding_id, vo["vo_id"]):
                due.append(event.data["brief"])
        say(f"10. Letters due to the entitled melder: {', '.join(due)}.")
        return due
    finally:
        await client.close()
        await observer.close()


GM = "GM0402"


def _vo_steps(consulent: str) -> list[tuple[str, dict[str, Any]]]:
    def toets(naam: str) -> dict[str, Any]:
        return {"toets": naam, "aannemelijk": True, "motivatie": "Vastgesteld in het onderzoek."}

    vandaag = datetime.now(UTC).date().isoformat()
    return [
        ("wijs-consulent-toe", {"consulent": consulent}),
        ("leg-gesprek-vast", {"vonden_plaats": True, "datum": vandaag, "samenvatting": "Gesprek."}),
        ("leg-oco-wijzing-vast", {"datum": vandaag}),
        (
            "leg-ggz-consultatie-vast",
            {
                "consultant": consulent,
                "datum": vandaag,
                "uren": "1.5",
                "onderwerp": "Psychische stoornis en noodzaak verplichte zorg.",
            },
        ),
        ("beoordeel-toets", toets("ernstig-nadeel")),
        ("beoordeel-toets", toets("psychische-stoornis")),
        ("beoordeel-toets", toets("noodzaak-verplichte-zorg")),
        ("leg-rapport-vast", {"samenvatting": "Rapport van het verkennend onderzoek."}),
        ("concludeer", {"aanvraag": {"contact_consulent": {"naam": "D. Consulent"}}}),
    ]


class Caller:
    """Sends commands and queries as one logged-in staff member, reading its own writes."""

    def __init__(self, client: Any, connection: Connection, user: str) -> None:
        self.client = client
        self.connection = connection
        self.user = user
        self.position: int | None = None

    async def command(
        self, service: str, name: str, payload: dict[str, Any], command_id: uuid.UUID | None = None
    ) -> dict[str, Any]:
        body = {"command_id": str(command_id or uuid.uuid4()), "payload": payload}
        message = await self.client.request(
            command_subject(service, name),
            json.dumps(body).encode(),
            timeout=5,
            headers=self.connection.headers(self.user),
        )
        reply: dict[str, Any] = json.loads(message.data)
        if not reply["ok"]:
            raise RuntimeError(f"{name} refused: {reply['error']}")
        self.position = reply.get("position") or self.position
        return reply

    async def query(self, service: str, name: str, params: dict[str, Any]) -> Any:
        body = {"min_position": self.position, "params": params}
        message = await self.client.request(
            query_subject(service, name),
            json.dumps(body).encode(),
            timeout=5,
            headers=self.connection.headers(self.user),
        )
        return json.loads(message.data)["data"]

    async def wait_for(self, service: str, query: str, key: str, value: str) -> dict[str, Any]:
        """The row of a list query whose `key` is `value`, once the event has travelled."""
        for _attempt in range(100):
            found = [row for row in await self.query(service, query, {}) if row[key] == value]
            if found:
                return dict(found[0])
            await asyncio.sleep(0.1)
        raise RuntimeError(f"{service} did not show {key}={value} in {query}")
