"""The regio-overleg: set up by the region, meetings planned and held by its secretariaat, actions
that stay on the agenda until done, no individual cases, and the signals it is owed."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from pydantic import ValidationError
from wvggz_contracts.commands import Actor, ErrorCode, Rol
from wvggz_contracts.overleg import (
    AfspraakStatus,
    AfspraakStatusGewijzigd,
    AfspraakVastgelegd,
    AgendapuntToegevoegd,
    AndereTafel,
    ClientenperspectiefOntbreekt,
    Deelnemer,
    DeelnemerSoort,
    EscaleerAgendapunt,
    LegAfspraakVast,
    LegVerslagVast,
    OverlegIngesteld,
    OverlegOntbreekt,
    PlanVergadering,
    RegistreerUren,
    SignaleerOntbrekendClientenperspectief,
    SignaleerOntbrekendOverleg,
    StelOverlegIn,
    Thema,
    UrenSoort,
    VergaderingGehouden,
    VergaderingGepland,
    VergaderSoort,
    WijzigAfspraakStatus,
    ZetOpAgenda,
    kwartaal_grenzen,
    kwartaal_van,
)

from kernel.access import system_actor
from kernel.refusals import validation_reply
from kernel.testing import DeciderSpec, command
from services.overleg.domain.regels import make_rulebook

NU = datetime(2026, 12, 1, 12, tzinfo=UTC)
OVERLEG = uuid.UUID(int=1)
VERGADERING = uuid.UUID(int=2)
PUNT = uuid.UUID(int=3)
AFSPRAAK = uuid.UUID(int=4)
SECRETARIAAT = Actor(id="sec-1", rol=Rol.SECRETARIAAT, gemeente="GM0402")
SECRETARIAAT_HUIZEN = Actor(id="sec-2", rol=Rol.SECRETARIAAT, gemeente="GM0406")
CONSULENT = Actor(id="c-1", rol=Rol.CONSULENT, gemeente="GM0402")
RULES = make_rulebook(frozenset({"GM0402", "GM0406"}))
DEELNEMERS = [
    Deelnemer(soort=DeelnemerSoort.OVJ, organisatie="Openbaar Ministerie Midden-Nederland"),
    Deelnemer(
        soort=DeelnemerSoort.COLLEGE,
        organisatie="College van B&W Hilversum",
        gemeente="GM0402",
        mandaat="portefeuillehouder zorg",
    ),
]
INGESTELD = OverlegIngesteld(
    overleg_id=OVERLEG,
    gemeente="GM0402",
    naam="Regio-overleg Wvggz Gooi en Vechtstreek",
    veiligheidsregio="Gooi en Vechtstreek",
    voorzitter="Burgemeester van Hilversum",
    secretariaat="Regio Gooi en Vechtstreek",
    deelnemers=DEELNEMERS,
)
GEPLAND = VergaderingGepland(
    overleg_id=OVERLEG,
    vergadering_id=VERGADERING,
    datum=datetime(2026, 12, 10, 9, tzinfo=UTC),
    kwartaal="2026-K4",
    soort=VergaderSoort.AMBTELIJK,
)
AFGESPROKEN = AfspraakVastgelegd(
    overleg_id=OVERLEG,
    vergadering_id=VERGADERING,
    afspraak_id=AFSPRAAK,
    omschrijving="Wachttijden beveiligde bedden uitzoeken",
    eigenaar="GGZ Centraal",
    uiterlijk=date(2027, 2, 1),
)


def spec() -> DeciderSpec:
    return DeciderSpec(RULES.decider)


def stel_in(**changes: object) -> StelOverlegIn:
    fields = INGESTELD.model_dump() | changes
    return StelOverlegIn(**fields)


def test_the_secretariaat_sets_up_the_regio_overleg() -> None:
    spec().when(command(stel_in(), SECRETARIAAT, NU)).then(INGESTELD)


@pytest.mark.parametrize(
    ("actor", "code"),
    [(CONSULENT, ErrorCode.FORBIDDEN), (SECRETARIAAT_HUIZEN, ErrorCode.FORBIDDEN)],
)
def test_only_the_secretariaat_of_its_own_gemeente_sets_it_up(
    actor: Actor, code: ErrorCode
) -> None:
    spec().when(command(stel_in(), actor, NU)).then_error(code)


def test_a_gemeente_outside_the_region_cannot_run_it() -> None:
    buiten = Actor(id="sec-3", rol=Rol.SECRETARIAAT, gemeente="GM0363")
    spec().when(command(stel_in(gemeente="GM0363"), buiten, NU)).then_error(
        ErrorCode.RULE_VIOLATED, "gemeente"
    )


def test_it_is_set_up_once() -> None:
    spec().given(INGESTELD).when(command(stel_in(), SECRETARIAAT, NU)).then_error(
        ErrorCode.RULE_VIOLATED, "overleg_id"
    )


def test_a_meeting_is_planned_in_the_quarter_of_its_amsterdam_date() -> None:
    # 31 December 23:30 UTC is already 1 January in Amsterdam: the next year's first quarter.
    plan = PlanVergadering(
        overleg_id=OVERLEG,
        vergadering_id=VERGADERING,
        datum=datetime(2026, 12, 31, 23, 30, tzinfo=UTC),
    )
    (event,) = spec().given(INGESTELD).when(command(plan, SECRETARIAAT, NU)).events
    assert isinstance(event, VergaderingGepland)
    assert event.kwartaal == "2027-K1"


def test_nothing_is_planned_on_an_overleg_that_does_not_exist() -> None:
    plan = PlanVergadering(overleg_id=OVERLEG, vergadering_id=VERGADERING, datum=NU)
    spec().when(command(plan, SECRETARIAAT, NU)).then_error(ErrorCode.NOT_FOUND)


def test_an_agenda_item_under_a_theme_goes_on_a_meeting_still_to_be_held() -> None:
    punt = ZetOpAgenda(
        overleg_id=OVERLEG,
        vergadering_id=VERGADERING,
        punt_id=PUNT,
        thema=Thema.TOEZICHT,
        titel="Cijfers derde kwartaal",
    )
    spec().given(INGESTELD, GEPLAND).when(command(punt, SECRETARIAAT, NU)).then(
        AgendapuntToegevoegd(**punt.model_dump())
    )
    gehouden = VergaderingGehouden(
        overleg_id=OVERLEG,
        vergadering_id=VERGADERING,
        gehouden_op=NU,
        aanwezig=[DeelnemerSoort.OVJ],
        verslag="Besproken.",
        besproken_afspraken=[],
    )
    spec().given(INGESTELD, GEPLAND, gehouden).when(command(punt, SECRETARIAAT, NU)).then_error(
        ErrorCode.RULE_VIOLATED, "vergadering_id"
    )


@pytest.mark.parametrize(
    "tekst",
    ["Casus van mevrouw met BSN 111222333", "bsn 111.222.333 besproken", "nr 11122 2333"],
)
def test_a_text_with_a_bsn_is_refused_without_repeating_the_number(tekst: str) -> None:
    with pytest.raises(ValidationError) as refused:
        ZetOpAgenda(
            overleg_id=OVERLEG,
            vergadering_id=VERGADERING,
            punt_id=PUNT,
            thema=Thema.OVERIG,
            titel=tekst,
        )
    error = validation_reply(refused.value).error  # as the API answers it
    assert error is not None
    message = error.message
    assert "individuele casussen" in message
    assert "111222333" not in message and "111.222.333" not in message


def test_a_number_that_fails_the_elfproef_is_policy_text() -> None:
    punt = ZetOpAgenda(
        overleg_id=OVERLEG,
        vergadering_id=VERGADERING,
        punt_id=PUNT,
        thema=Thema.OVERIG,
        titel="Begroting 123456789 euro en 14 dagen termijn",
    )
    assert "123456789" in punt.titel


def test_an_action_stays_on_every_agenda_until_it_is_done() -> None:
    tweede = uuid.UUID(int=20)
    volgende = GEPLAND.model_copy(update={"vergadering_id": tweede})
    houd = LegVerslagVast(
        overleg_id=OVERLEG,
        vergadering_id=tweede,
        gehouden_op=NU,
        aanwezig=[DeelnemerSoort.OVJ, DeelnemerSoort.COLLEGE],
        verslag="Voortgang besproken.",
    )
    (event,) = (
        spec()
        .given(INGESTELD, GEPLAND, AFGESPROKEN, volgende)
        .when(command(houd, SECRETARIAAT, NU))
        .events
    )
    assert isinstance(event, VergaderingGehouden)
    assert event.besproken_afspraken == [AFSPRAAK]

    in_uitvoering = AfspraakStatusGewijzigd(
        overleg_id=OVERLEG, afspraak_id=AFSPRAAK, status=AfspraakStatus.IN_UITVOERING
    )
    (event,) = (
        spec()
        .given(INGESTELD, GEPLAND, AFGESPROKEN, in_uitvoering, volgende)
        .when(command(houd, SECRETARIAAT, NU))
        .events
    )
    assert isinstance(event, VergaderingGehouden)
    assert event.besproken_afspraken == [AFSPRAAK]

    gereed = AfspraakStatusGewijzigd(
        overleg_id=OVERLEG, afspraak_id=AFSPRAAK, status=AfspraakStatus.GEREED
    )
    (event,) = (
        spec()
        .given(INGESTELD, GEPLAND, AFGESPROKEN, gereed, volgende)
        .when(command(houd, SECRETARIAAT, NU))
        .events
    )
    assert isinstance(event, VergaderingGehouden)
    assert event.besproken_afspraken == []


def test_a_finished_action_stays_finished() -> None:
    gereed = AfspraakStatusGewijzigd(
        overleg_id=OVERLEG, afspraak_id=AFSPRAAK, status=AfspraakStatus.GEREED
    )
    opnieuw = WijzigAfspraakStatus(
        overleg_id=OVERLEG, afspraak_id=AFSPRAAK, status=AfspraakStatus.OPEN
    )
    spec().given(INGESTELD, GEPLAND, AFGESPROKEN, gereed).when(
        command(opnieuw, SECRETARIAAT, NU)
    ).then_error(ErrorCode.RULE_VIOLATED, "status")


def test_an_action_is_recorded_once_per_id() -> None:
    afspraak = LegAfspraakVast(**AFGESPROKEN.model_dump())
    spec().given(INGESTELD, GEPLAND).when(command(afspraak, SECRETARIAAT, NU)).then(AFGESPROKEN)
    spec().given(INGESTELD, GEPLAND, AFGESPROKEN).when(
        command(afspraak, SECRETARIAAT, NU)
    ).then_error(ErrorCode.RULE_VIOLATED, "afspraak_id")


def test_a_meeting_cannot_have_been_held_in_the_future() -> None:
    houd = LegVerslagVast(
        overleg_id=OVERLEG,
        vergadering_id=VERGADERING,
        gehouden_op=datetime(2026, 12, 10, 9, tzinfo=UTC),
        aanwezig=[DeelnemerSoort.OVJ],
        verslag="Besproken.",
    )
    spec().given(INGESTELD, GEPLAND).when(command(houd, SECRETARIAAT, NU)).then_error(
        ErrorCode.RULE_VIOLATED, "gehouden_op"
    )


def test_an_item_escalates_to_another_table_once_per_table() -> None:
    punt = AgendapuntToegevoegd(
        overleg_id=OVERLEG,
        vergadering_id=VERGADERING,
        punt_id=PUNT,
        thema=Thema.AANBOD,
        titel="Bedden",
    )
    escaleer = EscaleerAgendapunt(
        overleg_id=OVERLEG,
        vergadering_id=VERGADERING,
        punt_id=PUNT,
        naar=AndereTafel.BESTUURLIJK,
        toelichting="Tekort aan beveiligde bedden",
    )
    (event,) = (
        spec().given(INGESTELD, GEPLAND, punt).when(command(escaleer, SECRETARIAAT, NU)).events
    )
    spec().given(INGESTELD, GEPLAND, punt, event).when(
        command(escaleer, SECRETARIAAT, NU)
    ).then_error(ErrorCode.RULE_VIOLATED, "naar")
    onbekend = escaleer.model_copy(update={"punt_id": uuid.UUID(int=99)})
    spec().given(INGESTELD, GEPLAND).when(command(onbekend, SECRETARIAAT, NU)).then_error(
        ErrorCode.NOT_FOUND, "punt_id"
    )


def test_hours_are_registered_for_a_gemeente_of_the_region_once() -> None:
    uren = RegistreerUren(
        overleg_id=OVERLEG,
        registratie_id=uuid.UUID(int=7),
        gemeente="GM0406",
        kwartaal="2026-K4",
        soort=UrenSoort.SECRETARIEEL,
        uren=Decimal("8"),
    )
    (event,) = spec().given(INGESTELD).when(command(uren, SECRETARIAAT, NU)).events
    spec().given(INGESTELD, event).when(command(uren, SECRETARIAAT, NU)).then_error(
        ErrorCode.RULE_VIOLATED, "registratie_id"
    )
    buiten = uren.model_copy(update={"gemeente": "GM0363", "registratie_id": uuid.UUID(int=8)})
    spec().given(INGESTELD).when(command(buiten, SECRETARIAAT, NU)).then_error(
        ErrorCode.RULE_VIOLATED, "gemeente"
    )


def test_a_missing_meeting_is_signalled_once_per_quarter_and_only_by_the_platform() -> None:
    signaal = SignaleerOntbrekendOverleg(overleg_id=OVERLEG, kwartaal="2027-K1")
    platform = system_actor("overleg", "GM0402")
    spec().given(INGESTELD).when(command(signaal, platform, NU)).then(
        OverlegOntbreekt(overleg_id=OVERLEG, kwartaal="2027-K1", gesignaleerd_op=NU)
    )
    spec().given(INGESTELD).when(command(signaal, SECRETARIAAT, NU)).then_error(ErrorCode.FORBIDDEN)
    gesignaleerd = OverlegOntbreekt(overleg_id=OVERLEG, kwartaal="2027-K1", gesignaleerd_op=NU)
    spec().given(INGESTELD, gesignaleerd).when(command(signaal, platform, NU)).then_error(
        ErrorCode.RULE_VIOLATED, "kwartaal"
    )
    gepland = SignaleerOntbrekendOverleg(overleg_id=OVERLEG, kwartaal="2026-K4")
    spec().given(INGESTELD, GEPLAND).when(command(gepland, platform, NU)).then_error(
        ErrorCode.RULE_VIOLATED, "kwartaal"
    )


def test_a_year_without_the_clients_perspective_is_signalled_once() -> None:
    signaal = SignaleerOntbrekendClientenperspectief(overleg_id=OVERLEG, jaar=2026)
    platform = system_actor("overleg", "GM0402")
    ontbreekt = ClientenperspectiefOntbreekt(overleg_id=OVERLEG, jaar=2026, gesignaleerd_op=NU)
    spec().given(INGESTELD, GEPLAND).when(command(signaal, platform, NU)).then(ontbreekt)
    spec().given(INGESTELD, ontbreekt).when(command(signaal, platform, NU)).then_error(
        ErrorCode.RULE_VIOLATED, "jaar"
    )
    met_clienten = GEPLAND.model_copy(update={"met_clientenperspectief": True})
    spec().given(INGESTELD, met_clienten).when(command(signaal, platform, NU)).then_error(
        ErrorCode.RULE_VIOLATED, "jaar"
    )


@pytest.mark.parametrize(
    ("dag", "kwartaal", "van", "tot"),
    [
        (date(2026, 1, 1), "2026-K1", date(2026, 1, 1), date(2026, 4, 1)),
        (date(2026, 6, 30), "2026-K2", date(2026, 4, 1), date(2026, 7, 1)),
        (date(2026, 12, 31), "2026-K4", date(2026, 10, 1), date(2027, 1, 1)),
    ],
)
def test_quarters_and_their_bounds(dag: date, kwartaal: str, van: date, tot: date) -> None:
    assert kwartaal_van(dag) == kwartaal
    assert kwartaal_grenzen(kwartaal) == (van, tot)


def test_a_malformed_quarter_is_refused() -> None:
    with pytest.raises(ValueError, match="geen kwartaal"):
        kwartaal_grenzen("2026-Q3")


def test_hours_are_not_registered_for_a_quarter_still_to_come() -> None:
    later = RegistreerUren(
        overleg_id=OVERLEG,
        registratie_id=uuid.UUID(int=9),
        gemeente="GM0402",
        kwartaal="2027-K1",
        soort=UrenSoort.SECRETARIEEL,
        uren=Decimal("8"),
    )
    spec().given(INGESTELD).when(command(later, SECRETARIAAT, NU)).then_error(
        ErrorCode.RULE_VIOLATED, "kwartaal"
    )
