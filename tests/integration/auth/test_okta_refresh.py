"""Refresh tokens as Okta gives them to an SPA: only with offline_access, rotated on every
use (the used one works only for the grace period), reuse revoking the whole family."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import jwt
import pytest

from devstack.okta import DevOktaIssuer, Lifetimes
from tests.integration.auth.oidc_browser import Browser

REFRESH_INVALID = {
    "error": "invalid_grant",
    "error_description": "The refresh token is invalid or expired.",
}


def test_no_offline_access_no_refresh_token(browser: Browser) -> None:
    body = browser.tokens(scope="openid profile email ask")
    assert "refresh_token" not in body and body["id_token"]


def test_a_refresh_rotates_and_the_old_token_stops_working(
    browser: Browser, okta: DevOktaIssuer
) -> None:
    first = browser.tokens()
    renewed = browser.refresh(first["refresh_token"], first["scope"])
    assert renewed.status_code == 200
    second = renewed.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    assert second["scope"] == first["scope"]
    claims = jwt.decode(second["id_token"], options={"verify_signature": False})
    assert (
        claims["sub"] == jwt.decode(first["id_token"], options={"verify_signature": False})["sub"]
    )

    okta.clock.advance(okta.lifetimes.refresh_grace + 1)
    reused = browser.refresh(first["refresh_token"], first["scope"])
    assert (reused.status_code, reused.json()) == (400, REFRESH_INVALID)


def test_the_used_token_still_works_within_the_grace_period(
    browser: Browser, okta: DevOktaIssuer
) -> None:
    first = browser.tokens()
    assert browser.refresh(first["refresh_token"]).status_code == 200
    okta.clock.advance(okta.lifetimes.refresh_grace - 5)  # the answer was lost; retry
    assert browser.refresh(first["refresh_token"]).status_code == 200


def test_reuse_after_the_grace_revokes_the_family(browser: Browser, okta: DevOktaIssuer) -> None:
    first = browser.tokens()
    second = browser.refresh(first["refresh_token"]).json()
    okta.clock.advance(okta.lifetimes.refresh_grace + 1)
    assert browser.refresh(first["refresh_token"]).json() == REFRESH_INVALID  # reuse
    newest = browser.refresh(second["refresh_token"])
    assert (newest.status_code, newest.json()) == (400, REFRESH_INVALID)
    assert browser.userinfo(second["access_token"]).status_code == 401
    assert browser.introspect(second["access_token"]) == {"active": False}


def test_an_idle_refresh_token_expires(browser: Browser, okta: DevOktaIssuer) -> None:
    first = browser.tokens()
    okta.clock.advance(okta.lifetimes.refresh_token_idle + 1)
    assert browser.refresh(first["refresh_token"]).json() == REFRESH_INVALID


def test_a_refresh_may_narrow_the_scopes_but_not_widen_them(browser: Browser) -> None:
    first = browser.tokens()
    narrow = browser.refresh(first["refresh_token"], "openid offline_access ask")
    assert narrow.status_code == 200 and narrow.json()["scope"] == "openid offline_access ask"
    wide = browser.refresh(narrow.json()["refresh_token"], first["scope"] + " admin")
    assert wide.status_code == 400 and wide.json()["error"] == "invalid_scope"
    # refusing the scopes did not use the token up
    assert browser.refresh(narrow.json()["refresh_token"], "openid ask").status_code == 200


def test_a_refresh_token_is_bound_to_its_client(browser: Browser) -> None:
    first = browser.tokens()
    response = browser.token(
        client_id="0oasomebodyelse00001",
        grant_type="refresh_token",
        refresh_token=first["refresh_token"],
    )
    assert response.status_code == 401
    assert browser.refresh("not-a-refresh-token").json() == REFRESH_INVALID


@pytest.fixture
def short_lived(tmp_path: Path) -> Iterator[DevOktaIssuer]:
    issuer = DevOktaIssuer(tmp_path, lifetimes=Lifetimes(access_token=5, id_token=300))
    issuer.start()
    yield issuer
    issuer.stop()


def test_access_token_lifetime_is_configurable(short_lived: DevOktaIssuer) -> None:
    """Short-lived access tokens let the console's silent renewal be tried quickly."""
    browser = Browser(short_lived)
    try:
        body = browser.tokens()
        assert body["expires_in"] == 5
        claims = jwt.decode(body["access_token"], options={"verify_signature": False})
        assert claims["exp"] - claims["iat"] == 5
        assert browser.userinfo(body["access_token"]).status_code == 200
        short_lived.clock.advance(6)
        assert browser.userinfo(body["access_token"]).status_code == 401
        assert browser.refresh(body["refresh_token"]).status_code == 200
    finally:
        browser.close()
