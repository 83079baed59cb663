"""After the decision: voortzetting by the court, a zorgmachtiging request, the GD's early end."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import BaseModel
from wvggz_contracts.commands import ErrorCode
from wvggz_contracts.crisis import (
    BeeindigCrisismaatregel,
    CrisismaatregelBeeindigd,
    RechterlijkeBeslissingGeregistreerd,
    RechterlijkVerzoek,
    RegistreerRechterlijkeBeslissing,
    RegistreerVerzoekVoortzetting,
    RegistreerVerzoekZorgmachtiging,
    SignaleerEindeMaatregel,
    VerzoekVoortzettingIngediend,
    VerzoekZorgmachtigingIngediend,
)
from wvggz_contracts.events import DomainEvent
from wvggz_contracts.rechtstijd import TIJDZONE

from kernel.decider import Command
from kernel.testing import DeciderSpec
from services.crisis.domain import Termijnregels, make_rulebook
from tests.services.crisis.fixtures import (
    AFWIJZING,
    BEHEER,
    BESLUIT_OP,
    BURGEMEESTER,
    CRISIS_ID,
    EINDIGT_OP,
    GEMEENTE,
    OVJ,
    REGIO,
    SYSTEEM,
    besloten,
    besluit,
    cmd,
    decider,
    geadviseerd,
    gemeld,
    geschiedenis,
)


def ams(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TIJDZONE)


def einde_van(year: int, month: int, day: int) -> datetime:
    """24:00 of that Amsterdam day."""
    return ams(year, month, day, 0, 0) + timedelta(days=1)


INGEDIEND = ams(2026, 11, 5, 10, 0)
"""Thursday: the court's three days include only Friday and Monday as working days."""
RECHTER_UITERLIJK = datetime(2026, 11, 9, 23, 0, tzinfo=UTC)
"""The end of Monday 9 November (art. 7:8 lid 3 with Atw art. 2)."""
TOEGEWEZEN_OP = ams(2026, 11, 6, 14, 0)
ZM_INGEDIEND = ams(2026, 11, 16, 9, 0)

VOORTZETTING = RegistreerVerzoekVoortzetting(crisis_id=CRISIS_ID, ingediend_op=INGEDIEND)
ZORGMACHTIGING = RegistreerVerzoekZorgmachtiging(crisis_id=CRISIS_ID, ingediend_op=ZM_INGEDIEND)


def beslissing(
    toegewezen: bool = True,
    op: datetime = TOEGEWEZEN_OP,
    verzoek: RechterlijkVerzoek = RechterlijkVerzoek.VOORTZETTING,
) -> RegistreerRechterlijkeBeslissing:
    return RegistreerRechterlijkeBeslissing(
        crisis_id=CRISIS_ID, verzoek=verzoek, toegewezen=toegewezen, beslist_op=op
    )


def ovj(payload: BaseModel, at: datetime) -> Command[Any]:
    return cmd(payload, OVJ, at=at)


def verzocht() -> list[DomainEvent]:
    return geschiedenis(ovj(VOORTZETTING, INGEDIEND + timedelta(hours=1)), basis=besloten())


def voortgezet() -> list[DomainEvent]:
    return geschiedenis(ovj(beslissing(), TOEGEWEZEN_OP + timedelta(hours=1)), basis=verzocht())


def test_a_request_for_voortzetting_keeps_the_measure_until_the_court_must_decide() -> None:
    DeciderSpec(decider()).given(*besloten()).when(
        ovj(VOORTZETTING, INGEDIEND + timedelta(hours=1))
    ).then(
        VerzoekVoortzettingIngediend(
            crisis_id=CRISIS_ID,
            gemeente=GEMEENTE,
            ingediend_op=INGEDIEND,
            rechter_beslist_uiterlijk=RECHTER_UITERLIJK,
            eindigt_op=RECHTER_UITERLIJK,
            vastgelegd_op=INGEDIEND + timedelta(hours=1),
        )
    )


