"""The stukken the burgemeester reads: only a signed verklaring counts, a reopened one not."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from wvggz_contracts.crisis import (
    BesluitGenomen,
    IntegraalAdviesSamengesteld,
    MedischeVerklaringHeropend,
    MedischeVerklaringOndertekend,
    MedischeVerklaringOpgesteld,
)
from wvggz_contracts.events import DomainEvent

from kernel.projection import EventMeta
from services.crisis.besluitstukken import Besluitstukken, evolve_stukken

CASE = uuid.uuid4()
VERKLARING = uuid.uuid4()
META = EventMeta(
    CASE, "crisismaatregel", "GM0402", "t", 7, 3, datetime(2026, 11, 6, tzinfo=UTC), "a", "r"
)


def event(soort: type[DomainEvent], **velden: Any) -> DomainEvent:
    return soort.model_construct(**velden)


def fold(*events: DomainEvent) -> Besluitstukken:
    row = None
    for one in events:
        row = evolve_stukken(row, one, META)
    assert row is not None
    return row


def test_a_draft_is_not_shown_until_it_is_signed() -> None:
    drafted = event(MedischeVerklaringOpgesteld, verklaring_id=VERKLARING, bevindingen="Onrustig.")

    assert fold(drafted).medische_verklaring is None
    signed = fold(drafted, event(MedischeVerklaringOndertekend, verklaring_id=VERKLARING))
    assert signed.medische_verklaring is not None
    assert signed.medische_verklaring["bevindingen"] == "Onrustig."


def test_a_reopened_verklaring_is_no_longer_there_to_decide_on() -> None:
    row = fold(
        event(MedischeVerklaringOpgesteld, verklaring_id=VERKLARING, bevindingen="x"),
        event(MedischeVerklaringOndertekend, verklaring_id=VERKLARING),
        event(MedischeVerklaringHeropend, verklaring_id=VERKLARING),
    )

    assert row.medische_verklaring is None


def test_the_advice_and_the_decision_are_recorded() -> None:
    row = fold(
        event(IntegraalAdviesSamengesteld, advies_id=uuid.uuid4(), toelichting="Opname."),
        event(BesluitGenomen),
    )

    assert row.integraal_advies is not None and row.integraal_advies["toelichting"] == "Opname."
    assert row.besloten and row.gemeente == "GM0402" and row.crisis_id == CASE
