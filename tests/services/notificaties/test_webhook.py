"""Webhook delivery over real HTTP to a ProefOntvanger: signatures, handshake, the answers a
receiver can give, a receiver that is down, the address rules and the back-off arithmetic."""

from __future__ import annotations

import itertools
import random
import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from email.utils import formatdate
from typing import Any

import pytest

from services.notificaties.levering.herhaling import opgeven, wachttijd
from services.notificaties.levering.webhook import (
    HEADER_ID,
    HEADER_SIGNATURE,
    HEADER_TIMESTAMP,
    Poging,
    WebhookClient,
    check_url,
    parse_retry_after,
    sign,
    verify,
)
from wvggz.proefontvanger import ProefOntvanger

SECRET = b"een-geheim-van-minstens-24-bytes!"
ORIGIN = "notificaties.wvggz.example"


@pytest.fixture
async def ontvanger() -> AsyncIterator[ProefOntvanger]:
    receiver = ProefOntvanger(SECRET)
    await receiver.start()
    yield receiver
    await receiver.stop()


@pytest.fixture
async def client() -> AsyncIterator[WebhookClient]:
    async with WebhookClient(origin=ORIGIN, timeout_s=2.0) as webhook_client:
        yield webhook_client


def event(event_id: str | None = None) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": event_id or str(uuid.uuid4()),
        "source": "urn:nld:oin:00000001234567890000:systeem:wvggz",
        "type": "nl.wvggz.crisis.maatregel-genomen",
        "subject": "zaak-42",
        "time": "2026-11-23T09:30:00Z",
        "datacontenttype": "application/json",
        "data": {"dataref": "https://wvggz.example/api/v1/verstrekkingen/1"},
    }


def signed_headers(msg_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        HEADER_ID: msg_id,
        HEADER_TIMESTAMP: str(timestamp),
        HEADER_SIGNATURE: sign(SECRET, msg_id, timestamp, body),
    }


def test_a_signature_verifies_and_any_change_breaks_it() -> None:
    body, now = b'{"id":"e-1"}', 1_790_000_000
    headers = signed_headers("e-1", now, body)

    assert headers[HEADER_SIGNATURE].startswith("v1,")
    assert verify(SECRET, headers, body, now=now + 10)
    assert verify(SECRET, {k.upper(): v for k, v in headers.items()}, body, now=now)
    assert not verify(SECRET, headers, body + b" ", now=now)
    assert not verify(b"another secret", headers, body, now=now)
    assert not verify(SECRET, {**headers, HEADER_ID: "e-2"}, body, now=now)
    assert not verify(SECRET, {**headers, HEADER_TIMESTAMP: str(now + 1)}, body, now=now)
    assert not verify(SECRET, {HEADER_ID: "e-1", HEADER_TIMESTAMP: str(now)}, body, now=now)


def test_a_stale_or_future_timestamp_is_refused() -> None:
    body, then = b"{}", 1_790_000_000
    headers = signed_headers("e-1", then, body)

    assert verify(SECRET, headers, body, now=then + 300)
    assert not verify(SECRET, headers, body, now=then + 301)
    assert not verify(SECRET, headers, body, now=then - 301)
    assert not verify(SECRET, headers, body, now=then + 60, tolerance_s=30)


def test_one_matching_signature_of_several_suffices_for_a_rotated_secret() -> None:
    body, now = b"{}", 1_790_000_000
    old = sign(b"old secret", "e-1", now, body)
    both = {**signed_headers("e-1", now, body)}
    both[HEADER_SIGNATURE] = f"{old} {both[HEADER_SIGNATURE]}"

    assert verify(SECRET, both, body, now=now)
    assert not verify(SECRET, {**both, HEADER_SIGNATURE: old}, body, now=now)


def test_an_id_with_a_full_stop_cannot_be_signed() -> None:
    with pytest.raises(ValueError, match=r"'\.'"):
        sign(SECRET, "e.1", 1, b"{}")


async def test_a_delivery_arrives_verified_in_structured_mode(
    ontvanger: ProefOntvanger, client: WebhookClient
) -> None:
    sent = event()

    assert (await client.handshake(ontvanger.url)).afgeleverd
    poging = await client.deliver(ontvanger.url, SECRET, sent)
    await ontvanger.wacht_op(1, timeout_s=2)

    assert poging.afgeleverd and poging.status == 204 and poging.reden == "afgeleverd"
    assert not poging.blijvend and poging.opnieuw_na is None
    [ontvangst] = ontvanger.ontvangen
    assert (ontvangst.id, ontvangst.type, ontvangst.subject) == (
        sent["id"],
        sent["type"],
        "zaak-42",
    )
    assert ontvangst.monotoon <= time.monotonic()
    assert ontvanger.geweigerd == 0 and ontvanger.dubbel == 0


