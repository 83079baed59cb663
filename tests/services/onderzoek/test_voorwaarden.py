"""Essentiële voorwaarden: a request on some leefgebieden, done when each of them is done."""

from __future__ import annotations

import pytest
from pydantic import BaseModel
from wvggz_contracts.commands import Actor, ErrorCode
from wvggz_contracts.events import DomainEvent
from wvggz_contracts.onderzoek import (
    Leefgebied,
    LegVoorwaardeAfgerond,
    MeldOntbrekendeVoorwaarden,
    VoorwaardeAfgerond,
    VoorwaardenVerzoekAfgerond,
    VoorwaardenVerzoekToegewezen,
    WijsVoorwaardenToe,
)

from kernel.testing import DeciderSpec
from services.onderzoek.domain import MELD_ONTBREKENDE_VOORWAARDEN, make_voorwaarden_rulebook
from tests.services.onderzoek.fixtures import (
    BEHEER,
    CONSULENT,
    CONSULENT_HUIZEN,
    GEMEENTE,
    GEREGISTREERD,
    GGZ_CONSULTANT,
    NU,
    REGIO,
    TRIAGIST,
    VERZOEK_ID,
    cmd,
    meld,
    voorwaarden_spec,
)


def afgerond(leefgebied: Leefgebied) -> VoorwaardeAfgerond:
    return VoorwaardeAfgerond(verzoek_id=VERZOEK_ID, leefgebied=leefgebied, afgerond_op=NU)


def rond_af(leefgebied: Leefgebied) -> LegVoorwaardeAfgerond:
    return LegVoorwaardeAfgerond(verzoek_id=VERZOEK_ID, leefgebied=leefgebied)


KLAAR = VoorwaardenVerzoekAfgerond(verzoek_id=VERZOEK_ID, gemeente=GEMEENTE, afgerond_op=NU)


@pytest.fixture
def spec() -> DeciderSpec:
    return voorwaarden_spec()


@pytest.mark.parametrize("actor", [CONSULENT, BEHEER])
def test_a_consulent_or_beheer_registers_a_request_for_a_zorgverantwoordelijke(
    spec: DeciderSpec, actor: Actor
) -> None:
    spec.when(cmd(meld(), actor)).then(GEREGISTREERD)


def test_the_request_is_its_own_case(spec: DeciderSpec) -> None:
    assert spec.decider.stream(VERZOEK_ID) == f"voorwaarden-{VERZOEK_ID}"
    rulebook = make_voorwaarden_rulebook(REGIO)
    assert MELD_ONTBREKENDE_VOORWAARDEN in {rule.name for rule in rulebook.rules}
    assert rulebook.category == "voorwaarden"


@pytest.mark.parametrize(
    ("history", "payload", "field"),
    [
        ((GEREGISTREERD,), meld(), None),
        ((), meld(gemeente="GM0363"), "gemeente"),
        ((), meld(leefgebieden=[Leefgebied.WONING, Leefgebied.WONING]), "leefgebieden"),
    ],
)
def test_a_request_breaking_a_rule_is_refused(
    spec: DeciderSpec,
    history: tuple[DomainEvent, ...],
    payload: MeldOntbrekendeVoorwaarden,
    field: str | None,
) -> None:
    actor = CONSULENT.model_copy(update={"gemeente": payload.gemeente})

    spec.given(*history).when(cmd(payload, actor)).then_error(ErrorCode.RULE_VIOLATED, field=field)


def test_a_consulent_is_assigned(spec: DeciderSpec) -> None:
    spec.given(GEREGISTREERD).when(
        cmd(WijsVoorwaardenToe(verzoek_id=VERZOEK_ID, consulent="consulent-3"))
    ).then(VoorwaardenVerzoekToegewezen(verzoek_id=VERZOEK_ID, consulent="consulent-3"))


def test_assigning_the_same_consulent_again_records_nothing(spec: DeciderSpec) -> None:
    toegewezen = VoorwaardenVerzoekToegewezen(verzoek_id=VERZOEK_ID, consulent="consulent-3")

    spec.given(GEREGISTREERD, toegewezen).when(
        cmd(WijsVoorwaardenToe(verzoek_id=VERZOEK_ID, consulent="consulent-3"))
    ).then()


def test_one_leefgebied_done_leaves_the_request_open(spec: DeciderSpec) -> None:
    spec.given(GEREGISTREERD).when(cmd(rond_af(Leefgebied.WONING))).then(
        afgerond(Leefgebied.WONING)
    )


def test_the_last_leefgebied_done_completes_the_request(spec: DeciderSpec) -> None:
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
def test_a_leefgebied_not_asked_or_already_done_is_refused(
    spec: DeciderSpec, history: tuple[DomainEvent, ...], leefgebied: Leefgebied
) -> None:
    spec.given(*history).when(cmd(rond_af(leefgebied))).then_error(
        ErrorCode.RULE_VIOLATED, field="leefgebied"
    )


@pytest.mark.parametrize(
    "payload",
    [rond_af(Leefgebied.WONING), WijsVoorwaardenToe(verzoek_id=VERZOEK_ID, consulent="c-1")],
)
def test_a_completed_request_takes_no_more_steps(spec: DeciderSpec, payload: BaseModel) -> None:
    history = (GEREGISTREERD, afgerond(Leefgebied.WONING), afgerond(Leefgebied.INKOMEN), KLAAR)

    spec.given(*history).when(cmd(payload)).then_error(ErrorCode.RULE_VIOLATED)


def test_a_step_on_an_unknown_request_is_not_found(spec: DeciderSpec) -> None:
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
def test_only_permitted_roles_of_the_gemeente_act_on_a_request(
    spec: DeciderSpec, history: tuple[DomainEvent, ...], payload: BaseModel, actor: Actor
) -> None:
    spec.given(*history).when(cmd(payload, actor)).then_error(ErrorCode.FORBIDDEN)
