"""Signing keys come from the issuer's JWKS: discovered, cached, refetched on rotation, guarded."""

from __future__ import annotations

import json
import socket
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from jwt.algorithms import RSAAlgorithm

from kernel.identity import AuthenticationFailed, IssuerUnavailable, RemoteJwks, TokenVerifier
from kernel.identity.jwks import KeySet
from kernel.identity.testing import TestIssuer
from kernel.settings import ServiceSettings

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


class FakeIssuer:
    """A tiny OIDC issuer on 127.0.0.1 serving a discovery document and a JWKS it counts."""

    def __init__(self) -> None:
        self.jwks: dict[str, Any] = {"keys": []}
        self.status = 200
        self.discovered_issuer: str | None = None
        self.hits: Counter[str] = Counter()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/realms/wvggz"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                issuer.hits[self.path] += 1
                if self.path.endswith("/.well-known/openid-configuration"):
                    document: Any = {
                        "issuer": issuer.discovered_issuer or issuer.url,
                        "jwks_uri": f"{issuer.url}/certs",
                    }
                else:
                    document = issuer.jwks
                body = json.dumps(document).encode()
                self.send_response(issuer.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler

    @property
    def jwks_fetches(self) -> int:
        return self.hits["/realms/wvggz/certs"]

    def __enter__(self) -> FakeIssuer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


class Monotonic:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.seconds = 1000.0

    def __call__(self) -> float:
        return self.seconds


@pytest.fixture(scope="module")
def key_one() -> TestIssuer:
    return TestIssuer(kid="key-1")


@pytest.fixture(scope="module")
def key_two() -> TestIssuer:
    return TestIssuer(kid="key-2")


@pytest.fixture
def fake_issuer(key_one: TestIssuer) -> Iterator[FakeIssuer]:
    with FakeIssuer() as issuer:
        issuer.jwks = key_one.jwks
        yield issuer


@pytest.fixture
def monotonic() -> Monotonic:
    return Monotonic()


def remote(url: str, monotonic: Monotonic, **settings: Any) -> RemoteJwks:
    return RemoteJwks(ServiceSettings(oidc_issuer=url, **settings), monotonic=monotonic)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_the_key_set_is_found_through_discovery_and_fetched_once(
    fake_issuer: FakeIssuer, monotonic: Monotonic
) -> None:
    keys = remote(fake_issuer.url, monotonic)

    first = await keys.key_for("key-1", "RS256")
    await keys.key_for("key-1", "RS256")

    assert isinstance(first, RSAPublicKey)
    assert fake_issuer.hits["/realms/wvggz/.well-known/openid-configuration"] == 1
    assert fake_issuer.jwks_fetches == 1


async def test_a_configured_jwks_url_skips_discovery(
    fake_issuer: FakeIssuer, monotonic: Monotonic
) -> None:
    keys = remote("https://elsewhere.test", monotonic, oidc_jwks_url=f"{fake_issuer.url}/certs")

    await keys.key_for("key-1", "RS256")

    assert fake_issuer.hits == {"/realms/wvggz/certs": 1}


async def test_a_rotated_key_is_found_by_one_refetch(
    fake_issuer: FakeIssuer, monotonic: Monotonic, key_one: TestIssuer, key_two: TestIssuer
) -> None:
    keys = remote(fake_issuer.url, monotonic)
    await keys.key_for("key-1", "RS256")
    fake_issuer.jwks = {"keys": key_one.jwks["keys"] + key_two.jwks["keys"]}

    monotonic.seconds += 31
    rotated = await keys.key_for("key-2", "RS256")

    assert isinstance(rotated, RSAPublicKey)
    assert fake_issuer.jwks_fetches == 2


async def test_unknown_kids_within_30_seconds_do_not_refetch(
    fake_issuer: FakeIssuer, monotonic: Monotonic, key_two: TestIssuer
) -> None:
    keys = remote(fake_issuer.url, monotonic)
    await keys.key_for("key-1", "RS256")
    monotonic.seconds += 31
    with pytest.raises(AuthenticationFailed):
        await keys.key_for("invented-1", "RS256")
    fake_issuer.jwks = key_two.jwks

    monotonic.seconds += 29
    for invented in ("invented-2", "key-2"):
        with pytest.raises(AuthenticationFailed) as refused:
            await keys.key_for(invented, "RS256")
        assert refused.value.reason == "unknown_key"

    assert fake_issuer.jwks_fetches == 2


async def test_an_unreachable_issuer_makes_keys_unavailable(monotonic: Monotonic) -> None:
    keys = remote(f"http://127.0.0.1:{closed_port()}", monotonic)

    with pytest.raises(IssuerUnavailable) as unavailable:
        await keys.key_for("key-1", "RS256")

    assert unavailable.value.reason == "unavailable"


async def test_an_issuer_failing_to_serve_keys_makes_keys_unavailable(
    fake_issuer: FakeIssuer, monotonic: Monotonic
) -> None:
    fake_issuer.status = 503

    with pytest.raises(IssuerUnavailable):
        await remote(fake_issuer.url, monotonic).key_for("key-1", "RS256")


async def test_a_discovery_document_of_another_issuer_is_not_trusted(
    fake_issuer: FakeIssuer, monotonic: Monotonic
) -> None:
    fake_issuer.discovered_issuer = "https://evil.test"

    with pytest.raises(IssuerUnavailable):
        await remote(fake_issuer.url, monotonic).key_for("key-1", "RS256")


async def test_a_known_key_is_still_used_when_a_stale_set_cannot_be_refreshed(
    fake_issuer: FakeIssuer, monotonic: Monotonic
) -> None:
    keys = remote(fake_issuer.url, monotonic)
    await keys.key_for("key-1", "RS256")
    fake_issuer.status = 500

    monotonic.seconds += 3601
    still_known = await keys.key_for("key-1", "RS256")

    assert isinstance(still_known, RSAPublicKey)
    assert fake_issuer.jwks_fetches == 2


async def test_a_stale_set_is_refreshed_so_a_withdrawn_key_is_dropped(
    fake_issuer: FakeIssuer, monotonic: Monotonic, key_two: TestIssuer
) -> None:
    keys = remote(fake_issuer.url, monotonic)
    await keys.key_for("key-1", "RS256")
    fake_issuer.jwks = key_two.jwks

    monotonic.seconds += 3601
    with pytest.raises(AuthenticationFailed) as refused:
        await keys.key_for("key-1", "RS256")

    assert refused.value.reason == "unknown_key"


async def test_a_verifier_checks_tokens_against_the_remote_key_set(
    fake_issuer: FakeIssuer, key_one: TestIssuer
) -> None:
    settings = ServiceSettings(**{**key_one.settings_overrides(), "oidc_issuer": fake_issuer.url})
    verifier = TokenVerifier(settings, RemoteJwks(settings), lambda: NOW)
    token = key_one.token("t-1", ["triagist"], ["GM0402"], issuer=fake_issuer.url, now=NOW)

    assert (await verifier.verify(token)).id == "t-1"


async def test_a_verifier_reports_an_unreachable_issuer(key_one: TestIssuer) -> None:
    unreachable = f"http://127.0.0.1:{closed_port()}"
    settings = ServiceSettings(**{**key_one.settings_overrides(), "oidc_issuer": unreachable})
    verifier = TokenVerifier(settings, RemoteJwks(settings), lambda: NOW)
    token = key_one.token("t-1", ["triagist"], ["GM0402"], issuer=unreachable, now=NOW)

    with pytest.raises(IssuerUnavailable):
        await verifier.verify(token)


def test_only_public_asymmetric_signature_keys_are_kept(key_one: TestIssuer) -> None:
    private = RSAAlgorithm.to_jwk(key_one._private_key, as_dict=True)
    jwks = {
        "keys": [
            {"kty": "oct", "kid": "secret", "k": "c2VjcmV0"},
            {**private, "kid": "private"},
            {**key_one.jwks["keys"][0], "kid": "encryption", "use": "enc"},
            {"kty": "RSA", "kid": "broken", "n": "???", "e": "AQAB"},
            "not a key",
            key_one.jwks["keys"][0],
        ]
    }

    assert [key.kid for key in KeySet.parse(jwks).keys] == ["key-1"]


@pytest.mark.parametrize("alg", ["HS256", "ES256", "EdDSA", "none"])
def test_a_key_is_only_used_with_an_algorithm_made_for_it(key_one: TestIssuer, alg: str) -> None:
    keys = KeySet.parse(key_one.jwks)

    with pytest.raises(AuthenticationFailed) as refused:
        keys.find("key-1", alg)

    assert refused.value.reason == "algorithm"


def test_a_key_declaring_its_algorithm_is_used_with_that_algorithm_only(
    key_one: TestIssuer,
) -> None:
    keys = KeySet.parse({"keys": [{**key_one.jwks["keys"][0], "alg": "RS256"}]})

    assert isinstance(keys.find("key-1", "RS256"), RSAPublicKey)
    with pytest.raises(AuthenticationFailed):
        keys.find("key-1", "PS256")


def test_an_oidc_url_must_be_http_or_https() -> None:
    with pytest.raises(ValueError, match="http"):
        RemoteJwks(ServiceSettings(oidc_jwks_url="file:///etc/passwd"))