@pytest.mark.parametrize(
    ("ingediend_op", "veld"),
    [
        (EINDIGT_OP + timedelta(minutes=1), "ingediend_op"),
        (BESLUIT_OP - timedelta(minutes=1), "ingediend_op"),
    ],
)
def test_a_request_is_filed_while_the_measure_runs(ingediend_op: datetime, veld: str) -> None:
    late = RegistreerVerzoekVoortzetting(crisis_id=CRISIS_ID, ingediend_op=ingediend_op)

    DeciderSpec(decider()).given(*besloten()).when(
        ovj(late, EINDIGT_OP + timedelta(hours=1))
    ).then_error(ErrorCode.RULE_VIOLATED, veld)


def test_a_request_in_the_future_or_twice_is_refused() -> None:
    DeciderSpec(decider()).given(*besloten()).when(
        ovj(VOORTZETTING, INGEDIEND - timedelta(minutes=1))
    ).then_error(ErrorCode.RULE_VIOLATED, "ingediend_op")
    DeciderSpec(decider()).given(*verzocht()).when(
        ovj(VOORTZETTING, INGEDIEND + timedelta(hours=2))
    ).then_error(ErrorCode.RULE_VIOLATED)


def test_no_voortzetting_without_a_measure() -> None:
    for given in (geadviseerd(), gemeld()):
        DeciderSpec(decider()).given(*given).when(
            ovj(VOORTZETTING, INGEDIEND + timedelta(hours=1))
        ).then_error(ErrorCode.RULE_VIOLATED)
    afgewezen = geschiedenis(
        cmd(besluit(AFWIJZING), BURGEMEESTER, at=BESLUIT_OP), basis=geadviseerd()
    )
    error = (
        DeciderSpec(decider())
        .given(*afgewezen)
        .when(ovj(VOORTZETTING, INGEDIEND + timedelta(hours=1)))
        .then_error(ErrorCode.RULE_VIOLATED)
    )
    assert "afgesloten" in error.message


def test_a_granted_voortzetting_runs_three_weeks_from_the_court_decision() -> None:
    DeciderSpec(decider()).given(*verzocht()).when(
        ovj(beslissing(), TOEGEWEZEN_OP + timedelta(hours=1))
    ).then(
        RechterlijkeBeslissingGeregistreerd(
            crisis_id=CRISIS_ID,
            gemeente=GEMEENTE,
            verzoek=RechterlijkVerzoek.VOORTZETTING,
            toegewezen=True,
            beslist_op=TOEGEWEZEN_OP,
            loopt_door=True,
            # art. 7:9: three weeks after Friday 6 November, to the end of Friday 27 November
            eindigt_op=einde_van(2026, 11, 27),
            vastgelegd_op=TOEGEWEZEN_OP + timedelta(hours=1),
        )
    )


def test_a_refused_voortzetting_ends_the_measure_at_the_court_decision() -> None:
    spec = DeciderSpec(decider()).given(*verzocht())
    spec.when(ovj(beslissing(toegewezen=False), TOEGEWEZEN_OP + timedelta(hours=1)))

    [event] = spec.events
    assert isinstance(event, RechterlijkeBeslissingGeregistreerd)
    assert not event.loopt_door and event.eindigt_op == TOEGEWEZEN_OP
    state = decider().fold([*verzocht(), event])
    assert not state.open and not state.maatregel_loopt


def test_a_zorgmachtiging_request_keeps_the_voortzetting_until_the_court_s_term_ends() -> None:
    DeciderSpec(decider()).given(*voortgezet()).when(
        ovj(ZORGMACHTIGING, ZM_INGEDIEND + timedelta(hours=1))
    ).then(
        VerzoekZorgmachtigingIngediend(
            crisis_id=CRISIS_ID,
            gemeente=GEMEENTE,
            ingediend_op=ZM_INGEDIEND,
            # art. 7:10 sub a with 6:2 lid 1 sub b: three weeks after Monday 16 November, not six
            # weeks after the voortzetting (18 December)
            eindigt_op=einde_van(2026, 12, 7),
            vastgelegd_op=ZM_INGEDIEND + timedelta(hours=1),
        )
    )


