"""The JWKS cache: fetched once, refetched on an unknown kid at most once a minute, fails
closed. Time and HTTP are fakes here; tests/integration/auth drives the real dev issuer."""

from __future__ import annotations

import json
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from tests.fixtures.virtual_time import ManualClock
from xero_bridge.auth.okta_tokens import JwksCache, JwksUnavailable, TokenRejected
from xero_bridge.errors import ConfigurationError

ISSUER = "https://example.okta.com/oauth2/default"
JWKS_URI = f"{ISSUER}/v1/keys"


def rsa_jwk(kid: str, **extra: Any) -> dict[str, Any]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    return {**jwk, "kid": kid, "alg": "RS256", "use": "sig", **extra}


class FakeOkta:
    def __init__(self, *kids: str) -> None:
        self.keys = [rsa_jwk(kid) for kid in kids]
        self.discovery: dict[str, Any] = {"issuer": ISSUER, "jwks_uri": JWKS_URI}
        self.calls: list[str] = []
        self.down = False

    def get_json(self, url: str, timeout: float) -> Any:
        self.calls.append(url)
        if self.down:
            raise JwksUnavailable("connection refused")
        if url.endswith("/.well-known/openid-configuration"):
            return self.discovery
        assert url == self.discovery["jwks_uri"]
        return {"keys": self.keys}

    @property
    def jwks_calls(self) -> int:
        return sum(1 for url in self.calls if url.endswith("/v1/keys"))


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(1000.0)


def cache_for(okta: FakeOkta, clock: ManualClock, **kwargs: Any) -> JwksCache:
    return JwksCache(ISSUER, clock=clock, get_json=okta.get_json, **kwargs)


def test_keys_are_fetched_once_and_reused(clock: ManualClock) -> None:
    okta = FakeOkta("k1", "k2")
    cache = cache_for(okta, clock)
    for _ in range(5):
        assert cache.signing_key("k1").key_id == "k1"
        assert cache.signing_key("k2").key_id == "k2"
        clock.now += 10
    assert okta.calls == [f"{ISSUER}/.well-known/openid-configuration", JWKS_URI]
    assert cache.fetches == 1


def test_an_unknown_kid_refetches_at_most_once_a_minute(clock: ManualClock) -> None:
    okta = FakeOkta("k1")
    cache = cache_for(okta, clock)
    cache.signing_key("k1")
    clock.now += 61
    for _ in range(20):  # a flood of made-up kids
        with pytest.raises(TokenRejected) as raised:
            cache.signing_key("made-up")
        assert raised.value.reason == "unknown_kid"
        clock.now += 2
    assert okta.jwks_calls == 2  # the first load and one refetch in these 40 s
    clock.now += 30
    with pytest.raises(TokenRejected):
        cache.signing_key("made-up-too")
    assert okta.jwks_calls == 3
    assert okta.calls.count(f"{ISSUER}/.well-known/openid-configuration") == 1


def test_a_rotated_key_is_found_by_the_refetch(clock: ManualClock) -> None:
    okta = FakeOkta("k1")
    cache = cache_for(okta, clock)
    cache.signing_key("k1")
    okta.keys.append(rsa_jwk("k2"))
    clock.now += 60
    assert cache.signing_key("k2").key_id == "k2"
    assert cache.signing_key("k1").key_id == "k1"
    assert okta.jwks_calls == 2


def test_an_unknown_kid_right_after_a_fetch_does_not_fetch_again(clock: ManualClock) -> None:
    okta = FakeOkta("k1")
    cache = cache_for(okta, clock)
    with pytest.raises(TokenRejected) as raised:
        cache.signing_key("k9")  # first use loads, then the kid is still unknown
    assert raised.value.reason == "unknown_kid"
    assert okta.jwks_calls == 1


def test_unreachable_jwks_fails_closed_and_retries_later(clock: ManualClock) -> None:
    okta = FakeOkta("k1")
    okta.down = True
    cache = cache_for(okta, clock, retry_interval=5)
    for _ in range(3):
        with pytest.raises(TokenRejected) as raised:
            cache.signing_key("k1")
        assert raised.value.reason == "jwks_unavailable"
    assert len(okta.calls) == 1  # not on every request
    okta.down = False
    clock.now += 5
    assert cache.signing_key("k1").key_id == "k1"


def test_expired_keys_are_refreshed_and_kept_a_while_if_okta_is_down(clock: ManualClock) -> None:
    okta = FakeOkta("k1")
    cache = cache_for(okta, clock, max_age=3600, max_stale=7200)
    cache.signing_key("k1")
    clock.now += 3600
    cache.signing_key("k1")
    assert okta.jwks_calls == 2  # refreshed after max_age
    okta.down = True
    clock.now += 3600
    assert cache.signing_key("k1").key_id == "k1"  # stale but within max_stale
    clock.now += 3600  # now 7200 s since the last good fetch
    with pytest.raises(TokenRejected) as raised:
        cache.signing_key("k1")
    assert raised.value.reason == "jwks_unavailable"


def test_keys_removed_from_the_jwks_stop_working_after_a_refresh(clock: ManualClock) -> None:
    okta = FakeOkta("k1", "k2")
    cache = cache_for(okta, clock, max_age=600)
    cache.signing_key("k1")
    okta.keys = okta.keys[1:]
    clock.now += 600
    with pytest.raises(TokenRejected):
        cache.signing_key("k1")


def test_only_rs256_signing_keys_are_used(clock: ManualClock) -> None:
    okta = FakeOkta("good")
    ec_key = ec.generate_private_key(ec.SECP256R1())
    okta.keys += [
        rsa_jwk("for-encryption", use="enc"),
        rsa_jwk("rs512", alg="RS512"),
        {"kty": "oct", "kid": "symmetric", "k": "c2VjcmV0"},
        {**json.loads(jwt.algorithms.ECAlgorithm.to_jwk(ec_key.public_key())), "kid": "ec"},
        {"kty": "RSA", "kid": "broken", "n": "!!", "e": "AQAB"},
        "not a key",
    ]
    cache = cache_for(okta, clock)
    cache.signing_key("good")
    assert cache.kids == {"good"}


@pytest.mark.parametrize(
    "discovery",
    [
        {"issuer": "https://evil.example.com/oauth2/default", "jwks_uri": JWKS_URI},
        {"issuer": ISSUER, "jwks_uri": "http://example.okta.com/oauth2/default/v1/keys"},
        {"issuer": ISSUER},
        ["not", "a", "document"],
    ],
)
def test_a_bad_discovery_document_fails_closed(clock: ManualClock, discovery: Any) -> None:
    okta = FakeOkta("k1")
    okta.discovery = discovery
    cache = cache_for(okta, clock)
    with pytest.raises(TokenRejected) as raised:
        cache.signing_key("k1")
    assert raised.value.reason == "jwks_unavailable"


def test_a_jwks_without_usable_keys_fails_closed(clock: ManualClock) -> None:
    okta = FakeOkta()
    cache = cache_for(okta, clock)
    with pytest.raises(TokenRejected) as raised:
        cache.signing_key("k1")
    assert raised.value.reason == "jwks_unavailable"


@pytest.mark.parametrize(
    "issuer",
    ["http://example.okta.com/oauth2/default", "ftp://example.com", "example.okta.com", ""],
)
def test_the_issuer_must_be_https_except_on_loopback(issuer: str) -> None:
    with pytest.raises(ConfigurationError):
        JwksCache(issuer)


def test_loopback_http_is_allowed_for_the_dev_issuer() -> None:
    assert JwksCache("http://127.0.0.1:3200/oauth2/default/").issuer.endswith("/default")
