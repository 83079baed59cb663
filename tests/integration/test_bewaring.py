"""Retention and erasure on the real platform: a closed dossier's term passes, functioneel
beheer approves, its keys go and every copy of its personal data with them (store, views,
stream), while the events, the trail and a rebuild stay; and an erasure on request across
services, found through the BSN index, approved by a second pair of eyes."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Awaitable, Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from nats.aio.client import Client as Nats
from nats.js.errors import NotFoundError
from wvggz_contracts.commands import Actor, Rol
from wvggz_contracts.envelope import CloudEvent
from wvggz_contracts.subjects import EVENTS_STREAM, command_subject

from kernel.settings import ServiceSettings
from kernel.sleutels import Veldsleutels
from kernel.sleutels.bestand import open_kluis
from tests.integration.events import eventually
from tests.integration.faults import ready
from tests.integration.marked_routes import all_consumed, to_the_besluit, to_the_ovj
from tests.integration.markers import BETROKKENE, BSN, marked_melding
from tests.integration.platforms import running
from tests.integration.route import Staff, Tokens, actor, clients_of, triage
from tests.integration.test_overleg import stored_types

pytestmark = pytest.mark.integration

SERVICES = ("meldpunt", "onderzoek")
PROCEDURES = ("meldpunt", "onderzoek", "crisis")
TWEEDE = Actor(id="functioneel-beheer-2.gm0402", rol=Rol.FUNCTIONEEL_BEHEER, gemeente="GM0402")


def velden(data_dir: Path) -> Veldsleutels:
    return Veldsleutels(open_kluis(ServiceSettings(data_dir=data_dir)))


def stored(data_dir: Path, service: str, stream: str) -> str:
    """A stream's events as the service's store holds them, opened with the region's keys."""
    with closing(sqlite3.connect(data_dir / service / "events.db")) as conn:
        rows = conn.execute("SELECT data FROM events WHERE stream = ?", (stream,)).fetchall()
    opener = velden(data_dir)
    assert rows, stream
    return json.dumps([opener.open(json.loads(data)) for (data,) in rows], ensure_ascii=False)


async def published(observer: Nats, data_dir: Path, case_id: str) -> str:
    """The copies of a case's events in the event stream, opened with the region's keys."""
    js, opener, found = observer.jetstream(), velden(data_dir), []
    info = await js.stream_info(EVENTS_STREAM)
    for sequence in range(info.state.first_seq, info.state.last_seq + 1):
        try:
            message = await js.get_msg(EVENTS_STREAM, sequence)
        except NotFoundError:
            continue
        event = CloudEvent.model_validate_json(message.data or b"{}")
        if str(event.subject) == case_id:
            found.append(opener.open(event.data))
    assert found, case_id
    return json.dumps(found, ensure_ascii=False)


async def rows_of(staff: Staff, service: str) -> list[dict[str, Any]]:
    staff.last_position = None  # positions are per store; the callers wait for what they need
    reply = await staff.query(service, "vernietigingen")
    assert reply["ok"], reply
    rows: list[dict[str, Any]] = reply["data"]
    return rows


async def one_row(staff: Staff, service: str, fase: str) -> dict[str, Any]:
    """Wait until the service's only destruction reaches this phase; that row."""

    async def reached() -> bool:
        rows = await rows_of(staff, service)
        return len(rows) == 1 and rows[0]["fase"] == fase

    await eventually(reached, within=30, what=f"{service}: destruction {fase}")
    return (await rows_of(staff, service))[0]


def staff(client: Nats, tokens: Tokens, who: Actor | str) -> Staff:
    return Staff(client, who if isinstance(who, Actor) else actor(who), tokens)