def test_a_zorgmachtiging_request_before_the_voortzetting_is_decided_keeps_its_three_weeks() -> (
    None
):
    eerder = RegistreerVerzoekZorgmachtiging(
        crisis_id=CRISIS_ID, ingediend_op=INGEDIEND + timedelta(hours=2)
    )
    given = geschiedenis(ovj(eerder, INGEDIEND + timedelta(hours=3)), basis=verzocht())
    assert decider().fold(given).eindigt_op == RECHTER_UITERLIJK

    spec = DeciderSpec(decider()).given(*given)
    spec.when(ovj(beslissing(), TOEGEWEZEN_OP + timedelta(hours=1)))

    beslist = spec.events[0]
    assert isinstance(beslist, RechterlijkeBeslissingGeregistreerd)
    # the court's term for the request ends Thursday 26 November, the voortzetting's own three
    # weeks on Friday 27 November: the later one (not six weeks, 18 December)
    assert beslist.eindigt_op == einde_van(2026, 11, 27)


def test_the_court_decision_on_the_zorgmachtiging_ends_the_measure() -> None:
    given = geschiedenis(ovj(ZORGMACHTIGING, ZM_INGEDIEND), basis=voortgezet())
    op = ams(2026, 12, 1, 11, 0)
    zm = beslissing(True, op, RechterlijkVerzoek.ZORGMACHTIGING)

    spec = DeciderSpec(decider()).given(*given).when(ovj(zm, op))

    [event] = spec.events
    assert isinstance(event, RechterlijkeBeslissingGeregistreerd)
    assert not event.loopt_door and event.eindigt_op == op
    assert not decider().fold([*given, event]).open


def test_a_zorgmachtiging_request_needs_a_voortzetting_and_comes_once() -> None:
    DeciderSpec(decider()).given(*besloten()).when(ovj(ZORGMACHTIGING, ZM_INGEDIEND)).then_error(
        ErrorCode.RULE_VIOLATED
    )
    twice = geschiedenis(ovj(ZORGMACHTIGING, ZM_INGEDIEND), basis=voortgezet())
    DeciderSpec(decider()).given(*twice).when(ovj(ZORGMACHTIGING, ZM_INGEDIEND)).then_error(
        ErrorCode.RULE_VIOLATED
    )


@pytest.mark.parametrize(
    ("given", "payload"),
    [
        ("besloten", beslissing()),
        ("voortgezet", beslissing()),
        ("voortgezet", beslissing(verzoek=RechterlijkVerzoek.ZORGMACHTIGING)),
        ("verzocht", beslissing(op=INGEDIEND - timedelta(hours=1))),
    ],
    ids=["geen-verzoek", "al-beslist", "geen-zm-verzoek", "voor-het-verzoek"],
)
def test_a_court_decision_needs_an_open_request(
    given: str, payload: RegistreerRechterlijkeBeslissing
) -> None:
    history = {"besloten": besloten, "verzocht": verzocht, "voortgezet": voortgezet}[given]()

    DeciderSpec(decider()).given(*history).when(
        ovj(payload, TOEGEWEZEN_OP + timedelta(hours=2))
    ).then_error(ErrorCode.RULE_VIOLATED)


def test_the_gd_ends_the_measure_early() -> None:
    at = BESLUIT_OP + timedelta(days=1)
    einde = BeeindigCrisismaatregel(
        crisis_id=CRISIS_ID, geneesheer_directeur="Dr. G. Directeur", reden="Stabiel, vrijwillig."
    )

    spec = DeciderSpec(decider()).given(*besloten()).when(cmd(einde, BEHEER, at=at))
    spec.then(
        CrisismaatregelBeeindigd(
            crisis_id=CRISIS_ID,
            gemeente=GEMEENTE,
            geneesheer_directeur="Dr. G. Directeur",
            reden="Stabiel, vrijwillig.",
            beeindigd_door=BEHEER.id,
            beeindigd_op=at,
        )
    )
    ended = [*besloten(), *spec.events]
    assert not decider().fold(ended).open
    DeciderSpec(decider()).given(*ended).when(cmd(einde, BEHEER, at=at)).then_error(
        ErrorCode.RULE_VIOLATED
    )


def test_the_week_terms_are_configurable() -> None:
    d = make_rulebook(REGIO, termijnregels=Termijnregels(weken_voortzetting=4)).decider

    spec = DeciderSpec(d).given(*verzocht()).when(ovj(beslissing(), TOEGEWEZEN_OP))

    beslist = spec.events[0]
    assert isinstance(beslist, RechterlijkeBeslissingGeregistreerd)
    assert beslist.eindigt_op == einde_van(2026, 12, 4)


