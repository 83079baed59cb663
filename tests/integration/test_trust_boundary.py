"""The trust boundary on the running platform: locked bus, real identity provider, real tokens."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator, Sized
from datetime import UTC, datetime
from typing import Any

import jwt
import nats
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from nats.aio.client import Client as Nats
from nats.errors import Error as NatsError
from nats.errors import NoServersError
from wvggz_contracts.envelope import CloudEvent
from wvggz_contracts.subjects import EVENTS_STREAM, command_subject, query_subject

from kernel.eventstore import RecordedEvent
from kernel.eventstore.sqlite import SqliteEventStore
from tests.integration.events import eventually, triage_afgerond
from tests.integration.platforms import local_platform
from tests.integration.route import Clients, Staff, actor, melding, triage
from tests.services.crisis import fixtures as f
from wvggz.runner import Platform

pytestmark = pytest.mark.integration

TRIAGE_SUBJECT = "wvggz.evt.meldpunt.GM0402.triage-afgerond.v1"


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    platform = local_platform(
        tmp_path_factory.mktemp("trust") / "var", ("meldpunt", "onderzoek", "crisis")
    )
    platform.start(timeout=60)
    yield platform
    platform.stop()


async def on_bus(observer: Nats, subject_filter: str) -> list[CloudEvent]:
    """Every event on the bus under this filter, in order."""
    js = observer.jetstream()
    info = await js.stream_info(EVENTS_STREAM, subjects_filter=subject_filter)
    if not info.state.subjects:
        return []
    subscription = await js.subscribe(subject_filter, stream=EVENTS_STREAM, ordered_consumer=True)
    events = [
        CloudEvent.model_validate_json((await subscription.next_msg(timeout=5)).data)
        for _ in range(sum(info.state.subjects.values()))
    ]
    await subscription.unsubscribe()
    return events


async def stored(platform: Platform, service: str, stream: str) -> list[RecordedEvent]:
    store = SqliteEventStore(platform.data_dir / service / "events.db")
    try:
        return await store.read(stream)
    finally:
        await store.close()


async def test_the_bus_refuses_anonymous_connections_and_a_client_cannot_publish_events(
    platform: Platform,
) -> None:
    with pytest.raises((NatsError, NoServersError, OSError)):
        await nats.connect(platform.nats_url, allow_reconnect=False, connect_timeout=2)
    violations: list[Exception] = []

    async def record(error: Exception) -> None:
        violations.append(error)

    forger = await nats.connect(
        **platform.connection().nats_options("cli"), error_cb=record, allow_reconnect=False
    )
    await forger.publish(TRIAGE_SUBJECT, b"{}")
    await forger.flush()
    await forger.flush()
    await forger.close()

    assert any("permissions violation" in str(v).lower() for v in violations), violations


async def test_a_triagist_cannot_sign_a_verklaring_or_decide_a_crisismaatregel(
    clients: Clients,
) -> None:
    client, observer, tokens = clients
    crisisdienst = Staff(client, actor("crisisdienst"), tokens)
    triagist = Staff(client, actor("triagist"), tokens)
    case = f.meld(crisis_id=uuid.uuid4(), gemeld_op=datetime.now(UTC))
    assert (await crisisdienst.command("crisis", "meld-crisis", case))["ok"]

    verklaring = await triagist.command(
        "crisis",
        "stel-medische-verklaring-op",
        f.verklaring(crisis_id=case.crisis_id, psychiater="triagist.gm0402"),
    )
    besluit = await triagist.command("crisis", "neem-besluit", f.besluit(crisis_id=case.crisis_id))

    assert verklaring["error"]["code"] == "forbidden"
    assert besluit["error"]["code"] == "forbidden"

    async def refusals() -> list[CloudEvent]:
        events = await on_bus(observer, "wvggz.evt.crisis.GM0402.autorisatie-geweigerd.v1")
        return [e for e in events if e.data["case_id"] == str(case.crisis_id)]

    await eventually(lambda: _at_least(refusals, 2), what="both refusals audited")
    assert sorted(e.data["command"] for e in await refusals()) == [
        "neem-besluit",
        "stel-medische-verklaring-op",
    ]


async def _at_least(source: Callable[[], Awaitable[Sized]], count: int) -> bool:
    return len(await source()) >= count


def provider_key(platform: Platform) -> tuple[str, rsa.RSAPrivateKey]:
    """The development provider's own signing key, to make a token it would have signed."""
    [jwk] = json.loads((platform.data_dir / "oidc" / "jwks.json").read_text())["keys"]
    return jwk["kid"], jwt.PyJWK(jwk).key


