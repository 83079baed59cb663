"""Both routes with the marker betrokkene and melder: to the OvJ, and to the burgemeester."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from nats.aio.client import Client as Nats
from wvggz_contracts.subjects import EVENTS_STREAM

from services.crisis.domain import crisis_id_for
from tests.integration.events import eventually
from tests.integration.markers import BETROKKENE, BSN, MELDER, marked_melding
from tests.integration.route import Staff, Tokens, actor, triage
from tests.integration.test_crisis_route import walk_to_the_besluit


async def a_refused_melding(client: Nats, tokens: Tokens) -> None:
    """A melding whose BSN fails the elfproef: refusals must not log what they refused."""
    triagist = Staff(client, actor("triagist"), tokens)
    payload = marked_melding("ouder")
    payload["betrokkene"]["bsn"] = BSN[:-1] + "4"
    refused = await triagist.command("meldpunt", "registreer-melding", payload)
    assert refused["error"]["code"] == "validation_failed", refused


async def to_the_ovj(client: Nats, tokens: Tokens) -> None:
    """Melding by a parent, triage, the whole VO and the OvJ's response."""
    triagist = Staff(client, actor("triagist"), tokens)
    consulent = Staff(client, actor("consulent"), tokens)
    registered = await triagist.command("meldpunt", "registreer-melding", marked_melding("ouder"))
    melding_id = registered["case_id"]
    triaged = await triagist.command(
        "meldpunt", "rond-triage-af", triage(melding_id, uitkomst="verkennend-onderzoek")
    )
    assert triaged["ok"], triaged

    async def vo_open() -> bool:
        rows = (await consulent.query("onderzoek", "werkvoorraad"))["data"]
        return any(row["melding_id"] == melding_id for row in rows)

    await eventually(vo_open, what="the VO opened from the triage event")
    [vo] = (await consulent.query("onderzoek", "werkvoorraad"))["data"]
    for name, payload in vo_steps(consulent.actor.id):
        reply = await consulent.command("onderzoek", name, {"vo_id": vo["vo_id"], **payload})
        assert reply["ok"], (name, reply)
    ovj = await Staff(client, actor("ovj-koppeling"), tokens).command(
        "onderzoek",
        "registreer-ovj-reactie",
        {
            "vo_id": vo["vo_id"],
            "bereidt_verzoekschrift_voor": True,
            "ontvangen_op": datetime.now(UTC).isoformat(),
        },
    )
    assert ovj["ok"], ovj


def vo_steps(consulent: str) -> list[tuple[str, dict[str, Any]]]:
    """The consulent's steps to an aanvraag, naming the betrokkene and melder in free text."""
    today = datetime.now(UTC).date().isoformat()

    def toets(naam: str) -> tuple[str, dict[str, Any]]:
        return ("beoordeel-toets", {"toets": naam, "aannemelijk": True, "motivatie": BETROKKENE})

    return [
        ("wijs-consulent-toe", {"consulent": consulent}),
        (
            "leg-gesprek-vast",
            {"vonden_plaats": True, "datum": today, "samenvatting": f"{BETROKKENE}, {MELDER}."},
        ),
        ("leg-oco-wijzing-vast", {"datum": today}),
        (
            "leg-ggz-consultatie-vast",
            {"consultant": consulent, "datum": today, "uren": "1.5", "onderwerp": BETROKKENE},
        ),
        toets("ernstig-nadeel"),
        toets("psychische-stoornis"),
        toets("noodzaak-verplichte-zorg"),
        ("leg-rapport-vast", {"samenvatting": f"Rapport over {BETROKKENE}, BSN {BSN}."}),
        ("concludeer", {"aanvraag": {"contact_consulent": {"naam": "C. Onsulent"}}}),
    ]


async def to_the_besluit(client: Nats, tokens: Tokens) -> None:
    """Melding by a neighbour, triage crisis, then the crisis route to the besluit."""
    triagist = Staff(client, actor("triagist"), tokens)
    crisisdienst = Staff(client, actor("crisisdienst"), tokens)
    registered = await triagist.command("meldpunt", "registreer-melding", marked_melding("buur"))
    triaged = await triagist.command(
        "meldpunt",
        "rond-triage-af",
        triage(registered["case_id"], uitkomst="crisis", afwijking_motivatie="Acuut gevaar."),
    )
    assert triaged["ok"], triaged
    crisis_id = crisis_id_for(uuid.UUID(registered["case_id"]))

    async def started() -> bool:
        rows = (await crisisdienst.query("crisis", "open-crises", {}))["data"]
        return any(row["crisis_id"] == str(crisis_id) for row in rows)

    await eventually(started, what="the crisis case started from the triage event")
    await walk_to_the_besluit(client, crisis_id, tokens)


async def all_consumed(observer: Nats, services: tuple[str, ...]) -> None:
    """Wait until the durable consumers of these services have handled every event."""
    js = observer.jetstream()

    async def idle() -> bool:
        consumers = await js.consumers_info(EVENTS_STREAM)
        ours = [c for c in consumers if c.name.split("-")[0] in services]
        return bool(ours) and all(c.num_pending == c.num_ack_pending == 0 for c in ours)

    await eventually(idle, within=30, what="every consumer caught up")
