"""The open-crises view follows a case to its end, and back when a late registration revives it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from wvggz_contracts.crisis import (
    BesluitAfgewezen,
    CrisismaatregelVerlopen,
    VerzoekVoortzettingIngediend,
)

from kernel.projection import EventMeta
from services.crisis.projections import OpenCrisis, evolve_open

CASE = uuid.uuid4()
META = EventMeta(
    CASE, "crisismaatregel", "GM0402", "t", 7, datetime(2026, 11, 6, tzinfo=UTC), "a", "r"
)


def test_a_case_leaves_the_view_when_its_measure_expires():
    row = OpenCrisis(crisis_id=CASE, gemeente="GM0402")

    assert evolve_open(row, CrisismaatregelVerlopen.model_construct(), META) is None
    assert evolve_open(row, BesluitAfgewezen.model_construct(), META) is None


def test_a_late_voortzetting_request_brings_the_case_back():
    revived = evolve_open(None, VerzoekVoortzettingIngediend.model_construct(), META)

    assert revived == OpenCrisis(crisis_id=CASE, gemeente="GM0402")
