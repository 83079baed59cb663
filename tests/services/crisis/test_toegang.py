"""Every crisis command: who may give it, for which gemeente, and on an unknown case."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
from pydantic import BaseModel
from wvggz_contracts.commands import Actor, ErrorCode, Rol
from wvggz_contracts.crisis import (
    BeeindigCrisismaatregel,
    BeeindigHoorder,
    BeeindigHoormandaat,
    BeeindigLocoBurgemeester,
    HeropenMedischeVerklaring,
    LegTijdelijkeZorgVast,
    MeldCrisis,
    OndertekenMedischeVerklaring,
    RechterlijkVerzoek,
    RegistreerAdvocaat,
    RegistreerHoorder,
    RegistreerHoormandaat,
    RegistreerLocoBurgemeester,
    RegistreerOvjGegevens,
    RegistreerRechterlijkeBeslissing,
    RegistreerVerzoekVoortzetting,
    RegistreerVerzoekZorgmachtiging,
    SignaleerBesluitTermijnVerstreken,
    SignaleerEindeMaatregel,
    SignaleerNaderendBesluit,
    StartCrisisUitTriage,
    StelIntegraalAdviesSamen,
    VraagOvjGegevensOp,
)

from kernel.rules import Rulebook
from kernel.testing import DeciderSpec
from services.crisis.domain import make_mandaat_rulebook
from tests.services.crisis.fixtures import (
    ANDERE_GEMEENTE,
    BETROKKENE,
    CRISIS_ID,
    GEMEENTE,
    GEMELD_OP,
    MELDING_ID,
    NU,
    PSYCHIATER,
    REGIO,
    SITUATIE,
    besluit,
    cmd,
    decider,
    gemeld,
    hoorverslag,
    horen_onmogelijk,
    meld,
    rulebook,
    verklaring,
)

ID = UUID(int=1)

VOORBEELDEN: list[tuple[BaseModel, set[Rol]]] = [
    (meld(), {Rol.CRISISDIENST}),
    (
        StartCrisisUitTriage(
            melding_id=MELDING_ID,
            gemeente=GEMEENTE,
            gemeld_op=GEMELD_OP,
            betrokkene=BETROKKENE,
            situatie=SITUATIE,
        ),
        {Rol.SYSTEEM},
    ),
    (
        LegTijdelijkeZorgVast(crisis_id=CRISIS_ID, zorg="Separeren", vanaf=GEMELD_OP),
        {
            Rol.CRISISDIENST,
            Rol.PSYCHIATER,
        },
    ),
    (VraagOvjGegevensOp(crisis_id=CRISIS_ID), {Rol.CRISISDIENST, Rol.PSYCHIATER}),
    (RegistreerOvjGegevens(crisis_id=CRISIS_ID), {Rol.OVJ_KOPPELING}),
    (verklaring(), {Rol.PSYCHIATER}),
    (OndertekenMedischeVerklaring(crisis_id=CRISIS_ID, verklaring_id=ID), {Rol.PSYCHIATER}),
    (
        HeropenMedischeVerklaring(crisis_id=CRISIS_ID, verklaring_id=ID, reden="x"),
        {
            Rol.CRISISDIENST,
            Rol.PSYCHIATER,
        },
    ),
    (hoorverslag(), {Rol.HOORDER}),
    (horen_onmogelijk(), {Rol.HOORDER, Rol.CRISISDIENST}),
    (
        StelIntegraalAdviesSamen(crisis_id=CRISIS_ID),
        {
            Rol.CRISISDIENST,
            Rol.HOORDER,
            Rol.FUNCTIONEEL_BEHEER,
        },
    ),
    (besluit(), {Rol.BURGEMEESTER, Rol.LOCO_BURGEMEESTER}),
    (
        RegistreerAdvocaat(crisis_id=CRISIS_ID, advocaat="Mr. B"),
        {
            Rol.FUNCTIONEEL_BEHEER,
            Rol.SYSTEEM,
        },
    ),
    (RegistreerVerzoekVoortzetting(crisis_id=CRISIS_ID, ingediend_op=NU), {Rol.OVJ_KOPPELING}),
    (
        RegistreerRechterlijkeBeslissing(
            crisis_id=CRISIS_ID,
            verzoek=RechterlijkVerzoek.VOORTZETTING,
            toegewezen=True,
            beslist_op=NU,
        ),
        {Rol.OVJ_KOPPELING},
    ),
    (RegistreerVerzoekZorgmachtiging(crisis_id=CRISIS_ID, ingediend_op=NU), {Rol.OVJ_KOPPELING}),
    (
        BeeindigCrisismaatregel(crisis_id=CRISIS_ID, geneesheer_directeur="Dr. G", reden="x"),
        {Rol.FUNCTIONEEL_BEHEER},
    ),
    (SignaleerNaderendBesluit(crisis_id=CRISIS_ID), {Rol.SYSTEEM}),
    (SignaleerBesluitTermijnVerstreken(crisis_id=CRISIS_ID), {Rol.SYSTEEM}),
    (SignaleerEindeMaatregel(crisis_id=CRISIS_ID), {Rol.SYSTEEM}),
]
"""One payload per command on a case, with the roles that may give it."""

REGISTER_VOORBEELDEN: list[tuple[BaseModel, set[Rol]]] = [
    (
        RegistreerHoormandaat(gemeente=GEMEENTE, partij="Vcare", geldig_van=GEMELD_OP),
        {Rol.FUNCTIONEEL_BEHEER},
    ),
    (BeeindigHoormandaat(gemeente=GEMEENTE, partij="Vcare"), {Rol.FUNCTIONEEL_BEHEER}),
    (
        RegistreerHoorder(
            gemeente=GEMEENTE, hoorder="vcare-12", partij="Vcare", geldig_van=GEMELD_OP
        ),
        {Rol.FUNCTIONEEL_BEHEER},
    ),
    (BeeindigHoorder(gemeente=GEMEENTE, hoorder="vcare-12"), {Rol.FUNCTIONEEL_BEHEER}),
    (
        RegistreerLocoBurgemeester(gemeente=GEMEENTE, loco="wethouder-2", geldig_van=GEMELD_OP),
        {Rol.FUNCTIONEEL_BEHEER},
    ),
    (BeeindigLocoBurgemeester(gemeente=GEMEENTE, loco="wethouder-2"), {Rol.FUNCTIONEEL_BEHEER}),
]
"""One payload per command on a gemeente's mandate register, with the roles that may give it."""