def bad_tokens(platform: Platform) -> dict[str, str]:
    kid, key = provider_key(platform)
    now = int(time.time())
    claims = {
        "iss": platform.issuer,
        "aud": "wvggz",
        "sub": "triagist.gm0402",
        "iat": now,
        "exp": now + 600,
        "wvggz_rollen": ["triagist"],
        "wvggz_gemeenten": ["GM0402"],
    }
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = {"kid": kid}
    unsigned_header = jwt.utils.base64url_encode(b'{"alg":"none","typ":"JWT"}').decode()
    unsigned_body = jwt.utils.base64url_encode(json.dumps(claims).encode()).decode()
    return {
        "expired": jwt.encode(
            {**claims, "iat": now - 7200, "exp": now - 3600}, key, "RS256", header
        ),
        "audience": jwt.encode({**claims, "aud": "andere-dienst"}, key, "RS256", header),
        "issuer": jwt.encode({**claims, "iss": "http://127.0.0.1:1/"}, key, "RS256", header),
        "wrong-key": jwt.encode(claims, other, "RS256", header),
        "alg-none": f"{unsigned_header}.{unsigned_body}.",
        "hs256-public-key": _hmac(claims, public_pem, kid),
        "systeem": jwt.encode({**claims, "wvggz_rollen": ["systeem"]}, key, "RS256", header),
    }


def _hmac(claims: dict[str, Any], secret: bytes, kid: str) -> str:
    """The key-confusion attack: HS256 with the issuer's public key as the shared secret."""
    import hashlib
    import hmac

    header = jwt.utils.base64url_encode(
        json.dumps({"alg": "HS256", "typ": "JWT", "kid": kid}).encode()
    )
    body = jwt.utils.base64url_encode(json.dumps(claims).encode())
    signature = hmac.new(secret, header + b"." + body, hashlib.sha256).digest()
    return (header + b"." + body + b"." + jwt.utils.base64url_encode(signature)).decode()


async def test_forged_expired_and_foreign_tokens_are_refused_audited_and_change_nothing(
    platform: Platform, clients: Clients
) -> None:
    client, _observer, _tokens = clients
    body = json.dumps({"command_id": str(uuid.uuid4()), "payload": melding("buur")}).encode()
    before = await stored(platform, "meldpunt", "audit-meldpunt")
    replies: dict[str, dict[str, Any]] = {}
    for kind, token in bad_tokens(platform).items():
        message = await client.request(
            command_subject("meldpunt", "registreer-melding"),
            body,
            timeout=5,
            headers={"Authorization": f"Bearer {token}"},
        )
        replies[kind] = json.loads(message.data)

    for kind, reply in replies.items():
        assert reply["error"]["code"] == "unauthenticated", (kind, reply)
        assert "case_id" not in reply

    async def audited() -> list[RecordedEvent]:
        records = await stored(platform, "meldpunt", "audit-meldpunt")
        return [r for r in records[len(before) :] if "authenticatie" in r.type]

    await eventually(lambda: _at_least(audited, len(replies)), what="every refusal audited")
    reasons = sorted(r.data["reden"] for r in await audited())
    assert reasons == sorted(
        ["expired", "audience", "issuer", "signature", "algorithm", "algorithm", "claims"]
    )
    assert not [r for r in await stored(platform, "meldpunt", "audit-meldpunt") if "eyJ" in str(r)]


