"""Domain specs of recording that the onderzoek closed a melding's VO."""

from __future__ import annotations

import uuid
from datetime import datetime

import pytest
from wvggz_contracts.commands import Actor, ErrorCode, Rol
from wvggz_contracts.events import DomainEvent
from wvggz_contracts.meldpunt import RegistreerVoAfsluiting, VoAfsluitingGeregistreerd

from kernel.testing import DeciderSpec, command
from tests.services.meldpunt.fixtures import MELDING, meldpunt_spec, ontvangen, rond_triage_af

SYSTEEM = Actor(id="wvggz-meldpunt", rol=Rol.SYSTEEM, gemeente="GM0402")
VO = uuid.uuid4()


@pytest.fixture
def spec() -> DeciderSpec:
    return meldpunt_spec()


def afsluiting(now: datetime) -> RegistreerVoAfsluiting:
    return RegistreerVoAfsluiting(melding_id=MELDING, vo_id=VO, afgesloten_op=now)


def naar_vo(spec: DeciderSpec, triagist: Actor, now: datetime) -> list[DomainEvent]:
    melding = ontvangen(now)
    return [
        melding,
        *spec.decider.decide(
            command(rond_triage_af(), triagist, now), spec.decider.fold([melding])
        ),
    ]


def test_a_closed_vo_is_recorded_on_its_melding(
    spec: DeciderSpec, triagist: Actor, now: datetime
) -> None:
    spec.given(*naar_vo(spec, triagist, now)).when(command(afsluiting(now), SYSTEEM, now)).then(
        VoAfsluitingGeregistreerd(
            melding_id=MELDING, gemeente="GM0402", vo_id=VO, afgesloten_op=now
        )
    )


def test_recording_it_again_records_nothing(
    spec: DeciderSpec, triagist: Actor, now: datetime
) -> None:
    history = naar_vo(spec, triagist, now)
    [closed] = spec.decider.decide(
        command(afsluiting(now), SYSTEEM, now), spec.decider.fold(history)
    )

    spec.given(*history, closed).when(command(afsluiting(now), SYSTEEM, now)).then()


def test_a_melding_that_did_not_go_to_vo_is_refused(spec: DeciderSpec, now: datetime) -> None:
    spec.given(ontvangen(now)).when(command(afsluiting(now), SYSTEEM, now)).then_error(
        ErrorCode.RULE_VIOLATED
    )


def test_only_the_service_itself_records_it(
    spec: DeciderSpec, triagist: Actor, now: datetime
) -> None:
    spec.given(*naar_vo(spec, triagist, now)).when(
        command(afsluiting(now), triagist, now)
    ).then_error(ErrorCode.FORBIDDEN)
