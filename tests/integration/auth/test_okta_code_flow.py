"""The console's sign-in as okta-auth-js performs it against the dev issuer: authorize, the
sign-in form, the code, the token exchange with PKCE, the ID token checks, userinfo."""

from __future__ import annotations

import base64
import hashlib
import time

import httpx
import jwt
import pytest

from devstack.okta import CONSOLE_CLIENT_ID, DEMO_PASSWORDS, DevOktaIssuer, demo_users_line
from tests.integration.auth.conftest import ASK, PAY, event_for
from tests.integration.auth.oidc_browser import (
    REDIRECT_URI,
    Browser,
    Flow,
    query_of,
    read_form,
)
from xero_bridge.auth.authorize import decide


def _verified_id_token(okta: DevOktaIssuer, id_token: str, flow: Flow) -> dict:
    """What okta-auth-js's verifyToken checks, done with PyJWT against the published JWKS."""
    discovery = httpx.get(f"{okta.issuer}/.well-known/openid-configuration").json()
    key = jwt.PyJWKClient(discovery["jwks_uri"]).get_signing_key_from_jwt(id_token)
    claims: dict = jwt.decode(
        id_token,
        key.key,
        algorithms=["RS256"],
        audience=CONSOLE_CLIENT_ID,
        issuer=discovery["issuer"],
        leeway=300,
    )
    assert claims["nonce"] == flow.nonce
    return claims


def test_the_whole_code_flow_with_pkce(browser: Browser, okta: DevOktaIssuer) -> None:
    flow = Flow()
    page = browser.authorize(flow)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    form = read_form(page.text)
    assert form.labels == {"username": "Username", "password": "Password"}
    assert {"username", "password"} <= set(form.inputs)

    wrong = browser.submit(page, "alice", "not-her-password")
    assert wrong.status_code == 401
    assert "Unable to sign in" in wrong.text
    assert "location" not in wrong.headers
    assert read_form(wrong.text).inputs["username"] == "alice"  # the form again, name kept

    signed_in = browser.submit(wrong, "alice", DEMO_PASSWORDS["alice"])
    assert signed_in.status_code == 302
    location = signed_in.headers["location"]
    assert location.startswith(REDIRECT_URI + "?")
    answer = query_of(location)
    assert set(answer) == {"code", "state"} and answer["state"] == flow.state
    assert "sid" in browser.http.cookies  # the Okta session

    response = browser.exchange(flow, answer["code"])
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert list(body) == [
        "token_type",
        "expires_in",
        "access_token",
        "scope",
        "refresh_token",
        "id_token",
    ]
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    assert set(body["scope"].split()) == {
        "openid",
        "profile",
        "email",
        "offline_access",
        "ask",
        "records:read",
        "payments:write",
    }

    id_claims = _verified_id_token(okta, body["id_token"], flow)
    digest = hashlib.sha256(body["access_token"].encode()).digest()
    assert id_claims["at_hash"] == base64.urlsafe_b64encode(digest[:16]).decode().rstrip("=")
    assert id_claims["email"] == id_claims["preferred_username"] == "alice@example.com"
    assert id_claims["name"] == "Alice Adams"
    assert id_claims["amr"] == ["pwd"] and id_claims["ver"] == 1
    assert id_claims["jti"].startswith("ID.") and id_claims["idp"].startswith("00o")
    assert abs(id_claims["auth_time"] - time.time()) < 60
    assert jwt.get_unverified_header(body["id_token"])["kid"] == okta.current_key.kid

    info = browser.userinfo(body["access_token"])
    assert info.status_code == 200
    assert info.json()["sub"] == id_claims["sub"]  # okta-auth-js refuses a different sub
    assert info.json()["groups"] == ["finance"]
    assert info.json()["email"] == "alice@example.com"