REGISTERS = make_mandaat_rulebook(REGIO)
RULEBOOKS: tuple[Rulebook[Any], ...] = (rulebook(), REGISTERS)
ALLE_VOORBEELDEN = VOORBEELDEN + REGISTER_VOORBEELDEN


def given(payload: BaseModel) -> DeciderSpec:
    """A started crisis case, or an empty mandate register, for this payload's command."""
    if any(rule.payload is type(payload) for rule in REGISTERS.rules):
        return DeciderSpec(REGISTERS.decider)
    return DeciderSpec(decider()).given(*gemeld())


ACTOR_IDS = {
    Rol.PSYCHIATER: PSYCHIATER.id,
    Rol.HOORDER: "vcare-12",
    Rol.LOCO_BURGEMEESTER: "wethouder-2",
}


def actor(rol: Rol, gemeente: str = GEMEENTE) -> Actor:
    return Actor(id=ACTOR_IDS.get(rol, f"{rol}-1"), rol=rol, gemeente=gemeente)


def test_every_command_of_the_rulebooks_has_an_example() -> None:
    declared = [rule.payload for book in RULEBOOKS for rule in book.rules]

    assert sorted(type(payload).__name__ for payload, _ in ALLE_VOORBEELDEN) == sorted(
        payload.__name__ for payload in declared
    )


@pytest.mark.parametrize(("payload", "rollen"), ALLE_VOORBEELDEN, ids=lambda v: type(v).__name__)
def test_the_examples_name_the_roles_the_rules_declare(
    payload: BaseModel, rollen: set[Rol]
) -> None:
    [rule] = [r for book in RULEBOOKS for r in book.rules if r.payload is type(payload)]

    assert rule.rollen == rollen


@pytest.mark.parametrize(
    ("payload", "rol"),
    [(p, r) for p, rollen in ALLE_VOORBEELDEN for r in Rol if r not in rollen],
    ids=lambda v: type(v).__name__ if isinstance(v, BaseModel) else str(v),
)
def test_a_role_that_may_not_give_the_command_is_refused(payload: BaseModel, rol: Rol) -> None:
    refused = given(payload).when(cmd(payload, actor(rol)))

    error = refused.then_error(ErrorCode.FORBIDDEN)
    assert "alleen" in error.message


@pytest.mark.parametrize(
    ("payload", "rol"),
    [(p, sorted(r)[0]) for p, r in ALLE_VOORBEELDEN],
    ids=lambda v: type(v).__name__ if isinstance(v, BaseModel) else str(v),
)
def test_another_gemeente_may_not_act_on_the_case(payload: BaseModel, rol: Rol) -> None:
    refused = given(payload).when(cmd(payload, actor(rol, ANDERE_GEMEENTE)))

    error = refused.then_error(ErrorCode.FORBIDDEN)
    assert ANDERE_GEMEENTE in error.message


@pytest.mark.parametrize(
    ("payload", "rol"),
    [
        (p, sorted(r)[0])
        for p, r in VOORBEELDEN
        if not isinstance(p, MeldCrisis | StartCrisisUitTriage)
    ],
    ids=lambda v: type(v).__name__ if isinstance(v, BaseModel) else str(v),
)
def test_a_command_on_an_unknown_case_is_not_found(payload: BaseModel, rol: Rol) -> None:
    DeciderSpec(decider()).when(cmd(payload, actor(rol), at=NU + timedelta(hours=1))).then_error(
        ErrorCode.NOT_FOUND
    )


def test_a_start_checks_the_gemeente_of_the_payload() -> None:
    DeciderSpec(decider()).when(cmd(meld(), actor(Rol.CRISISDIENST, ANDERE_GEMEENTE))).then_error(
        ErrorCode.FORBIDDEN
    )
