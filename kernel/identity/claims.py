"""Maps verified token claims to an Identity, and picks the role and gemeente a request acts as."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from wvggz_contracts.commands import GEMEENTE_HEADER, ROL_HEADER, Actor, Rol
from wvggz_contracts.typen import PSEUDONIEM_PATTERN

from kernel.decider import refuse
from kernel.identity.errors import AuthenticationFailed
from kernel.settings import ServiceSettings

_PSEUDONIEM = re.compile(PSEUDONIEM_PATTERN)
_NAME_SEPARATORS = re.compile(r"[\s,]+")
_ROLLEN_BY_NAME = {rol.value: rol for rol in Rol}


@dataclass(frozen=True, slots=True)
class Identity:
    """Who a verified token says the caller is: a pseudonym, roles and gemeenten of this region."""

    id: str
    rollen: frozenset[Rol]
    gemeenten: frozenset[str]
    expires_at: datetime


def identity_from_claims(
    claims: Mapping[str, Any], settings: ServiceSettings, expires_at: datetime
) -> Identity:
    """The Identity in a verified token's claims, or AuthenticationFailed(`claims`)."""
    user_id = claim_at(claims, settings.oidc_claim_id)
    if not isinstance(user_id, str) or _PSEUDONIEM.fullmatch(user_id) is None:
        raise AuthenticationFailed("claims", "het toegangstoken heeft geen bruikbare gebruikers-id")
    rollen = rollen_from(claim_at(claims, settings.oidc_claim_rollen), settings.oidc_rol_mapping)
    # `systeem` is the platform's own in-process identity; no network request may act as it.
    if Rol.SYSTEEM in rollen:
        raise AuthenticationFailed("claims", "de rol systeem is voorbehouden aan het platform zelf")
    if not rollen:
        raise AuthenticationFailed("claims", "het toegangstoken geeft geen bekende rol")
    gemeenten = frozenset(names_in(claim_at(claims, settings.oidc_claim_gemeenten)))
    gemeenten &= frozenset(settings.gemeenten)
    if not gemeenten:
        raise AuthenticationFailed("claims", "het toegangstoken geeft geen gemeente van deze regio")
    return Identity(id=user_id, rollen=rollen, gemeenten=gemeenten, expires_at=expires_at)


def claim_at(claims: Mapping[str, Any], path: str) -> object:
    """The claim at a dotted path (`realm_access.roles`); a claim named with dots is found too."""
    if path in claims:
        return claims[path]
    value: object = claims
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def names_in(value: object) -> list[str]:
    """The names in a claim given as a list or as a space- or comma-separated string."""
    if isinstance(value, str):
        return [name for name in _NAME_SEPARATORS.split(value) if name]
    if isinstance(value, list):
        return [name for name in value if isinstance(name, str)]
    return []


def rollen_from(value: object, mapping: Mapping[str, str]) -> frozenset[Rol]:
    """The platform roles named in a roles claim, after the IdP-to-platform mapping."""
    mapped = (mapping.get(name, name) for name in names_in(value))
    return frozenset(_ROLLEN_BY_NAME[name] for name in mapped if name in _ROLLEN_BY_NAME)


def act_as(identity: Identity, rol: str | None, gemeente: str | None) -> Actor:
    """The Actor for a request: the chosen role and gemeente, or the only ones in the token.

    Raises DomainError(FORBIDDEN) when a choice is needed but missing, or not in the token.
    """
    rollen = [candidate.value for candidate in Rol if candidate in identity.rollen]
    chosen_rol = _choose(rollen, rol, "rol", ROL_HEADER)
    chosen_gemeente = _choose(sorted(identity.gemeenten), gemeente, "gemeente", GEMEENTE_HEADER)
    return Actor(id=identity.id, rol=Rol(chosen_rol), gemeente=chosen_gemeente)


def _choose(options: Sequence[str], chosen: str | None, noun: str, header: str) -> str:
    choice = (chosen or "").strip()
    if choice:
        if choice in options:
            return choice
        raise refuse(
            f"de {noun} in de header {header} staat niet in uw toegangstoken; "
            f"kies uit: {', '.join(options)}"
        )
    if len(options) == 1:
        return options[0]
    raise refuse(f"kies een {noun} met de header {header}: {', '.join(options)}")
