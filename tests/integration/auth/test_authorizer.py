"""The authorizer Lambda with real tokens signed by the dev Okta issuer on loopback."""

from __future__ import annotations

import io
import json
import logging
import time
from collections.abc import Callable
from typing import Any

import pytest

from devstack.okta_issuer import DevOktaIssuer
from tests.fixtures.virtual_time import ManualClock
from tests.integration.auth.conftest import (
    ASK,
    PAY,
    hs256_with,
    other_rsa_key,
    segment,
    signed_with,
    unsigned,
)
from xero_bridge.auth.authorize import decide
from xero_bridge.auth.okta_tokens import OktaTokenValidator, TokenRejected
from xero_bridge.observability import logger

Authorize = Callable[..., dict[str, Any]]


def reason(okta: DevOktaIssuer, route_key: str, authorization: str) -> str:
    """Why the decision logic (the same one the Lambda runs) denies or allows."""
    from tests.integration.auth.conftest import event_for

    return decide(event_for(route_key, authorization)).reason


def test_a_valid_token_passes_with_the_principal_in_the_context(
    okta: DevOktaIssuer, authorize: Authorize
) -> None:
    token = okta.mint("alice", scopes=["payments:write", "ask"], groups=["finance", "Team A"])
    result = authorize(PAY, f"Bearer {token}")
    assert result["isAuthorized"] is True
    context = result["context"]
    assert context["sub"] == "alice@example.com"
    assert context["email"] == "alice@example.com"
    assert context["scopes"] == "payments:write ask"
    assert json.loads(context["groups"]) == ["finance", "Team A"]
    assert context["token_id"].startswith("AT.")
    assert context["client_id"] == okta.client_id
    assert all(isinstance(value, str) for value in context.values())


def test_an_email_claim_wins_over_the_sub(okta: DevOktaIssuer, authorize: Authorize) -> None:
    token = okta.mint("00u123", scopes=["ask"], email="dana@example.org")
    context = authorize(ASK, f"Bearer {token}")["context"]
    assert (context["sub"], context["email"]) == ("00u123@example.com", "dana@example.org")


def test_the_demo_users_have_their_documented_powers(
    okta: DevOktaIssuer, authorize: Authorize
) -> None:
    alice, bob, carol = (f"Bearer {okta.mint(user)}" for user in ("alice", "bob", "carol"))
    approve = "POST /tenants/{tenantId}/payments/{id}/approve"
    raw = "POST /tenants/{tenantId}/xero/raw"
    assert authorize(PAY, alice)["isAuthorized"] and not authorize(approve, alice)["isAuthorized"]
    assert authorize(approve, bob)["isAuthorized"] and not authorize(PAY, bob)["isAuthorized"]
    assert authorize(raw, carol)["isAuthorized"] and not authorize(raw, alice)["isAuthorized"]


def _claims(okta: DevOktaIssuer, **overrides: Any) -> dict[str, Any]:
    claims = okta.claims("alice", scopes=["payments:write"])
    claims.update(overrides)
    return claims


def _tampered(okta: DevOktaIssuer) -> str:
    header, _, signature = okta.mint("alice", scopes=["ask"]).split(".")
    forged = segment(_claims(okta, scp=["ask", "payments:write", "admin"]))
    return f"{header}.{forged}.{signature}"


def _hs256_with_public_key(okta: DevOktaIssuer) -> str:
    key = okta.current_key
    header = {"alg": "HS256", "kid": key.kid, "typ": "JWT"}
    return hs256_with(key.public_pem(), header, _claims(okta))


def _hs256_with_jwk_modulus(okta: DevOktaIssuer) -> str:
    key = okta.current_key
    header = {"alg": "HS256", "kid": key.kid}
    return hs256_with(key.public_jwk()["n"].encode(), header, _claims(okta))


def _same_kid_other_key(okta: DevOktaIssuer) -> str:
    return signed_with(other_rsa_key(), okta.current_key.kid, _claims(okta))


def _unknown_kid(okta: DevOktaIssuer) -> str:
    return signed_with(other_rsa_key(), "not-a-kid-okta-has", _claims(okta))


