"""Revocation and introspection, userinfo's refusals, CORS for the trusted origins only, and
the discovery document okta-auth-js reads."""

from __future__ import annotations

from pathlib import Path

import httpx
import jwt
import pytest

from devstack.okta import CONSOLE_CLIENT_ID, ConsoleClient, DevOktaIssuer
from tests.integration.auth.oidc_browser import FETCH_HEADERS, ORIGIN, Browser, Flow

UNTRUSTED = "https://evil.example"
OKTA_AUTH_JS_HEADERS = "accept,content-type,x-okta-user-agent-extended,authorization"


def test_a_revoked_access_token_is_refused(browser: Browser, okta: DevOktaIssuer) -> None:
    body = browser.tokens()
    jti = jwt.decode(body["access_token"], options={"verify_signature": False})["jti"]
    assert browser.introspect(body["access_token"])["active"] is True
    assert not okta.revoked(jti)

    response = browser.revoke(body["access_token"], "access_token")
    assert (response.status_code, response.content) == (200, b"")
    assert okta.revoked(jti)
    info = browser.userinfo(body["access_token"])
    assert info.status_code == 401
    assert 'error="invalid_token"' in info.headers["www-authenticate"]
    assert browser.introspect(body["access_token"]) == {"active": False}
    assert browser.refresh(body["refresh_token"]).status_code == 200  # only the access token


def test_a_revoked_refresh_token_no_longer_refreshes(browser: Browser) -> None:
    body = browser.tokens()
    assert browser.introspect(body["refresh_token"], "refresh_token")["active"] is True
    assert browser.revoke(body["refresh_token"], "refresh_token").status_code == 200
    assert browser.refresh(body["refresh_token"]).json()["error"] == "invalid_grant"
    assert browser.introspect(body["refresh_token"], "refresh_token") == {"active": False}
    assert browser.userinfo(body["access_token"]).status_code == 401  # minted by it


def test_revoke_needs_the_client(browser: Browser, okta: DevOktaIssuer) -> None:
    body = browser.tokens()
    response = httpx.post(
        f"{okta.issuer}/v1/revoke",
        data={"token": body["access_token"], "token_type_hint": "access_token"},
    )
    assert (response.status_code, response.json()["error"]) == (401, "invalid_client")
    assert browser.userinfo(body["access_token"]).status_code == 200


def test_introspection_tells_an_api_what_a_token_is(browser: Browser) -> None:
    body = browser.tokens()
    answer = browser.introspect(body["access_token"])
    assert answer["active"] is True and answer["token_type"] == "Bearer"
    assert answer["client_id"] == CONSOLE_CLIENT_ID and answer["username"] == "alice@example.com"
    assert answer["scope"] == body["scope"]
    assert browser.introspect("garbage") == {"active": False}


def test_userinfo_refuses_a_missing_or_foreign_token(browser: Browser, okta: DevOktaIssuer) -> None:
    missing = httpx.get(f"{okta.issuer}/v1/userinfo")
    assert missing.status_code == 401
    assert 'error="invalid_request"' in missing.headers["www-authenticate"]
    other_audience = okta.mint("alice", aud="api://somebody-else", scp=["openid"])
    assert browser.userinfo(other_audience).status_code == 401
    no_openid = okta.mint("alice", scopes=["ask"])
    forbidden = browser.userinfo(no_openid)
    assert forbidden.status_code == 403
    assert 'error="insufficient_scope"' in forbidden.headers["www-authenticate"]


def _preflight(okta: DevOktaIssuer, path: str, origin: str, method: str = "POST") -> httpx.Response:
    return httpx.options(
        f"{okta.issuer}{path}",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": OKTA_AUTH_JS_HEADERS,
        },
    )


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/v1/token", "POST"),
        ("/v1/revoke", "POST"),
        ("/v1/introspect", "POST"),
        ("/v1/userinfo", "GET"),
        ("/v1/keys", "GET"),
        ("/.well-known/openid-configuration", "GET"),
    ],
)
def test_a_preflight_from_a_trusted_origin(okta: DevOktaIssuer, path: str, method: str) -> None:
    response = _preflight(okta, path, ORIGIN, method)
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == ORIGIN
    assert response.headers["access-control-allow-credentials"] == "true"
    assert method in response.headers["access-control-allow-methods"]
    allowed = {h.strip() for h in response.headers["access-control-allow-headers"].split(",")}
    assert allowed == set(OKTA_AUTH_JS_HEADERS.split(","))
    assert "Origin" in response.headers["vary"]