async def test_a_forged_triage_outcome_opens_no_vo_and_is_parked(
    platform: Platform, clients: Clients
) -> None:
    client, observer, tokens = clients
    consulent = Staff(client, actor("consulent"), tokens)
    forged_id, foreign_id = uuid.uuid4(), uuid.uuid4()
    forged = triage_afgerond(forged_id, "verkennend-onderzoek", datetime.now(UTC))
    claims_other_source = forged.model_copy(
        update={"source": forged.source.replace("meldpunt", "notificaties")}
    )
    other_type = triage_afgerond(foreign_id, "verkennend-onderzoek", datetime.now(UTC))
    other_type = other_type.model_copy(update={"type": "nl.wvggz.crisis.triage-afgerond.v1"})
    assert platform.bus is not None
    # Only the meldpunt's identity may publish here: a confused or compromised producer.
    producer = await nats.connect(
        servers=platform.nats_url,
        nkeys_seed=str(platform.bus.seed_file("meldpunt")),
        inbox_prefix="_INBOX_meldpunt",
    )
    js = producer.jetstream()
    for payload in (
        b"\x00 not an event",
        claims_other_source.model_dump_json().encode(),
        other_type.model_dump_json().encode(),
    ):
        await js.publish(TRIAGE_SUBJECT, payload)
    await producer.close()
    triagist = Staff(client, actor("triagist"), tokens)
    real = await triagist.command("meldpunt", "registreer-melding", melding("ouder"))
    await triagist.command(
        "meldpunt", "rond-triage-af", triage(real["case_id"], uitkomst="verkennend-onderzoek")
    )

    async def real_vo_open() -> bool:
        rows = (await consulent.query("onderzoek", "werkvoorraad"))["data"]
        return any(row["melding_id"] == real["case_id"] for row in rows)

    await eventually(real_vo_open, what="the real triage behind the forged ones handled")
    rows = (await consulent.query("onderzoek", "werkvoorraad"))["data"]
    assert not {str(forged_id), str(foreign_id)} & {row["melding_id"] for row in rows}

    async def parked() -> list[CloudEvent]:
        return await on_bus(observer, "wvggz.evt.onderzoek.*.gebeurtenis-geparkeerd.v1")

    await eventually(lambda: _at_least(parked, 3), what="three parked messages")
    reasons = sorted(e.data["reden"] for e in await parked())
    assert reasons == ["onbevoegde-bron", "onbevoegde-bron", "onleesbaar"]
    assert all("Voorbeeld" not in json.dumps(e.data) for e in await parked())


async def test_every_read_is_audited_and_a_cross_gemeente_read_is_seen_by_both(
    platform: Platform, clients: Clients
) -> None:
    client, observer, tokens = clients
    triagist = Staff(client, actor("triagist"), tokens)
    huizen = Staff(client, actor("triagist", "GM0406"), tokens)
    consulent = Staff(client, actor("consulent"), tokens)
    registered = await triagist.command("meldpunt", "registreer-melding", melding("buur"))
    before = len(await on_bus(observer, "wvggz.evt.meldpunt.*.gegevens-ingezien.v1"))

    own_list = await triagist.query("meldpunt", "werkvoorraad")
    own_case = await triagist.query("meldpunt", "dossier", {"melding_id": registered["case_id"]})
    other_case = await huizen.query("meldpunt", "dossier", {"melding_id": registered["case_id"]})
    wrong_role = await consulent.query("meldpunt", "werkvoorraad")
    anonymous = json.loads(
        (
            await client.request(
                query_subject("meldpunt", "werkvoorraad"), b'{"params": {}}', timeout=5
            )
        ).data
    )

    assert own_list["ok"] and own_case["ok"]
    assert other_case["error"]["code"] == "not_found"
    assert wrong_role["error"]["code"] == "forbidden"
    assert anonymous["error"]["code"] == "unauthenticated"

    async def reads() -> list[CloudEvent]:
        return (await on_bus(observer, "wvggz.evt.meldpunt.*.gegevens-ingezien.v1"))[before:]

    await eventually(lambda: _at_least(reads, 5), what="every read on the bus")
    await asyncio.sleep(0.3)  # nothing more arrives
    records = await reads()
    seen = sorted(
        (e.gemeente, e.data["actor"], e.data["query"], e.data["uitkomst"]) for e in records
    )
    assert seen == [
        ("GM0402", "consulent.gm0402", "werkvoorraad", "geweigerd"),
        ("GM0402", "triagist.gm0402", "dossier", "getoond"),
        ("GM0402", "triagist.gm0402", "werkvoorraad", "getoond"),
        ("GM0402", "triagist.gm0406", "dossier", "niet-gevonden"),
        ("GM0406", "triagist.gm0406", "dossier", "niet-gevonden"),
    ]
    owner_copy = next(e for e in records if e.gemeente == "GM0402" and "0406" in e.data["actor"])
    assert owner_copy.data["zaak_gemeente"] == "GM0402"
    assert owner_copy.data["case_id"] == registered["case_id"]
    assert all("Voorbeeld" not in json.dumps(e.data) for e in records)


