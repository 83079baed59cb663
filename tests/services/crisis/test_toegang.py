"""Every crisis command: who may give it, for which gemeente, and on an unknown case."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import pytest
from pydantic import BaseModel
from wvggz_contracts.commands import Actor, ErrorCode, Rol
from wvggz_contracts.crisis import (
    BeeindigCrisismaatregel,
    HeropenMedischeVerklaring,
    LegTijdelijkeZorgVast,
    MeldCrisis,
    OndertekenMedischeVerklaring,
    RechterlijkVerzoek,
    RegistreerAdvocaat,
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

from kernel.testing import DeciderSpec
from services.crisis.domain import COMMANDS
from tests.services.crisis.fixtures import (
    ANDERE_GEMEENTE,
    BETROKKENE,
    CRISIS_ID,
    GEMEENTE,
    GEMELD_OP,
    LOCO_REGISTRATIE,
    MELDING_ID,
    NU,
    PSYCHIATER,
    SITUATIE,
    besluit,
    cmd,
    decider,
    gemeld,
    hoorverslag,
    horen_onmogelijk,
    meld,
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
    (besluit(loco_registratie=LOCO_REGISTRATIE), {Rol.BURGEMEESTER, Rol.LOCO_BURGEMEESTER}),
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

ACTOR_IDS = {
    Rol.PSYCHIATER: PSYCHIATER.id,
    Rol.HOORDER: "vcare-12",
    Rol.LOCO_BURGEMEESTER: "wethouder-2",
}


def actor(rol: Rol, gemeente: str = GEMEENTE) -> Actor:
    return Actor(id=ACTOR_IDS.get(rol, f"{rol}-1"), rol=rol, gemeente=gemeente)


def test_every_command_of_the_decider_has_an_example():
    assert {type(payload) for payload, _ in VOORBEELDEN} == {spec.payload for spec in COMMANDS}


@pytest.mark.parametrize(
    ("payload", "rol"),
    [(p, r) for p, rollen in VOORBEELDEN for r in Rol if r not in rollen],
    ids=lambda v: type(v).__name__ if isinstance(v, BaseModel) else str(v),
)
def test_a_role_that_may_not_give_the_command_is_refused(payload, rol):
    refused = DeciderSpec(decider()).given(*gemeld()).when(cmd(payload, actor(rol)))

    error = refused.then_error(ErrorCode.FORBIDDEN)
    assert "alleen" in error.message


@pytest.mark.parametrize(
    ("payload", "rol"),
    [(p, sorted(r)[0]) for p, r in VOORBEELDEN],
    ids=lambda v: type(v).__name__ if isinstance(v, BaseModel) else str(v),
)
def test_another_gemeente_may_not_act_on_the_case(payload, rol):
    refused = (
        DeciderSpec(decider()).given(*gemeld()).when(cmd(payload, actor(rol, ANDERE_GEMEENTE)))
    )

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
def test_a_command_on_an_unknown_case_is_not_found(payload, rol):
    DeciderSpec(decider()).when(cmd(payload, actor(rol), at=NU + timedelta(hours=1))).then_error(
        ErrorCode.NOT_FOUND
    )


def test_a_start_checks_the_gemeente_of_the_payload():
    DeciderSpec(decider()).when(cmd(meld(), actor(Rol.CRISISDIENST, ANDERE_GEMEENTE))).then_error(
        ErrorCode.FORBIDDEN
    )
