"""Silent renewal without a refresh token (hidden iframe, prompt=none, okta_post_message) and
sign-out (/v1/logout ends the Okta session)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from devstack.okta import DevOktaIssuer
from tests.integration.auth.oidc_browser import ORIGIN, REDIRECT_URI, Browser, Flow, query_of

SILENT = {"prompt": "none", "response_mode": "okta_post_message"}
_POST = re.compile(r"var data=(\{.*?\});.*postMessage\(data,(\"[^\"]*\")\)", re.S)


def _posted(page: str) -> tuple[dict, str]:
    """The message the page posts and its target origin."""
    match = _POST.search(page)
    assert match, page
    return json.loads(match.group(1)), json.loads(match.group(2))


def test_prompt_none_without_a_session_is_login_required(browser: Browser) -> None:
    flow = Flow()
    response = browser.authorize(flow, prompt="none")
    assert response.status_code == 302
    query = query_of(response.headers["location"])
    assert query == {
        "error": "login_required",
        "error_description": "The user is not logged in.",
        "state": flow.state,
    }


def test_prompt_none_with_a_session_answers_a_code_at_once(browser: Browser) -> None:
    browser.sign_in(Flow())
    flow = Flow()
    response = browser.authorize(flow, prompt="none")
    query = query_of(response.headers["location"])
    assert query["state"] == flow.state
    assert browser.exchange(flow, query["code"]).status_code == 200


def test_the_post_message_page_hands_the_code_to_the_parent(browser: Browser) -> None:
    browser.sign_in(Flow())
    flow = Flow()
    page = browser.authorize(flow, **SILENT)
    assert page.status_code == 200 and "location" not in page.headers
    message, target = _posted(page.text)
    assert target == ORIGIN  # the redirect URI's origin, never "*"
    assert set(message) == {"code", "state"} and message["state"] == flow.state
    assert ORIGIN in page.headers["content-security-policy"]  # frameable by the console
    assert browser.exchange(flow, message["code"]).status_code == 200


def test_the_post_message_page_without_a_session_posts_the_error(browser: Browser) -> None:
    flow = Flow()
    message, target = _posted(browser.authorize(flow, **SILENT).text)
    assert message == {
        "error": "login_required",
        "error_description": "The user is not logged in.",
        "state": flow.state,
    }
    assert target == ORIGIN


def test_the_post_message_page_cannot_be_broken_out_of(browser: Browser) -> None:
    flow = Flow()
    flow.state = "</script><script>alert(1)</script>"
    page = browser.authorize(flow, **SILENT).text
    assert "<script>alert(1)" not in page
    assert _posted(page)[0]["state"] == flow.state


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_post_message_script_really_posts(browser: Browser) -> None:
    """Run the page's script with a parent window that records what it is sent."""
    flow = Flow()
    page = browser.authorize(flow, **SILENT).text
    script = re.search(r"<script>(.*?)</script>", page, re.S)
    assert script
    harness = (
        "const sent=[];"
        "globalThis.window={opener:null,parent:{postMessage:(d,o)=>sent.push([d,o])}};"
        f"{script.group(1)}\nconsole.log(JSON.stringify(sent));"
    )
    result = subprocess.run(
        ["node", "-e", harness], capture_output=True, text=True, timeout=30, check=True
    )
    assert json.loads(result.stdout) == [
        [
            {
                "error": "login_required",
                "error_description": "The user is not logged in.",
                "state": flow.state,
            },
            ORIGIN,
        ]
    ]


def test_form_post_answers_with_a_form_to_the_redirect_uri(browser: Browser) -> None:
    flow = Flow()
    page = browser.authorize(flow, prompt="none", response_mode="form_post")
    assert f'action="{REDIRECT_URI}"' in page.text
    assert 'name="error" value="login_required"' in page.text


def _signed_in(browser: Browser) -> dict:
    body = browser.tokens()
    assert browser.authorize(Flow(), prompt="none").status_code == 302
    return body


def test_logout_ends_the_session_and_goes_back(browser: Browser) -> None:
    body = _signed_in(browser)
    response = browser.http.get(
        f"{browser.okta.issuer}/v1/logout",
        params={
            "id_token_hint": body["id_token"],
            "post_logout_redirect_uri": ORIGIN,
            "state": "after-logout",
        },
    )
    assert response.status_code == 302
    assert response.headers["location"] == f"{ORIGIN}?state=after-logout"
    assert "sid" not in browser.http.cookies
    flow = Flow()
    assert query_of(browser.authorize(flow, prompt="none").headers["location"])["error"] == (
        "login_required"
    )


def test_the_session_is_ended_at_the_issuer_not_only_in_the_cookie(browser: Browser) -> None:
    body = _signed_in(browser)
    session = browser.http.cookies["sid"]
    browser.http.get(f"{browser.okta.issuer}/v1/logout", params={"id_token_hint": body["id_token"]})
    browser.http.cookies.set("sid", session)  # a copy of the old cookie is worth nothing
    assert "error=login_required" in browser.authorize(Flow(), prompt="none").headers["location"]


def test_an_expired_id_token_is_still_a_hint(browser: Browser, okta: DevOktaIssuer) -> None:
    body = _signed_in(browser)
    okta.clock.advance(okta.lifetimes.id_token + 60)
    response = browser.http.get(
        f"{okta.issuer}/v1/logout",
        params={"id_token_hint": body["id_token"], "post_logout_redirect_uri": ORIGIN},
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    "params",
    [
        {"post_logout_redirect_uri": "https://evil.example/"},
        {"id_token_hint": "not-a-jwt", "post_logout_redirect_uri": ORIGIN},
        {"id_token_hint": None, "post_logout_redirect_uri": ORIGIN},
    ],
)
def test_logout_refuses_unregistered_uris_and_bad_hints(browser: Browser, params: dict) -> None:
    body = _signed_in(browser)
    query = {"id_token_hint": body["id_token"], **params}
    response = browser.http.get(
        f"{browser.okta.issuer}/v1/logout",
        params={name: value for name, value in query.items() if value is not None},
    )
    assert response.status_code == 400 and "location" not in response.headers
    assert browser.authorize(Flow(), prompt="none").headers["location"].count("code=") == 1


def test_max_age_asks_for_a_fresh_sign_in(browser: Browser, okta: DevOktaIssuer) -> None:
    browser.sign_in(Flow())
    okta.clock.advance(120)
    stale = browser.authorize(Flow(), prompt="none", max_age="60")
    assert query_of(stale.headers["location"])["error"] == "login_required"
    fresh_enough = browser.authorize(Flow(), prompt="none", max_age="600")
    assert "code" in query_of(fresh_enough.headers["location"])
