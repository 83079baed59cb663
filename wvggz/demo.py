"""A guided run of the first slice against the running platform, as an outside partner sees it."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime
from typing import Any

import nats
from nats.js.api import DeliverPolicy
from wvggz_contracts.envelope import CloudEvent
from wvggz_contracts.subjects import EVENTS_STREAM, command_subject, events_of


def registreer_melding_request(gemeente: str = "GM0402", bsn: str = "111222333") -> dict[str, Any]:
    """A RegistreerMelding command about a fictional person, as a triagist of Hilversum sends it."""
    return {
        "command_id": str(uuid.uuid4()),
        "actor": {"id": "demo-triagist-1", "rol": "triagist", "gemeente": gemeente},
        "payload": {
            "gemeente": gemeente,
            "ontvangen_op": datetime.now(UTC).isoformat(),
            "kanaal": "telefoon",
            "melder": {"naam": "A. Buur", "telefoon": "035-0000000", "relatie": "buur"},
            "betrokkene": {"naam": "J. Voorbeeld", "geboortedatum": "1980-01-01", "bsn": bsn},
            "situatie": "Buurman roept al dagen dat hij wordt afgeluisterd en eet niet meer.",
        },
    }


async def run_demo(nats_url: str, say: Any = print) -> CloudEvent:
    """Send one good and one bad melding; show the reply, the error and the published event."""
    client = await nats.connect(nats_url, name="wvggz-demo")
    try:
        js = client.jetstream()
        partner = await js.subscribe(
            events_of("meldpunt"),
            stream=EVENTS_STREAM,
            ordered_consumer=True,
            deliver_policy=DeliverPolicy.NEW,
        )
        subject = command_subject("meldpunt", "registreer-melding")

        say(f"1. A partner (e.g. the OM) subscribes to {events_of('meldpunt')} on JetStream.")
        say(f"2. A triagist sends RegistreerMelding on {subject} with an invalid BSN:")
        bad = await client.request(
            subject, json.dumps(registreer_melding_request(bsn="123456789")).encode(), timeout=5
        )
        say(f"   reply: {bad.data.decode()}")

        say("3. The same melding with a valid BSN:")
        request = registreer_melding_request()
        good = await client.request(subject, json.dumps(request).encode(), timeout=5)
        reply = json.loads(good.data)
        say(f"   reply: ok={reply['ok']} case={reply.get('case_id')} at {reply.get('position')}")
        if not reply["ok"]:
            raise RuntimeError(f"the meldpunt refused the demo melding: {reply}")

        say("4. The relay publishes MeldingOntvangen; the partner receives:")
        while True:
            message = await partner.next_msg(timeout=10)
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


def main(nats_url: str) -> None:
    """Entry point of `wvggz demo`."""
    asyncio.run(run_demo(nats_url))
