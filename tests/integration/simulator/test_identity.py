"""Identity: consent page, code exchange, PKCE, rotation with grace, expiry, revocation."""

from __future__ import annotations

import base64
import hashlib
import re
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt

from devstack.xero_simulator import (
    DEMO_CLIENT_ID,
    DEMO_CUSTOM_CLIENT_ID,
    DEMO_CUSTOM_CLIENT_SECRET,
    DEMO_TENANT_A,
    DEMO_TENANT_B,
)
from tests.integration.simulator.conftest import REDIRECT_URI, Api, exchange, refresh


def test_discovery_names_xero_style_endpoints(xero_sim):
    doc = httpx.get(f"{xero_sim.url}/.well-known/openid-configuration").json()
    assert doc["authorization_endpoint"] == f"{xero_sim.url}/identity/connect/authorize"
    assert doc["token_endpoint"] == f"{xero_sim.url}/connect/token"
    assert doc["revocation_endpoint"] == f"{xero_sim.url}/connect/revocation"


def _challenge(verifier: str) -> str:
    return (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )


def test_consent_form_submitted_by_a_script_then_pkce_exchange(xero_sim):
    verifier = "v" * 50
    params = {
        "response_type": "code",
        "client_id": DEMO_CLIENT_ID,
        "redirect_uri": REDIRECT_URI,
        "scope": "openid offline_access accounting.invoices",
        "state": "s-123",
        "code_challenge": _challenge(verifier),
        "code_challenge_method": "S256",
    }
    page = httpx.get(f"{xero_sim.url}/identity/connect/authorize", params=params)
    assert page.status_code == 200
    hidden = dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
    assert hidden["state"] == "s-123"
    assert DEMO_TENANT_B in page.text
    form = {**hidden, "tenant_ids": [DEMO_TENANT_A, DEMO_TENANT_B], "decision": "allow"}
    answer = httpx.post(f"{xero_sim.url}/identity/connect/authorize", data=form)
    assert answer.status_code == 302
    location = urlsplit(answer.headers["location"])
    query = parse_qs(location.query)
    assert query["state"] == ["s-123"]

    assert exchange(xero_sim, query["code"][0], code_verifier="w" * 50).json() == {
        "error": "invalid_grant",
        "error_description": "code_verifier does not match",
    }
    # The failed attempt used the code up; a fresh consent with the right verifier works.
    answer = httpx.post(f"{xero_sim.url}/identity/connect/authorize", data=form)
    code = parse_qs(urlsplit(answer.headers["location"]).query)["code"][0]
    tokens = exchange(xero_sim, code, code_verifier=verifier).json()
    assert tokens["token_type"] == "Bearer" and tokens["expires_in"] == 1800
    assert "id_token" in tokens
    claims = jwt.decode(tokens["access_token"], options={"verify_signature": False})
    assert claims["client_id"] == DEMO_CLIENT_ID
    assert claims["exp"] - claims["iat"] == 1800
    assert exchange(xero_sim, code, code_verifier=verifier).json()["error"] == "invalid_grant"


def test_declining_redirects_with_access_denied(xero_sim):
    form = {
        "response_type": "code",
        "client_id": DEMO_CLIENT_ID,
        "redirect_uri": REDIRECT_URI,
        "state": "abc",
        "decision": "deny",
    }
    answer = httpx.post(f"{xero_sim.url}/identity/connect/authorize", data=form)
    assert answer.status_code == 302
    assert parse_qs(urlsplit(answer.headers["location"]).query) == {
        "error": ["access_denied"],
        "state": ["abc"],
    }


def test_redirect_uri_must_match_on_exchange(xero_sim):
    code = xero_sim.issue_authorization_code([DEMO_TENANT_A], REDIRECT_URI)
    response = httpx.post(
        f"{xero_sim.url}/connect/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": "http://127.0.0.1/other",
            "client_id": DEMO_CLIENT_ID,
            "client_secret": xero_sim.config.clients[DEMO_CLIENT_ID],
        },
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_refresh_rotation_and_grace_period(api: Api):
    sim, first = api.sim, api.tokens["refresh_token"]
    second = refresh(sim, first)
    assert second.status_code == 200
    assert second.json()["refresh_token"] != first
    sim.clock.advance(1700)  # still within 30 minutes of the first use
    assert refresh(sim, first).status_code == 200
    sim.clock.advance(200)
    late = refresh(sim, first)
    assert late.status_code == 400 and late.json() == {"error": "invalid_grant"}
    assert refresh(sim, second.json()["refresh_token"]).status_code == 200


