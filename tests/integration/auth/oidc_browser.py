"""A browser for the dev Okta issuer's sign-in flow, doing what okta-auth-js does.

okta-auth-js (Authorization Code + PKCE) sends the browser to ``{issuer}/v1/authorize`` with
client_id, redirect_uri, response_type=code, scope, state, nonce, code_challenge and
code_challenge_method=S256; the person signs in on the form; the app reads ``?code=&state=``
and POSTs the code with its verifier to ``/v1/token`` (form-encoded, from its own origin, with
Accept and X-Okta-User-Agent-Extended headers).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from devstack.okta import CONSOLE_CLIENT_ID, DEFAULT_CONSOLE_ORIGINS, DevOktaIssuer

ORIGIN = DEFAULT_CONSOLE_ORIGINS[0]
REDIRECT_URI = f"{ORIGIN}/login/callback"
SCOPES = "openid profile email offline_access ask records:read payments:write"
FETCH_HEADERS = {
    "Accept": "application/json",
    "X-Okta-User-Agent-Extended": "okta-auth-js/8.0.1",
    "Origin": ORIGIN,
}


def pkce_pair() -> tuple[str, str]:
    """A verifier as okta-auth-js makes one (43+ hex characters) and its S256 challenge."""
    verifier = secrets.token_hex(32)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).decode().rstrip("=")


def query_of(url: str, part: str = "query") -> dict[str, str]:
    parts = urlsplit(url)
    raw = parts.fragment if part == "fragment" else parts.query
    return {name: values[0] for name, values in parse_qs(raw).items()}


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.action = ""
        self.inputs: dict[str, str] = {}
        self.labels: dict[str, str] = {}  # for= -> text
        self._label_for: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.action = values.get("action", "")
        elif tag == "input" and values.get("name"):
            self.inputs[values["name"]] = values.get("value", "")
        elif tag == "label":
            self._label_for = values.get("for")

    def handle_data(self, data: str) -> None:
        if self._label_for:
            self.labels[self._label_for] = self.labels.get(self._label_for, "") + data

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._label_for = None


def read_form(page: str) -> _FormReader:
    reader = _FormReader()
    reader.feed(page)
    return reader


@dataclass
class Flow:
    """One sign-in attempt's secrets, as okta-auth-js keeps them in its transaction storage."""

    state: str = field(default_factory=lambda: secrets.token_hex(32))
    nonce: str = field(default_factory=lambda: secrets.token_hex(32))
    verifier: str = ""
    challenge: str = ""

    def __post_init__(self) -> None:
        self.verifier, self.challenge = pkce_pair()


class Browser:
    """Cookies persist across calls (the Okta session); redirects are not followed."""

    def __init__(self, okta: DevOktaIssuer) -> None:
        self.okta = okta
        self.http = httpx.Client(follow_redirects=False, timeout=10)

    def close(self) -> None:
        self.http.close()

    def authorize(self, flow: Flow, **params: str | None) -> httpx.Response:
        query: dict[str, Any] = {
            "client_id": CONSOLE_CLIENT_ID,
            "code_challenge": flow.challenge,
            "code_challenge_method": "S256",
            "nonce": flow.nonce,
            "redirect_uri": REDIRECT_URI,
            "response_type": "code",
            "state": flow.state,
            "scope": SCOPES,
        }
        for name, value in params.items():
            if value is None:
                query.pop(name, None)
            else:
                query[name] = value
        return self.http.get(f"{self.okta.issuer}/v1/authorize", params=query)

    def submit(self, page: httpx.Response, username: str, password: str) -> httpx.Response:
        form = read_form(page.text)
        fields = {**form.inputs, "username": username, "password": password}
        return self.http.post(form.action, data=fields)

    def sign_in(
        self,
        flow: Flow,
        username: str = "alice",
        password: str = "alice-demo",
        **params: str | None,
    ) -> dict[str, str]:
        """Authorize, sign in, and return the redirect's query (code and state)."""
        page = self.authorize(flow, **params)
        assert page.status_code == 200, page.text
        answer = self.submit(page, username, password)
        assert answer.status_code == 302, answer.text
        return query_of(answer.headers["location"])

    def token(self, **form: str) -> httpx.Response:
        headers = {**FETCH_HEADERS, "Content-Type": "application/x-www-form-urlencoded"}
        return self.http.post(f"{self.okta.issuer}/v1/token", data=form, headers=headers)

    def exchange(self, flow: Flow, code: str, **overrides: str) -> httpx.Response:
        """``token.exchangeCodeForTokens``: the form okta-auth-js posts."""
        form = {
            "client_id": CONSOLE_CLIENT_ID,
            "redirect_uri": REDIRECT_URI,
            "grant_type": "authorization_code",
            "code_verifier": flow.verifier,
            "code": code,
            **overrides,
        }
        return self.token(**form)

    def tokens(
        self,
        flow: Flow | None = None,
        username: str = "alice",
        password: str = "alice-demo",
        **params: str | None,
    ) -> dict[str, Any]:
        flow = flow or Flow()
        answer = self.sign_in(flow, username, password, **params)
        response = self.exchange(flow, answer["code"])
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def refresh(self, refresh_token: str, scope: str = SCOPES) -> httpx.Response:
        """``renewTokensWithRefresh``: client_id, grant_type, scope, refresh_token."""
        return self.token(
            client_id=CONSOLE_CLIENT_ID,
            grant_type="refresh_token",
            scope=scope,
            refresh_token=refresh_token,
        )

    def basic_auth(self) -> dict[str, str]:
        """okta-auth-js's revoke/introspect header for a public client: Basic base64(clientId)."""
        return {"Authorization": "Basic " + base64.b64encode(CONSOLE_CLIENT_ID.encode()).decode()}

    def revoke(self, token: str, hint: str) -> httpx.Response:
        headers = {
            **FETCH_HEADERS,
            **self.basic_auth(),
            "Content-Type": "application/x-www-form-urlencoded",
        }
        return self.http.post(
            f"{self.okta.issuer}/v1/revoke",
            data={"token_type_hint": hint, "token": token},
            headers=headers,
        )

    def introspect(self, token: str, hint: str = "access_token") -> dict[str, Any]:
        headers = {**FETCH_HEADERS, **self.basic_auth()}
        response = self.http.post(
            f"{self.okta.issuer}/v1/introspect",
            data={"token_type_hint": hint, "token": token},
            headers=headers,
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def userinfo(self, access_token: str) -> httpx.Response:
        headers = {**FETCH_HEADERS, "Authorization": f"Bearer {access_token}"}
        return self.http.get(f"{self.okta.issuer}/v1/userinfo", headers=headers)
