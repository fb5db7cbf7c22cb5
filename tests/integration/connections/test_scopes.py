"""Granular scopes end to end against the simulator: a Xero app created today connects with
the default scopes, is refused the broad ones at Xero's consent page, a legacy app may still
use them; a connection without accounting.payments is refused a payment before any Xero
call, shows the missing scope, and a re-consent that adds it lets the same payment through."""

from __future__ import annotations

import json
from typing import Any

import boto3
import httpx
import pytest

from devstack.xero_simulator import (
    DEMO_LEGACY_CLIENT_ID,
    DEMO_LEGACY_CLIENT_SECRET,
    DEMO_TENANT_A,
    seed,
)
from tests.events import call_handler
from tests.fixtures.aws import TEST_SECRET
from tests.fixtures.connected import Connected
from tests.fixtures.xero import LEGACY_APP_SCOPES
from tests.integration.connections.conftest import consent, context, oauth, reset_all
from tests.integration.payments.conftest import payments_event
from xero_bridge.errors import XeroScopeMissingError
from xero_bridge.settings import Settings
from xero_bridge.xero.client import accounting_api, xero_call

DEFAULT = Settings.model_fields["xero_scopes"].default.split()
WITHOUT_PAYMENTS = [scope for scope in DEFAULT if scope != "accounting.payments"]
LEGACY = LEGACY_APP_SCOPES


def _start(scopes: list[str] | None = None, sub: str = "alice") -> dict[str, Any]:
    body = {"scopes": scopes} if scopes is not None else None
    return oauth("POST", "/xero/connect", ctx=context(sub), body=body)


def _connect(scopes: list[str] | None, tenant_ids: list[str]) -> dict[str, Any]:
    started = _start(scopes)
    assert started["statusCode"] == 200, started
    params = consent(json.loads(started["body"])["authorize_url"], tenant_ids)
    answer = oauth("GET", "/xero/callback", query=params)
    assert answer["statusCode"] == 200, answer
    return answer


def _listed(tenant_id: str, sub: str = "alice") -> dict[str, Any]:
    response = oauth("GET", "/xero/connections", ctx=context(sub, ""))
    assert response["statusCode"] == 200, response
    rows = json.loads(response["body"])["connections"]
    return next(row for row in rows if row["tenant_id"] == tenant_id)


def _xero_calls(sim: Any, tenant_id: str) -> int:
    """What the simulator counted (its /_sim/calls) for the tenant."""
    answer = httpx.get(f"{sim.url}/_sim/calls", params={"tenant_id": tenant_id}).json()
    return int(answer["count"])


def test_the_default_demo_client_connects_with_the_default_scopes(xero_env):
    _connect(None, [DEMO_TENANT_A])
    row = _listed(DEMO_TENANT_A)
    assert sorted(row["scopes"]) == sorted(DEFAULT)
    assert row["missing_scopes"] == []
    found = xero_call(lambda: accounting_api(DEMO_TENANT_A).get_invoices(DEMO_TENANT_A))
    assert found.invoices


@pytest.mark.parametrize("broad", ["accounting.transactions", "accounting.reports.read"])
def test_the_default_demo_client_is_refused_a_broad_scope_at_the_consent_page(xero_env, broad):
    started = _start(["accounting.contacts", broad])
    assert started["statusCode"] == 200  # the product cannot know when the app was created
    page = httpx.get(json.loads(started["body"])["authorize_url"])
    assert page.status_code == 400
    assert "invalid_scope" in page.text
    assert "location" not in page.headers  # Xero never sends the browser back
    listed = oauth("GET", "/xero/connections", ctx=context("alice", ""))
    assert json.loads(listed["body"])["connections"] == []


def test_a_legacy_app_may_connect_with_the_broad_scopes(xero_env, aws):
    secret = {
        **TEST_SECRET,
        "xero_client_id": DEMO_LEGACY_CLIENT_ID,
        "xero_client_secret": DEMO_LEGACY_CLIENT_SECRET,
    }
    boto3.client("secretsmanager").put_secret_value(
        SecretId=aws["AppSecret"].ref, SecretString=json.dumps(secret)
    )
    reset_all()
    _connect(LEGACY, [DEMO_TENANT_A])
    row = _listed(DEMO_TENANT_A)
    assert "accounting.transactions" in row["scopes"]
    assert row["missing_scopes"] == []  # the broad scopes cover what the features use
    payments = xero_call(lambda: accounting_api(DEMO_TENANT_A).get_payments(DEMO_TENANT_A))
    assert payments.payments is not None


def test_unknown_scopes_are_a_400_naming_them(xero_env):
    response = _start(["accounting.invoices", "accounting.everything"])
    assert response["statusCode"] == 400
    error = json.loads(response["body"])["error"]
    assert error["code"] == "bad_request" and "accounting.everything" in error["message"]
    assert error["details"] == [
        {"field": "scopes", "problem": "unknown scope", "scope": "accounting.everything"}
    ]