now = int(time.time())
HOSTILE: dict[str, tuple[Callable[[DevOktaIssuer], str], set[str]]] = {
    # name: (make the token, acceptable deny reasons)
    "alg none": (
        lambda o: unsigned({"alg": "none", "kid": o.current_key.kid}, _claims(o)),
        {"malformed_header"},
    ),
    "alg none with a dummy signature": (
        lambda o: unsigned({"alg": "none", "kid": o.current_key.kid}, _claims(o)) + "AAAA",
        {"alg_not_allowed"},
    ),
    "HS256 signed with the public key PEM": (_hs256_with_public_key, {"alg_not_allowed"}),
    "HS256 signed with the JWK modulus": (_hs256_with_jwk_modulus, {"alg_not_allowed"}),
    "RS512 with the right key": (
        lambda o: o.mint("alice", scopes=["payments:write"], headers={"alg": "RS512"}),
        {"alg_not_allowed"},
    ),
    "another key with the same kid": (_same_kid_other_key, {"bad_signature"}),
    "tampered payload": (_tampered, {"bad_signature"}),
    "expired": (
        lambda o: o.mint("alice", scopes=["payments:write"], iat=now - 3700, exp=now - 100),
        {"expired"},
    ),
    "not yet valid": (
        lambda o: o.mint("alice", scopes=["payments:write"], nbf=int(time.time()) + 300),
        {"not_yet_valid"},
    ),
    "issued in the future": (
        lambda o: o.mint("alice", scopes=["payments:write"], iat=int(time.time()) + 300),
        {"not_yet_valid", "invalid"},
    ),
    "wrong issuer": (
        lambda o: o.mint("alice", scopes=["payments:write"], iss="https://evil.okta.com/oauth2/x"),
        {"wrong_issuer"},
    ),
    "issuer with a trailing slash": (
        lambda o: o.mint("alice", scopes=["payments:write"], iss=o.issuer + "/"),
        {"wrong_issuer"},
    ),
    "wrong audience": (
        lambda o: o.mint("alice", scopes=["payments:write"], aud="api://someone-else"),
        {"wrong_audience"},
    ),
    "no audience": (
        lambda o: o.mint("alice", scopes=["payments:write"], aud=None),
        {"missing_claim"},
    ),
    "no exp": (lambda o: o.mint("alice", scopes=["payments:write"], exp=None), {"missing_claim"}),
    "no iat": (lambda o: o.mint("alice", scopes=["payments:write"], iat=None), {"missing_claim"}),
    "no sub": (lambda o: o.mint("alice", scopes=["payments:write"], sub=None), {"missing_claim"}),
    "empty sub": (lambda o: o.mint("alice", scopes=["payments:write"], sub=" "), {"missing_claim"}),
    "unknown kid": (_unknown_kid, {"unknown_kid"}),
    "no kid": (
        lambda o: o.mint("alice", scopes=["payments:write"], headers={"kid": None}),
        {"missing_kid"},
    ),
    "missing scope for the route": (
        lambda o: o.mint("alice", scopes=["ask", "payments:approve"], groups=["admin"]),
        {"missing_scope"},
    ),
    "scope only in a group": (
        lambda o: o.mint("alice", scopes=[], groups=["payments:write"]),
        {"missing_scope"},
    ),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_and_invalid_tokens_are_denied(
    name: str, okta: DevOktaIssuer, authorize: Authorize
) -> None:
    make, reasons = HOSTILE[name]
    token = make(okta)
    result = authorize(PAY, f"Bearer {token}")
    assert result == {"isAuthorized": False, "context": {}}
    assert reason(okta, PAY, f"Bearer {token}") in reasons


def test_a_little_clock_skew_is_tolerated(okta: DevOktaIssuer, authorize: Authorize) -> None:
    stamp = int(time.time())
    skewed = okta.mint("alice", scopes=["ask"], exp=stamp - 10, nbf=stamp + 10, iat=stamp + 10)
    assert authorize(ASK, f"Bearer {skewed}")["isAuthorized"] is True


@pytest.mark.parametrize(
    "header",
    [
        "",
        "Bearer",
        "Bearer ",
        "Bearer a.b",
        "Basic xyz",
        "Basic dXNlcjpwYXNz",
        "{token}",
        "Bearer {token} {token}",
        "Bearer {token},Bearer {token}",
        "Bearer {token}\u00e9",
        "Bearer \u00e9{token}",
        "Bearer\u00a0{token}",
    ],
)
def test_malformed_authorization_headers_are_denied(
    header: str, okta: DevOktaIssuer, authorize: Authorize
) -> None:
    value = header.format(token=okta.mint("alice", scopes=["ask"]))
    assert authorize(ASK, value)["isAuthorized"] is False
    assert okta.jwks_fetches == 0  # rejected before any key is looked up


def test_no_authorization_header_at_all_is_denied(
    okta: DevOktaIssuer, authorize: Authorize
) -> None:
    assert authorize(ASK, None)["isAuthorized"] is False


@pytest.mark.parametrize(
    "route_key", ["GET /not-a-route", "$default", "PATCH /tenants/{tenantId}/payments"]
)
def test_unknown_routes_are_denied_even_to_admins(
    route_key: str, okta: DevOktaIssuer, authorize: Authorize
) -> None:
    token = okta.mint("carol", scopes=["admin", "payments:write"], groups=["admin"])
    assert authorize(route_key, f"Bearer {token}")["isAuthorized"] is False


def test_the_validator_itself_refuses_alg_none() -> None:
    """Not only the header parser: validate() refuses `none` before looking for a key."""
    validator = OktaTokenValidator("https://example.okta.com/oauth2/default", "api://x")
    token = unsigned({"alg": "none", "kid": "k"}, {"sub": "a", "exp": 2**33, "iat": 1})
    with pytest.raises(TokenRejected) as raised:
        validator.validate(token)
    assert raised.value.reason == "alg_not_allowed"
    assert validator.jwks.fetches == 0


# ---------------------------------------------------------------------- JWKS behaviour
def test_keys_are_fetched_once_for_many_requests(okta: DevOktaIssuer, authorize: Authorize) -> None:
    for _ in range(10):
        assert authorize(ASK, f"Bearer {okta.mint('alice', scopes=['ask'])}")["isAuthorized"]
    assert okta.jwks_fetches == 1
    assert okta.discovery_fetches == 1


def test_unknown_kids_refetch_the_jwks_at_most_once_a_minute(
    okta: DevOktaIssuer, authorize: Authorize, clock: ManualClock
) -> None:
    good = f"Bearer {okta.mint('alice', scopes=['ask'])}"
    assert authorize(ASK, good)["isAuthorized"]
    assert okta.jwks_fetches == 1
    clock.advance(61)
    for _ in range(5):
        assert not authorize(ASK, f"Bearer {_unknown_kid(okta)}")["isAuthorized"]
        clock.advance(5)
    assert okta.jwks_fetches == 2  # one refetch for the first unknown kid, then none
    clock.advance(40)  # 65 s after that refetch
    assert not authorize(ASK, f"Bearer {_unknown_kid(okta)}")["isAuthorized"]
    assert okta.jwks_fetches == 3
    assert authorize(ASK, good)["isAuthorized"]  # the known key never needed a fetch
    assert okta.jwks_fetches == 3


def test_a_rotated_key_is_picked_up_by_one_refetch(
    fresh_okta: DevOktaIssuer, clock: ManualClock
) -> None:
    from tests.integration.auth.conftest import event_for

    def allowed(token: str) -> bool:
        return decide(event_for(ASK, f"Bearer {token}")).allowed

    old_token = fresh_okta.mint("alice", scopes=["ask"])
    assert allowed(old_token)
    clock.advance(120)
    new_kid = fresh_okta.rotate_keys()
    new_token = fresh_okta.mint("alice", scopes=["ask"])
    assert new_token != old_token
    assert allowed(new_token)
    assert fresh_okta.jwks_fetches == 2
    assert allowed(old_token)  # the old key is still published
    assert new_kid != fresh_okta.keys.load()[0].kid


def test_jwks_unreachable_is_denied(fresh_okta: DevOktaIssuer, clock: ManualClock) -> None:
    from tests.integration.auth.conftest import event_for

    fresh_okta.jwks_available = False
    token = f"Bearer {fresh_okta.mint('alice', scopes=['ask'])}"
    assert decide(event_for(ASK, token)).reason == "jwks_unavailable"
    fresh_okta.jwks_available = True
    clock.advance(6)  # the short retry interval of a cache that never had keys
    assert decide(event_for(ASK, token)).allowed


def test_issuer_down_is_denied(fresh_okta: DevOktaIssuer, authorize: Authorize) -> None:
    token = f"Bearer {fresh_okta.mint('alice', scopes=['ask'])}"
    fresh_okta.stop()  # nothing listens on its port any more
    assert authorize(ASK, token) == {"isAuthorized": False, "context": {}}


def test_a_missing_setting_fails_closed(
    okta: DevOktaIssuer, authorize: Authorize, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xero_bridge.settings import get_settings

    monkeypatch.delenv("OKTA_AUDIENCE")
    get_settings.cache_clear()
    assert authorize(ASK, f"Bearer {okta.mint('alice', scopes=['ask'])}")["isAuthorized"] is False


class _RawRecords(logging.Handler):
    """Log records as the code made them, before the redacting formatter's safety net."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_no_token_reaches_the_logs(okta: DevOktaIssuer, authorize: Authorize) -> None:
    raw = _RawRecords()
    stream = io.StringIO()
    previous = logger.logger_handler.setStream(stream)
    logger._logger.addHandler(raw)
    try:
        good = okta.mint("alice", scopes=["ask"])
        expired = okta.mint("alice", scopes=["ask"], exp=int(time.time()) - 100)
        authorize(ASK, f"Bearer {good}")
        authorize(PAY, f"Bearer {good}")
        authorize(ASK, f"Bearer {expired}")
        authorize(ASK, "Bearer a.b")
    finally:
        logger._logger.removeHandler(raw)
        logger.logger_handler.setStream(previous)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    denied = [line for line in lines if line["message"] == "request denied"]
    assert [line["reason"] for line in denied] == ["missing_scope", "expired", "malformed_header"]
    assert all(line["level"] == "INFO" for line in denied)
    assert denied[0]["sub"] == "alice@example.com" and denied[0]["jti"].startswith("AT.")
    # Unredacted: the code itself never hands a token (or any part of one) to the logger.
    unredacted = " ".join(repr(record.__dict__) for record in raw.records)
    assert len(raw.records) >= 5
    for token in (good, expired):
        for part in token.split("."):
            assert part not in unredacted
