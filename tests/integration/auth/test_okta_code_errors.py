"""What the dev issuer refuses in the code flow, with Okta's errors: a wrong PKCE verifier, a
reused or expired code, a redirect URI that does not match, an unknown client, a bad request."""

from __future__ import annotations

import pytest

from devstack.okta import CONSOLE_CLIENT_ID, DevOktaIssuer
from tests.integration.auth.oidc_browser import REDIRECT_URI, Browser, Flow, pkce_pair, query_of

CODE_INVALID = {
    "error": "invalid_grant",
    "error_description": "The authorization code is invalid or has expired.",
}


def test_a_wrong_code_verifier_fails_pkce(browser: Browser) -> None:
    flow = Flow()
    code = browser.sign_in(flow)["code"]
    other_verifier, _ = pkce_pair()
    response = browser.exchange(flow, code, code_verifier=other_verifier)
    assert response.status_code == 400
    assert response.json() == {
        "error": "invalid_grant",
        "error_description": "PKCE verification failed.",
    }


def test_a_code_works_once(browser: Browser) -> None:
    flow = Flow()
    code = browser.sign_in(flow)["code"]
    assert browser.exchange(flow, code).status_code == 200
    again = browser.exchange(flow, code)
    assert (again.status_code, again.json()) == (400, CODE_INVALID)


def test_a_code_expires_after_five_minutes(browser: Browser, okta: DevOktaIssuer) -> None:
    flow = Flow()
    code = browser.sign_in(flow)["code"]
    okta.clock.advance(301)
    response = browser.exchange(flow, code)
    assert (response.status_code, response.json()) == (400, CODE_INVALID)


def test_a_code_is_bound_to_its_redirect_uri(browser: Browser) -> None:
    flow = Flow()
    code = browser.sign_in(flow)["code"]
    other = "http://localhost:5173/login/callback"  # registered, but not the one used
    response = browser.exchange(flow, code, redirect_uri=other)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    assert "redirect_uri" in response.json()["error_description"]


def test_an_unknown_or_missing_client_at_the_token_endpoint(browser: Browser) -> None:
    flow = Flow()
    code = browser.sign_in(flow)["code"]
    for client_id in ("0oasomebodyelse00001", ""):
        response = browser.exchange(flow, code, client_id=client_id)
        assert response.status_code == 401
        assert response.json()["error"] == "invalid_client"
    assert browser.exchange(flow, code).status_code == 200  # refusing the client kept the code


def test_a_missing_verifier_is_an_invalid_request(browser: Browser) -> None:
    flow = Flow()
    code = browser.sign_in(flow)["code"]
    response = browser.exchange(flow, code, code_verifier="")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"
    assert "PKCE" in response.json()["error_description"]


def test_the_token_endpoint_wants_a_form(browser: Browser, okta: DevOktaIssuer) -> None:
    response = browser.http.post(
        f"{okta.issuer}/v1/token",
        json={"client_id": CONSOLE_CLIENT_ID, "grant_type": "authorization_code"},
    )
    assert response.status_code == 400 and response.json()["error"] == "invalid_request"
    other_grant = browser.token(client_id=CONSOLE_CLIENT_ID, grant_type="password")
    assert other_grant.status_code == 400
    assert other_grant.json()["error"] == "unsupported_grant_type"


def test_a_public_client_has_no_secret(browser: Browser) -> None:
    flow = Flow()
    code = browser.sign_in(flow)["code"]
    response = browser.exchange(flow, code, client_secret="guess")
    assert (response.status_code, response.json()["error"]) == (401, "invalid_client")


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"client_id": "0oasomebodyelse00001"}, "invalid_client"),
        ({"client_id": None}, "invalid_client"),
        ({"redirect_uri": "https://evil.example/callback"}, "invalid_request"),
        ({"redirect_uri": "http://127.0.0.1:5173/login/callback/extra"}, "invalid_request"),
    ],
)
def test_an_untrusted_client_or_redirect_uri_is_a_page_never_a_redirect(
    browser: Browser, params: dict, error: str
) -> None:
    page = browser.authorize(Flow(), **params)
    assert page.status_code == 400
    assert "location" not in page.headers
    assert page.headers["content-type"].startswith("text/html")
    assert error in page.text


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"code_challenge": None}, "invalid_request"),
        ({"code_challenge_method": "plain"}, "invalid_request"),
        ({"code_challenge": "too-short"}, "invalid_request"),
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"scope": "openid launch-the-missiles"}, "invalid_scope"),
        ({"scope": None}, "invalid_scope"),
        ({"prompt": "sometimes"}, "invalid_request"),
        ({"response_mode": "carrier_pigeon"}, "unsupported_response_mode"),
    ],
)
def test_other_authorize_errors_redirect_with_error_description_and_state(
    browser: Browser, params: dict, error: str
) -> None:
    flow = Flow()
    response = browser.authorize(flow, **params)
    assert response.status_code == 302
    location = response.headers["location"]
    assert location.startswith(REDIRECT_URI + "?")
    query = query_of(location)
    assert query["error"] == error
    assert query["error_description"]  # okta-auth-js only raises OAuthError with both
    assert query["state"] == flow.state


def test_a_missing_state_is_refused(browser: Browser) -> None:
    response = browser.authorize(Flow(), state=None)
    query = query_of(response.headers["location"])
    assert query["error"] == "invalid_request" and "state" in query["error_description"]