def _pay(key: str) -> dict[str, Any]:
    body = {
        "invoice_id": seed.A_INVOICE_AUTHORISED_ID,
        "account_code": "090",
        "amount": "100.00",
        "date": "2024-05-01",
        "reference": "May instalment",
    }
    event = payments_event("POST", DEMO_TENANT_A, key=key, body=body)
    answer = call_handler("payments", event)
    return {"status": answer["statusCode"], "body": json.loads(answer["body"])}


def test_a_payment_without_accounting_payments_is_refused_then_goes_through_after_reconsent(
    xero_env,
):
    sim = xero_env
    _connect(WITHOUT_PAYMENTS, [DEMO_TENANT_A])
    assert _listed(DEMO_TENANT_A)["missing_scopes"] == ["accounting.payments"]

    key = "payment-7f3a9c1e-0001"
    before = _xero_calls(sim, DEMO_TENANT_A)
    refused = _pay(key)
    assert refused["status"] == 403, refused
    error = refused["body"]["error"]
    assert error["code"] == "xero_scope_missing"
    assert "accounting.payments" in error["message"] and "POST /xero/connect" in error["message"]
    assert error["details"] == [{"scope": "accounting.payments", "resource": "Payments"}]
    assert _xero_calls(sim, DEMO_TENANT_A) == before  # not even the invoice was read
    listed = call_handler(
        "payments",
        payments_event("GET", DEMO_TENANT_A, key=None, sub="alice"),
    )
    assert json.loads(listed["body"])["payments"] == []  # nothing half-done to clean up

    _connect([*WITHOUT_PAYMENTS, "accounting.payments"], [DEMO_TENANT_A])
    row = _listed(DEMO_TENANT_A)
    assert "accounting.payments" in row["scopes"] and row["missing_scopes"] == []

    # The same key: the refused attempt left nothing behind, and a retry of one payment
    # keeps its key (had the first attempt gone further, the key is what stops a second).
    paid = _pay(key)
    assert paid["status"] == 201, paid
    assert paid["body"]["status"] == "recorded"
    assert len(sim.created("Payments", DEMO_TENANT_A)) == 1
    assert _pay(key)["body"]["payment_id"] == paid["body"]["payment_id"]
    assert len(sim.created("Payments", DEMO_TENANT_A)) == 1


def test_a_scope_xero_refuses_marks_the_connection_until_a_reconsent(xero_env, tenants_grant):
    """The product believed the scope was granted (stale scopes); Xero's 401
    AuthorizationUnsuccessful is answered as the missing scope, without a token refresh."""
    sim = xero_env
    _connect(WITHOUT_PAYMENTS, [DEMO_TENANT_A])
    tenants_grant(DEMO_TENANT_A, [*WITHOUT_PAYMENTS, "accounting.payments"])
    before = len(sim.call_log)
    with pytest.raises(XeroScopeMissingError) as refused:
        xero_call(lambda: accounting_api(DEMO_TENANT_A).get_payments(DEMO_TENANT_A))
    error = refused.value
    assert error.code == "xero_scope_missing" and error.status == 403
    assert "Xero refused GET Payments" in error.message
    made = sim.call_log[before:]
    assert [(m, p, s) for m, p, _, s in made] == [("GET", "/api.xro/2.0/Payments", 401)]
    assert error.details == [{"scope": "accounting.payments.read", "resource": "Payments"}]
    assert _listed(DEMO_TENANT_A)["missing_scopes"] == ["accounting.payments.read"]

    _connect([*WITHOUT_PAYMENTS, "accounting.payments"], [DEMO_TENANT_A])
    assert _listed(DEMO_TENANT_A)["missing_scopes"] == []
    found = xero_call(lambda: accounting_api(DEMO_TENANT_A).get_payments(DEMO_TENANT_A))
    assert found.payments is not None


@pytest.fixture
def tenants_grant() -> Any:
    """Rewrite what the product believes a tenant's connection was granted."""
    from xero_bridge.persistence import connections as connection_store
    from xero_bridge.persistence import token_sets
    from xero_bridge.xero.tokens import token_manager

    def rewrite(tenant_id: str, scopes: list[str]) -> None:
        connection = connection_store.get_connection(tenant_id, consistent=True)
        assert connection is not None
        connection_store.put_connection(connection.model_copy(update={"scopes": scopes}))
        stored = token_sets.get_token_set(connection.token_set_id)
        assert stored is not None
        token_sets.save_token_set(stored.model_copy(update={"scopes": scopes}), stored.version)
        token_manager.forget()

    return rewrite


def test_connected_fixture_consents_to_the_default_scopes(connected: Connected):
    from xero_bridge.persistence import connections as connection_store

    stored = connection_store.get_connection(connected.tenant_a)
    assert stored is not None and sorted(stored.scopes) == sorted(DEFAULT)
