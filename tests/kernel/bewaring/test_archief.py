"""What an inzage finds besides the BSN index: letters and partners' fetches of a person's cases."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

from wvggz_contracts.brieven import (
    BriefKlaargezet,
    BriefVorm,
    VerstrekkingGeregistreerd,
    Verzendwijze,
)
from wvggz_contracts.events import DomainEvent

from kernel.projection import EventMeta, ViewStore
from services.notificaties.domain.briefregels import CATEGORY as BRIEF
from services.notificaties.domain.verstrekkingen import CATEGORY as VERSTREKKING
from services.notificaties.projections import ARCHIEF, BRIEVEN, OPHALINGEN

OP = datetime(2026, 11, 30, 9, tzinfo=UTC)
ZAAK, ANDERE_ZAAK = uuid.uuid4(), uuid.uuid4()


def brief(zaak: uuid.UUID) -> BriefKlaargezet:
    return BriefKlaargezet(
        brief_id=uuid.uuid4(),
        zaak=zaak,
        gemeente="GM0402",
        vorm=BriefVorm.MELDERBRIEF,
        ontvanger="melder",
        bron_type="nl.wvggz.meldpunt.melding-ontvangen.v1",
        bron={"betrokkene": {"naam": "B"}},
    )


def ophaling(zaak: uuid.UUID) -> VerstrekkingGeregistreerd:
    return VerstrekkingGeregistreerd(
        event_id=uuid.uuid4(),
        zaak=zaak,
        aan="ovj",
        categorieen=["besluit"],
        grondslag="art. 7:1 Wvggz",
        wijze=Verzendwijze.OPGEHAALD,
        op=OP,
    )


def kept(views: ViewStore, events: list[tuple[DomainEvent, uuid.UUID, str]]) -> None:
    batch = [
        (event, EventMeta(case, category, "GM0402", event.event_type, n, 0, OP, "s", "systeem"))
        for n, (event, case, category) in enumerate(events, start=1)
    ]
    views.apply([BRIEVEN, OPHALINGEN], batch, len(batch))


def test_the_letters_and_fetches_of_a_persons_cases_are_found_and_no_others(
    tmp_path: Path,
) -> None:
    views = ViewStore(tmp_path / "views.db")
    eigen, ander = brief(ZAAK), brief(ANDERE_ZAAK)
    opgehaald, elders = uuid.uuid4(), uuid.uuid4()
    kept(
        views,
        [
            (eigen, eigen.brief_id, BRIEF),
            (ander, ander.brief_id, BRIEF),
            (ophaling(ZAAK), opgehaald, VERSTREKKING),
            (ophaling(ANDERE_ZAAK), elders, VERSTREKKING),
        ],
    )

    found = ARCHIEF.bij_zaken(views, {ZAAK})

    assert sorted(d.stromen for d in found) == sorted(
        [(f"{BRIEF}-{eigen.brief_id}",), (f"{VERSTREKKING}-{opgehaald}",)]
    )
    assert all(d.gemeente == "GM0402" for d in found)
    assert ARCHIEF.bij_zaken(views, set()) == []
