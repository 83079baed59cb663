"""Every VO command: who may give it, for which gemeente, on an unknown or a closed VO."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from pydantic import BaseModel
from wvggz_contracts.commands import Actor, ErrorCode, Rol
from wvggz_contracts.onderzoek import (
    AfsluitReden,
    BeoordeelToets,
    Concludeer,
    Leefgebied,
    LeefgebiedStatus,
    LegGesprekVast,
    LegGgzConsultatieVast,
    LegLeefgebiedVast,
    LegOcoWijzingVast,
    LegRapportVast,
    RegistreerOvjReactie,
    SignaleerNaderendeTermijn,
    SignaleerTermijnVerstreken,
    Toets,
    VoAfgesloten,
    WijsConsulentToe,
)

from kernel.testing import DeciderSpec
from services.onderzoek.domain import COMMANDS, make_decider
from tests.services.onderzoek.fixtures import (
    DEADLINE,
    GEMEENTE,
    GEOPEND_OP,
    MELDING_ID,
    NU,
    REGIO,
    VO_ID,
    cmd,
    open_vo,
    vo_geopend,
)

VOORBEELDEN: dict[type[BaseModel], BaseModel] = {
    WijsConsulentToe: WijsConsulentToe(vo_id=VO_ID, consulent="consulent-3"),
    LegGesprekVast: LegGesprekVast(
        vo_id=VO_ID, vonden_plaats=True, datum=date(2026, 11, 4), samenvatting="Gesprek."
    ),
    LegOcoWijzingVast: LegOcoWijzingVast(vo_id=VO_ID, datum=date(2026, 11, 4)),
    LegGgzConsultatieVast: LegGgzConsultatieVast(
        vo_id=VO_ID, consultant="ggz-1", datum=date(2026, 11, 4), uren=Decimal(1), onderwerp="x"
    ),
    BeoordeelToets: BeoordeelToets(
        vo_id=VO_ID, toets=Toets.ERNSTIG_NADEEL, aannemelijk=True, motivatie="x"
    ),
    LegLeefgebiedVast: LegLeefgebiedVast(
        vo_id=VO_ID,
        leefgebied=Leefgebied.WONING,
        status=LeefgebiedStatus.IN_ORDE,
        ondersteuning_nodig=False,
    ),
    LegRapportVast: LegRapportVast(vo_id=VO_ID, samenvatting="Rapport."),
    Concludeer: Concludeer(vo_id=VO_ID, reden="Geen noodzaak."),
    RegistreerOvjReactie: RegistreerOvjReactie(
        vo_id=VO_ID, bereidt_verzoekschrift_voor=True, ontvangen_op=NU
    ),
    SignaleerNaderendeTermijn: SignaleerNaderendeTermijn(vo_id=VO_ID),
    SignaleerTermijnVerstreken: SignaleerTermijnVerstreken(vo_id=VO_ID),
}
"""One valid payload per command on an opened VO."""

ROLLEN: dict[type[BaseModel], set[Rol]] = {
    WijsConsulentToe: {Rol.CONSULENT, Rol.FUNCTIONEEL_BEHEER},
    LegGesprekVast: {Rol.CONSULENT},
    LegOcoWijzingVast: {Rol.CONSULENT},
    LegGgzConsultatieVast: {Rol.CONSULENT, Rol.GGZ_CONSULTANT},
    BeoordeelToets: {Rol.CONSULENT},
    LegLeefgebiedVast: {Rol.CONSULENT},
    LegRapportVast: {Rol.CONSULENT},
    Concludeer: {Rol.CONSULENT},
    RegistreerOvjReactie: {Rol.OVJ_KOPPELING},
    SignaleerNaderendeTermijn: {Rol.SYSTEEM},
    SignaleerTermijnVerstreken: {Rol.SYSTEEM},
}

GEWEIGERD = [
    (payload_type, rol)
    for payload_type, rollen in ROLLEN.items()
    for rol in Rol
    if rol not in rollen
]
TOEGESTAAN = [(payload_type, rol) for payload_type, rollen in ROLLEN.items() for rol in rollen]

AFGESLOTEN = VoAfgesloten(
    vo_id=VO_ID,
    melding_id=MELDING_ID,
    gemeente=GEMEENTE,
    reden=AfsluitReden.GEEN_AANVRAAG,
    toelichting="Verhuisd.",
    afgesloten_op=NU,
)


@pytest.fixture
def spec() -> DeciderSpec:
    return DeciderSpec(make_decider(REGIO))


def actor(rol: Rol, gemeente: str = GEMEENTE) -> Actor:
    return Actor(id=f"{rol}-1", rol=rol, gemeente=gemeente)


def test_the_tables_cover_every_command_of_the_decider():
    assert {spec.payload for spec in COMMANDS} == {*ROLLEN, type(open_vo())}
    assert set(VOORBEELDEN) == set(ROLLEN)


@pytest.mark.parametrize(("payload_type", "rol"), GEWEIGERD)
def test_a_role_without_the_right_is_refused_naming_the_roles(spec, payload_type, rol):
    refusal = (
        spec.given(vo_geopend())
        .when(cmd(VOORBEELDEN[payload_type], actor(rol), DEADLINE))
        .then_error(ErrorCode.FORBIDDEN)
    )

    assert f"niet de rol {rol}" in refusal.message
    assert all(str(toegestaan) in refusal.message for toegestaan in ROLLEN[payload_type])


@pytest.mark.parametrize(("payload_type", "rol"), TOEGESTAAN)
def test_a_permitted_role_of_another_gemeente_is_refused_naming_both(spec, payload_type, rol):
    refusal = (
        spec.given(vo_geopend())
        .when(cmd(VOORBEELDEN[payload_type], actor(rol, "GM0406"), DEADLINE))
        .then_error(ErrorCode.FORBIDDEN)
    )

    assert "GM0406" in refusal.message and GEMEENTE in refusal.message


@pytest.mark.parametrize(("payload_type", "rol"), TOEGESTAAN)
def test_a_command_on_an_unknown_vo_is_not_found(spec, payload_type, rol):
    spec.given().when(cmd(VOORBEELDEN[payload_type], actor(rol), DEADLINE)).then_error(
        ErrorCode.NOT_FOUND
    )


@pytest.mark.parametrize(
    "payload_type",
    [t for t in ROLLEN if t not in {SignaleerNaderendeTermijn, SignaleerTermijnVerstreken}],
)
def test_a_step_on_a_closed_vo_is_refused(spec, payload_type):
    rol = next(iter(sorted(ROLLEN[payload_type])))

    refusal = (
        spec.given(vo_geopend(), AFGESLOTEN)
        .when(cmd(VOORBEELDEN[payload_type], actor(rol), DEADLINE))
        .then_error(ErrorCode.RULE_VIOLATED)
    )

    expected = (
        "bij dit onderzoek is geen aanvraag bij de officier ingediend"
        if payload_type is RegistreerOvjReactie
        else "het onderzoek is afgesloten"
    )
    assert refusal.message == expected


@pytest.mark.parametrize("rol", [r for r in Rol if r is not Rol.SYSTEEM])
def test_only_the_system_opens_a_vo(spec, rol):
    spec.when(cmd(open_vo(), actor(rol), GEOPEND_OP)).then_error(ErrorCode.FORBIDDEN)


def test_an_unknown_command_is_refused(spec):
    class Onbekend(BaseModel):
        vo_id: object = VO_ID

    spec.given(vo_geopend()).when(cmd(Onbekend(), actor(Rol.CONSULENT))).then_error(
        ErrorCode.FORBIDDEN
    )