def test_the_access_token_is_one_the_product_accepts(browser: Browser) -> None:
    body = browser.tokens()
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert claims["cid"] == CONSOLE_CLIENT_ID
    assert claims["sub"] == "alice@example.com" and claims["groups"] == ["finance"]
    assert decide(event_for(ASK, f"Bearer {body['access_token']}")).allowed
    assert decide(event_for(PAY, f"Bearer {body['access_token']}")).allowed
    assert not decide(event_for(ASK, f"Bearer {body['id_token']}")).allowed  # aud: the client


def test_scopes_are_what_the_user_may_have(browser: Browser) -> None:
    body = browser.tokens(username="bob", password="bob-demo")
    granted = body["scope"].split()
    assert "payments:write" not in granted  # asked for, but not bob's
    assert {"ask", "records:read"} <= set(granted)
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert claims["scp"] == granted and claims["groups"] == ["approvers"]
    assert not decide(event_for(PAY, f"Bearer {body['access_token']}")).allowed


def test_only_scopes_the_user_may_not_have_is_access_denied(browser: Browser) -> None:
    flow = Flow()
    page = browser.authorize(flow, scope="payments:approve")
    answer = browser.submit(page, "alice", "alice-demo")
    query = query_of(answer.headers["location"])
    assert query["error"] == "access_denied"
    assert query["error_description"] and query["state"] == flow.state


def test_sign_in_by_email_and_an_unknown_user(browser: Browser) -> None:
    page = browser.authorize(Flow())
    unknown = browser.submit(page, "mallory", "alice-demo")
    assert unknown.status_code == 401 and "Unable to sign in" in unknown.text
    by_email = browser.submit(unknown, "Carol@Example.com", "carol-demo")
    assert by_email.status_code == 302 and "code=" in by_email.headers["location"]


def test_a_session_signs_in_again_without_the_form(browser: Browser) -> None:
    browser.sign_in(Flow())
    flow = Flow()
    again = browser.authorize(flow)
    assert again.status_code == 302
    query = query_of(again.headers["location"])
    assert query["state"] == flow.state
    assert browser.exchange(flow, query["code"]).status_code == 200
    forced = browser.authorize(Flow(), prompt="login")
    assert forced.status_code == 200 and "password" in read_form(forced.text).inputs


def test_login_hint_fills_in_the_username(browser: Browser) -> None:
    page = browser.authorize(Flow(), login_hint="bob@example.com")
    assert read_form(page.text).inputs["username"] == "bob@example.com"


@pytest.mark.parametrize("mode", ["fragment", "query"])
def test_response_modes_that_redirect(browser: Browser, mode: str) -> None:
    flow = Flow()
    page = browser.authorize(flow, response_mode=mode)
    location = browser.submit(page, "alice", "alice-demo").headers["location"]
    separator = "#" if mode == "fragment" else "?"
    assert location.startswith(REDIRECT_URI + separator)
    assert query_of(location, mode)["state"] == flow.state


def test_a_stale_sign_in_form_is_refused(browser: Browser, okta: DevOktaIssuer) -> None:
    page = browser.authorize(Flow())
    okta.clock.advance(okta.lifetimes.sign_in_request + 1)
    answer = browser.submit(page, "alice", "alice-demo")
    assert answer.status_code == 400 and "location" not in answer.headers


def test_the_sign_in_page_may_not_be_framed(browser: Browser) -> None:
    page = browser.authorize(Flow())
    assert page.headers["x-frame-options"] == "DENY"
    assert "access-control-allow-origin" not in page.headers  # a page, not a CORS endpoint


def test_the_printed_demo_users_sign_in(browser: Browser) -> None:
    """`make dev` prints demo_users_line(); each pair must work on the form."""
    line = demo_users_line()
    assert line.startswith("alice/alice-demo (finance), bob/bob-demo (approvers)")
    for entry in line.split(", "):
        pair, _, groups = entry.partition(" ")
        username, _, password = pair.partition("/")
        browser.http.cookies.clear()
        body = browser.tokens(username=username, password=password)
        assert browser.userinfo(body["access_token"]).json()["groups"] == [groups.strip("()")]