async def test_a_duplicate_id_is_recorded_once_and_counted(
    ontvanger: ProefOntvanger, client: WebhookClient
) -> None:
    sent = event()

    first = await client.deliver(ontvanger.url, SECRET, sent)
    again = await client.deliver(ontvanger.url, SECRET, sent)

    assert first.afgeleverd and again.afgeleverd
    assert [o.id for o in ontvanger.ontvangen] == [sent["id"]]
    assert ontvanger.dubbel == 1


async def test_a_wrong_secret_is_refused_by_the_receiver_and_is_a_passing_failure(
    ontvanger: ProefOntvanger, client: WebhookClient
) -> None:
    poging = await client.deliver(ontvanger.url, b"not the subscription's secret", event())

    assert (poging.afgeleverd, poging.status, poging.blijvend) == (False, 401, False)
    assert ontvanger.geweigerd == 1 and ontvanger.ontvangen == []


async def test_the_receivers_answers_are_classified(
    ontvanger: ProefOntvanger, client: WebhookClient
) -> None:
    ontvanger.mode = "fout"
    fout = await client.deliver(ontvanger.url, SECRET, event())
    ontvanger.mode = "weg"
    weg = await client.deliver(ontvanger.url, SECRET, event())
    ontvanger.mode = "druk"
    druk = await client.deliver(ontvanger.url, SECRET, event())

    assert fout == Poging(False, 500, "serverfout", opnieuw_na=None, blijvend=False)
    assert (weg.afgeleverd, weg.status, weg.blijvend) == (False, 410, True)
    assert (druk.status, druk.reden, druk.opnieuw_na, druk.blijvend) == (
        429,
        "te-veel-verzoeken",
        7.0,
        False,
    )
    assert ontvanger.ontvangen == []


async def test_a_receiver_that_is_down_fails_passingly_and_gets_it_when_back(
    ontvanger: ProefOntvanger, client: WebhookClient
) -> None:
    url = ontvanger.url
    assert (await client.deliver(url, SECRET, event())).afgeleverd  # a kept-alive connection
    await ontvanger.stop()
    sent = event()

    down = await client.deliver(url, SECRET, sent)
    await ontvanger.start()
    back = await client.deliver(url, SECRET, sent)

    assert (down.afgeleverd, down.status, down.reden, down.blijvend) == (
        False,
        None,
        "geen-verbinding",
        False,
    )
    assert ontvanger.url == url
    assert back.afgeleverd
    assert [o.id for o in ontvanger.ontvangen][-1] == sent["id"]


async def test_a_receiver_too_slow_times_out(ontvanger: ProefOntvanger) -> None:
    ontvanger.mode, ontvanger.traag_s = "traag", 0.5
    async with WebhookClient(origin=ORIGIN, timeout_s=0.1) as impatient:
        poging = await impatient.deliver(ontvanger.url, SECRET, event())

    assert (poging.afgeleverd, poging.status, poging.reden, poging.blijvend) == (
        False,
        None,
        "timeout",
        False,
    )


async def test_the_handshake_is_allowed_for_our_origin_and_remembered(
    client: WebhookClient,
) -> None:
    receiver = ProefOntvanger(SECRET, origins=frozenset({ORIGIN}), tempo=120)
    await receiver.start()
    try:
        allowed = await client.handshake(receiver.url)
        receiver.origins = frozenset()
        remembered = await client.handshake(receiver.url)
    finally:
        await receiver.stop()

    assert allowed.afgeleverd and allowed.status == 200 and not allowed.blijvend
    assert remembered == allowed
    assert client.toegestaan_tempo(receiver.url) == 120


async def test_the_handshake_is_refused_for_another_origin(client: WebhookClient) -> None:
    receiver = ProefOntvanger(SECRET, origins=frozenset({"iemand-anders.example"}))
    await receiver.start()
    try:
        refused = await client.handshake(receiver.url)
    finally:
        await receiver.stop()

    assert (refused.afgeleverd, refused.status, refused.blijvend) == (False, 200, True)
    assert refused.reden == "handshake-geweigerd"


