"""The overleg service on a real nats-server: signals once each across restarts, texts with a BSN
refused, and figures counted from the procedures' events without keeping personal data."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import nats
import pytest
from wvggz_contracts.commands import Actor, Rol
from wvggz_contracts.envelope import CloudEvent
from wvggz_contracts.meldpunt import MeldingOntvangen, vo_termijn_eind

from kernel.eventstore.sqlite import SqliteEventStore
from kernel.identity.testing import TestIssuer
from kernel.testing import NatsServer
from services.overleg.app import OverlegSettings, create_app
from tests.integration.events import as_published, eventually, publish_event, triage_afgerond
from tests.integration.route import Staff, issued_by

pytestmark = pytest.mark.integration

START = datetime(2027, 1, 20, 9, 0, tzinfo=UTC)
OVERLEG = uuid.uuid4()
SECRETARIAAT = Actor(id="secretariaat.gm0402", rol=Rol.SECRETARIAAT, gemeente="GM0402")
CONSULENT = Actor(id="consulent.gm0406", rol=Rol.CONSULENT, gemeente="GM0406")
CONSULENT_HILVERSUM = Actor(id="consulent.gm0402", rol=Rol.CONSULENT, gemeente="GM0402")
BSN = "111222333"
NAAM = "Jozefien Testpersoon"


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


async def signalen(path: Path) -> list[str]:
    store = SqliteEventStore(path)
    try:
        events = await store.read(f"regio-overleg-{OVERLEG}")
        return [
            f"{e.type.split('.')[-2]}:{e.data.get('kwartaal') or e.data.get('jaar')}"
            for e in events
            if "ontbreekt" in e.type
        ]
    finally:
        await store.close()


def instelling() -> dict[str, Any]:
    return {
        "overleg_id": str(OVERLEG),
        "gemeente": "GM0402",
        "naam": "Regio-overleg Wvggz Gooi en Vechtstreek",
        "veiligheidsregio": "Gooi en Vechtstreek",
        "voorzitter": "Burgemeester van Hilversum",
        "secretariaat": "Regio Gooi en Vechtstreek",
        "deelnemers": [{"soort": "ovj", "organisatie": "Openbaar Ministerie Midden-Nederland"}],
    }


async def test_missing_meetings_are_signalled_once_each_across_restarts(
    tmp_path: Path, nats_server: NatsServer, issuer: tuple[TestIssuer, dict[str, Any]]
) -> None:
    clock = Clock()
    token_issuer, oidc = issuer
    tokens = issued_by(token_issuer)
    settings = OverlegSettings(
        data_dir=tmp_path, nats_url=nats_server.url, deadline_interval_s=0.05, **oidc
    )
    events_db = settings.store_path

    async def heeft(signaal: str) -> bool:
        return signaal in await signalen(events_db)

    async with create_app(settings, clock=clock):
        client = await nats.connect(nats_server.url)
        secretariaat = Staff(client, SECRETARIAAT, tokens)
        assert (await secretariaat.command("overleg", "stel-overleg-in", instelling()))["ok"]
        plan = {
            "overleg_id": str(OVERLEG),
            "vergadering_id": str(uuid.uuid4()),
            "datum": "2027-04-12T09:00:00+02:00",
        }
        assert (await secretariaat.command("overleg", "plan-vergadering", plan))["ok"]
        punt = {
            "overleg_id": plan["overleg_id"],
            "vergadering_id": plan["vergadering_id"],
            "punt_id": str(uuid.uuid4()),
            "thema": "toezicht",
            "titel": f"Casus met BSN {BSN}",
        }
        refused = await secretariaat.command("overleg", "zet-op-agenda", punt)
        assert not refused["ok"] and refused["error"]["code"] == "validation_failed", refused
        assert BSN not in str(refused)
        await client.close()
        # Set up on 20 January, after the first quarter's planning deadline: not signalled for it.
        await asyncio.sleep(0.5)
        assert await signalen(events_db) == []
        clock.now = datetime(2027, 4, 20, 9, tzinfo=UTC)  # K2 has its meeting: no signal
        await asyncio.sleep(0.5)
        clock.now = datetime(2027, 10, 20, 9, tzinfo=UTC)  # K4: none planned, no clients
        await eventually(lambda: heeft("overleg-ontbreekt:2027-K4"), what="the K4 signal")
        await eventually(lambda: heeft("clientenperspectief-ontbreekt:2027"), what="clients")

    nats_server.stop()
    nats_server.start()
    async with create_app(settings, clock=clock):
        await asyncio.sleep(0.5)  # ten watcher ticks with both signals long due

    assert await signalen(events_db) == [
        "overleg-ontbreekt:2027-K4",
        "clientenperspectief-ontbreekt:2027",
    ]


def melding_ontvangen(melding_id: uuid.UUID, at: datetime) -> CloudEvent:
    """The meldpunt's MeldingOntvangen as its relay would publish it, with a marker BSN and name."""
    data = MeldingOntvangen(
        melding_id=melding_id,
        gemeente="GM0402",
        ontvangen_op=at,
        kanaal="telefoon",
        melder={"naam": "A. Ouder", "relatie": "buur"},
        betrokkene={"naam": NAAM, "bsn": BSN, "geboortedatum": "2011-03-04"},
        situatie="Zorgen over de buurman.",
        vo_termijn_eind=vo_termijn_eind(at),
    )
    return as_published(data, melding_id, at)