def test_localhost_is_trusted_too(okta: DevOktaIssuer) -> None:
    response = _preflight(okta, "/v1/token", "http://localhost:5173")
    assert response.headers["access-control-allow-origin"] == "http://localhost:5173"


@pytest.mark.parametrize(
    ("origin", "method", "headers"),
    [
        (UNTRUSTED, "POST", OKTA_AUTH_JS_HEADERS),
        ("http://127.0.0.1:5174", "POST", OKTA_AUTH_JS_HEADERS),  # another port, another origin
        (ORIGIN, "DELETE", OKTA_AUTH_JS_HEADERS),
        (ORIGIN, "POST", "accept,x-custom-header"),
    ],
)
def test_other_preflights_get_no_cors(
    okta: DevOktaIssuer, origin: str, method: str, headers: str
) -> None:
    response = httpx.options(
        f"{okta.issuer}/v1/token",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": headers,
        },
    )
    assert response.status_code == 403
    assert "access-control-allow-origin" not in response.headers


def test_answers_carry_cors_only_for_trusted_origins(browser: Browser, okta: DevOktaIssuer) -> None:
    trusted = browser.token(client_id=CONSOLE_CLIENT_ID, grant_type="refresh_token")
    assert trusted.status_code == 400  # an error the app must be able to read
    assert trusted.headers["access-control-allow-origin"] == ORIGIN
    untrusted = httpx.post(
        f"{okta.issuer}/v1/token",
        data={"client_id": CONSOLE_CLIENT_ID, "grant_type": "refresh_token"},
        headers={**FETCH_HEADERS, "Origin": UNTRUSTED},
    )
    assert "access-control-allow-origin" not in untrusted.headers
    info = browser.userinfo("x")
    assert info.headers["access-control-allow-origin"] == ORIGIN
    assert "WWW-Authenticate" in info.headers["access-control-expose-headers"]


def test_pages_get_no_cors(okta: DevOktaIssuer) -> None:
    for path in ("/v1/authorize", "/v1/logout"):
        response = _preflight(okta, path, ORIGIN, "GET")
        assert "access-control-allow-origin" not in response.headers
        got = httpx.get(f"{okta.issuer}{path}", headers={"Origin": ORIGIN})
        assert "access-control-allow-origin" not in got.headers


def test_discovery_names_what_okta_auth_js_reads(okta: DevOktaIssuer) -> None:
    for name in ("openid-configuration", "oauth-authorization-server"):
        document = httpx.get(f"{okta.issuer}/.well-known/{name}", headers=FETCH_HEADERS).json()
        issuer = document["issuer"]
        assert issuer == okta.issuer
        assert document["code_challenge_methods_supported"] == ["S256"]
        for endpoint, path in [
            ("authorization_endpoint", "/v1/authorize"),
            ("token_endpoint", "/v1/token"),
            ("userinfo_endpoint", "/v1/userinfo"),
            ("revocation_endpoint", "/v1/revoke"),
            ("introspection_endpoint", "/v1/introspect"),
            ("end_session_endpoint", "/v1/logout"),
            ("jwks_uri", "/v1/keys"),
        ]:
            assert document[endpoint] == issuer + path  # okta-auth-js builds these itself
        assert "okta_post_message" in document["response_modes_supported"]
        assert set(document["grant_types_supported"]) == {"authorization_code", "refresh_token"}
        assert {"openid", "offline_access", "payments:write"} <= set(document["scopes_supported"])
        assert {"at_hash", "nonce", "auth_time", "groups"} <= set(document["claims_supported"])


def test_the_console_origin_is_configurable(tmp_path: Path) -> None:
    """A console on another port: its callback is registered and its origin trusted, alone."""
    other = "http://127.0.0.1:5174"
    with DevOktaIssuer(tmp_path, console=ConsoleClient.for_origins([other])) as okta:
        assert _preflight(okta, "/v1/token", other).status_code == 200
        assert _preflight(okta, "/v1/token", ORIGIN).status_code == 403
        browser = Browser(okta)
        try:
            flow = Flow()
            page = browser.authorize(flow, redirect_uri=f"{other}/login/callback")
            assert page.status_code == 200
            assert browser.authorize(Flow()).status_code == 400  # the default is not registered
        finally:
            browser.close()
