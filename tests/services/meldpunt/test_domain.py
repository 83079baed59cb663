"""Domain specs of registering a melding: given events, when a command, then events or a refusal."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

import pytest
from pydantic import ValidationError
from wvggz_contracts.commands import Actor, ErrorCode, Rol
from wvggz_contracts.meldpunt import (
    BriefInhoud,
    BriefSoort,
    ErnstigNadeel,
    MelderBriefKlaargezet,
    MeldingOntvangen,
    RegistreerMelding,
    vo_termijn_eind,
)
from wvggz_contracts.personen import Betrokkene, Melder

from kernel.testing import DeciderSpec
from services.meldpunt.domain import MAX_SAMENHANG, make_rulebook, melding_id_for
from tests.services.meldpunt.fixtures import (
    BUUR,
    REGIO,
    ZONDER_CONTACT,
    meldpunt_spec,
    registratie,
    registreer_melding,
)


@pytest.fixture
def spec() -> DeciderSpec:
    return meldpunt_spec()


def test_registering_a_melding_records_it_received_with_a_receipt_for_the_melder(
    spec: DeciderSpec, triagist: Actor, now: datetime
) -> None:
    cmd = registratie(registreer_melding(now, melder=BUUR), triagist, now)
    melding_id = melding_id_for(cmd)

    spec.given().when(cmd).then(
        MeldingOntvangen(
            melding_id=melding_id,
            gemeente="GM0402",
            ontvangen_op=cmd.payload.ontvangen_op,
            kanaal=cmd.payload.kanaal,
            melder=cmd.payload.melder,
            betrokkene=cmd.payload.betrokkene,
            situatie=cmd.payload.situatie,
            vo_termijn_eind=vo_termijn_eind(cmd.payload.ontvangen_op),
        ),
        MelderBriefKlaargezet(
            melding_id=melding_id,
            gemeente="GM0402",
            brief=BriefSoort.ONTVANGSTBEVESTIGING,
            aan=cmd.payload.melder,
            inhoud=BriefInhoud(melding_ontvangen_op=cmd.payload.ontvangen_op),
        ),
    )


def test_observations_questionnaire_and_related_cases_are_recorded_as_given(
    spec: DeciderSpec, triagist: Actor, now: datetime
) -> None:
    eerder = [uuid.uuid4(), uuid.uuid4()]
    melding = registreer_melding(
        now,
        ernstig_nadeel=[ErnstigNadeel.ERNSTIGE_VERWAARLOZING, ErnstigNadeel.HINDERLIJK_GEDRAG],
        vragenlijst={"v1-sinds-wanneer": "Drie weken", "v2-wapens": "Nee"},
        samenhang=eerder,
    )

    [ontvangen] = (spec.when(registratie(melding, triagist, now))).events

    assert isinstance(ontvangen, MeldingOntvangen)
    assert ontvangen.ernstig_nadeel == melding.ernstig_nadeel
    assert ontvangen.vragenlijst == melding.vragenlijst
    assert ontvangen.samenhang == eerder


def test_related_cases_the_service_found_are_added_after_the_given_ones_once_and_capped(
    spec: DeciderSpec, triagist: Actor, now: datetime
) -> None:
    gegeven = [uuid.UUID(int=5)]
    gevonden = frozenset({uuid.UUID(int=n) for n in range(1, 150)})

    [ontvangen] = (
        spec.when(
            registratie(
                registreer_melding(now, samenhang=gegeven), triagist, now, gevonden=gevonden
            )
        )
    ).events

    assert isinstance(ontvangen, MeldingOntvangen)
    assert ontvangen.samenhang[0] == uuid.UUID(int=5)
    assert ontvangen.samenhang.count(uuid.UUID(int=5)) == 1
    assert len(ontvangen.samenhang) == MAX_SAMENHANG
    assert ontvangen.samenhang[1:] == sorted(gevonden - {uuid.UUID(int=5)}, key=str)[:99]


def test_a_melding_cannot_be_related_to_itself(
    spec: DeciderSpec, triagist: Actor, now: datetime
) -> None:
    command_id = uuid.uuid4()
    zelf = melding_id_for(registratie(registreer_melding(now), triagist, now, command_id))
    cmd = registratie(registreer_melding(now, samenhang=[zelf]), triagist, now, command_id)

    spec.when(cmd).then_error(ErrorCode.RULE_VIOLATED, field="samenhang")


@pytest.mark.parametrize(
    ("telefoon", "email", "adres"),
    [("035-1", None, None), (None, "a@example.org", None), (None, None, "Kerkstraat 1")],
)
def test_any_contact_detail_earns_the_melder_a_receipt(
    spec: DeciderSpec,
    triagist: Actor,
    now: datetime,
    telefoon: str | None,
    email: str | None,
    adres: str | None,
) -> None:
    melder = Melder(naam="A. Buur", telefoon=telefoon, email=email, adres=adres, relatie="buur")

    events = (spec.when(registratie(registreer_melding(now, melder=melder), triagist, now))).events

    assert [type(e) for e in events] == [MeldingOntvangen, MelderBriefKlaargezet]


def test_a_melder_without_contact_details_gets_no_receipt(
    spec: DeciderSpec, triagist: Actor, now: datetime
) -> None:
    events = (
        spec.when(registratie(registreer_melding(now, melder=ZONDER_CONTACT), triagist, now))
    ).events

    assert [type(e) for e in events] == [MeldingOntvangen]


def test_the_same_melding_cannot_be_registered_twice(
    spec: DeciderSpec, triagist: Actor, now: datetime
) -> None:
    cmd = registratie(registreer_melding(now), triagist, now)
    [earlier] = make_rulebook(REGIO).decider.decide(cmd, spec.decider.initial_state)

    spec.given(earlier).when(cmd).then_error(ErrorCode.RULE_VIOLATED)


def test_a_gemeente_outside_the_region_is_refused_naming_the_field(
    spec: DeciderSpec, now: datetime
) -> None:
    amsterdam = Actor(id="t-1", rol=Rol.TRIAGIST, gemeente="GM0363")
    cmd = registratie(registreer_melding(now, gemeente="GM0363"), amsterdam, now)

    spec.when(cmd).then_error(ErrorCode.RULE_VIOLATED, field="gemeente")


def test_a_melding_received_in_the_future_is_refused(
    spec: DeciderSpec, triagist: Actor, now: datetime
) -> None:
    cmd = registratie(registreer_melding(now, ontvangen_op=now + timedelta(hours=1)), triagist, now)

    spec.when(cmd).then_error(ErrorCode.RULE_VIOLATED, field="ontvangen_op")


def test_a_betrokkene_born_in_the_future_is_refused(
    spec: DeciderSpec, triagist: Actor, now: datetime
) -> None:
    ongeboren = Betrokkene(naam="J. Voorbeeld", geboortedatum=date(2030, 1, 1))
    cmd = registratie(registreer_melding(now, betrokkene=ongeboren), triagist, now)

    spec.when(cmd).then_error(ErrorCode.RULE_VIOLATED, field="betrokkene.geboortedatum")


@pytest.mark.parametrize("rol", [Rol.CONSULENT, Rol.FUNCTIONEEL_BEHEER, Rol.SYSTEEM])
def test_only_a_triagist_may_register_a_melding(spec: DeciderSpec, now: datetime, rol: Rol) -> None:
    actor = Actor(id="x-1", rol=rol, gemeente="GM0402")

    refusal = spec.when(registratie(registreer_melding(now), actor, now)).then_error(
        ErrorCode.FORBIDDEN
    )

    assert rol.value in refusal.message and "triagist" in refusal.message


def test_a_triagist_may_not_register_for_another_gemeente(spec: DeciderSpec, now: datetime) -> None:
    huizen = Actor(id="t-2", rol=Rol.TRIAGIST, gemeente="GM0406")

    refusal = spec.when(registratie(registreer_melding(now), huizen, now)).then_error(
        ErrorCode.FORBIDDEN
    )

    assert "GM0402" in refusal.message


def test_an_observed_category_may_be_given_only_once(now: datetime) -> None:
    with pytest.raises(ValidationError, match="ernstig_nadeel"):
        RegistreerMelding.model_validate(
            registreer_melding(now).model_dump() | {"ernstig_nadeel": ["levensgevaar"] * 2}
        )