def verlopen_na(events: list[DomainEvent]) -> list[DomainEvent]:
    """The watcher records the expiry at the current end moment."""
    einde = decider().fold(events).eindigt_op
    signaal = SignaleerEindeMaatregel(crisis_id=CRISIS_ID)
    return geschiedenis(cmd(signaal, SYSTEEM, at=einde), basis=events)


def test_a_timely_request_registered_after_the_recorded_expiry_still_counts() -> None:
    verlopen = verlopen_na(besloten())
    op_tijd = RegistreerVerzoekVoortzetting(
        crisis_id=CRISIS_ID, ingediend_op=EINDIGT_OP - timedelta(minutes=1)
    )

    spec = DeciderSpec(decider()).given(*verlopen)
    spec.when(ovj(op_tijd, EINDIGT_OP + timedelta(hours=2)))

    [event] = spec.events
    assert isinstance(event, VerzoekVoortzettingIngediend)
    state = decider().fold([*verlopen, event])
    assert state.maatregel_loopt and state.open and not state.verlopen
    assert state.eindigt_op == event.eindigt_op > EINDIGT_OP


def test_a_late_court_decision_that_was_timely_revives_the_measure() -> None:
    verlopen = verlopen_na(verzocht())
    op_tijd = beslissing(op=RECHTER_UITERLIJK - timedelta(hours=1))

    spec = DeciderSpec(decider()).given(*verlopen)
    spec.when(ovj(op_tijd, RECHTER_UITERLIJK + timedelta(hours=3)))

    assert decider().fold([*verlopen, *spec.events]).maatregel_loopt


@pytest.mark.parametrize(
    "payload",
    [
        RegistreerVerzoekVoortzetting(
            crisis_id=CRISIS_ID, ingediend_op=EINDIGT_OP + timedelta(minutes=1)
        ),
        BeeindigCrisismaatregel(crisis_id=CRISIS_ID, geneesheer_directeur="Dr. G", reden="x"),
    ],
)
def test_after_the_expiry_only_timely_facts_count(
    payload: RegistreerVerzoekVoortzetting | BeeindigCrisismaatregel,
) -> None:
    actor = BEHEER if isinstance(payload, BeeindigCrisismaatregel) else OVJ

    DeciderSpec(decider()).given(*verlopen_na(besloten())).when(
        cmd(payload, actor, at=EINDIGT_OP + timedelta(hours=1))
    ).then_error(ErrorCode.RULE_VIOLATED)


def test_a_fact_at_or_after_the_end_counts_not_even_before_the_expiry_is_recorded() -> None:
    # the court's term ended on Monday 24:00; the watcher has not recorded the expiry yet
    te_laat = beslissing(op=RECHTER_UITERLIJK)

    DeciderSpec(decider()).given(*verzocht()).when(
        ovj(te_laat, RECHTER_UITERLIJK + timedelta(hours=1))
    ).then_error(ErrorCode.RULE_VIOLATED, "beslist_op")
    na_voortzetting = RegistreerVerzoekZorgmachtiging(
        crisis_id=CRISIS_ID, ingediend_op=einde_van(2026, 11, 27)
    )
    DeciderSpec(decider()).given(*voortgezet()).when(
        ovj(na_voortzetting, einde_van(2026, 11, 28))
    ).then_error(ErrorCode.RULE_VIOLATED, "ingediend_op")


def test_the_court_s_moments_are_the_ones_stated_not_the_recording_time() -> None:
    # reported a day late: the voortzetting still runs from the court's own decision
    spec = DeciderSpec(decider()).given(*verzocht())
    spec.when(ovj(beslissing(), TOEGEWEZEN_OP + timedelta(days=1)))

    [event] = spec.events
    assert isinstance(event, RechterlijkeBeslissingGeregistreerd)
    assert event.beslist_op == TOEGEWEZEN_OP
    assert event.vastgelegd_op == TOEGEWEZEN_OP + timedelta(days=1)
    assert event.eindigt_op == einde_van(2026, 11, 27)


def test_a_court_decision_in_the_future_is_refused() -> None:
    DeciderSpec(decider()).given(*verzocht()).when(
        ovj(beslissing(), TOEGEWEZEN_OP - timedelta(minutes=1))
    ).then_error(ErrorCode.RULE_VIOLATED, "beslist_op")