async def test_figures_count_published_events_and_keep_no_personal_data(
    tmp_path: Path, nats_server: NatsServer, issuer: tuple[TestIssuer, dict[str, Any]]
) -> None:
    token_issuer, oidc = issuer
    tokens = issued_by(token_issuer)
    settings = OverlegSettings(data_dir=tmp_path, nats_url=nats_server.url, **oidc)
    ontvangen = datetime(2026, 11, 3, 10, tzinfo=UTC)
    meldingen = [uuid.uuid4() for _ in range(7)]

    async with create_app(settings, clock=lambda: ontvangen + timedelta(days=1)):
        client = await nats.connect(nats_server.url)
        js = client.jetstream()
        for n, melding_id in enumerate(meldingen):
            event = melding_ontvangen(melding_id, ontvangen)
            await publish_event(js, event)
            if n == 0:
                await publish_event(js, event)  # a redelivery counts once
            if n < 6:
                await publish_event(js, triage_afgerond(melding_id, "regulier", ontvangen))
        consulent = Staff(client, CONSULENT, tokens)

        async def uitkomsten() -> list[Any]:
            reply = await consulent.query("overleg", "kwartaalcijfers", {"kwartaal": "2026-K4"})
            assert reply["ok"], reply
            [tabel] = [
                t for t in reply["data"]["tabellen"] if t["naam"] == "meldingen-per-uitkomst"
            ]
            kolommen = tabel["kolommen"]
            rij = tabel["cellen"][tabel["rijen"].index("GM0402")]
            return [rij[kolommen.index(k)] for k in ("regulier", "niet-getrieerd", "Totaal")]

        # Six triaged regulier and one not yet: the 1 is small, and the 6 is hidden with it
        # (with the total of 7 known, the 6 would give the 1 away).
        await eventually(lambda: _is(uitkomsten(), ["x", "<5", 7]), what="seven meldingen counted")
        reply = await consulent.query("overleg", "kwartaalcijfers", {"kwartaal": "2026-K4"})
        tabellen = {t["naam"]: t for t in reply["data"]["tabellen"]}
        melders = tabellen["meldingen-per-melder"]
        assert (
            melders["cellen"][melders["rijen"].index("GM0402")][melders["kolommen"].index("buur")]
            == 7
        )

        grafieken = await consulent.query("overleg", "grafieken", {"kwartaal": "2026-K4"})
        assert grafieken["ok"], grafieken
        assert grafieken["data"][0]["svg"].lstrip().startswith("<?xml")
        te_vroeg = await consulent.query("overleg", "kwartaalcijfers", {"kwartaal": "2027-K3"})
        assert not te_vroeg["ok"] and te_vroeg["error"]["code"] == "validation_failed"
        await client.close()

    bestanden = [p for p in (tmp_path / "overleg").iterdir() if p.name.startswith("waarnemingen")]
    assert bestanden
    for bestand in bestanden:
        inhoud = bestand.read_bytes()
        assert BSN.encode() not in inhoud and NAAM.encode() not in inhoud
        assert b"2011-03-04" not in inhoud  # the birth date gave only "young: yes"
    assert (tmp_path / "overleg" / "waarnemingen.db").stat().st_mode & 0o777 == 0o600


async def _is(found: Any, expected: list[Any]) -> bool:
    return bool(await found == expected)


