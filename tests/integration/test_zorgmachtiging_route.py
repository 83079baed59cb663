"""Melding → triage → VO → aanvraag → OvJ: meldpunt and onderzoek as separate processes."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from nats.aio.client import Client as Nats
from nats.js.api import DeliverPolicy
from wvggz_contracts.envelope import CloudEvent
from wvggz_contracts.subjects import EVENTS_STREAM

from tests.integration.events import eventually
from tests.integration.platforms import local_platform
from tests.integration.route import Clients, Staff, actor, melding, triage
from wvggz.runner import Platform

pytestmark = pytest.mark.integration


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[Platform]:
    platform = local_platform(tmp_path / "var", ("meldpunt", "onderzoek"))
    platform.start(timeout=60)
    yield platform
    platform.stop()


async def published(observer: Nats, case_ids: set[str]) -> list[str]:
    """Types of every event on the bus about these cases, in order."""
    js = observer.jetstream()
    subscription = await js.subscribe(
        "wvggz.evt.>",
        stream=EVENTS_STREAM,
        ordered_consumer=True,
        deliver_policy=DeliverPolicy.ALL,
    )
    types: list[str] = []
    pending = (await js.stream_info(EVENTS_STREAM)).state.messages
    for _ in range(pending):
        event = CloudEvent.model_validate_json((await subscription.next_msg(timeout=5)).data)
        if str(event.subject) in case_ids:
            types.append(event.type.split(".")[-2])
    await subscription.unsubscribe()
    return types


async def test_a_melding_walks_to_the_ovj_and_the_entitled_melder_gets_every_letter(
    clients: Clients,
) -> None:
    client, observer, tokens = clients
    triagist = Staff(client, actor("triagist"), tokens)
    consulent = Staff(client, actor("consulent"), tokens)
    ovj = Staff(client, actor("ovj-koppeling"), tokens)

    registered = await triagist.command("meldpunt", "registreer-melding", melding("ouder"))
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
    # 14 whole days, ending at midnight, later when the Atw moves it past a weekend or holiday
    assert 14.0 <= vo["dagen_over"] <= 18.0
    vo_id = vo["vo_id"]
    steps: list[tuple[str, dict[str, Any]]] = [
        ("wijs-consulent-toe", {"consulent": consulent.actor.id}),
        (
            "leg-gesprek-vast",
            {"vonden_plaats": True, "datum": "2026-11-20", "samenvatting": "Gesproken."},
        ),
        ("leg-oco-wijzing-vast", {"datum": "2026-11-20"}),
        (
            "leg-ggz-consultatie-vast",
            {
                "consultant": consulent.actor.id,
                "datum": "2026-11-20",
                "uren": "1.5",
                "onderwerp": "Psychische stoornis en noodzaak verplichte zorg.",
            },
        ),
        (
            "beoordeel-toets",
            {"toets": "ernstig-nadeel", "aannemelijk": True, "motivatie": "Verwaarlozing."},
        ),
        (
            "beoordeel-toets",
            {"toets": "psychische-stoornis", "aannemelijk": True, "motivatie": "Psychiater."},
        ),
        (
            "beoordeel-toets",
            {"toets": "noodzaak-verplichte-zorg", "aannemelijk": True, "motivatie": "Weigert."},
        ),
        ("leg-rapport-vast", {"samenvatting": "Rapport van het verkennend onderzoek."}),
        ("concludeer", {"aanvraag": {"contact_consulent": {"naam": "C. Onsulent"}}}),
    ]
    for name, payload in steps:
        reply = await consulent.command("onderzoek", name, {"vo_id": vo_id, **payload})
        assert reply["ok"], (name, reply)
    ovj_reply = await ovj.command(
        "onderzoek",
        "registreer-ovj-reactie",
        {
            "vo_id": vo_id,
            "bereidt_verzoekschrift_voor": True,
            "ontvangen_op": datetime.now(UTC).isoformat(),
        },
    )
    assert ovj_reply["ok"], ovj_reply["error"]
    dossier = await consulent.query("onderzoek", "dossier", {"vo_id": vo_id})
    werkvoorraad = await consulent.query("onderzoek", "werkvoorraad")
    melding_dossier = await triagist.query("meldpunt", "dossier", {"melding_id": melding_id})

    assert dossier["ok"] and dossier["data"]["afgesloten"]
    assert [s["door"] for s in dossier["data"]["stappen"]][:2] == [
        "wvggz-onderzoek",
        "consulent.gm0402",
    ]
    assert werkvoorraad["data"] == []
    assert melding_dossier["data"]["uitkomst"] == "verkennend-onderzoek"

    async def all_published() -> bool:
        types = await published(observer, {melding_id, vo_id})
        return types.count("melder-brief-klaargezet") == 4

    await eventually(all_published, what="every letter event published")

    async def vo_closing_known() -> bool:
        steps = (await triagist.query("meldpunt", "dossier", {"melding_id": melding_id}))["data"]
        return any("vo-afsluiting-geregistreerd" in s["wat"] for s in steps["stappen"])

    await eventually(vo_closing_known, what="the meldpunt learnt that the VO closed")
    later = await triagist.command("meldpunt", "registreer-melding", melding("ouder"))
    later_dossier = await triagist.query("meldpunt", "dossier", {"melding_id": later["case_id"]})
    assert later_dossier["data"]["samenhang"] == [], "a closed VO is no longer linked"
    types = await published(observer, {melding_id, vo_id})
    assert types[:4] == [
        "melding-ontvangen",
        "melder-brief-klaargezet",
        "triage-afgerond",
        "melder-brief-klaargezet",
    ]
    assert (
        "vo-geopend" in types and "aanvraag-ingediend" in types and "ovj-reactie-ontvangen" in types
    )


async def test_crisis_and_regulier_outcomes_open_no_vo(clients: Clients) -> None:
    client, observer, tokens = clients
    triagist = Staff(client, actor("triagist"), tokens)
    consulent = Staff(client, actor("consulent"), tokens)

    crisis = await triagist.command("meldpunt", "registreer-melding", melding("buur"))
    regulier = await triagist.command("meldpunt", "registreer-melding", melding("buur"))
    to_crisis = await triagist.command(
        "meldpunt",
        "rond-triage-af",
        triage(
            crisis["case_id"],
            uitkomst="crisis",
            afwijking_motivatie="Acuut gevaar volgens politie.",
        ),
    )
    to_regulier = await triagist.command(
        "meldpunt",
        "rond-triage-af",
        triage(regulier["case_id"], ja=False, uitkomst="regulier", doorverwezen_naar="wijkteam"),
    )
    after_close = await triagist.command(
        "meldpunt", "rond-triage-af", triage(regulier["case_id"], uitkomst="verkennend-onderzoek")
    )

    assert to_crisis["ok"] and to_regulier["ok"]
    assert after_close["error"]["code"] == "rule_violated"

    async def triage_published() -> bool:
        types = await published(observer, {crisis["case_id"], regulier["case_id"]})
        return types.count("triage-afgerond") == 2

    await eventually(triage_published, what="both triage events published")
    await asyncio.sleep(1.0)  # time enough for onderzoek to (wrongly) react
    assert (await consulent.query("onderzoek", "werkvoorraad"))["data"] == []
    types = await published(observer, {crisis["case_id"], regulier["case_id"]})
    assert types.count("melder-brief-klaargezet") == 2, (
        "receipts only: a buur gets no triage letter"
    )


async def test_related_meldingen_are_linked_and_a_handover_leaves_a_read_only_trace(
    clients: Clients,
) -> None:
    client, observer, tokens = clients
    hilversum = Staff(client, actor("triagist"), tokens)
    huizen = Staff(client, actor("triagist", gemeente="GM0406"), tokens)

    first = await hilversum.command("meldpunt", "registreer-melding", melding("buur"))
    second = await hilversum.command("meldpunt", "registreer-melding", melding("familie"))
    linked = await hilversum.query("meldpunt", "dossier", {"melding_id": second["case_id"]})
    refused = await huizen.command(
        "meldpunt", "rond-triage-af", triage(first["case_id"], uitkomst="verkennend-onderzoek")
    )
    handed = await hilversum.command(
        "meldpunt",
        "overdraag-melding",
        {
            "melding_id": first["case_id"],
            "naar_gemeente": "GM0406",
            "reden": "Verblijft in Huizen.",
        },
    )
    hilversum_list = await hilversum.query("meldpunt", "werkvoorraad")
    huizen.last_position = handed["position"]
    huizen_list = await huizen.query("meldpunt", "werkvoorraad")
    trace = await hilversum.query("meldpunt", "dossier", {"melding_id": first["case_id"]})
    too_late = await hilversum.command(
        "meldpunt", "rond-triage-af", triage(first["case_id"], uitkomst="verkennend-onderzoek")
    )

    assert linked["data"]["samenhang"] == [first["case_id"]]
    assert refused["error"]["code"] == "forbidden"
    assert handed["ok"], handed
    assert [r["melding_id"] for r in hilversum_list["data"]] == [second["case_id"]]
    assert [r["melding_id"] for r in huizen_list["data"]] == [first["case_id"]]
    assert trace["ok"] and trace["data"]["gemeente"] == "GM0406"
    assert too_late["error"]["code"] == "forbidden"

    refusals = "wvggz.evt.meldpunt.*.autorisatie-geweigerd.v1"

    async def refusals_audited() -> bool:
        info = await observer.jetstream().stream_info(EVENTS_STREAM, subjects_filter=refusals)
        return sum((info.state.subjects or {}).values()) == 4

    await eventually(refusals_audited, what="both refusals on the bus")
    info = await observer.jetstream().stream_info(EVENTS_STREAM, subjects_filter=refusals)
    # Each refusal concerned the other gemeente's case: the owner sees it as well as the actor's.
    assert info.state.subjects == {
        "wvggz.evt.meldpunt.GM0402.autorisatie-geweigerd.v1": 2,
        "wvggz.evt.meldpunt.GM0406.autorisatie-geweigerd.v1": 2,
    }
