"""A consumer opens another service's sealed fields before its handler runs; a value that does
not open (tampered, moved, or from a key store it cannot read) is parked, never half-handled."""

from __future__ import annotations

import base64
import copy
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from wvggz_contracts.audit import Parkeerreden
from wvggz_contracts.envelope import CloudEvent, source_urn
from wvggz_contracts.meldpunt import MeldingOntvangen
from wvggz_contracts.personal import VERNIETIGD

from kernel.bus.consumer import EventConsumer
from kernel.bus.streams import ConsumerSpec
from kernel.sleutels import Veldsleutels
from kernel.sleutels.bestand import BestandsKluis, hoofdsleutel
from tests.services.meldpunt.fixtures import ontvangen

OIN = "0" * 20
SUBJECT = "wvggz.evt.meldpunt.GM0402.melding-ontvangen.v1"
AT = datetime(2026, 11, 23, 12, tzinfo=UTC)


@pytest.fixture
def velden(tmp_path: Path) -> Veldsleutels:
    return Veldsleutels(BestandsKluis(tmp_path / "kluis.db", hoofdsleutel(tmp_path / "key")))


def published(data: dict[str, Any], case: uuid.UUID) -> bytes:
    cause = uuid.uuid4()
    return (
        CloudEvent(
            id=uuid.uuid4(),
            source=source_urn(OIN, "meldpunt"),
            type=MeldingOntvangen.event_type,
            time=AT,
            subject=case,
            gemeente="GM0402",
            correlationid=cause,
            causationid=cause,
            actor="t-1",
            sequence="1",
            data=data,
        )
        .model_dump_json()
        .encode()
    )


async def sealed(velden: Veldsleutels, case: uuid.UUID) -> dict[str, Any]:
    stream = f"melding-{case}"
    event = ontvangen(AT)
    data = event.model_dump(mode="json")
    await velden.kluis.bewaar({stream}, set())
    result: dict[str, Any] = velden.seal(MeldingOntvangen, data, stream)
    return result


def consumer(velden: Veldsleutels, seen: list[CloudEvent]) -> EventConsumer:
    async def handler(event: CloudEvent) -> None:
        seen.append(event)

    return EventConsumer(ConsumerSpec("onderzoek-test", SUBJECT), handler, OIN, velden)


async def test_the_handler_sees_the_fields_opened(velden: Veldsleutels) -> None:
    case, seen = uuid.uuid4(), list[CloudEvent]()
    verdict = await consumer(velden, seen).process(
        SUBJECT, published(await sealed(velden, case), case)
    )
    assert verdict.handled
    assert seen[0].data["betrokkene"]["bsn"] == "111222333"


async def test_a_destroyed_dossier_reaches_the_handler_as_vernietigd(velden: Veldsleutels) -> None:
    case, seen = uuid.uuid4(), list[CloudEvent]()
    data = await sealed(velden, case)
    velden.kluis.vernietig(f"melding-{case}")
    verdict = await consumer(velden, seen).process(SUBJECT, published(data, case))
    assert verdict.handled
    assert seen[0].data["betrokkene"]["naam"] == VERNIETIGD


@pytest.mark.parametrize(
    "damage", ["ciphertext", "moved", "another-key", "never-made-key", "not-base64"]
)
async def test_a_value_that_does_not_open_is_parked_and_the_handler_never_runs(
    velden: Veldsleutels, damage: str
) -> None:
    case, seen = uuid.uuid4(), list[CloudEvent]()
    data = copy.deepcopy(await sealed(velden, case))
    naam = data["betrokkene"]["naam"]
    if damage == "ciphertext":
        raw = bytearray(base64.b64decode(naam["vercijferd"]))
        raw[-1] ^= 1
        naam["vercijferd"] = base64.b64encode(bytes(raw)).decode()
    elif damage == "moved":
        data["situatie"] = naam
    elif damage == "another-key":
        other = f"melding-{uuid.uuid4()}"
        await velden.kluis.bewaar({other}, set())
        naam["sleutel"] = other
    elif damage == "never-made-key":
        naam["sleutel"] = f"melding-{uuid.uuid4()}"
    else:
        naam["vercijferd"] = "%%% geen base64 %%%"
    verdict = await consumer(velden, seen).process(SUBJECT, published(data, case))
    assert verdict.reden is Parkeerreden.ONLEESBAAR
    assert "niet te openen" in verdict.toelichting
    assert seen == []
