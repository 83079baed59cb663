"""Hoorplicht: only a user registered for a mandated party hears, a youth under 16 (on the day of
the hearing) with a representative, once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from wvggz_contracts.commands import Actor, ErrorCode
from wvggz_contracts.crisis import (
    Grens,
    HoorverslagVastgelegd,
    HorenOnmogelijk,
    Leeftijdsverklaring,
    MandaatBewijs,
)
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
    hoorbevoegdheid,
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
        registratie=hoorbevoegdheid().registratie,
    )
    return base.model_copy(update=changes)


def gemeld_met(betrokkene: Betrokkene) -> list[DomainEvent]:
    return geschiedenis(cmd(meld(betrokkene=betrokkene), at=GEMELD_OP))


def test_a_mandated_hoorder_records_the_hearing() -> None:
    DeciderSpec(decider()).given(*gemeld()).when(cmd(hoorverslag(), HOORDER, id_=8)).then(
        verslag_event()
    )


def test_the_party_follows_from_the_register_not_from_the_client() -> None:
    kwintes = hoorbevoegdheid(
        partij="Kwintes", mandaat=VCARE.model_copy(update={"partij": "Kwintes"})
    )

    spec = DeciderSpec(decider()).given(*gemeld())
    spec.when(cmd(hoorverslag(), HOORDER, feiten={HOORMANDAAT: kwintes}))

    [event] = spec.events
    assert isinstance(event, HoorverslagVastgelegd)
    assert event.partij == "Kwintes" and event.registratie == kwintes.registratie


def test_a_client_cannot_name_a_party() -> None:
    with pytest.raises(ValueError, match="partij"):
        hoorverslag(partij="Vcare")


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
def test_a_hoorder_whose_party_has_no_valid_mandate_at_the_hearing_is_forbidden(
    mandaat: MandaatBewijs | None, reden: str
) -> None:
    error = (
        DeciderSpec(decider())
        .given(*gemeld())
        .when(cmd(hoorverslag(), HOORDER, feiten={HOORMANDAAT: hoorbevoegdheid(mandaat=mandaat)}))
        .then_error(ErrorCode.FORBIDDEN)
    )
    assert reden in error.message


EERDER_GEHOORD = NU - timedelta(hours=1)
"""Monday 2 November 23:30 in Amsterdam; recorded an hour later, at NU (Tuesday 00:30)."""

REGISTRATIES: list[tuple[Any, str]] = [
    (None, "staat niet in het mandaatregister als hoorder"),
    (hoorbevoegdheid(hoorder="vcare-99"), "staat niet in het mandaatregister als hoorder"),
    (hoorbevoegdheid(geldig_tot=date(2026, 11, 1)), "niet geldig op het moment van horen"),
    (hoorbevoegdheid(geldig_van=date(2026, 11, 3)), "niet geldig op het moment van horen"),
    (hoorbevoegdheid(geldig_tot=NU - timedelta(minutes=30)), "niet geldig op nu"),
]
REGISTRATIE_IDS = ["geen", "andere-gebruiker", "beeindigd", "nog-niet", "beeindigd-voor-vastleggen"]


@pytest.mark.parametrize(("bevoegdheid", "reden"), REGISTRATIES, ids=REGISTRATIE_IDS)
def test_a_hoorder_not_registered_for_a_party_at_the_hearing_is_forbidden(
    bevoegdheid: Any, reden: str
) -> None:
    error = (
        DeciderSpec(decider())
        .given(*gemeld())
        .when(
            cmd(hoorverslag(gehoord_op=EERDER_GEHOORD), HOORDER, feiten={HOORMANDAAT: bevoegdheid})
        )
        .then_error(ErrorCode.FORBIDDEN)
    )
    assert reden in error.message
    assert HOORDER.id in error.message


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
    feiten = {HOORMANDAAT: hoorbevoegdheid(mandaat=mandaat)}

    spec = DeciderSpec(decider()).given(*gemeld()).when(cmd(gehoord, HOORDER, feiten=feiten))

    if geldig:
        assert [type(e) for e in spec.events] == [HoorverslagVastgelegd]
    else:
        spec.then_error(ErrorCode.FORBIDDEN)


def test_a_hoorder_records_only_their_own_hearing() -> None:
    DeciderSpec(decider()).given(*gemeld()).when(
        cmd(hoorverslag(hoorder="vcare-99"), HOORDER)
    ).then_error(ErrorCode.FORBIDDEN, "hoorder")


@pytest.mark.parametrize(
    ("geboren", "vertegenwoordiger", "uitkomst"),
    [
        # heard at NU, Tuesday 3 November 2026 in Amsterdam: 16 that day is no longer under 16
        (date(2010, 11, 4), None, "onvolledig"),
        (date(2010, 11, 4), False, "onvolledig"),
        (date(2010, 11, 4), True, "jeugd"),
        (date(2010, 11, 3), None, "volwassen"),
        (date(1990, 5, 17), None, "volwassen"),
    ],
)
def test_a_youth_under_16_is_heard_with_a_legal_representative(
    geboren: date, vertegenwoordiger: bool | None, uitkomst: str
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
        assert event.geboortedatum_onbekend is False


@pytest.mark.parametrize(
    ("gehoord_op", "at", "volledig"),
    [
        # born 3 November 2010: 15 until Monday 2 November 2026 ends in Amsterdam (23:00 UTC)
        (
            datetime(2026, 11, 2, 22, 59, tzinfo=UTC),
            datetime(2026, 11, 2, 22, 59, tzinfo=UTC),
            False,
        ),
        # 15 at the hearing, 16 when recorded: still heard as a youth under 16
        (datetime(2026, 11, 2, 22, 59, tzinfo=UTC), datetime(2026, 11, 3, 9, 0, tzinfo=UTC), False),
        (datetime(2026, 11, 2, 23, 0, tzinfo=UTC), datetime(2026, 11, 3, 9, 0, tzinfo=UTC), True),
    ],
    ids=["15-bij-horen-en-vastleggen", "15-bij-horen-16-bij-vastleggen", "16-bij-horen"],
)
def test_the_age_is_taken_on_the_amsterdam_day_of_the_hearing(
    gehoord_op: datetime, at: datetime, volledig: bool
) -> None:
    betrokkene = BETROKKENE.model_copy(update={"geboortedatum": date(2010, 11, 3)})

    spec = DeciderSpec(decider()).given(*gemeld_met(betrokkene))
    spec.when(cmd(hoorverslag(gehoord_op=gehoord_op), HOORDER, at=at))

    if volledig:
        assert [type(e) for e in spec.events] == [HoorverslagVastgelegd]
    else:
        error = spec.then_error(ErrorCode.RULE_VIOLATED, "wettelijk_vertegenwoordiger_gehoord")
        assert "jonger dan 16" in error.message


def test_an_unknown_birth_date_needs_the_hoorders_statement_on_the_age() -> None:
    onbekend = gemeld_met(BETROKKENE.model_copy(update={"geboortedatum": None}))

    error = (
        DeciderSpec(decider())
        .given(*onbekend)
        .when(cmd(hoorverslag(), HOORDER))
        .then_error(ErrorCode.RULE_VIOLATED, "leeftijd_verklaring")
    )
    assert "geboortedatum van de betrokkene is onbekend" in error.message


@pytest.mark.parametrize(
    ("jonger", "vertegenwoordiger", "uitkomst"),
    [
        (False, None, "volwassen"),
        (True, None, "onvolledig"),
        (True, True, "jeugd"),
    ],
)
def test_with_an_unknown_birth_date_the_statement_decides_and_is_recorded(
    jonger: bool, vertegenwoordiger: bool | None, uitkomst: str
) -> None:
    onbekend = gemeld_met(BETROKKENE.model_copy(update={"geboortedatum": None}))
    verklaring = Leeftijdsverklaring(
        jonger_dan_16=jonger, toelichting="Identiteitsbewijs getoond; volgens de zus 17 jaar."
    )
    gehoord = hoorverslag(
        leeftijd_verklaring=verklaring.model_dump(),
        wettelijk_vertegenwoordiger_gehoord=vertegenwoordiger,
    )

    spec = DeciderSpec(decider()).given(*onbekend).when(cmd(gehoord, HOORDER))

    if uitkomst == "onvolledig":
        spec.then_error(ErrorCode.RULE_VIOLATED, "wettelijk_vertegenwoordiger_gehoord")
    else:
        [event] = spec.events
        assert isinstance(event, HoorverslagVastgelegd)
        assert event.geboortedatum_onbekend is True
        assert event.leeftijd_verklaring == verklaring
        assert event.jonger_dan_16 is jonger


def test_a_known_birth_date_takes_no_statement_on_the_age() -> None:
    verklaring = {"jonger_dan_16": False, "toelichting": "Ziet er volwassen uit."}

    DeciderSpec(decider()).given(*gemeld()).when(
        cmd(hoorverslag(leeftijd_verklaring=verklaring), HOORDER)
    ).then_error(ErrorCode.RULE_VIOLATED, "leeftijd_verklaring")


@pytest.mark.parametrize(
    ("gehoord_op", "veld"),
    [(NU + timedelta(minutes=1), "gehoord_op"), (GEMELD_OP - timedelta(hours=1), "gehoord_op")],
)
def test_the_hearing_lies_between_the_melding_and_now(gehoord_op: datetime, veld: str) -> None:
    DeciderSpec(decider()).given(*gemeld()).when(
        cmd(hoorverslag(gehoord_op=gehoord_op), HOORDER)
    ).then_error(ErrorCode.RULE_VIOLATED, veld)


@pytest.mark.parametrize("actor", [HOORDER, CRISISDIENST], ids=["hoorder", "crisisdienst"])
def test_hearing_impossible_is_recorded_by_a_registered_hoorder_with_its_reason(
    actor: Actor,
) -> None:
    bevoegdheid = hoorbevoegdheid(actor)

    DeciderSpec(decider()).given(*gemeld()).when(cmd(horen_onmogelijk(), actor)).then(
        HorenOnmogelijk(
            crisis_id=CRISIS_ID,
            reden="Betrokkene is niet aanspreekbaar.",
            vastgelegd_door=actor.id,
            vastgelegd_op=NU,
            partij="Vcare",
            registratie=bevoegdheid.registratie,
            mandaat=VCARE,
        )
    )


@pytest.mark.parametrize(
    ("bevoegdheid", "reden"),
    [
        (None, "staat niet in het mandaatregister als hoorder"),
        (hoorbevoegdheid(geldig_tot=date(2026, 11, 1)), "niet geldig op nu"),
        (hoorbevoegdheid(geldig_van=date(2026, 11, 4)), "niet geldig op nu"),
        (hoorbevoegdheid(mandaat=None), "Vcare staat niet in het mandaatregister om te horen"),
        (
            hoorbevoegdheid(mandaat=VCARE.model_copy(update={"geldig_tot": date(2026, 11, 2)})),
            "het mandaat van Vcare om te horen is niet geldig op nu",
        ),
    ],
    ids=[
        "geen-registratie",
        "registratie-beeindigd",
        "registratie-nog-niet",
        "geen-mandaat",
        "mandaat-verlopen",
    ],
)
def test_hearing_impossible_is_forbidden_under_the_same_register_rules(
    bevoegdheid: Any, reden: str
) -> None:
    error = (
        DeciderSpec(decider())
        .given(*gemeld())
        .when(cmd(horen_onmogelijk(), HOORDER, feiten={HOORMANDAAT: bevoegdheid}))
        .then_error(ErrorCode.FORBIDDEN)
    )
    assert reden in error.message


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
