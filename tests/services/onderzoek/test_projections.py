"""The onderzoek's views fold VO's only: a voorwaarden request in the same store is no VO."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from pydantic import BaseModel
from wvggz_contracts.audit import EVENTS as AUDIT_EVENTS
from wvggz_contracts.commands import Actor, CommandReply
from wvggz_contracts.onderzoek import (
    EVENTS,
    ConsulentToegewezen,
    Leefgebied,
    LegVoorwaardeAfgerond,
    VoGeopend,
    VoorwaardeAfgerond,
    VoorwaardenVerzoekAfgerond,
    VoorwaardenVerzoekGeregistreerd,
    VoorwaardenVerzoekToegewezen,
    WijsConsulentToe,
    WijsVoorwaardenToe,
)

from kernel.eventstore.sqlite import SqliteEventStore
from kernel.pipeline import CommandPipeline
from kernel.projection import Projector, ViewStore
from kernel.rules import Rulebook
from services.onderzoek.domain import make_rulebook, make_voorwaarden_rulebook
from services.onderzoek.projections import DOSSIERS, VIEWS, WERKVOORRAAD, OpenVo
from tests.services.onderzoek.fixtures import (
    BEHEER,
    CONSULENT,
    DEADLINE,
    GEMEENTE,
    GEOPEND_OP,
    MELDING_ID,
    NU,
    REGIO,
    SYSTEEM,
    TRIAGIST,
    VERZOEK_ID,
    VO_ID,
    WAARSCHUWING_OP,
    meld,
    open_vo,
)


class Service:
    """The onderzoek's rulebooks behind the real pipeline, on a real store, at a set time."""

    def __init__(self, store: SqliteEventStore) -> None:
        self.now = GEOPEND_OP
        self.pipeline = CommandPipeline(
            store, EVENTS.merged(AUDIT_EVENTS), "onderzoek", lambda: self.now
        )
        self.rulebooks: tuple[Rulebook[Any], ...] = (
            make_rulebook(REGIO),
            make_voorwaarden_rulebook(REGIO),
        )

    async def handle(self, payload: BaseModel, actor: Actor) -> CommandReply:
        """Send one command through the pipeline, as the service's handlers do."""
        for rulebook in self.rulebooks:
            for rule in rulebook.rules:
                if rule.payload is type(payload):
                    body = {"command_id": str(uuid4()), "payload": payload.model_dump(mode="json")}
                    return await self.pipeline.handle(rulebook.decider, rule.spec, body, actor)
        raise AssertionError(f"no rule for {type(payload).__name__}")


Parts = tuple[SqliteEventStore, ViewStore]


@pytest.fixture
async def parts(tmp_path: Path) -> AsyncIterator[Parts]:
    store = SqliteEventStore(tmp_path / "events.db")
    views = ViewStore(tmp_path / "views.db")
    yield store, views
    await store.close()
    views.close()


async def project(store: SqliteEventStore, views: ViewStore, position: int) -> None:
    """Run the service's views over the store up to `position`."""
    projector = Projector(store, views, VIEWS, EVENTS)
    projector.start()
    await projector.wait_for(position)
    await projector.stop()


def afronden(leefgebied: Leefgebied) -> LegVoorwaardeAfgerond:
    return LegVoorwaardeAfgerond(verzoek_id=VERZOEK_ID, leefgebied=leefgebied)


async def test_a_voorwaarden_request_makes_no_vo_dossier_nor_werkvoorraad_row(
    parts: Parts,
) -> None:
    store, views = parts
    service = Service(store)
    replies = [await service.handle(open_vo(), SYSTEEM)]
    service.now = NU
    replies += [
        await service.handle(WijsConsulentToe(vo_id=VO_ID, consulent="consulent-3"), CONSULENT),
        await service.handle(meld(), CONSULENT),
        await service.handle(
            WijsVoorwaardenToe(verzoek_id=VERZOEK_ID, consulent="consulent-3"), BEHEER
        ),
        # Refused: audited under the request's case id, and no step of any dossier.
        await service.handle(afronden(Leefgebied.WONING), TRIAGIST),
        await service.handle(afronden(Leefgebied.WONING), CONSULENT),
        await service.handle(afronden(Leefgebied.INKOMEN), CONSULENT),
    ]
    assert [reply.ok for reply in replies] == [True, True, True, True, False, True, True]
    vo_stream = await store.read(f"verkennend-onderzoek-{VO_ID}")
    verzoek_stream = await store.read(f"voorwaarden-{VERZOEK_ID}")
    assert [e.type for e in vo_stream] == [VoGeopend.event_type, ConsulentToegewezen.event_type]
    assert [e.type for e in verzoek_stream] == [
        VoorwaardenVerzoekGeregistreerd.event_type,
        VoorwaardenVerzoekToegewezen.event_type,
        VoorwaardeAfgerond.event_type,
        VoorwaardeAfgerond.event_type,
        VoorwaardenVerzoekAfgerond.event_type,
    ]
    geweigerd = [e async for e in store.read_all() if e.type in AUDIT_EVENTS]
    assert {e.metadata["case_id"] for e in geweigerd} == {str(VERZOEK_ID)}

    await project(store, views, await store.last_position())

    assert views.get(DOSSIERS, VERZOEK_ID) is None
    assert views.get(WERKVOORRAAD, VERZOEK_ID) is None
    [dossier] = views.rows(DOSSIERS, GEMEENTE)
    assert dossier.vo_id == VO_ID
    assert [(stap.wat, stap.door) for stap in dossier.stappen] == [
        (VoGeopend.event_type, SYSTEEM.id),
        (ConsulentToegewezen.event_type, CONSULENT.id),
    ]
    assert views.rows(WERKVOORRAAD, GEMEENTE) == [
        OpenVo(
            vo_id=VO_ID,
            melding_id=MELDING_ID,
            gemeente=GEMEENTE,
            deadline=DEADLINE,
            waarschuwing_op=WAARSCHUWING_OP,
            kinderpsychiatrie_nodig=False,
            consulent="consulent-3",
        )
    ]
