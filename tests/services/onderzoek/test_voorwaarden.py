"""Essentiële voorwaarden: a request on some leefgebieden, done when each of them is done."""

from __future__ import annotations

from uuid import UUID

import pytest
from wvggz_contracts.commands import ErrorCode
from wvggz_contracts.onderzoek import (
    Contactpersoon,
    Leefgebied,
    LegVoorwaardeAfgerond,
    MeldOntbrekendeVoorwaarden,
    VoorwaardeAfgerond,
    VoorwaardenAanleiding,
    VoorwaardenVerzoekAfgerond,
    VoorwaardenVerzoekGeregistreerd,
    VoorwaardenVerzoekToegewezen,
    WijsVoorwaardenToe,
)

from kernel.testing import DeciderSpec
from services.onderzoek.domain import (
    MELD_ONTBREKENDE_VOORWAARDEN,
    VOORWAARDEN_COMMANDS,
    make_voorwaarden_decider,
)
from tests.services.onderzoek.fixtures import (
    BEHEER,
    BETROKKENE,
    CONSULENT,
    CONSULENT_HUIZEN,
    GEMEENTE,
    GGZ_CONSULTANT,
    NU,
    REGIO,
    TRIAGIST,
    cmd,
)

VERZOEK_ID = UUID("7a9c1e3f-2b4d-4f6a-8c0e-1d3f5a7b9c2e")
ZORGVERANTWOORDELIJKE = Contactpersoon(naam="Z. Arts", organisatie="GGZ Centraal")
GEBIEDEN = [Leefgebied.WONING, Leefgebied.INKOMEN]


def meld(**changes: object) -> MeldOntbrekendeVoorwaarden:
    base = MeldOntbrekendeVoorwaarden(
        verzoek_id=VERZOEK_ID,
        gemeente=GEMEENTE,
        aanleiding=VoorwaardenAanleiding.ONTSLAG,
        betrokkene=BETROKKENE,
        zorgverantwoordelijke=ZORGVERANTWOORDELIJKE,
        leefgebieden=GEBIEDEN,
    )
    return base.model_copy(update=changes)


GEREGISTREERD = VoorwaardenVerzoekGeregistreerd(
    verzoek_id=VERZOEK_ID,
    gemeente=GEMEENTE,
    aanleiding=VoorwaardenAanleiding.ONTSLAG,
    betrokkene=BETROKKENE,
    zorgverantwoordelijke=ZORGVERANTWOORDELIJKE,
    leefgebieden=GEBIEDEN,
    geregistreerd_op=NU,
)


def afgerond(leefgebied: Leefgebied) -> VoorwaardeAfgerond:
    return VoorwaardeAfgerond(verzoek_id=VERZOEK_ID, leefgebied=leefgebied, afgerond_op=NU)


def rond_af(leefgebied: Leefgebied) -> LegVoorwaardeAfgerond:
    return LegVoorwaardeAfgerond(verzoek_id=VERZOEK_ID, leefgebied=leefgebied)


KLAAR = VoorwaardenVerzoekAfgerond(verzoek_id=VERZOEK_ID, gemeente=GEMEENTE, afgerond_op=NU)


@pytest.fixture
def spec() -> DeciderSpec:
    return DeciderSpec(make_voorwaarden_decider(REGIO))


@pytest.mark.parametrize("actor", [CONSULENT, BEHEER])
def test_a_consulent_or_beheer_registers_a_request_for_a_zorgverantwoordelijke(spec, actor):
    spec.when(cmd(meld(), actor)).then(GEREGISTREERD)


def test_the_request_is_its_own_case(spec):
    assert spec.decider.stream(VERZOEK_ID) == f"voorwaarden-{VERZOEK_ID}"
    assert MELD_ONTBREKENDE_VOORWAARDEN in VOORWAARDEN_COMMANDS