async def test_another_gemeente_can_neither_see_nor_change_a_case_of_any_service(
    clients: Clients,
) -> None:
    client, observer, tokens = clients
    hilversum = {rol: Staff(client, actor(rol), tokens) for rol in ("triagist", "crisisdienst")}
    huizen = {
        rol: Staff(client, actor(rol, "GM0406"), tokens)
        for rol in ("triagist", "consulent", "crisisdienst")
    }
    consulent = Staff(client, actor("consulent"), tokens)
    melding_id = (await hilversum["triagist"].command("meldpunt", "registreer-melding", melding()))[
        "case_id"
    ]
    await hilversum["triagist"].command(
        "meldpunt", "rond-triage-af", triage(melding_id, uitkomst="verkennend-onderzoek")
    )
    crisis = f.meld(crisis_id=uuid.uuid4(), gemeld_op=datetime.now(UTC))
    assert (await hilversum["crisisdienst"].command("crisis", "meld-crisis", crisis))["ok"]

    async def vo_id() -> str | None:
        rows = (await consulent.query("onderzoek", "werkvoorraad"))["data"]
        return next((r["vo_id"] for r in rows if r["melding_id"] == melding_id), None)

    await eventually(lambda: _is_set(vo_id), what="the VO opened")
    vo = await vo_id()
    attempts = {
        "meldpunt": (
            huizen["triagist"],
            "overdraag-melding",
            {"melding_id": melding_id, "naar_gemeente": "GM0406", "reden": "Wil hem hebben."},
            "werkvoorraad",
            {"melding_id": melding_id},
        ),
        "onderzoek": (
            huizen["consulent"],
            "wijs-consulent-toe",
            {"vo_id": vo, "consulent": "consulent.gm0406"},
            "werkvoorraad",
            {"vo_id": vo},
        ),
        "crisis": (
            huizen["crisisdienst"],
            "stel-integraal-advies-samen",
            {"crisis_id": str(crisis.crisis_id)},
            "open-crises",
            {"crisis_id": str(crisis.crisis_id)},
        ),
    }
    for service, (other, command, payload, werklijst, dossier) in attempts.items():
        changed = await other.command(service, command, payload)
        listed = await other.query(service, werklijst)
        looked_up = await other.query(service, "dossier", dossier)
        assert changed["error"]["code"] == "forbidden", (service, changed)
        assert listed["ok"] and listed["data"] == [], (service, listed)
        assert looked_up["error"]["code"] == "not_found", (service, looked_up)

    async def owner_saw_everything() -> bool:
        seen: set[tuple[str, str]] = set()
        for service in attempts:
            for kind in ("autorisatie-geweigerd", "gegevens-ingezien"):
                for e in await on_bus(observer, f"wvggz.evt.{service}.GM0402.{kind}.v1"):
                    if e.data["actor_gemeente"] == "GM0406" and e.data.get("case_id"):
                        seen.add((service, kind))
        return len(seen) == 2 * len(attempts)

    await eventually(owner_saw_everything, what="every attempt audited for the owning gemeente")


async def _is_set(source: Callable[[], Awaitable[object]]) -> bool:
    return await source() is not None


async def test_malformed_oversized_and_reused_commands_are_refused_audited_and_change_nothing(
    clients: Clients,
) -> None:
    client, observer, tokens = clients
    triagist = Staff(client, actor("triagist"), tokens)
    subject = command_subject("meldpunt", "registreer-melding")
    headers = {"Authorization": f"Bearer {tokens(triagist.actor)}"}
    used = uuid.uuid4()
    first = await triagist.command("meldpunt", "registreer-melding", melding("buur"), used)
    changed = {**melding("buur"), "situatie": "Iets anders."}
    bodies = {
        "malformed": b"{not json",
        "oversized": json.dumps({"payload": {"situatie": "x" * 300_000}}).encode(),
        "reused": json.dumps({"command_id": str(used), "payload": changed}).encode(),
    }
    replies = {}
    for kind, body in bodies.items():
        message = await client.request(subject, body, timeout=5, headers=headers)
        replies[kind] = json.loads(message.data)

    assert first["ok"], first
    assert replies["malformed"]["error"]["code"] == "validation_failed"
    assert replies["oversized"]["error"]["code"] == "validation_failed"
    assert replies["reused"]["error"]["code"] == "idempotency_key_reused"
    assert all("case_id" not in reply for reply in replies.values())

    async def refusals() -> list[CloudEvent]:
        return await on_bus(observer, "wvggz.evt.meldpunt.GM0402.verzoek-geweigerd.v1")

    await eventually(lambda: _at_least(refusals, 3), what="the three refusals audited")
    audited = sorted(e.data["reden"] for e in await refusals())
    assert audited == ["idempotency_key_reused", "validation_failed", "validation_failed"]
    assert all("Iets anders" not in json.dumps(e.data) for e in await refusals())
