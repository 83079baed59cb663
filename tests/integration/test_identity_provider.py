"""The development OIDC provider (infra/oidc, oidc-provider on Node.js) and the token client.

A real provider process on a free port: discovery, PKCE login of the demo users, JWT access tokens
that PyJWT verifies against the published JWKS, refusals, persisted keys and the token TTL.
"""

from __future__ import annotations

import json
import stat
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest

from kernel.testing import free_port
from wvggz.identity_provider import (
    OIDC_DIR,
    IdentityProvider,
    IdentityProviderError,
    check_installed,
    node_binary,
)
from wvggz.oidc_client import LoginRefused, OidcError, fetch_token, token_command

pytestmark = pytest.mark.integration

DEMO_USERS = json.loads((OIDC_DIR / "users.json").read_text())["users"]


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IdentityProvider]:
    idp = IdentityProvider(data_dir=tmp_path_factory.mktemp("oidc"), port=free_port())
    idp.start()
    yield idp
    idp.stop()


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.load(response)


def verify(token: str, idp: IdentityProvider) -> dict[str, Any]:
    """Verify signature, issuer, audience and expiry against the JWKS fetched over HTTP."""
    key = jwt.PyJWKClient(idp.jwks_uri, cache_keys=False).get_signing_key_from_jwt(token)
    return jwt.decode(
        token,
        key,
        algorithms=["RS256"],
        audience="wvggz",
        issuer=idp.issuer,
        options={"require": ["iss", "sub", "aud", "exp", "iat"]},
    )


def test_discovery_names_the_issuer_and_publishes_only_public_keys(
    provider: IdentityProvider,
) -> None:
    document = get_json(provider.discovery_url)

    assert document["issuer"] == provider.issuer
    assert document["jwks_uri"] == provider.jwks_uri
    assert "S256" in document["code_challenge_methods_supported"]
    keys = get_json(document["jwks_uri"])["keys"]
    assert [(k["kty"], k["alg"], k["use"]) for k in keys] == [("RSA", "RS256", "sig")]
    assert all(k["kid"] for k in keys)
    private_members = {"d", "p", "q", "dp", "dq", "qi"}
    assert not any(private_members & key.keys() for key in keys)


def test_a_triagist_gets_a_verifiable_jwt_with_the_platform_claims(
    provider: IdentityProvider,
) -> None:
    token = fetch_token(provider.issuer, "triagist.gm0402", "demo")

    claims = verify(token, provider)
    assert claims["sub"] == "triagist.gm0402"
    assert claims["aud"] == "wvggz"
    assert claims["iss"] == provider.issuer
    assert claims["client_id"] == "wvggz-cli"
    assert claims["wvggz_rollen"] == ["triagist"]
    assert claims["wvggz_gemeenten"] == ["GM0402"]
    assert claims["exp"] - claims["iat"] == 3600
    assert jwt.get_unverified_header(token)["typ"] == "at+jwt"


def test_every_demo_user_logs_in_with_their_roles_and_gemeente(provider: IdentityProvider) -> None:
    # Every role in two gemeenten, a bootstrap admin, and a second functioneel beheerder (four
    # eyes on a destruction someone proposed).
    assert len(DEMO_USERS) == 2 * 11 + 2
    for user in DEMO_USERS:
        claims = verify(fetch_token(provider.issuer, user["sub"], "demo"), provider)

        assert claims["sub"] == user["sub"]
        assert claims["wvggz_rollen"] == user["wvggz_rollen"]
        assert claims["wvggz_gemeenten"] == user["wvggz_gemeenten"]
    multi = verify(fetch_token(provider.issuer, "consulent-triagist.gm0402", "demo"), provider)
    assert multi["wvggz_rollen"] == ["triagist", "consulent"]


def test_the_confidential_portal_client_authenticates_with_its_secret(
    provider: IdentityProvider,
) -> None:
    token = fetch_token(
        provider.issuer,
        "burgemeester.gm0406",
        "demo",
        client_id="wvggz-portaal",
        client_secret="dev-portaal-secret",
    )

    assert verify(token, provider)["client_id"] == "wvggz-portaal"
    with pytest.raises(OidcError, match="invalid_client"):
        fetch_token(
            provider.issuer, "burgemeester.gm0406", "demo", client_id="wvggz-portaal",
            client_secret="wrong",
        )  # fmt: skip