async def test_a_handshake_without_an_answer_is_not_remembered(
    ontvanger: ProefOntvanger, client: WebhookClient
) -> None:
    await ontvanger.stop()
    down = await client.handshake(ontvanger.url)
    await ontvanger.start()
    up = await client.handshake(ontvanger.url)

    assert (down.afgeleverd, down.reden, down.blijvend) == (False, "geen-verbinding", False)
    assert up.afgeleverd
    assert client.toegestaan_tempo(ontvanger.url) is None  # the receiver granted "*"


async def test_an_address_that_is_not_allowed_is_never_contacted(client: WebhookClient) -> None:
    poging = await client.deliver("http://partner.example/webhook", SECRET, event())
    handshake = await client.handshake("ftp://partner.example/webhook")

    assert (poging.afgeleverd, poging.status, poging.reden, poging.blijvend) == (
        False,
        None,
        "adres-geweigerd",
        True,
    )
    assert handshake.blijvend


@pytest.mark.parametrize(
    "url",
    [
        "https://partner.example/webhook",
        "https://partner.example:8443/hooks/wvggz?abonnement=7",
        "http://127.0.0.1:8780/webhook",
        "http://127.8.9.10/webhook",
        "http://localhost:9000/webhook",
        "http://[::1]:9000/webhook",
        "HTTPS://Partner.Example/webhook",
    ],
)
def test_allowed_addresses(url: str) -> None:
    assert check_url(url) is None


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("http://partner.example/webhook", "https"),
        ("http://10.0.0.1/webhook", "https"),
        ("ftp://partner.example/webhook", "https://"),
        ("partner.example/webhook", "https://"),
        ("https://user:secret@partner.example/webhook", "wachtwoord"),
        ("https://token@partner.example/webhook", "gebruikersnaam"),
        ("https://partner.example/webhook#deel", "fragment"),
        ("https://partner.example/webhook#", "fragment"),
        ("https:///webhook", "hostnaam"),
        ("https://partner.example:99999/webhook", "geen geldige URL"),
        ("https://[::1/webhook", "geen geldige URL"),
        ("https://partner.example/web hook", "spaties"),
        ("https://partner.example/\nwebhook", "stuurtekens"),
        ("https://partner.example/" + "a" * 2048, "te lang"),
    ],
)
def test_refused_addresses_say_why_in_dutch(url: str, fragment: str) -> None:
    reason = check_url(url)

    assert reason is not None and fragment in reason


def test_retry_after_in_seconds_or_as_an_http_date() -> None:
    now = 1_790_000_000.0

    assert parse_retry_after("120", now) == 120.0
    assert parse_retry_after(formatdate(now + 90, usegmt=True), now) == pytest.approx(90.0)
    assert parse_retry_after(formatdate(now - 90, usegmt=True), now) == 0.0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


def test_wachttijd_stays_within_its_growing_bound() -> None:
    rng = random.Random(1234)

    for poging in range(1, 30):
        bound = min(3600.0, 2.0 ** (poging - 1))
        waits = [wachttijd(poging, rng) for _ in range(200)]
        assert all(0.0 <= w <= bound for w in waits)
        assert max(waits) > bound * 0.9  # full jitter reaches the bound
    assert wachttijd(10_000, rng, basis_s=0.5, maximum_s=60.0) <= 60.0


def test_wachttijd_grows_over_attempts_on_average() -> None:
    rng = random.Random(42)

    means = [sum(wachttijd(p, rng) for _ in range(500)) / 500 for p in range(1, 9)]

    assert all(later > earlier for earlier, later in itertools.pairwise(means))
    assert means[0] == pytest.approx(0.5, abs=0.1)
    assert means[7] == pytest.approx(64.0, rel=0.15)


def test_wachttijd_is_reproducible_with_a_seeded_rng() -> None:
    first = [wachttijd(p, random.Random(7), basis_s=2.0) for p in range(1, 6)]
    second = [wachttijd(p, random.Random(7), basis_s=2.0) for p in range(1, 6)]

    assert first == second
    with pytest.raises(ValueError, match="from 1"):
        wachttijd(0, random.Random(7))


def test_opgeven_once_the_horizon_has_passed() -> None:
    eerste = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    horizon = timedelta(hours=72)

    assert not opgeven(eerste, eerste, horizon)
    assert not opgeven(eerste, eerste + horizon - timedelta(seconds=1), horizon)
    assert opgeven(eerste, eerste + horizon, horizon)