async def test_a_passed_term_approved_destroys_the_dossier_everywhere_and_a_rebuild_works(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "var"
    settings = {
        "WVGGZ_BEWAARTERMIJN_JAREN": "0.0000002",  # about six seconds
        "WVGGZ_BEWARING_INTERVAL_S": "0.3",
    }
    with running(data_dir, SERVICES, settings) as platform:
        async with clients_of(platform) as (client, observer, tokens):
            await to_the_ovj(client, tokens)
            await all_consumed(observer, SERVICES)
            beheer = staff(client, tokens, "functioneel-beheer")
            voorstel = await one_row(beheer, "meldpunt", "voorgesteld")
            melding = voorstel["zaak"]
            stream = f"melding-{melding}"
            assert voorstel["grond"] == "bewaartermijn"
            assert voorstel["stromen"] == [stream]
            assert BETROKKENE in stored(data_dir, "meldpunt", stream)
            assert BETROKKENE in await published(observer, data_dir, melding)

            # Nobody else approves: another gemeente's beheer, a triagist; nor is it seen there.
            keur = {"zaak": melding}
            elders = staff(client, tokens, actor("functioneel-beheer", "GM0406"))
            assert (await elders.command("meldpunt", "keur-vernietiging-goed", keur))["error"][
                "code"
            ] == "forbidden"
            assert await rows_of(elders, "meldpunt") == []
            triagist = staff(client, tokens, "triagist")
            refused = await triagist.command("meldpunt", "keur-vernietiging-goed", keur)
            assert refused["error"]["code"] == "forbidden"
            assert (await triagist.query("meldpunt", "vernietigingen"))["error"]["code"] == (
                "forbidden"
            )

            approved = await beheer.command("meldpunt", "keur-vernietiging-goed", keur)
            assert approved["ok"], approved
            done = await one_row(beheer, "meldpunt", "vernietigd")
            assert done["goedgekeurd_door"] == "functioneel-beheer.gm0402"
            assert done["vernietigd_op"] is not None

            # The events and their non-personal facts stay; the personal data is gone from the
            # store and from the stream's copies, while the VO (another dossier) keeps its own.
            kept = stored(data_dir, "meldpunt", stream)
            assert BETROKKENE not in kept and BSN not in kept and "vernietigd" in kept
            assert '"GM0402"' in kept
            assert BETROKKENE not in await published(observer, data_dir, melding)
            assert "vernietigd" in await published(observer, data_dir, melding)
            vo_stream = await the_vo_stream(data_dir)
            assert BETROKKENE in stored(data_dir, "onderzoek", vo_stream)

            # Nothing more happens to it; its history can still be read.
            again = await triagist.command(
                "meldpunt", "rond-triage-af", {"melding_id": melding, "antwoorden": {}}
            )
            assert again["error"]["code"] in ("conflict", "validation_failed"), again
            dossier = await triagist.query("meldpunt", "dossier", {"melding_id": melding})
            assert dossier["ok"], dossier
            assert dossier["data"]["afgesloten_op"] is not None

            # Rebuilt from the store after the erasure, the views come back the same.
            before = dossier["data"]
            platform.stop_process("meldpunt")
            for view_file in (data_dir / "meldpunt").glob("views.db*"):
                view_file.unlink()
            platform.restart("meldpunt")
            await ready(platform, "meldpunt")
            rebuilt = staff(client, tokens, "triagist")

            async def back() -> bool:
                reply = await rebuilt.query("meldpunt", "dossier", {"melding_id": melding})
                return bool(reply["ok"]) and reply["data"] == before

            await eventually(back, within=20, what="the dossier rebuilt after the erasure")
            assert (await one_row(beheer, "meldpunt", "vernietigd"))["zaak"] == melding


async def the_vo_stream(data_dir: Path) -> str:
    with closing(sqlite3.connect(data_dir / "onderzoek" / "events.db")) as conn:
        (stream,) = conn.execute(
            "SELECT stream FROM events WHERE stream LIKE 'verkennend-onderzoek-%' LIMIT 1"
        ).fetchone()
    return str(stream)


async def test_an_erasure_on_request_finds_every_dossier_by_bsn_and_needs_four_eyes(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "var"
    with running(data_dir, (*PROCEDURES, "notificaties")) as platform:
        async with clients_of(platform) as (client, observer, tokens):
            await to_the_ovj(client, tokens)
            await to_the_besluit(client, tokens)
            await all_consumed(observer, (*PROCEDURES, "notificaties"))
            eerste, tweede = (
                staff(client, tokens, "functioneel-beheer"),
                staff(client, tokens, TWEEDE),
            )
            found = {s: await inzage(eerste, s) for s in PROCEDURES}
            zaken = {s: [d["zaak"] for d in found[s]["dossiers"]] for s in PROCEDURES}
            assert [len(zaken[s]) for s in PROCEDURES] == [2, 1, 1], zaken
            for service in PROCEDURES:
                assert BETROKKENE in json.dumps(found[service], ensure_ascii=False), service
            # The letters name no BSN themselves: found by the cases of the procedures.
            alle_zaken = [z for s in PROCEDURES for z in zaken[s]]
            brieven = await inzage(eerste, "notificaties", alle_zaken)
            assert brieven["dossiers"], "the melder's letters and the afschriften"
            assert BETROKKENE in json.dumps(brieven, ensure_ascii=False)
            assert await inzage(eerste, "notificaties") == {
                "dienst": "notificaties",
                "dossiers": [],
            }

            (crisis_id,) = zaken["crisis"]
            ended = await eerste.command(
                "crisis",
                "beeindig-crisismaatregel",
                {"crisis_id": crisis_id, "geneesheer_directeur": "G. Directeur", "reden": "Beter."},
            )
            assert ended["ok"], ended
            for service in PROCEDURES:
                for zaak in zaken[service]:
                    voorstel = {"zaak": zaak, "gemeente": "GM0402", "grond": "verzoek"}
                    await eventually(
                        proposed(eerste, service, voorstel), what=f"{service} proposes {zaak}"
                    )
                    own = await eerste.command(service, "keur-vernietiging-goed", {"zaak": zaak})
                    assert own["error"]["code"] == "forbidden", own
                    keur = await tweede.command(service, "keur-vernietiging-goed", {"zaak": zaak})
                    assert keur["ok"], keur
            for service in PROCEDURES:
                await all_rows(eerste, service, "vernietigd", len(zaken[service]))

            after = {s: await inzage(eerste, s) for s in PROCEDURES}
            for service in PROCEDURES:
                for dossier in after[service]["dossiers"]:
                    assert dossier["vernietigd"] is True
                    text = json.dumps(dossier, ensure_ascii=False)
                    assert BETROKKENE not in text and BSN not in text and "vernietigd" in text
                    assert BETROKKENE not in await published(observer, data_dir, dossier["zaak"])
                    # The first inzage was itself read-audited against each dossier it showed.
                    assert any(r["query"] == "inzage" for r in dossier["inzagen"]), service
            for service in PROCEDURES:
                assert await ready(platform, service, within=5)  # every view folded it


def proposed(
    beheer: Staff, service: str, voorstel: dict[str, Any]
) -> Callable[[], Awaitable[bool]]:
    """A proposal on request that succeeds once the service's views hold the closed dossier."""

    async def send() -> bool:
        reply = await beheer.command(service, "stel-vernietiging-voor", voorstel)
        return bool(reply["ok"])

    return send


async def all_rows(beheer: Staff, service: str, fase: str, count: int) -> None:
    async def reached() -> bool:
        rows = await rows_of(beheer, service)
        return len(rows) == count and all(row["fase"] == fase for row in rows)

    await eventually(reached, within=30, what=f"{service}: {count} destructions {fase}")


async def inzage(beheer: Staff, service: str, zaken: list[str] | None = None) -> dict[str, Any]:
    beheer.last_position = None  # positions are per store
    reply = await beheer.query(service, "inzage", {"bsn": BSN, "zaken": zaken or []})
    assert reply["ok"], reply
    data: dict[str, Any] = reply["data"]
    return data


async def test_careless_and_hostile_callers_of_retention_and_inzage_are_refused_and_change_nothing(
    tmp_path: Path,
) -> None:
    with running(tmp_path / "var", ("meldpunt",)) as platform:
        async with clients_of(platform) as (client, _observer, tokens):
            triagist = staff(client, tokens, "triagist")
            beheer, tweede = (
                staff(client, tokens, "functioneel-beheer"),
                staff(client, tokens, TWEEDE),
            )
            melding = (
                await triagist.command("meldpunt", "registreer-melding", marked_melding("buur"))
            )["case_id"]
            closed = triage(melding, ja=False, uitkomst="geen-grond")
            assert (await triagist.command("meldpunt", "rond-triage-af", closed))["ok"]
            voorstel = {"zaak": melding, "gemeente": "GM0402", "grond": "verzoek"}
            await eventually(proposed(beheer, "meldpunt", voorstel), what="the closed melding")

            anonymous = await client.request(
                command_subject("meldpunt", "keur-vernietiging-goed"),
                json.dumps(
                    {"command_id": str(uuid.uuid4()), "payload": {"zaak": melding}}
                ).encode(),
                timeout=5,
            )
            malformed = await tweede.command("meldpunt", "keur-vernietiging-goed", {"zaak": "x"})
            huge = await beheer.command(
                "meldpunt",
                "houd-vernietiging-aan",
                {"zaak": melding, "tot": "2099-01-01", "reden": "x" * 900_000},
            )
            other = await staff(client, tokens, actor("functioneel-beheer", "GM0406")).command(
                "meldpunt", "keur-vernietiging-goed", {"zaak": melding}
            )
            # A command may never claim to be destroyed data.
            fake = marked_melding("buur")
            fake["betrokkene"]["naam"] = "vernietigd"
            claimed = await triagist.command("meldpunt", "registreer-melding", fake)
            assert json.loads(anonymous.data)["error"]["code"] == "unauthenticated"
            assert malformed["error"]["code"] == "validation_failed", malformed
            assert huge["error"]["code"] == "validation_failed", huge
            assert other["error"]["code"] == "forbidden", other
            assert claimed["error"]["code"] == "validation_failed", claimed
            assert "vernietigde gegevens" in claimed["error"]["message"]
            assert (await rows_of(beheer, "meldpunt"))[0]["fase"] == "voorgesteld"

            async def audited() -> bool:
                kinds = await stored_types(tmp_path / "var" / "meldpunt" / "events.db")
                return {"authenticatie-geweigerd", "autorisatie-geweigerd"} <= set(kinds)

            await eventually(audited, what="the refusals in the meldpunt's audit trail")

            # The inzage: only functioneel beheer, a valid BSN, the asker's own gemeente.
            consulent = await staff(client, tokens, "consulent").query(
                "meldpunt", "inzage", {"bsn": BSN}
            )
            assert consulent["error"]["code"] == "forbidden", consulent
            bad = await beheer.query("meldpunt", "inzage", {"bsn": "123456789"})
            assert bad["error"]["code"] == "validation_failed", bad
            elsewhere = await staff(client, tokens, actor("functioneel-beheer", "GM0406")).query(
                "meldpunt", "inzage", {"bsn": BSN}
            )
            assert elsewhere["data"] == {"dienst": "meldpunt", "dossiers": []}

            # The same approval sent twice is carried out once.
            once = uuid.uuid4()
            first = await tweede.command(
                "meldpunt", "keur-vernietiging-goed", {"zaak": melding}, once
            )
            again = await tweede.command(
                "meldpunt", "keur-vernietiging-goed", {"zaak": melding}, once
            )
            assert first["ok"] and again["ok"] and again.get("duplicate"), again
            assert again["event_ids"] == first["event_ids"]
            await one_row(beheer, "meldpunt", "vernietigd")
            done = (await beheer.query("meldpunt", "vernietiging", {"zaak": melding}))["data"]
            assert [s["wat"] for s in done["stappen"]].count(
                "nl.wvggz.audit.vernietiging-goedgekeurd.v1"
            ) == 1
