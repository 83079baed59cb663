"""Domain specs of a melding: given events, when a command, then events or a refusal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from wvggz_contracts.commands import Actor, ErrorCode, Rol
from wvggz_contracts.gemeenten import GOOI_EN_VECHTSTREEK
from wvggz_contracts.meldpunt import MeldingOntvangen

from kernel.testing import DeciderSpec, command
from services.meldpunt.domain import make_decider, melding_id_for
from tests.services.meldpunt.fixtures import registreer_melding


@pytest.fixture
def spec() -> DeciderSpec:
    return DeciderSpec(make_decider(frozenset(GOOI_EN_VECHTSTREEK)))


def test_registering_a_melding_records_it_received(spec, triagist, now):
    cmd = command(registreer_melding(now), triagist, now)

    spec.given().when(cmd).then(
        MeldingOntvangen(
            melding_id=melding_id_for(cmd),
            gemeente="GM0402",
            ontvangen_op=cmd.payload.ontvangen_op,
            kanaal=cmd.payload.kanaal,
            melder=cmd.payload.melder,
            betrokkene=cmd.payload.betrokkene,
            situatie=cmd.payload.situatie,
        )
    )


def test_the_same_melding_cannot_be_registered_twice(spec, triagist, now):
    cmd = command(registreer_melding(now), triagist, now)
    [earlier] = make_decider(frozenset(GOOI_EN_VECHTSTREEK)).decide(cmd, spec.decider.initial_state)

    spec.given(earlier).when(cmd).then_error(ErrorCode.RULE_VIOLATED)


def test_a_gemeente_outside_the_region_is_refused_naming_the_field(spec, now):
    amsterdam = Actor(id="t-1", rol=Rol.TRIAGIST, gemeente="GM0363")
    cmd = command(registreer_melding(now, gemeente="GM0363"), amsterdam, now)

    spec.when(cmd).then_error(ErrorCode.RULE_VIOLATED, field="gemeente")


def test_a_melding_received_in_the_future_is_refused(spec, triagist, now):
    cmd = command(registreer_melding(now, ontvangen_op=now + timedelta(hours=1)), triagist, now)

    spec.when(cmd).then_error(ErrorCode.RULE_VIOLATED, field="ontvangen_op")


def test_only_a_triagist_may_register_a_melding(spec, now):
    consulent = Actor(id="c-1", rol=Rol.CONSULENT, gemeente="GM0402")

    spec.when(command(registreer_melding(now), consulent, now)).then_error(ErrorCode.FORBIDDEN)


def test_a_triagist_may_not_register_for_another_gemeente(spec, now):
    huizen = Actor(id="t-2", rol=Rol.TRIAGIST, gemeente="GM0406")

    refusal = spec.when(command(registreer_melding(now), huizen, now)).then_error(
        ErrorCode.FORBIDDEN
    )

    assert "GM0402" in refusal.message
