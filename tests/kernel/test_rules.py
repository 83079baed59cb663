"""The rule registry derives dispatch, role and gemeente checks, phase guards and specs."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import ClassVar

import pytest
from pydantic import BaseModel, ConfigDict
from wvggz_contracts.commands import Actor, ErrorCode, Rol
from wvggz_contracts.events import DomainEvent

from kernel.decider import Command, DomainError, Lookup, refuse, violated
from kernel.rules import Rule, Rulebook, rule
from kernel.testing import DeciderSpec, command

NU = datetime(2026, 11, 23, 9, tzinfo=UTC)
ZAAK = uuid.UUID(int=7)
TRIAGIST = Actor(id="t-1", rol=Rol.TRIAGIST, gemeente="GM0402")
BEHEER = Actor(id="b-1", rol=Rol.FUNCTIONEEL_BEHEER, gemeente="GM0402")
HUIZEN = Actor(id="t-2", rol=Rol.TRIAGIST, gemeente="GM0406")
NAAM: Lookup[str] = Lookup("naam")


class Open(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    zaak: uuid.UUID
    gemeente: str


class Noteer(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    zaak: uuid.UUID
    tekst: str


class Geopend(DomainEvent):
    event_type: ClassVar[str] = "nl.wvggz.test.geopend.v1"

    gemeente: str


class Genoteerd(DomainEvent):
    event_type: ClassVar[str] = "nl.wvggz.test.genoteerd.v1"

    tekst: str
    door: str


@dataclass(frozen=True)
class Zaak:
    gemeente: str | None = None
    notities: int = 0


def evolve(state: Zaak, event: DomainEvent) -> Zaak:
    if isinstance(event, Geopend):
        return Zaak(gemeente=event.gemeente)
    return replace(state, notities=state.notities + 1)


def open_zaak(state: Zaak, cmd: Command[Open]) -> Sequence[DomainEvent]:
    return [Geopend(gemeente=cmd.payload.gemeente)]


def noteer(state: Zaak, cmd: Command[Noteer]) -> Sequence[DomainEvent]:
    return [Genoteerd(tekst=cmd.payload.tekst, door=cmd.feit(NAAM))]


def bestaat(state: Zaak, _cmd: Command[Noteer]) -> None:
    if state.gemeente is None:
        raise DomainError(ErrorCode.NOT_FOUND, "geen zaak")
    if state.notities >= 2:
        raise violated("de zaak is vol")


def geen_dinsdag(_state: Zaak, cmd: Command[Noteer]) -> None:
    if cmd.payload.tekst == "dinsdag":
        raise refuse("op dinsdag wordt niet genoteerd")


REGELS: Rulebook[Zaak] = Rulebook(
    category="zaak",
    zaak="een zaak",
    resource="zaken",
    initial_state=Zaak(),
    evolve=evolve,
    gemeente_of=lambda state: state.gemeente,
    rules=(
        rule(
            name="open-zaak",
            payload=Open,
            description="Open een zaak.",
            rollen=frozenset({Rol.TRIAGIST}),
            handeling="een zaak openen",
            case_id=lambda c: c.payload.zaak,
            decide=open_zaak,
            opent=True,
            gemeente=lambda payload: payload.gemeente,
        ),
        rule(
            name="noteer",
            payload=Noteer,
            description="Noteer iets.",
            rollen=frozenset({Rol.TRIAGIST, Rol.FUNCTIONEEL_BEHEER}),
            handeling="iets noteren",
            case_id=lambda c: c.payload.zaak,
            decide=noteer,
            fase=bestaat,
            toegang=geen_dinsdag,
            lookups=(NAAM,),
        ),
    ),
)

GEOPEND = Geopend(gemeente="GM0402")


def spec() -> DeciderSpec:
    return DeciderSpec(REGELS.decider)


def noteer_als(actor: Actor, tekst: str = "gezien") -> Command[Noteer]:
    return command(Noteer(zaak=ZAAK, tekst=tekst), actor, NU, feiten={NAAM: "Tessa"})


def test_each_command_goes_to_its_own_rule_with_the_facts_looked_up_for_it() -> None:
    spec().given(GEOPEND).when(noteer_als(BEHEER)).then(Genoteerd(tekst="gezien", door="Tessa"))


def test_a_role_the_rule_does_not_name_is_refused_naming_the_roles() -> None:
    consulent = Actor(id="c-1", rol=Rol.CONSULENT, gemeente="GM0402")

    refused = spec().given(GEOPEND).when(noteer_als(consulent)).then_error(ErrorCode.FORBIDDEN)

    assert refused.message == (
        "alleen de rollen functioneel-beheer of triagist mogen iets noteren, niet de rol consulent"
    )


def test_another_gemeente_is_refused_on_an_existing_case_and_on_a_new_one() -> None:
    on_case = spec().given(GEOPEND).when(noteer_als(HUIZEN)).then_error(ErrorCode.FORBIDDEN)
    opening = command(Open(zaak=ZAAK, gemeente="GM0402"), HUIZEN, NU)
    on_new = spec().when(opening).then_error(ErrorCode.FORBIDDEN)

    assert on_case.message == "GM0406 mag niet handelen voor een zaak van GM0402"
    assert on_new.message == on_case.message


def test_the_phase_guard_answers_not_found_and_rule_violated() -> None:
    spec().when(noteer_als(TRIAGIST)).then_error(ErrorCode.NOT_FOUND)
    vol = [GEOPEND, Genoteerd(tekst="a", door="x"), Genoteerd(tekst="b", door="x")]
    spec().given(*vol).when(noteer_als(TRIAGIST)).then_error(ErrorCode.RULE_VIOLATED)


def test_an_extra_access_check_refuses_as_forbidden_so_the_pipeline_audits_it() -> None:
    refused = spec().given(GEOPEND).when(noteer_als(TRIAGIST, "dinsdag"))

    refused.then_error(ErrorCode.FORBIDDEN)


def test_the_specs_carry_name_payload_case_and_lookups() -> None:
    [opening, notitie] = REGELS.specs
    cmd = noteer_als(TRIAGIST)

    assert (opening.name, opening.payload) == ("open-zaak", Open)
    assert notitie.lookups == (NAAM,) and notitie.case_id(cmd) == ZAAK


def test_a_rulebook_refuses_two_rules_for_one_payload_or_an_opening_without_a_gemeente() -> None:
    opening, notitie = (rule for rule in REGELS.rules if isinstance(rule, Rule))

    with pytest.raises(ValueError, match="two rules"):
        replace(REGELS, rules=(notitie, notitie))
    with pytest.raises(ValueError, match="gemeente"):
        replace(REGELS, rules=(replace(opening, gemeente=None),))


def test_the_actions_allowed_now_follow_role_gemeente_and_phase_not_content() -> None:
    open_case = Zaak(gemeente="GM0402")
    full = Zaak(gemeente="GM0402", notities=2)
    gevraagd = Actor(id="c-1", rol=Rol.CONSULENT, gemeente="GM0402")

    assert REGELS.allowed_now(open_case, TRIAGIST, NU) == ["noteer"], "opening is no action on it"
    assert REGELS.allowed_now(open_case, BEHEER, NU) == ["noteer"]
    assert REGELS.allowed_now(open_case, gevraagd, NU) == [], "a role without a rule here"
    assert REGELS.allowed_now(open_case, HUIZEN, NU) == [], "another gemeente's case"
    assert REGELS.allowed_now(full, TRIAGIST, NU) == [], "the phase guard says no"
    assert REGELS.allowed_now(Zaak(), TRIAGIST, NU) == [], "a case that does not exist"


def test_a_rulebook_says_where_a_case_stands_when_it_can() -> None:
    described = replace(REGELS, fase_van=lambda state: f"{state.notities} notities")

    assert REGELS.fase_van(Zaak(gemeente="GM0402")) == "", "no words declared: none shown"
    assert described.fase_van(Zaak(gemeente="GM0402", notities=2)) == "2 notities"
