"""Access tokens are verified: signature, algorithm, issuer, audience, times, claims, cache."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from wvggz_contracts.commands import Rol
from wvggz_contracts.gemeenten import GOOI_EN_VECHTSTREEK

from kernel.identity import (
    AuthenticationFailed,
    Identity,
    KeySource,
    StaticJwks,
    TokenVerifier,
    bearer_token,
)
from kernel.identity.jwks import PublicKey
from kernel.identity.testing import TestIssuer
from kernel.settings import ServiceSettings

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
HILVERSUM = "GM0402"
AMSTERDAM = "GM0363"


@pytest.fixture(scope="module")
def issuer() -> TestIssuer:
    return TestIssuer()


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


class CountingKeys:
    """A key source that counts how often a signature had to be checked."""

    def __init__(self, keys: KeySource) -> None:
        self.keys = keys
        self.calls = 0

    async def key_for(self, kid: str | None, alg: str) -> PublicKey:
        self.calls += 1
        return await self.keys.key_for(kid, alg)


def settings_for(issuer: TestIssuer, **overrides: Any) -> ServiceSettings:
    values = {
        **issuer.settings_overrides(),
        "gemeenten": GOOI_EN_VECHTSTREEK,
        "oidc_leeway_s": 30,
        "oidc_rol_mapping": {},
        **overrides,
    }
    return ServiceSettings(**values)


def verifier_for(
    issuer: TestIssuer,
    clock: Clock | None = None,
    keys: KeySource | None = None,
    **overrides: Any,
) -> TokenVerifier:
    return TokenVerifier(
        settings_for(issuer, **overrides), keys or issuer.key_source(), clock or Clock(NOW)
    )


async def refusal(verifier: TokenVerifier, token: str) -> AuthenticationFailed:
    with pytest.raises(AuthenticationFailed) as refused:
        await verifier.verify(token)
    return refused.value


async def test_a_valid_token_gives_the_identity_with_its_roles_and_gemeenten(
    issuer: TestIssuer,
) -> None:
    token = issuer.token("triagist-7", ["triagist", "consulent"], [HILVERSUM], now=NOW)

    identity = await verifier_for(issuer).verify(token)

    assert identity == Identity(
        id="triagist-7",
        rollen=frozenset({Rol.TRIAGIST, Rol.CONSULENT}),
        gemeenten=frozenset({HILVERSUM}),
        expires_at=NOW + timedelta(hours=1),
    )


async def test_an_rsa_pss_token_is_accepted_when_configured(issuer: TestIssuer) -> None:
    token = issuer.token("t-1", ["triagist"], [HILVERSUM], alg="PS256", now=NOW)

    identity = await verifier_for(issuer, oidc_algorithms=("PS256",)).verify(token)

    assert identity.id == "t-1"


async def test_an_algorithm_that_is_not_configured_is_refused(issuer: TestIssuer) -> None:
    token = issuer.token("t-1", ["triagist"], [HILVERSUM], alg="RS512", now=NOW)

    assert (await refusal(verifier_for(issuer), token)).reason == "algorithm"


async def test_a_token_expired_beyond_the_leeway_is_refused(issuer: TestIssuer) -> None:
    token = issuer.token("t-1", ["triagist"], [HILVERSUM], expires_in=-31, now=NOW)

    failure = await refusal(verifier_for(issuer), token)

    assert failure.reason == "expired"
    assert failure.message == "het toegangstoken is verlopen"


async def test_a_token_expired_within_the_leeway_is_accepted(issuer: TestIssuer) -> None:
    token = issuer.token("t-1", ["triagist"], [HILVERSUM], expires_in=-29, now=NOW)

    identity = await verifier_for(issuer).verify(token)

    assert identity.expires_at == NOW - timedelta(seconds=29)


async def test_a_token_is_checked_against_the_injected_clock_not_the_real_one(
    issuer: TestIssuer,
) -> None:
    token = issuer.token("t-1", ["triagist"], [HILVERSUM], now=NOW)
    two_hours_later = Clock(NOW + timedelta(hours=2))

    assert (await refusal(verifier_for(issuer, two_hours_later), token)).reason == "expired"


async def test_a_token_not_yet_valid_is_refused(issuer: TestIssuer) -> None:
    token = issuer.token(
        "t-1", ["triagist"], [HILVERSUM], not_before=NOW + timedelta(minutes=5), now=NOW
    )

    assert (await refusal(verifier_for(issuer), token)).reason == "not_yet_valid"


async def test_a_not_before_within_the_leeway_is_accepted(issuer: TestIssuer) -> None:
    token = issuer.token(
        "t-1", ["triagist"], [HILVERSUM], not_before=NOW + timedelta(seconds=20), now=NOW
    )

    assert (await verifier_for(issuer).verify(token)).id == "t-1"


async def test_a_token_issued_in_the_future_is_refused(issuer: TestIssuer) -> None:
    token = issuer.token("t-1", ["triagist"], [HILVERSUM], now=NOW + timedelta(minutes=5))

    assert (await refusal(verifier_for(issuer), token)).reason == "not_yet_valid"


@pytest.mark.parametrize("exp", [None, "morgen", True])
async def test_a_token_without_a_numeric_expiry_is_refused(
    issuer: TestIssuer, exp: str | bool | None
) -> None:
    token = issuer.token("t-1", ["triagist"], [HILVERSUM], now=NOW, extra_claims={"exp": exp})

    assert (await refusal(verifier_for(issuer), token)).reason == "claims"


async def test_a_token_from_another_issuer_is_refused(issuer: TestIssuer) -> None:
    token = issuer.token("t-1", ["triagist"], [HILVERSUM], issuer="https://evil.test", now=NOW)

    assert (await refusal(verifier_for(issuer), token)).reason == "issuer"


async def test_a_token_for_another_audience_is_refused(issuer: TestIssuer) -> None:
    token = issuer.token("t-1", ["triagist"], [HILVERSUM], audience="account", now=NOW)

    assert (await refusal(verifier_for(issuer), token)).reason == "audience"


async def test_a_token_for_several_audiences_including_ours_is_accepted(issuer: TestIssuer) -> None:
    token = issuer.token("t-1", ["triagist"], [HILVERSUM], audience=["account", "wvggz"], now=NOW)

    assert (await verifier_for(issuer).verify(token)).id == "t-1"


async def test_an_unsigned_token_is_refused(issuer: TestIssuer) -> None:
    token = issuer.unsigned(issuer.claims("t-1", ["triagist"], [HILVERSUM], now=NOW))

    assert (await refusal(verifier_for(issuer), token)).reason == "algorithm"


async def test_an_hmac_token_signed_with_the_public_key_is_refused(issuer: TestIssuer) -> None:
    token = issuer.hmac_signed_with_public_key(
        issuer.claims("t-1", ["triagist"], [HILVERSUM], now=NOW)
    )

    assert (await refusal(verifier_for(issuer), token)).reason == "algorithm"


async def test_a_token_signed_by_another_key_is_refused(issuer: TestIssuer) -> None:
    token = issuer.signed_by_other_key(issuer.claims("t-1", ["triagist"], [HILVERSUM], now=NOW))

    assert (await refusal(verifier_for(issuer), token)).reason == "signature"


async def test_a_token_naming_an_unknown_key_is_refused(issuer: TestIssuer) -> None:
    token = issuer.token("t-1", ["triagist"], [HILVERSUM], kid="someone-elses", now=NOW)

    assert (await refusal(verifier_for(issuer), token)).reason == "unknown_key"


async def test_a_token_without_kid_uses_the_only_key_of_the_set(issuer: TestIssuer) -> None:
    token = issuer.token("t-1", ["triagist"], [HILVERSUM], kid=None, now=NOW)

    assert (await verifier_for(issuer).verify(token)).id == "t-1"


async def test_a_token_without_kid_is_refused_when_the_set_has_several_keys(
    issuer: TestIssuer,
) -> None:
    other = TestIssuer(kid="test-key-2")
    both = StaticJwks({"keys": issuer.jwks["keys"] + other.jwks["keys"]})
    token = issuer.token("t-1", ["triagist"], [HILVERSUM], kid=None, now=NOW)

    assert (await refusal(verifier_for(issuer, keys=both), token)).reason == "unknown_key"


@pytest.mark.parametrize("token", ["", "abc", "a.b.c", "ëën.twee.drie"])
async def test_a_token_that_is_no_jwt_is_refused_as_malformed(
    issuer: TestIssuer, token: str
) -> None:
    assert (await refusal(verifier_for(issuer), token)).reason == "malformed"


async def test_the_role_systeem_is_refused(issuer: TestIssuer) -> None:
    token = issuer.token("t-1", ["triagist", "systeem"], [HILVERSUM], now=NOW)

    failure = await refusal(verifier_for(issuer), token)

    assert failure.reason == "claims"
    assert "systeem" in failure.message


async def test_an_idp_role_mapped_to_systeem_is_refused(issuer: TestIssuer) -> None:
    token = issuer.token("t-1", ["platform-admin"], [HILVERSUM], now=NOW)
    verifier = verifier_for(issuer, oidc_rol_mapping={"platform-admin": "systeem"})

    assert (await refusal(verifier, token)).reason == "claims"


async def test_keycloak_realm_roles_are_read_from_a_nested_claim_and_mapped(
    issuer: TestIssuer,
) -> None:
    token = issuer.token(
        "f4c1-9a",
        [],
        [HILVERSUM],
        extra_claims={"realm_access": {"roles": ["offline_access", "wvggz-triage"]}},
        now=NOW,
    )
    verifier = verifier_for(
        issuer,
        oidc_claim_rollen="realm_access.roles",
        oidc_rol_mapping={"wvggz-triage": "triagist"},
    )

    assert (await verifier.verify(token)).rollen == {Rol.TRIAGIST}


async def test_roles_given_as_a_separated_string_are_read(issuer: TestIssuer) -> None:
    token = issuer.token(
        "t-1", [], [HILVERSUM], extra_claims={"wvggz_rollen": "triagist, consulent"}, now=NOW
    )

    assert (await verifier_for(issuer).verify(token)).rollen == {Rol.TRIAGIST, Rol.CONSULENT}


async def test_a_token_without_a_known_role_is_refused(issuer: TestIssuer) -> None:
    token = issuer.token("t-1", ["offline_access", "admin"], [HILVERSUM], now=NOW)

    assert (await refusal(verifier_for(issuer), token)).reason == "claims"


async def test_a_gemeente_outside_the_region_is_ignored(issuer: TestIssuer) -> None:
    token = issuer.token("t-1", ["triagist"], [HILVERSUM, AMSTERDAM], now=NOW)

    assert (await verifier_for(issuer).verify(token)).gemeenten == {HILVERSUM}


async def test_a_token_with_only_gemeenten_outside_the_region_is_refused(
    issuer: TestIssuer,
) -> None:
    token = issuer.token("t-1", ["triagist"], [AMSTERDAM], now=NOW)

    assert (await refusal(verifier_for(issuer), token)).reason == "claims"


@pytest.mark.parametrize("sub", ["J. de Vries", "", "x" * 65])
async def test_a_token_without_a_pseudonymous_id_is_refused(issuer: TestIssuer, sub: str) -> None:
    token = issuer.token(sub, ["triagist"], [HILVERSUM], now=NOW)

    assert (await refusal(verifier_for(issuer), token)).reason == "claims"


async def test_a_repeated_token_is_not_verified_again(issuer: TestIssuer) -> None:
    keys = CountingKeys(issuer.key_source())
    verifier = verifier_for(issuer, keys=keys)
    token = issuer.token("t-1", ["triagist"], [HILVERSUM], now=NOW)

    first = await verifier.verify(token)
    again = await verifier.verify(token)

    assert again == first
    assert keys.calls == 1


async def test_a_cached_token_is_refused_once_the_clock_passes_its_expiry(
    issuer: TestIssuer,
) -> None:
    keys = CountingKeys(issuer.key_source())
    clock = Clock(NOW)
    verifier = verifier_for(issuer, clock, keys)
    token = issuer.token("t-1", ["triagist"], [HILVERSUM], now=NOW)
    await verifier.verify(token)

    clock.at = NOW + timedelta(hours=1, seconds=29)
    await verifier.verify(token)
    clock.at = NOW + timedelta(hours=1, seconds=30)
    failure = await refusal(verifier, token)

    assert failure.reason == "expired"
    assert keys.calls == 1


async def test_the_cache_forgets_the_least_recently_used_token(issuer: TestIssuer) -> None:
    keys = CountingKeys(issuer.key_source())
    verifier = verifier_for(issuer, keys=keys, oidc_token_cache_size=1)
    first = issuer.token("t-1", ["triagist"], [HILVERSUM], now=NOW)
    second = issuer.token("t-2", ["triagist"], [HILVERSUM], now=NOW)

    for token in (first, second, first):
        await verifier.verify(token)

    assert keys.calls == 3


async def test_a_refusal_logs_its_kind_but_never_the_token_or_a_claim(
    issuer: TestIssuer, caplog: pytest.LogCaptureFixture
) -> None:
    token = issuer.token("pseudo-42", ["triagist"], [HILVERSUM], issuer="https://x", now=NOW)

    with caplog.at_level(logging.DEBUG, logger="kernel.identity"):
        await refusal(verifier_for(issuer), token)

    assert "issuer" in caplog.text
    assert token not in caplog.text and "pseudo-42" not in caplog.text
    assert "https://x" not in caplog.text


@pytest.mark.parametrize("algorithms", [("RS256", "none"), ("HS256",), ("RS256", "HS512"), ()])
def test_symmetric_or_no_algorithms_cannot_be_configured(
    issuer: TestIssuer, algorithms: tuple[str, ...]
) -> None:
    with pytest.raises(ValueError, match="oidc_algorithms"):
        verifier_for(issuer, oidc_algorithms=algorithms)


def test_the_bearer_token_is_taken_from_the_authorization_header() -> None:
    assert bearer_token({"Authorization": "Bearer abc.def.ghi"}) == "abc.def.ghi"
    assert bearer_token({"authorization": "bearer abc.def.ghi"}) == "abc.def.ghi"


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({}, "missing"),
        ({"Authorization": "  "}, "missing"),
        ({"Authorization": "Basic dXNlcjpwdw=="}, "malformed"),
        ({"Authorization": "Bearer"}, "malformed"),
        ({"Authorization": "abc.def.ghi"}, "malformed"),
    ],
)
def test_a_missing_or_non_bearer_authorization_header_is_refused(
    headers: dict[str, str], reason: str
) -> None:
    with pytest.raises(AuthenticationFailed) as refused:
        bearer_token(headers)

    assert refused.value.reason == reason
