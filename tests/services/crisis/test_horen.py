"""Hoorplicht: only a mandated party hears, a youth under 16 with a representative, once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from wvggz_contracts.commands import ErrorCode
from wvggz_contracts.crisis import Grens, HoorverslagVastgelegd, HorenOnmogelijk, MandaatBewijs
from wvggz_contracts.events import DomainEvent
from wvggz_contracts.personen import Betrokkene

from kernel.decider import derived_id
from kernel.testing import DeciderSpec
from services.crisis.domain import HOORMANDAAT
from tests.services.crisis.fixtures import (
    BETROKKENE,
    CRISIS_ID,
    CRISISDIENST,
    GEMELD_OP,
    HOORDER,
    NU,
    VCARE,
    cmd,
    command_id,
    decider,
    geadviseerd,
    gemeld,
    geschiedenis,
    hoorverslag,
    horen_onmogelijk,
    meld,
)

GEHOORD_OP = GEMELD_OP + timedelta(hours=2)


def verslag_event(**changes: object) -> HoorverslagVastgelegd:
    p = hoorverslag()
    base = HoorverslagVastgelegd(
        crisis_id=CRISIS_ID,
        verslag_id=derived_id(command_id(8), "hoorverslag"),
        hoorder=HOORDER.id,
        partij="Vcare",
        mandaat=VCARE,
        gehoord_op=GEHOORD_OP,
        wijze=p.wijze,
        wensen_en_voorkeuren=p.wensen_en_voorkeuren,
        crisiskaart_geraadpleegd=True,
        tolk_gebruikt=False,
        naasten_aanwezig=True,
        pvp_uitgelegd=True,
        toestemming_gegevens_pvp=True,
        jonger_dan_16=False,
        vastgelegd_op=NU,
    )
    return base.model_copy(update=changes)


def gemeld_met(betrokkene: Betrokkene) -> list[DomainEvent]:
    return geschiedenis(cmd(meld(betrokkene=betrokkene), at=GEMELD_OP))


def test_a_mandated_hoorder_records_the_hearing() -> None:
    DeciderSpec(decider()).given(*gemeld()).when(cmd(hoorverslag(), HOORDER, id_=8)).then(
        verslag_event()
    )


def test_the_party_name_is_compared_without_case_or_spaces() -> None:
    spec = DeciderSpec(decider()).given(*gemeld())
    spec.when(cmd(hoorverslag(partij=" VCARE "), HOORDER))

    assert [type(e) for e in spec.events] == [HoorverslagVastgelegd]


@pytest.mark.parametrize(
    ("mandaat", "reden"),
    [
        (None, "Vcare staat niet in het mandaatregister"),
        (VCARE.model_copy(update={"partij": "Kwintes"}), "het mandaat is van Kwintes"),
        (VCARE.model_copy(update={"geldig_tot": date(2026, 11, 1)}), "het moment van horen"),
        (VCARE.model_copy(update={"geldig_van": date(2026, 11, 4)}), "het moment van horen"),
        (
            VCARE.model_copy(update={"geldig_tot": datetime(2026, 11, 2, 23, 0, tzinfo=UTC)}),
            "het moment van horen",
        ),
    ],
    ids=["geen", "andere-partij", "verlopen", "nog-niet-geldig", "tot-een-moment"],
)
def test_a_hearing_without_a_valid_mandate_for_the_party_is_forbidden(
    mandaat: MandaatBewijs | None, reden: str
) -> None:
    error = (
        DeciderSpec(decider())
        .given(*gemeld())
        .when(cmd(hoorverslag(), HOORDER, feiten={HOORMANDAAT: mandaat}))
        .then_error(ErrorCode.FORBIDDEN, "partij")
    )
    assert reden in error.message


@pytest.mark.parametrize(
    ("geldig_van", "geldig_tot", "geldig"),
    [
        # heard Monday 2 November 23:30 in Amsterdam, recorded at NU, Tuesday 00:30
        (date(2026, 11, 2), date(2026, 11, 3), True),
        (date(2026, 11, 2), date(2026, 11, 2), False),  # a date ends at midnight: not at NU
        (date(2026, 11, 3), None, False),  # a date starts at midnight: not at the hearing
        (date(2026, 1, 1), None, True),
        (datetime(2026, 11, 2, 22, 0, tzinfo=UTC), None, True),
        (datetime(2026, 11, 2, 22, 31, tzinfo=UTC), None, False),
        (date(2026, 11, 2), NU, False),  # the end moment itself is outside
        (date(2026, 11, 2), NU + timedelta(minutes=1), True),
    ],
)
def test_mandate_bounds_by_date_or_moment(
    geldig_van: Grens, geldig_tot: Grens | None, geldig: bool
) -> None:
    mandaat = MandaatBewijs(partij="Vcare", geldig_van=geldig_van, geldig_tot=geldig_tot)
    gehoord = hoorverslag(gehoord_op=NU - timedelta(hours=1))

    spec = (
        DeciderSpec(decider())
        .given(*gemeld())
        .when(cmd(gehoord, HOORDER, feiten={HOORMANDAAT: mandaat}))
    )

    if geldig:
        assert [type(e) for e in spec.events] == [HoorverslagVastgelegd]
    else:
        spec.then_error(ErrorCode.FORBIDDEN, "partij")


def test_a_hoorder_records_only_their_own_hearing() -> None:
    DeciderSpec(decider()).given(*gemeld()).when(
        cmd(hoorverslag(hoorder="vcare-99"), HOORDER)
    ).then_error(ErrorCode.FORBIDDEN, "hoorder")


@pytest.mark.parametrize(
    ("geboren", "vertegenwoordiger", "uitkomst"),
    [
        # NU is Tuesday 3 November 2026 in Amsterdam: 16 on that day is no longer under 16
        (date(2010, 11, 4), None, "onvolledig"),
        (date(2010, 11, 4), False, "onvolledig"),
        (date(2010, 11, 4), True, "jeugd"),
        (date(2010, 11, 3), None, "volwassen"),
        (None, None, "volwassen"),
        (date(1990, 5, 17), None, "volwassen"),
    ],
)
def test_a_youth_under_16_is_heard_with_a_legal_representative(
    geboren: date | None, vertegenwoordiger: bool | None, uitkomst: str
) -> None:
    betrokkene = BETROKKENE.model_copy(update={"geboortedatum": geboren})
    gehoord = hoorverslag(wettelijk_vertegenwoordiger_gehoord=vertegenwoordiger)

    spec = DeciderSpec(decider()).given(*gemeld_met(betrokkene)).when(cmd(gehoord, HOORDER))

    if uitkomst == "onvolledig":
        error = spec.then_error(ErrorCode.RULE_VIOLATED, "wettelijk_vertegenwoordiger_gehoord")
        assert "onvolledig" in error.message
    else:
        [event] = spec.events
        assert isinstance(event, HoorverslagVastgelegd)
        assert event.jonger_dan_16 is (uitkomst == "jeugd")


@pytest.mark.parametrize(
    ("at", "volledig"),
    [
        (datetime(2026, 11, 2, 22, 59, tzinfo=UTC), False),  # 23:59 on 2 November: still 15
        (datetime(2026, 11, 2, 23, 0, tzinfo=UTC), True),  # 00:00 on 3 November: 16
    ],
)
def test_the_age_is_taken_on_the_amsterdam_date_of_the_command(
    at: datetime, volledig: bool
) -> None:
    betrokkene = BETROKKENE.model_copy(update={"geboortedatum": date(2010, 11, 3)})
    gehoord = hoorverslag(gehoord_op=GEMELD_OP + timedelta(hours=1))

    spec = DeciderSpec(decider()).given(*gemeld_met(betrokkene))
    spec.when(cmd(gehoord, HOORDER, at=at))

    if volledig:
        assert [type(e) for e in spec.events] == [HoorverslagVastgelegd]
    else:
        spec.then_error(ErrorCode.RULE_VIOLATED, "wettelijk_vertegenwoordiger_gehoord")


@pytest.mark.parametrize(
    ("gehoord_op", "veld"),
    [(NU + timedelta(minutes=1), "gehoord_op"), (GEMELD_OP - timedelta(hours=1), "gehoord_op")],
)
def test_the_hearing_lies_between_the_melding_and_now(gehoord_op: datetime, veld: str) -> None:
    DeciderSpec(decider()).given(*gemeld()).when(
        cmd(hoorverslag(gehoord_op=gehoord_op), HOORDER)
    ).then_error(ErrorCode.RULE_VIOLATED, veld)


def test_hearing_impossible_is_recorded_with_its_reason() -> None:
    DeciderSpec(decider()).given(*gemeld()).when(cmd(horen_onmogelijk())).then(
        HorenOnmogelijk(
            crisis_id=CRISIS_ID,
            reden="Betrokkene is niet aanspreekbaar.",
            vastgelegd_door=CRISISDIENST.id,
            vastgelegd_op=NU,
        )
    )


def test_a_hearing_after_impossible_replaces_it_but_never_the_other_way_round() -> None:
    onmogelijk = geschiedenis(cmd(horen_onmogelijk()), basis=gemeld())
    spec = DeciderSpec(decider()).given(*onmogelijk).when(cmd(hoorverslag(), HOORDER))
    assert [type(e) for e in spec.events] == [HoorverslagVastgelegd]

    gehoord = geschiedenis(cmd(hoorverslag(), HOORDER), basis=gemeld())
    DeciderSpec(decider()).given(*gehoord).when(cmd(horen_onmogelijk())).then_error(
        ErrorCode.RULE_VIOLATED, "hoorverslag"
    )
    DeciderSpec(decider()).given(*gehoord).when(cmd(hoorverslag(), HOORDER)).then_error(
        ErrorCode.RULE_VIOLATED, "hoorverslag"
    )
    DeciderSpec(decider()).given(*onmogelijk).when(cmd(horen_onmogelijk())).then_error(
        ErrorCode.RULE_VIOLATED, "reden"
    )


def test_the_hearing_is_fixed_once_the_integraal_advies_exists() -> None:
    DeciderSpec(decider()).given(*geadviseerd(horen_onmogelijk())).when(
        cmd(hoorverslag(), HOORDER)
    ).then_error(ErrorCode.RULE_VIOLATED)
