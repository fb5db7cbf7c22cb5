"""What the features need from Xero, the default scopes, the scopes a connect may ask for,
and how a 401 is read (pure: no AWS, no network)."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from tests.fixtures.xero import LEGACY_APP_SCOPES
from xero_bridge.connections import flow, needs
from xero_bridge.errors import BadRequestError
from xero_bridge.persistence.connections import Connection
from xero_bridge.settings import Settings, get_settings
from xero_bridge.xero import scope_check
from xero_bridge.xero.scopes import BROAD_SCOPES, IDENTITY_SCOPES

DEFAULT = Settings.model_fields["xero_scopes"].default.split()
LEGACY = ["openid", "profile", "email", *LEGACY_APP_SCOPES]


def _connection(scopes: list[str], refused: list[str] | None = None) -> Connection:
    return Connection(
        tenant_id="t-1",
        token_set_id="set-1",
        connected_by="alice",
        scopes=scopes,
        refused_scopes=refused or [],
    )


def test_the_default_scopes_are_granular_and_cover_every_feature():
    assert not set(DEFAULT) & BROAD_SCOPES
    assert needs.unmet(DEFAULT, needs.feature_calls()) == []


def test_the_default_asks_for_nothing_the_features_do_not_use():
    used = {need.scope for need in needs.unmet([], needs.feature_calls())}
    # bank transactions: read only, for what the brief lists (no feature calls them yet)
    extra = set(DEFAULT) - used - set(IDENTITY_SCOPES) - {"accounting.banktransactions.read"}
    assert extra == set()


def test_the_legacy_broad_set_covers_every_feature_too():
    assert needs.unmet(LEGACY, needs.feature_calls()) == []


def test_missing_scopes_are_what_the_features_need_minus_what_was_granted_plus_refused():
    without_payments = [s for s in DEFAULT if s != "accounting.payments"]
    assert needs.missing_scopes(_connection(DEFAULT)) == []
    assert needs.missing_scopes(_connection(without_payments)) == ["accounting.payments"]
    read_only = [s for s in DEFAULT if s != "accounting.invoices"] + ["accounting.invoices.read"]
    assert needs.missing_scopes(_connection(read_only)) == ["accounting.invoices"]
    # Nothing for invoices at all: the write scope is named, its .read twin is implied.
    no_invoices = [s for s in DEFAULT if s != "accounting.invoices"]
    assert needs.missing_scopes(_connection(no_invoices)) == ["accounting.invoices"]
    refused = _connection(DEFAULT, refused=["accounting.payments"])
    assert needs.missing_scopes(refused) == ["accounting.payments"]
    assert needs.missing_scopes(_connection([], refused=["accounting.contacts"])) == [
        "accounting.contacts"
    ]


def test_payment_routes_name_the_scopes_they_check_first():
    route = "POST /tenants/{tenantId}/payments"
    gaps = needs.unmet(["accounting.invoices", "accounting.settings"], needs.ROUTE_CALLS[route])
    assert [need.scope for need in gaps] == ["accounting.payments"]


@pytest.fixture
def default_settings(monkeypatch):
    monkeypatch.delenv("XERO_SCOPES", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_a_connect_asks_for_the_default_or_the_given_set_always_with_the_identity_scopes(
    default_settings,
):
    assert flow.requested_scopes(None) == DEFAULT
    assert flow.requested_scopes(["accounting.invoices.read", "accounting.invoices.read"]) == [
        "accounting.invoices.read",
        *IDENTITY_SCOPES,
    ]
    assert flow.requested_scopes(["offline_access", "accounting.payments"]) == [
        "offline_access",
        "accounting.payments",
        "openid",
        "profile",
        "email",
    ]


def test_unknown_scopes_are_a_400_naming_them(default_settings):
    with pytest.raises(BadRequestError) as refused:
        flow.requested_scopes(["accounting.payments", "accounting.everything", "files"])
    assert "accounting.everything, files" in refused.value.message
    assert [d["scope"] for d in refused.value.details] == ["accounting.everything", "files"]
    with pytest.raises(BadRequestError):
        flow.requested_scopes([" "])


def _response(headers: dict[str, str], body: object) -> SimpleNamespace:
    return SimpleNamespace(getheaders=lambda: headers, data=json.dumps(body).encode())


XERO_SCOPE_401 = {
    "Type": None,
    "Title": "Unauthorized",
    "Status": 401,
    "Detail": "AuthorizationUnsuccessful",
    "Instance": "f7c1c5b8-8a3f-4c7e-9d0a-2b6e1f3a4c5d",
    "Extensions": {},
}


@pytest.mark.parametrize(
    ("headers", "body", "scope_refusal"),
    [
        ({}, XERO_SCOPE_401, True),
        ({"WWW-Authenticate": 'Bearer error="insufficient_scope"'}, {"Title": "x"}, True),
        (
            {"WWW-Authenticate": 'Bearer error="invalid_token"'},
            {**XERO_SCOPE_401, "Detail": "AuthenticationUnsuccessful"},
            False,
        ),
        ({}, {**XERO_SCOPE_401, "Detail": "TokenExpired: token expired at 12/01/2026"}, False),
        ({}, {"Title": "Unauthorized"}, False),
    ],
)
def test_a_401_for_a_missing_scope_is_told_from_a_token_xero_no_longer_accepts(
    headers, body, scope_refusal
):
    assert scope_check.is_scope_refusal(401, _response(headers, body)) is scope_refusal
    assert scope_check.is_scope_refusal(403, _response(headers, body)) is False


def test_only_accounting_api_urls_are_checked():
    assert scope_check.accounting_path("https://api.xero.com/api.xro/2.0/Invoices/{InvoiceID}") == (
        "/Invoices/{InvoiceID}"
    )
    assert scope_check.accounting_path("https://api.xero.com/connections") is None


def test_the_template_parameter_has_the_same_default():
    from devstack.template import SamTemplate

    assert SamTemplate().parameters["XeroScopes"]["Default"].split() == DEFAULT