@pytest.mark.parametrize(
    ("history", "payload", "field"),
    [
        ((GEREGISTREERD,), meld(), None),
        ((), meld(gemeente="GM0363"), "gemeente"),
        ((), meld(leefgebieden=[Leefgebied.WONING, Leefgebied.WONING]), "leefgebieden"),
    ],
)
def test_a_request_breaking_a_rule_is_refused(spec, history, payload, field):
    actor = CONSULENT.model_copy(update={"gemeente": payload.gemeente})

    spec.given(*history).when(cmd(payload, actor)).then_error(ErrorCode.RULE_VIOLATED, field=field)


def test_a_consulent_is_assigned(spec):
    spec.given(GEREGISTREERD).when(
        cmd(WijsVoorwaardenToe(verzoek_id=VERZOEK_ID, consulent="consulent-3"))
    ).then(VoorwaardenVerzoekToegewezen(verzoek_id=VERZOEK_ID, consulent="consulent-3"))


def test_assigning_the_same_consulent_again_records_nothing(spec):
    toegewezen = VoorwaardenVerzoekToegewezen(verzoek_id=VERZOEK_ID, consulent="consulent-3")

    spec.given(GEREGISTREERD, toegewezen).when(
        cmd(WijsVoorwaardenToe(verzoek_id=VERZOEK_ID, consulent="consulent-3"))
    ).then()


def test_one_leefgebied_done_leaves_the_request_open(spec):
    spec.given(GEREGISTREERD).when(cmd(rond_af(Leefgebied.WONING))).then(
        afgerond(Leefgebied.WONING)
    )


def test_the_last_leefgebied_done_completes_the_request(spec):
    spec.given(GEREGISTREERD, afgerond(Leefgebied.WONING)).when(
        cmd(rond_af(Leefgebied.INKOMEN))
    ).then(afgerond(Leefgebied.INKOMEN), KLAAR)


@pytest.mark.parametrize(
    ("history", "leefgebied"),
    [
        ((GEREGISTREERD,), Leefgebied.SCHULDEN),
        ((GEREGISTREERD, afgerond(Leefgebied.WONING)), Leefgebied.WONING),
    ],
)
def test_a_leefgebied_not_asked_or_already_done_is_refused(spec, history, leefgebied):
    spec.given(*history).when(cmd(rond_af(leefgebied))).then_error(
        ErrorCode.RULE_VIOLATED, field="leefgebied"
    )


@pytest.mark.parametrize(
    "payload",
    [rond_af(Leefgebied.WONING), WijsVoorwaardenToe(verzoek_id=VERZOEK_ID, consulent="c-1")],
)
def test_a_completed_request_takes_no_more_steps(spec, payload):
    history = (GEREGISTREERD, afgerond(Leefgebied.WONING), afgerond(Leefgebied.INKOMEN), KLAAR)

    spec.given(*history).when(cmd(payload)).then_error(ErrorCode.RULE_VIOLATED)


def test_a_step_on_an_unknown_request_is_not_found(spec):
    spec.when(cmd(rond_af(Leefgebied.WONING))).then_error(ErrorCode.NOT_FOUND)


@pytest.mark.parametrize(
    ("history", "payload", "actor"),
    [
        ((), meld(), TRIAGIST),
        ((), meld(), GGZ_CONSULTANT),
        ((), meld(), CONSULENT_HUIZEN),
        ((GEREGISTREERD,), rond_af(Leefgebied.WONING), BEHEER),
        ((GEREGISTREERD,), rond_af(Leefgebied.WONING), CONSULENT_HUIZEN),
        ((GEREGISTREERD,), WijsVoorwaardenToe(verzoek_id=VERZOEK_ID, consulent="c"), TRIAGIST),
    ],
)
def test_only_permitted_roles_of_the_gemeente_act_on_a_request(spec, history, payload, actor):
    spec.given(*history).when(cmd(payload, actor)).then_error(ErrorCode.FORBIDDEN)