def test_expired_access_token_gets_401(api: Api):
    assert api.get("/Organisation").status_code == 200
    api.sim.clock.advance(1801)
    response = api.get("/Organisation")
    assert response.status_code == 401
    assert response.json()["Title"] == "Unauthorized"


def test_a_token_issued_after_the_clock_moved_is_accepted(api: Api):
    api.sim.clock.advance(3600)  # tokens issued now carry an iat ahead of the real clock
    refreshed = refresh(api.sim, api.tokens["refresh_token"]).json()
    fresh = Api(api.sim, refreshed, tenant_id=api.tenant_id)
    assert fresh.get("/Organisation").status_code == 200


def test_tenant_header_must_name_a_connected_tenant(xero_sim):
    code = xero_sim.issue_authorization_code([DEMO_TENANT_A], REDIRECT_URI)
    api = Api(xero_sim, exchange(xero_sim, code).json(), tenant_id=DEMO_TENANT_B)
    assert api.get("/Invoices").status_code == 403
    assert api.get("/Invoices", headers={"xero-tenant-id": DEMO_TENANT_A}).status_code == 200


def test_connections_list_filter_delete_and_revocation(api: Api):
    sim = api.sim
    auth = {"Authorization": f"Bearer {api.tokens['access_token']}"}
    rows = httpx.get(f"{sim.url}/connections", headers=auth).json()
    assert {r["tenantId"] for r in rows} == {DEMO_TENANT_A, DEMO_TENANT_B}
    event = rows[0]["authEventId"]
    assert (
        len(httpx.get(f"{sim.url}/connections", params={"authEventId": event}, headers=auth).json())
        == 2
    )
    other = "00000000-0000-4000-8000-000000000000"
    assert (
        httpx.get(f"{sim.url}/connections", params={"authEventId": other}, headers=auth).json()
        == []
    )
    gone = next(r for r in rows if r["tenantId"] == DEMO_TENANT_B)
    assert httpx.delete(f"{sim.url}/connections/{gone['id']}", headers=auth).status_code == 204
    assert api.get("/Invoices", headers={"xero-tenant-id": DEMO_TENANT_B}).status_code == 403
    revoke = httpx.post(
        f"{sim.url}/connect/revocation",
        data={"token": api.tokens["refresh_token"]},
        auth=(DEMO_CLIENT_ID, sim.config.clients[DEMO_CLIENT_ID]),
    )
    assert revoke.status_code == 200
    assert httpx.get(f"{sim.url}/connections", headers=auth).status_code == 401
    assert refresh(sim, api.tokens["refresh_token"]).json() == {"error": "invalid_grant"}


def test_client_credentials_reach_the_bound_tenant_only(xero_sim):
    response = httpx.post(
        f"{xero_sim.url}/connect/token",
        data={"grant_type": "client_credentials", "scope": "accounting.settings"},
        auth=(DEMO_CUSTOM_CLIENT_ID, DEMO_CUSTOM_CLIENT_SECRET),
    )
    assert response.status_code == 200
    tokens = response.json()
    assert "refresh_token" not in tokens
    api = Api(xero_sim, tokens)
    assert api.get("/Organisation").json()["Organisations"][0]["OrganisationID"] == DEMO_TENANT_A
    assert api.get("/Organisation", headers={"xero-tenant-id": DEMO_TENANT_B}).status_code == 403
    bad = httpx.post(
        f"{xero_sim.url}/connect/token",
        data={"grant_type": "client_credentials"},
        auth=(DEMO_CUSTOM_CLIENT_ID, "wrong"),
    )
    assert bad.status_code == 401 and bad.json() == {"error": "invalid_client"}
