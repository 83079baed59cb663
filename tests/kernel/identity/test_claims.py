"""Claims become an Identity; a request acts as one of its roles and gemeenten."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from wvggz_contracts.commands import Actor, ErrorCode, Rol

from kernel.decider import DomainError
from kernel.identity import Identity, act_as, claim_at
from kernel.identity.claims import names_in, rollen_from

EXPIRES = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)
HILVERSUM = "GM0402"
HUIZEN = "GM0406"


def identity(rollen: set[Rol], gemeenten: set[str]) -> Identity:
    return Identity(
        id="t-1", rollen=frozenset(rollen), gemeenten=frozenset(gemeenten), expires_at=EXPIRES
    )


def forbidden(rollen: set[Rol], gemeenten: set[str], rol: str | None, gemeente: str | None) -> str:
    with pytest.raises(DomainError) as refused:
        act_as(identity(rollen, gemeenten), rol, gemeente)
    assert refused.value.code == ErrorCode.FORBIDDEN
    return refused.value.message


def test_one_role_and_one_gemeente_need_no_headers() -> None:
    actor = act_as(identity({Rol.TRIAGIST}, {HILVERSUM}), None, None)

    assert actor == Actor(id="t-1", rol=Rol.TRIAGIST, gemeente=HILVERSUM)


def test_the_headers_choose_among_several_roles_and_gemeenten() -> None:
    several = identity({Rol.TRIAGIST, Rol.CONSULENT}, {HILVERSUM, HUIZEN})

    actor = act_as(several, "consulent", HUIZEN)

    assert actor == Actor(id="t-1", rol=Rol.CONSULENT, gemeente=HUIZEN)


def test_a_header_naming_the_only_role_is_accepted() -> None:
    actor = act_as(identity({Rol.TRIAGIST}, {HILVERSUM}), "triagist", HILVERSUM)

    assert actor.rol is Rol.TRIAGIST


def test_several_roles_without_a_header_is_forbidden_and_lists_the_choices() -> None:
    message = forbidden({Rol.TRIAGIST, Rol.CONSULENT}, {HILVERSUM}, None, None)

    assert message == "kies een rol met de header Wvggz-Rol: triagist, consulent"


def test_several_gemeenten_without_a_header_is_forbidden_and_lists_the_choices() -> None:
    message = forbidden({Rol.TRIAGIST}, {HUIZEN, HILVERSUM}, None, None)

    assert message == "kies een gemeente met de header Wvggz-Gemeente: GM0402, GM0406"


def test_a_role_header_not_in_the_token_is_forbidden() -> None:
    message = forbidden({Rol.TRIAGIST}, {HILVERSUM}, "burgemeester", None)

    assert "Wvggz-Rol" in message and "triagist" in message


def test_a_gemeente_header_not_in_the_token_is_forbidden() -> None:
    message = forbidden({Rol.TRIAGIST}, {HILVERSUM}, None, HUIZEN)

    assert "Wvggz-Gemeente" in message and HILVERSUM in message


def test_the_role_systeem_cannot_be_chosen_by_header() -> None:
    forbidden({Rol.TRIAGIST}, {HILVERSUM}, "systeem", None)


def test_a_claim_is_found_by_dotted_path_or_by_a_name_with_dots() -> None:
    claims = {"realm_access": {"roles": ["a"]}, "https://wvggz.nl/rollen": ["b"]}

    assert claim_at(claims, "realm_access.roles") == ["a"]
    assert claim_at(claims, "https://wvggz.nl/rollen") == ["b"]
    assert claim_at(claims, "realm_access.groups") is None
    assert claim_at(claims, "realm_access.roles.extra") is None


@pytest.mark.parametrize(
    ("value", "names"),
    [
        (["triagist", 7, "consulent"], ["triagist", "consulent"]),
        ("triagist consulent", ["triagist", "consulent"]),
        ("triagist,consulent, hoorder", ["triagist", "consulent", "hoorder"]),
        ({"triagist": True}, []),
        (None, []),
    ],
)
def test_names_come_from_a_list_or_a_separated_string(value: object, names: list[str]) -> None:
    assert names_in(value) == names


def test_idp_role_names_are_mapped_and_unknown_ones_ignored() -> None:
    rollen = rollen_from(
        ["GGZ_Consultant", "triagist", "offline_access"], {"GGZ_Consultant": "ggz-consultant"}
    )

    assert rollen == {Rol.GGZ_CONSULTANT, Rol.TRIAGIST}