async def stored_types(path: Path) -> list[str]:
    store = SqliteEventStore(path)
    try:
        return [e.type.split(".")[-2] async for e in store.read_all(limit=100_000)]
    finally:
        await store.close()


async def test_careless_and_hostile_callers_are_refused_audited_and_change_nothing(
    tmp_path: Path, nats_server: NatsServer, issuer: tuple[TestIssuer, dict[str, Any]]
) -> None:
    token_issuer, oidc = issuer
    tokens = issued_by(token_issuer)
    settings = OverlegSettings(data_dir=tmp_path, nats_url=nats_server.url, **oidc)
    elders = Actor(id="secretariaat.gm0406", rol=Rol.SECRETARIAAT, gemeente="GM0406")

    async with create_app(settings, clock=lambda: START):
        client = await nats.connect(nats_server.url)
        secretariaat = Staff(client, SECRETARIAAT, tokens)
        assert (await secretariaat.command("overleg", "stel-overleg-in", instelling()))["ok"]
        plan = {
            "overleg_id": str(OVERLEG),
            "vergadering_id": str(uuid.uuid4()),
            "datum": "2027-02-12T09:00:00+01:00",
        }
        once = uuid.uuid4()
        before = await stored_types(settings.store_path)

        anonymous = await client.request(
            "wvggz.cmd.overleg.plan-vergadering",
            json.dumps({"command_id": str(uuid.uuid4()), "payload": plan}).encode(),
            timeout=5,
        )
        other = await Staff(client, elders, tokens).command("overleg", "plan-vergadering", plan)
        wrong_role = await Staff(client, CONSULENT_HILVERSUM, tokens).command(
            "overleg", "plan-vergadering", plan
        )
        malformed = await secretariaat.command("overleg", "plan-vergadering", {"overleg_id": 7})
        huge = await secretariaat.command(
            "overleg",
            "zet-op-agenda",
            {**plan, "punt_id": str(uuid.uuid4()), "thema": "overig", "titel": "x" * 900_000},
        )
        future = await secretariaat.query("overleg", "kwartaalcijfers", {"kwartaal": "2099-K1"})
        future_costs = await secretariaat.query("overleg", "kosten", {"kwartaal": "2099-K1"})
        garbage = await secretariaat.query("overleg", "kwartaalcijfers", {"kwartaal": "../x"})
        buiten = Actor(id="secretariaat.gm0363", rol=Rol.SECRETARIAAT, gemeente="GM0363")
        outsider = await Staff(client, buiten, tokens).query(
            "overleg", "kwartaalcijfers", {"kwartaal": "2027-K1"}
        )

        assert json.loads(anonymous.data)["error"]["code"] == "unauthenticated"
        assert other["error"]["code"] == "forbidden", other
        assert wrong_role["error"]["code"] == "forbidden", wrong_role
        assert malformed["error"]["code"] == "validation_failed", malformed
        assert not huge["ok"] and huge["error"]["code"] == "validation_failed", huge
        assert future["error"]["code"] == "validation_failed", future
        assert future_costs["error"]["code"] == "validation_failed", future_costs
        assert garbage["error"]["code"] == "validation_failed", garbage
        # A token names gemeenten of this region only (kernel/identity/claims.py).
        assert outsider["error"]["code"] == "unauthenticated", outsider

        async def refusals_recorded() -> bool:
            # The audit trail writes in the background: its records follow the replies.
            recorded = set(await stored_types(settings.store_path))
            return {"authenticatie-geweigerd", "autorisatie-geweigerd"} <= recorded

        await eventually(refusals_recorded, what="the refusals in the audit trail")
        after_refusals = await stored_types(settings.store_path)
        procedure = [t for t in after_refusals if t not in ("gegevens-ingezien",)]
        assert [t for t in procedure if "geweigerd" not in t] == [
            t for t in before if t != "gegevens-ingezien"
        ], "a refusal changes nothing"
        assert {"authenticatie-geweigerd", "autorisatie-geweigerd"} <= set(after_refusals)

        first = await secretariaat.command("overleg", "plan-vergadering", plan, once)
        again = await secretariaat.command("overleg", "plan-vergadering", plan, once)
        assert first["ok"] and not first["duplicate"]
        assert again["ok"] and again["duplicate"], again
        assert (await stored_types(settings.store_path)).count("vergadering-gepland") == 1
        await client.close()