def test_a_wrong_password_is_refused(provider: IdentityProvider) -> None:
    with pytest.raises(LoginRefused, match=r"triagist\.gm0402"):
        fetch_token(provider.issuer, "triagist.gm0402", "not-the-password")


def test_an_unknown_user_is_refused(provider: IdentityProvider) -> None:
    with pytest.raises(LoginRefused, match=r"nobody\.gm0402"):
        fetch_token(provider.issuer, "nobody.gm0402", "demo")


def test_an_unknown_audience_is_refused(provider: IdentityProvider) -> None:
    with pytest.raises(OidcError, match="invalid_target"):
        fetch_token(provider.issuer, "triagist.gm0402", "demo", audience="elders")


def test_token_command_prints_the_token_or_an_error(
    provider: IdentityProvider, capsys: pytest.CaptureFixture[str]
) -> None:
    assert token_command(["hoorder.gm0406", "--issuer", provider.issuer]) == 0
    out, _ = capsys.readouterr()
    assert verify(out.strip(), provider)["wvggz_rollen"] == ["hoorder"]

    assert token_command(["hoorder.gm0406", "--password", "x", "--issuer", provider.issuer]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "login refused" in err

    assert token_command([]) == 2


def test_keys_persist_across_a_restart(tmp_path: Path) -> None:
    idp = IdentityProvider(data_dir=tmp_path / "oidc", port=free_port())
    idp.start()
    try:
        before = fetch_token(idp.issuer, "psychiater.gm0406", "demo")
        kids = [key["kid"] for key in get_json(idp.jwks_uri)["keys"]]
    finally:
        idp.stop()

    idp.start()
    try:
        assert [key["kid"] for key in get_json(idp.jwks_uri)["keys"]] == kids
        assert jwt.get_unverified_header(before)["kid"] == kids[0]
        assert verify(before, idp)["sub"] == "psychiater.gm0406"
    finally:
        idp.stop()
    key_file = tmp_path / "oidc" / "jwks.json"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
    assert "d" in json.loads(key_file.read_text())["keys"][0]


def test_the_access_token_ttl_setting_is_honoured(tmp_path: Path) -> None:
    with IdentityProvider(data_dir=tmp_path, port=free_port(), access_token_ttl=60) as idp:
        claims = verify(fetch_token(idp.issuer, "crisisdienst.gm0402", "demo"), idp)

    assert claims["exp"] - claims["iat"] == 60


def test_missing_packages_or_node_name_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "server.mjs").write_text("")
    with pytest.raises(IdentityProviderError, match="run make run / make test"):
        check_installed(tmp_path)

    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(IdentityProviderError, match=r"node .* is not on PATH"):
        node_binary()


def test_the_installed_packages_are_the_locked_ones() -> None:
    lock = json.loads((OIDC_DIR / "package-lock.json").read_text())
    installed = json.loads(
        (OIDC_DIR / "node_modules" / "oidc-provider" / "package.json").read_text()
    )

    assert installed["version"] == lock["packages"]["node_modules/oidc-provider"]["version"]


def test_the_provider_refuses_a_port_in_use(provider: IdentityProvider, tmp_path: Path) -> None:
    with pytest.raises(IdentityProviderError, match="in use"):
        IdentityProvider(data_dir=tmp_path, port=provider.port).start()


def test_users_file_needs_valid_subjects(tmp_path: Path) -> None:
    users = tmp_path / "users.json"
    bad = {"sub": "no spaces allowed", "password": "demo", "wvggz_rollen": ["triagist"],
           "wvggz_gemeenten": ["GM0402"]}  # fmt: skip
    users.write_text(json.dumps({"users": [bad]}))
    idp = IdentityProvider(data_dir=tmp_path / "oidc", port=free_port(), users_file=users)

    with pytest.raises(IdentityProviderError, match="sub must match"):
        idp.start()
    assert idp.process is None
