"""Scopes as Xero enforces them: every served call needs its scope (401 AuthorizationUnsuccessful
without it), a new app is refused the broad scopes at the consent page and the token endpoint,
a legacy app may mix them, and a missing or foreign tenant stays a 403."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from devstack.xero_simulator import (
    DEMO_CLIENT_ID,
    DEMO_CUSTOM_CLIENT_ID,
    DEMO_CUSTOM_CLIENT_SECRET,
    DEMO_LEGACY_CLIENT_ID,
    DEMO_LEGACY_CLIENT_SECRET,
    DEMO_TENANT_A,
    DEMO_TENANT_B,
    XeroSimulator,
)
from devstack.xero_simulator import scopes as sim_scopes
from tests.integration.simulator.conftest import REDIRECT_URI, Api, exchange, refresh
from tests.integration.simulator.routes import accounting_calls

CALLS = accounting_calls(XeroSimulator())
BROAD = ["accounting.transactions", "accounting.transactions.read", "accounting.reports.read"]


def _token(sim: XeroSimulator, scope: str, client: str = DEMO_CLIENT_ID) -> dict[str, Any]:
    code = sim.issue_authorization_code(
        [DEMO_TENANT_A, DEMO_TENANT_B], REDIRECT_URI, client_id=client, scope=scope
    )
    secret = sim.config.clients[client]
    response = httpx.post(
        f"{sim.url}/connect/token",
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI},
        auth=(client, secret),
    )
    assert response.status_code == 200, response.text
    return response.json()


def _is_scope_refusal(response: httpx.Response) -> bool:
    return (
        response.status_code == 401
        and response.json()["Detail"] == "AuthorizationUnsuccessful"
        and "invalid_token" not in response.headers.get("www-authenticate", "")
    )


def _call(api: Api, method: str, path: str) -> httpx.Response:
    if "/Attachments/" in path and method in ("PUT", "POST"):
        return api.request(method, path, content=b"%PDF-1.4", headers={"Content-Type": "a/b"})
    return api.request(method, path, json={} if method in ("PUT", "POST") else None)


@pytest.mark.parametrize(("method", "path"), CALLS, ids=[f"{m} {p}" for m, p in CALLS])
def test_every_served_call_is_refused_without_its_scope(xero_sim, method, path):
    xero_sim.config.minute_limit = 100000
    allowing = sim_scopes.scopes_allowing(method, path)
    assert allowing, f"no scope allows {method} {path}"
    # A legacy app's token with every scope there is except those: refused.
    others = sorted(sim_scopes.KNOWN - allowing - {"openid", "profile", "email"})
    without = Api(xero_sim, _token(xero_sim, " ".join(others), DEMO_LEGACY_CLIENT_ID))
    refused = _call(without, method, path)
    assert _is_scope_refusal(refused), (refused.status_code, refused.text)
    # With one scope that allows it (the least granular one), Xero gets past the scope check.
    least = sorted(allowing - sim_scopes.BROAD, key=lambda s: (not s.endswith(".read"), s))[0]
    allowed = _call(Api(xero_sim, _token(xero_sim, least)), method, path)
    assert allowed.status_code != 401, (least, allowed.text)


def test_a_tokens_scopes_are_those_consented_and_survive_a_refresh(xero_sim):
    tokens = _token(xero_sim, "offline_access accounting.invoices.read")
    api = Api(xero_sim, tokens)
    assert api.get("/Invoices").status_code == 200
    assert _is_scope_refusal(api.put("/Invoices", json={"Invoices": []}))
    assert _is_scope_refusal(api.get("/Contacts"))
    renewed = Api(xero_sim, refresh(xero_sim, tokens["refresh_token"]).json())
    assert renewed.get("/Invoices").status_code == 200
    assert _is_scope_refusal(renewed.put("/Invoices", json={"Invoices": []}))


def test_a_missing_or_foreign_tenant_is_still_a_403_for_a_token_without_scopes(xero_sim):
    code = xero_sim.issue_authorization_code([DEMO_TENANT_A], REDIRECT_URI, scope="offline_access")
    api = Api(xero_sim, exchange(xero_sim, code).json())
    for headers in ({"xero-tenant-id": ""}, {"xero-tenant-id": DEMO_TENANT_B}):
        response = api.get("/Invoices", headers=headers)
        assert response.status_code == 403
        assert response.json()["Detail"] == "AuthenticationUnsuccessful"
    assert _is_scope_refusal(api.get("/Invoices"))


def _authorize_params(scope: str, client: str = DEMO_CLIENT_ID) -> dict[str, str]:
    return {
        "response_type": "code",
        "client_id": client,
        "redirect_uri": REDIRECT_URI,
        "scope": scope,
        "state": "s-1",
    }


@pytest.mark.parametrize("broad", BROAD)
def test_a_new_app_is_refused_a_broad_scope_at_the_consent_page(xero_sim, broad):
    params = _authorize_params(f"openid offline_access accounting.contacts {broad}")
    page = httpx.get(f"{xero_sim.url}/identity/connect/authorize", params=params)
    assert page.status_code == 400 and "location" not in page.headers
    assert "invalid_scope" in page.text and broad in page.text
    assert 'name="decision"' not in page.text  # no consent form to submit
    # Submitting the form anyway (as a script could) is refused the same way, no redirect.
    form = {**params, "tenant_ids": [DEMO_TENANT_A], "decision": "allow"}
    submitted = httpx.post(f"{xero_sim.url}/identity/connect/authorize", data=form)
    assert submitted.status_code == 400 and "location" not in submitted.headers
    assert "invalid_scope" in submitted.text
    shortcut = httpx.post(
        f"{xero_sim.url}/_sim/authorize",
        json={"tenant_ids": [DEMO_TENANT_A], "redirect_uri": REDIRECT_URI, "scope": broad},
    )
    assert shortcut.status_code == 400 and shortcut.json()["error"] == "invalid_scope"


def test_an_unknown_scope_is_refused_at_the_consent_page(xero_sim):
    params = _authorize_params("openid accounting.everything", DEMO_LEGACY_CLIENT_ID)
    page = httpx.get(f"{xero_sim.url}/identity/connect/authorize", params=params)
    assert page.status_code == 400 and "invalid_scope" in page.text


def test_a_legacy_app_may_mix_broad_and_granular_scopes(xero_sim):
    scope = "openid offline_access accounting.transactions accounting.settings.read"
    params = _authorize_params(scope, DEMO_LEGACY_CLIENT_ID)
    page = httpx.get(f"{xero_sim.url}/identity/connect/authorize", params=params)
    assert page.status_code == 200
    hidden = dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
    form = {**hidden, "tenant_ids": [DEMO_TENANT_A], "decision": "allow"}
    answer = httpx.post(f"{xero_sim.url}/identity/connect/authorize", data=form)
    assert answer.status_code == 302 and answer.headers["location"].startswith(REDIRECT_URI)
    code = re.search(r"code=([^&]+)", answer.headers["location"]).group(1)
    tokens = httpx.post(
        f"{xero_sim.url}/connect/token",
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI},
        auth=(DEMO_LEGACY_CLIENT_ID, DEMO_LEGACY_CLIENT_SECRET),
    ).json()
    assert tokens["scope"] == scope
    api = Api(xero_sim, tokens)
    assert api.get("/Invoices").status_code == 200  # the broad scope
    assert api.get("/Payments").status_code == 200
    assert api.get("/Organisation").status_code == 200  # the granular one
    assert _is_scope_refusal(api.get("/Contacts"))  # neither
    assert _is_scope_refusal(api.put("/Accounts", json={}))  # settings.read is read only


def _client_credentials(sim: XeroSimulator, scope: str | None) -> httpx.Response:
    data = {"grant_type": "client_credentials"}
    if scope is not None:
        data["scope"] = scope
    return httpx.post(
        f"{sim.url}/connect/token",
        data=data,
        auth=(DEMO_CUSTOM_CLIENT_ID, DEMO_CUSTOM_CLIENT_SECRET),
    )


@pytest.mark.parametrize("scope", [*BROAD, "accounting.manualjournals", "accounting.nonsense"])
def test_client_credentials_with_a_scope_the_app_may_not_have_is_invalid_scope(xero_sim, scope):
    response = _client_credentials(xero_sim, f"accounting.invoices {scope}")
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_scope"}


def test_client_credentials_get_the_scopes_asked_for_or_all_authorised(xero_sim):
    authorised = xero_sim.config.custom_connection_scopes[DEMO_CUSTOM_CLIENT_ID]
    everything = _client_credentials(xero_sim, None).json()
    assert everything["scope"] == authorised
    narrow = _client_credentials(xero_sim, "accounting.settings.read").json()
    assert narrow["scope"] == "accounting.settings.read"
    api = Api(xero_sim, narrow)
    assert api.get("/Organisation").status_code == 200
    assert _is_scope_refusal(api.get("/Invoices"))
