"""The mandate register per gemeente: hoormandaten, the users who hear for a party, and
loco-burgemeesters, kept by beheer."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from wvggz_contracts.commands import Actor, ErrorCode, Rol
from wvggz_contracts.crisis import (
    BeeindigHoorder,
    BeeindigHoormandaat,
    BeeindigLocoBurgemeester,
    Grens,
    HoorderBeeindigd,
    HoorderGeregistreerd,
    HoorderRegistratie,
    HoormandaatBeeindigd,
    HoormandaatGeregistreerd,
    LocoBurgemeesterBeeindigd,
    LocoBurgemeesterGeregistreerd,
    MandaatBewijs,
    RegistreerHoorder,
    RegistreerHoormandaat,
    RegistreerLocoBurgemeester,
)
from wvggz_contracts.rechtstijd import TIJDZONE

from kernel.decider import Decider
from kernel.testing import DeciderSpec
from services.crisis.domain import (
    REGISTREER_HOORMANDAAT,
    Mandaatregister,
    make_mandaat_rulebook,
    mandaat_id_for,
)
from services.crisis.domain.mandaat import Hoorbevoegdheid, geldig_op
from services.crisis.domain.mandaatregels import REGISTREER_HOORDER
from tests.services.crisis.fixtures import (
    ANDERE_GEMEENTE,
    BEHEER,
    GEMEENTE,
    NU,
    REGIO,
    cmd,
    command_spec,
)

REGISTER_ID = mandaat_id_for(GEMEENTE)
HOORMANDAAT = RegistreerHoormandaat(
    gemeente=GEMEENTE, partij="Vcare", geldig_van=date(2026, 1, 1), geldig_tot=date(2026, 12, 31)
)
HOORDER = RegistreerHoorder(
    gemeente=GEMEENTE, hoorder="vcare-12", partij="Vcare", geldig_van=date(2026, 1, 1)
)
LOCO = RegistreerLocoBurgemeester(
    gemeente=GEMEENTE, loco="wethouder-2", geldig_van=date(2026, 10, 26), geldig_tot=None
)


MIDDAG = datetime(2026, 1, 1, 12, tzinfo=TIJDZONE)


def register() -> Decider[Mandaatregister]:
    return make_mandaat_rulebook(REGIO).decider


def geregistreerd(**changes: object) -> HoormandaatGeregistreerd:
    base = HoormandaatGeregistreerd(
        register_id=REGISTER_ID,
        gemeente=GEMEENTE,
        partij="Vcare",
        geldig_van=date(2026, 1, 1),
        geldig_tot=date(2026, 12, 31),
        geregistreerd_door=BEHEER.id,
        geregistreerd_op=NU,
    )
    return base.model_copy(update=changes)


def loco_geregistreerd() -> LocoBurgemeesterGeregistreerd:
    return LocoBurgemeesterGeregistreerd(
        register_id=REGISTER_ID,
        gemeente=GEMEENTE,
        loco="wethouder-2",
        geldig_van=date(2026, 10, 26),
        geregistreerd_door=BEHEER.id,
        geregistreerd_op=NU,
    )


def test_one_register_per_gemeente() -> None:
    assert mandaat_id_for(GEMEENTE) == REGISTER_ID != mandaat_id_for(ANDERE_GEMEENTE)
    assert command_spec(REGISTREER_HOORMANDAAT).case_id(cmd(HOORMANDAAT, BEHEER)) == REGISTER_ID
    assert register().stream(REGISTER_ID) == f"mandaat-{REGISTER_ID}"
    assert command_spec(REGISTREER_HOORDER).case_id(cmd(HOORDER, BEHEER)) == REGISTER_ID
    assert {rule.payload for rule in make_mandaat_rulebook(REGIO).rules} == {
        RegistreerHoormandaat,
        BeeindigHoormandaat,
        RegistreerHoorder,
        BeeindigHoorder,
        RegistreerLocoBurgemeester,
        BeeindigLocoBurgemeester,
    }


def test_beheer_registers_a_party_mandated_to_hear() -> None:
    DeciderSpec(register()).when(cmd(HOORMANDAAT, BEHEER)).then(geregistreerd())

    state = register().fold([geregistreerd()])
    assert state.gemeente == GEMEENTE
    assert state.hoormandaat("vcare") == MandaatBewijs(
        partij="Vcare", geldig_van=date(2026, 1, 1), geldig_tot=date(2026, 12, 31)
    )
    assert state.hoormandaat("Kwintes") is None


def hoorder_geregistreerd(**changes: object) -> HoorderGeregistreerd:
    base = HoorderGeregistreerd(
        register_id=REGISTER_ID,
        gemeente=GEMEENTE,
        hoorder="vcare-12",
        partij="Vcare",
        geldig_van=date(2026, 1, 1),
        geregistreerd_door=BEHEER.id,
        geregistreerd_op=NU,
    )
    return base.model_copy(update=changes)


def test_beheer_registers_a_user_who_hears_for_a_party() -> None:
    DeciderSpec(register()).when(cmd(HOORDER, BEHEER)).then(hoorder_geregistreerd())

    state = register().fold([geregistreerd(), hoorder_geregistreerd()])
    registratie = HoorderRegistratie(
        hoorder="vcare-12", partij="Vcare", geldig_van=date(2026, 1, 1)
    )
    assert state.hoorder("vcare-12") == registratie
    assert state.hoorbevoegdheid("vcare-12") == Hoorbevoegdheid(
        registratie, state.hoormandaat("Vcare")
    )
    assert state.hoorbevoegdheid("vcare-99") is None


def test_the_users_party_is_found_without_case_or_spaces_and_may_lack_a_mandate() -> None:
    state = register().fold([geregistreerd(), hoorder_geregistreerd(partij="VCARE")])
    bevoegdheid = state.hoorbevoegdheid("vcare-12")
    assert bevoegdheid is not None and bevoegdheid.mandaat == state.hoormandaat("Vcare")

    zonder = register().fold([geregistreerd(), hoorder_geregistreerd(partij="Kwintes")])
    bevoegdheid = zonder.hoorbevoegdheid("vcare-12")
    assert bevoegdheid is not None and bevoegdheid.mandaat is None


def test_a_user_hears_for_one_party_at_a_time() -> None:
    state = register().fold(
        [hoorder_geregistreerd(), hoorder_geregistreerd(partij="Kwintes", geldig_van=NU)]
    )

    assert state.hoorders == (
        HoorderRegistratie(hoorder="vcare-12", partij="Kwintes", geldig_van=NU),
    )


def test_ending_a_hoorders_registration_makes_it_invalid_from_then_on() -> None:
    at = NU + timedelta(days=1)
    einde = BeeindigHoorder(gemeente=GEMEENTE, hoorder="vcare-12", reden="Uit dienst")
    spec = DeciderSpec(register()).given(hoorder_geregistreerd())
    spec.when(cmd(einde, BEHEER, at=at))
    spec.then(
        HoorderBeeindigd(
            register_id=REGISTER_ID,
            gemeente=GEMEENTE,
            hoorder="vcare-12",
            partij="Vcare",
            reden="Uit dienst",
            beeindigd_op=at,
        )
    )
    registratie = register().fold([hoorder_geregistreerd(), *spec.events]).hoorder("vcare-12")

    assert registratie is not None
    assert geldig_op(registratie, at - timedelta(seconds=1)) and not geldig_op(registratie, at)
    DeciderSpec(register()).given(hoorder_geregistreerd(), *spec.events).when(
        cmd(einde, BEHEER, at=at + timedelta(hours=1))
    ).then_error(ErrorCode.RULE_VIOLATED, "hoorder")


def test_only_a_registered_hoorder_can_be_ended() -> None:
    DeciderSpec(register()).given(hoorder_geregistreerd()).when(
        cmd(BeeindigHoorder(gemeente=GEMEENTE, hoorder="vcare-99"), BEHEER)
    ).then_error(ErrorCode.RULE_VIOLATED, "hoorder")


def test_a_hoorders_period_may_not_be_empty() -> None:
    leeg = HOORDER.model_copy(
        update={"geldig_van": date(2026, 2, 1), "geldig_tot": date(2026, 1, 1)}
    )

    DeciderSpec(register()).when(cmd(leeg, BEHEER)).then_error(
        ErrorCode.RULE_VIOLATED, "geldig_tot"
    )


@pytest.mark.parametrize(
    "payload", [HOORDER, BeeindigHoorder(gemeente=GEMEENTE, hoorder="vcare-12")]
)
def test_beheer_of_another_gemeente_may_not_register_or_end_a_hoorder(
    payload: RegistreerHoorder | BeeindigHoorder,
) -> None:
    error = (
        DeciderSpec(register())
        .given(hoorder_geregistreerd())
        .when(cmd(payload, BEHEER.model_copy(update={"gemeente": ANDERE_GEMEENTE})))
        .then_error(ErrorCode.FORBIDDEN)
    )
    assert ANDERE_GEMEENTE in error.message


def test_a_hoorder_cannot_register_themselves() -> None:
    zelf = Actor(id="vcare-12", rol=Rol.HOORDER, gemeente=GEMEENTE)

    DeciderSpec(register()).when(cmd(HOORDER, zelf)).then_error(ErrorCode.FORBIDDEN)


def test_a_new_mandate_for_the_party_replaces_the_old_one() -> None:
    verlengd = geregistreerd(geldig_tot=date(2027, 12, 31))

    state = register().fold([geregistreerd(), verlengd])

    assert state.hoormandaten == (
        MandaatBewijs(partij="Vcare", geldig_van=date(2026, 1, 1), geldig_tot=date(2027, 12, 31)),
    )


def test_ending_a_mandate_makes_it_invalid_from_then_on() -> None:
    at = NU + timedelta(days=1)
    spec = DeciderSpec(register()).given(geregistreerd())
    spec.when(
        cmd(BeeindigHoormandaat(gemeente=GEMEENTE, partij="Vcare", reden="Contract"), BEHEER, at=at)
    )
    spec.then(
        HoormandaatBeeindigd(
            register_id=REGISTER_ID,
            gemeente=GEMEENTE,
            partij="Vcare",
            reden="Contract",
            beeindigd_op=at,
        )
    )
    bewijs = register().fold([geregistreerd(), *spec.events]).hoormandaat("Vcare")

    assert bewijs is not None
    assert geldig_op(bewijs, at - timedelta(seconds=1)) and not geldig_op(bewijs, at)


@pytest.mark.parametrize(
    "payload",
    [
        BeeindigHoormandaat(gemeente=GEMEENTE, partij="Kwintes"),
        BeeindigLocoBurgemeester(gemeente=GEMEENTE, loco="wethouder-9"),
    ],
)
def test_only_a_registered_mandate_can_be_ended(
    payload: BeeindigHoormandaat | BeeindigLocoBurgemeester,
) -> None:
    DeciderSpec(register()).given(geregistreerd(), loco_geregistreerd()).when(
        cmd(payload, BEHEER)
    ).then_error(ErrorCode.RULE_VIOLATED)


def test_an_expired_mandate_cannot_be_ended_again() -> None:
    verlopen = geregistreerd(geldig_tot=date(2026, 10, 31))

    DeciderSpec(register()).given(verlopen).when(
        cmd(BeeindigHoormandaat(gemeente=GEMEENTE, partij="Vcare"), BEHEER)
    ).then_error(ErrorCode.RULE_VIOLATED, "partij")


def test_loco_burgemeesters_are_registered_and_ended() -> None:
    DeciderSpec(register()).when(cmd(LOCO, BEHEER)).then(loco_geregistreerd())
    at = NU + timedelta(hours=1)

    spec = DeciderSpec(register()).given(loco_geregistreerd())
    spec.when(cmd(BeeindigLocoBurgemeester(gemeente=GEMEENTE, loco="wethouder-2"), BEHEER, at=at))
    spec.then(
        LocoBurgemeesterBeeindigd(
            register_id=REGISTER_ID, gemeente=GEMEENTE, loco="wethouder-2", beeindigd_op=at
        )
    )
    state = register().fold([loco_geregistreerd(), *spec.events])
    assert state.loco_registratie("wethouder-2") == MandaatBewijs(
        partij="wethouder-2", geldig_van=date(2026, 10, 26), geldig_tot=at
    )


@pytest.mark.parametrize(
    ("van", "tot", "ok"),
    [
        (date(2026, 1, 1), date(2026, 1, 1), True),  # one whole day
        (date(2026, 1, 2), date(2026, 1, 1), False),
        (
            datetime(2026, 1, 1, 12, tzinfo=TIJDZONE),
            datetime(2026, 1, 1, 12, tzinfo=TIJDZONE),
            False,
        ),
        (datetime(2026, 1, 1, 12, tzinfo=TIJDZONE), date(2026, 1, 1), True),
    ],
)
def test_a_validity_period_may_not_be_empty(van: Grens, tot: Grens, ok: bool) -> None:
    payload = HOORMANDAAT.model_copy(update={"geldig_van": van, "geldig_tot": tot})

    spec = DeciderSpec(register()).when(cmd(payload, BEHEER))

    if ok:
        assert len(spec.events) == 1
    else:
        spec.then_error(ErrorCode.RULE_VIOLATED, "geldig_tot")


@pytest.mark.parametrize("rol", [r for r in Rol if r != Rol.FUNCTIONEEL_BEHEER])
def test_only_functioneel_beheer_keeps_the_register(rol: Rol) -> None:
    DeciderSpec(register()).when(
        cmd(HOORMANDAAT, Actor(id="x-1", rol=rol, gemeente=GEMEENTE))
    ).then_error(ErrorCode.FORBIDDEN)


def test_beheer_of_another_gemeente_may_not_keep_the_register() -> None:
    DeciderSpec(register()).when(
        cmd(HOORMANDAAT, BEHEER.model_copy(update={"gemeente": ANDERE_GEMEENTE}))
    ).then_error(ErrorCode.FORBIDDEN)


def test_a_gemeente_outside_the_region_is_refused() -> None:
    elders = HOORMANDAAT.model_copy(update={"gemeente": "GM0363"})

    DeciderSpec(register()).when(
        cmd(elders, BEHEER.model_copy(update={"gemeente": "GM0363"}))
    ).then_error(ErrorCode.RULE_VIOLATED, "gemeente")


def test_the_register_needs_a_region() -> None:
    with pytest.raises(ValueError, match="regio"):
        make_mandaat_rulebook(frozenset())
