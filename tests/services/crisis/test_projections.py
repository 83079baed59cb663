"""The open-crises view: a case's terms, kept from its events, and only crisis cases.

The watcher and the open-crises query read its rows only, so the rows must say what folding the
case's stream says: the same signals due, and the same hours left.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from wvggz_contracts.audit import EVENTS as AUDIT_EVENTS
from wvggz_contracts.commands import Actor
from wvggz_contracts.crisis import (
    EVENTS,
    BesluitAfgewezen,
    CrisismaatregelVerlopen,
    MandaatBewijs,
    OndertekenMedischeVerklaring,
    RegistreerAdvocaat,
    RegistreerHoorder,
    RegistreerHoormandaat,
    RegistreerVerzoekVoortzetting,
    SignaleerBesluitTermijnVerstreken,
    SignaleerEindeMaatregel,
    SignaleerNaderendBesluit,
    StelIntegraalAdviesSamen,
    VerzoekVoortzettingIngediend,
)
from wvggz_contracts.events import DomainEvent

from kernel.deadlines import DueSignal
from kernel.decider import Command
from kernel.eventstore.sqlite import SqliteEventStore
from kernel.pipeline import CommandPipeline
from kernel.projection import EventMeta, Projector, ViewStore
from kernel.rules import Rulebook
from services.crisis.domain import (
    HOORMANDAAT,
    LOCO_REGISTRATIE,
    Crisis,
    Mandaatregister,
    make_mandaat_rulebook,
    mandaat_id_for,
    te_signaleren,
)
from services.crisis.domain.mandaat import Hoorbevoegdheid
from services.crisis.handlers import due_signals, overzicht
from services.crisis.projections import OPEN_CRISES, VIEWS, OpenCrisis, evolve_open
from tests.services.crisis.fixtures import (
    BEHEER,
    BESLUIT_OP,
    BESLUIT_UITERLIJK,
    BURGEMEESTER,
    CRISISDIENST,
    EINDIGT_OP,
    GEMEENTE,
    GEMELD_OP,
    HOORDER,
    NU,
    OVJ,
    PSYCHIATER,
    REGIO,
    SYSTEEM,
    WAARSCHUWING_OP,
    besluit,
    command_id,
    hoorverslag,
    meld,
    rulebook,
    verklaring,
    verklaring_id,
)

CASE = uuid.uuid4()
META = EventMeta(
    CASE, "crisismaatregel", "GM0402", "t", 7, 3, datetime(2026, 11, 6, tzinfo=UTC), "a", "r"
)


def onvolledig(soort: type[DomainEvent], **velden: Any) -> DomainEvent:
    """An event of this type with only the given fields, unvalidated: the view must read no
    others (the case and the gemeente come from the event's meta)."""
    return soort.model_construct(**velden)


def test_a_case_leaves_the_view_when_its_measure_expires() -> None:
    row = OpenCrisis(crisis_id=CASE, gemeente="GM0402")

    assert evolve_open(row, onvolledig(CrisismaatregelVerlopen), META) is None
    assert evolve_open(row, onvolledig(BesluitAfgewezen), META) is None


def test_a_late_voortzetting_request_brings_the_case_back_with_its_new_end() -> None:
    nieuw_einde = datetime(2026, 11, 10, 12, tzinfo=UTC)
    verzoek = onvolledig(VerzoekVoortzettingIngediend, eindigt_op=nieuw_einde)

    revived = evolve_open(None, verzoek, META)

    assert revived == OpenCrisis(
        crisis_id=CASE, gemeente="GM0402", besloten=True, eindigt_op=nieuw_einde
    )


ONBESLIST = uuid.UUID("0f6b1c1e-3a52-4c1d-9b7e-6d2c8e4f1a01")
"""A case nobody decides on: warned at 12 h, its norm passed at 18 h."""
BESLOTEN = uuid.UUID("0f6b1c1e-3a52-4c1d-9b7e-6d2c8e4f1a02")
"""A case decided at BESLUIT_OP, expired, given its advocaat after that (still closed), then
revived by a late voortzetting request."""

VOOR_12_UUR = WAARSCHUWING_OP - timedelta(seconds=1)
NA_12_UUR = WAARSCHUWING_OP + timedelta(minutes=1)
NA_18_UUR = BESLUIT_UITERLIJK + timedelta(minutes=1)
NA_EINDE = EINDIGT_OP + timedelta(minutes=1)
MOMENTEN = [VOOR_12_UUR, NA_12_UUR, NA_18_UUR, NA_EINDE, EINDIGT_OP + timedelta(days=30)]
"""Before the 12-hour warning, after it, after the 18-hour norm, after the measure's end, and
long after any end (of a voortzetting too)."""


class Platform:
    """The crisis rules over a real event store, with the real views projected from it."""

    def __init__(self, store: SqliteEventStore, views: ViewStore) -> None:
        self.store = store
        self.views = views
        self.now = NU
        self.registry = EVENTS.merged(AUDIT_EVENTS)
        self.projector = Projector(store, views, VIEWS, EVENTS)
        self.crisis: Rulebook[Crisis] = rulebook()
        self.registers: Rulebook[Mandaatregister] = make_mandaat_rulebook(REGIO)
        self.pipeline = CommandPipeline(store, self.registry, "crisis", lambda: self.now)
        self.pipeline.provide(HOORMANDAAT, self.hoormandaat)
        self.pipeline.provide(LOCO_REGISTRATIE, self.geen_loco)

    async def hoormandaat(self, command: Command[Any]) -> Hoorbevoegdheid | None:
        """The acting user's party and its mandate in the register stream, as the service looks
        them up."""
        stream = self.registers.decider.stream(mandaat_id_for(command.actor.gemeente))
        recorded = await self.store.read(stream)
        register = self.registers.decider.fold(
            self.registry.parse(e.type, e.data) for e in recorded
        )
        return register.hoorbevoegdheid(command.actor.id)

    async def geen_loco(self, _command: Command[Any]) -> MandaatBewijs | None:
        return None

    async def handle(
        self, payload: BaseModel, actor: Actor, at: datetime, cid: uuid.UUID | None = None
    ) -> None:
        """Carry out a command at `at` and wait until the views include what it appended."""
        self.now = at
        [(book, spec)] = [
            (book, spec)
            for book in (self.crisis, self.registers)
            for spec in book.specs
            if spec.payload is type(payload)
        ]
        body = {"command_id": str(cid or uuid.uuid4()), "payload": payload.model_dump(mode="json")}
        reply = await self.pipeline.handle(book.decider, spec, body, actor)
        assert reply.ok, reply.error
        await self.projector.wait_for(await self.store.last_position())

    async def fold(self, crisis_id: uuid.UUID) -> Crisis:
        """The case as its stream folds."""
        recorded = await self.store.read(self.crisis.decider.stream(crisis_id))
        return self.crisis.decider.fold(self.registry.parse(e.type, e.data) for e in recorded)

    async def due_by_folding(self, now: datetime) -> list[DueSignal]:
        """What the watcher found due when it folded every case's stream."""
        names = {rule.payload: rule.name for rule in self.crisis.rules}
        due = []
        for crisis_id in (ONBESLIST, BESLOTEN):
            state = await self.fold(crisis_id)
            for signal, moment in te_signaleren(state, now):
                assert state.gemeente is not None
                due.append(DueSignal(crisis_id, state.gemeente, names[signal], moment))
        return due

    async def compare(self) -> None:
        """At every moment the view gives the signals and the hours that folding gives."""
        open_by_folding: dict[uuid.UUID, Crisis] = {}
        for crisis_id in (ONBESLIST, BESLOTEN):
            state = await self.fold(crisis_id)
            if state.open:
                open_by_folding[crisis_id] = state
        rows = {row.crisis_id: row for row in self.views.rows(OPEN_CRISES)}
        assert set(rows) == set(open_by_folding)
        for now in MOMENTEN:
            from_view = due_signals(self.views, self.crisis, now)
            assert sorted(from_view, key=str) == sorted(await self.due_by_folding(now), key=str)
            for crisis_id, state in open_by_folding.items():
                assert overzicht(crisis_id, rows[crisis_id], now) == overzicht(
                    crisis_id, state, now
                )


@pytest.fixture
async def platform(tmp_path: Path) -> AsyncIterator[Platform]:
    store = SqliteEventStore(tmp_path / "events.db")
    views = ViewStore(tmp_path / "views.db")
    parts = Platform(store, views)
    parts.projector.start()
    yield parts
    await parts.projector.stop()
    await store.close()
    views.close()


MANDAAT = RegistreerHoormandaat(gemeente=GEMEENTE, partij="Vcare", geldig_van=GEMELD_OP)
HOORDER_VAN_VCARE = RegistreerHoorder(
    gemeente=GEMEENTE, hoorder=HOORDER.id, partij="Vcare", geldig_van=GEMELD_OP
)


async def test_a_mandate_register_makes_no_open_crisis(platform: Platform) -> None:
    await platform.handle(MANDAAT, BEHEER, NU)
    await platform.handle(meld(crisis_id=ONBESLIST), CRISISDIENST, NU)

    register_stream = platform.registers.decider.stream(mandaat_id_for(GEMEENTE))
    assert len(await platform.store.read(register_stream)) == 1
    assert [row.crisis_id for row in platform.views.rows(OPEN_CRISES)] == [ONBESLIST]


async def test_the_watcher_finds_in_the_view_what_folding_the_streams_finds(
    platform: Platform,
) -> None:
    laat = RegistreerVerzoekVoortzetting(
        crisis_id=BESLOTEN, ingediend_op=EINDIGT_OP - timedelta(hours=1)
    )
    advocaat = RegistreerAdvocaat(crisis_id=BESLOTEN, advocaat="Mr. B. Advocaat")
    ondertekend = OndertekenMedischeVerklaring(crisis_id=BESLOTEN, verklaring_id=verklaring_id(1))
    stappen: list[tuple[BaseModel, Actor, datetime, uuid.UUID | None]] = [
        (MANDAAT, BEHEER, NU, None),
        (HOORDER_VAN_VCARE, BEHEER, NU, None),
        (meld(crisis_id=ONBESLIST), CRISISDIENST, NU, None),
        (meld(crisis_id=BESLOTEN), CRISISDIENST, NU, None),
        (verklaring(crisis_id=BESLOTEN), PSYCHIATER, NU, command_id(1)),
        (ondertekend, PSYCHIATER, NU, None),
        (hoorverslag(crisis_id=BESLOTEN), HOORDER, NU, None),
        (StelIntegraalAdviesSamen(crisis_id=BESLOTEN), CRISISDIENST, NU, None),
        (besluit(crisis_id=BESLOTEN, advocaat=None), BURGEMEESTER, BESLUIT_OP, None),
        (SignaleerNaderendBesluit(crisis_id=ONBESLIST), SYSTEEM, NA_12_UUR, None),
        (SignaleerBesluitTermijnVerstreken(crisis_id=ONBESLIST), SYSTEEM, NA_18_UUR, None),
        (SignaleerEindeMaatregel(crisis_id=BESLOTEN), SYSTEEM, NA_EINDE, None),
        (advocaat, BEHEER, NA_EINDE + timedelta(minutes=30), None),
        (laat, OVJ, EINDIGT_OP + timedelta(hours=2), None),
    ]

    for payload, actor, at, cid in stappen:
        await platform.handle(payload, actor, at, cid)
        await platform.compare()

    revived = platform.views.get(OPEN_CRISES, BESLOTEN)
    assert revived is not None and revived.eindigt_op is not None
    assert revived.eindigt_op > EINDIGT_OP, "the late voortzetting request revived the measure"
