"""The connect flow's logic with a stand-in identity service: return_to, scopes, PKCE, state
binding, what is stored, reconnects."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import parse_qs, urlsplit

import pytest

from xero_bridge.connections import flow
from xero_bridge.errors import BadRequestError, ConflictError, ForbiddenError
from xero_bridge.persistence import connections as connection_store
from xero_bridge.persistence import grants, oauth_states, token_sets
from xero_bridge.xero.identity import Endpoints, XeroConnection, XeroIdentity

REDIRECT = "http://127.0.0.1:3000/xero/callback"


@pytest.fixture
def origins(monkeypatch, aws):
    monkeypatch.setenv("ALLOWED_RETURN_ORIGINS", "http://localhost:5173,https://app.example.com")
    monkeypatch.setenv("XERO_SCOPES", "openid accounting.invoices")
    from xero_bridge.settings import get_settings

    get_settings.cache_clear()


@pytest.mark.parametrize(
    "value",
    [
        "https://evil.example.com/",
        "https://app.example.com.evil.com/x",
        "javascript:alert(1)",
        "https://user@app.example.com/",
        "//app.example.com/x",
        "http://app.example.com/",  # scheme is part of the origin
        "https://app.example.com:8443/",
    ],
)
def test_return_to_must_be_a_configured_origin(origins, value):
    with pytest.raises(BadRequestError):
        flow.check_return_to(value)


def test_allowed_return_to(origins):
    assert flow.check_return_to("https://app.example.com/settings?x=1") is not None
    assert flow.check_return_to("http://localhost:5173/") is not None
    assert flow.check_return_to(None) is None


def test_start_builds_an_s256_authorize_url_with_offline_access(origins, manager, monkeypatch):
    real = XeroIdentity("client-id-1", "client-secret-value-1")
    endpoints = Endpoints(
        authorization_endpoint="https://login.example/identity/connect/authorize",
        token_endpoint="https://identity.example/connect/token",
        revocation_endpoint="https://identity.example/connect/revocation",
    )
    monkeypatch.setattr(real, "endpoints", lambda: endpoints)
    started = flow.start_connect("alice", "https://app.example.com/done", REDIRECT, real)
    assert started.authorize_url.startswith(endpoints.authorization_endpoint + "?")
    query = parse_qs(urlsplit(started.authorize_url).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["redirect_uri"] == [REDIRECT]
    assert query["client_id"] == ["client-id-1"] and query["response_type"] == ["code"]
    assert query["scope"] == ["openid accounting.invoices profile email offline_access"]
    state = query["state"][0]
    assert len(state) >= 40
    consumed = oauth_states.consume(state)
    assert consumed.outcome == "ok" and consumed.state.user_sub == "alice"
    verifier = consumed.state.code_verifier.get_secret_value()
    digest = hashlib.sha256(verifier.encode()).digest()
    assert query["code_challenge"] == [base64.urlsafe_b64encode(digest).rstrip(b"=").decode()]


def _state_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["state"][0]


def test_complete_stores_one_set_and_a_connection_and_grant_per_tenant(origins, manager, identity):
    identity.tenants = [
        XeroConnection(id="c1", tenantId="t1", tenantName="Demo A", tenantType="ORGANISATION"),
        XeroConnection(id="c2", tenantId="t2", tenantName="Demo B", tenantType="ORGANISATION"),
    ]
    started = flow.start_connect("alice", None, REDIRECT, identity)
    result = flow.complete_connect(
        state=_state_of(started.authorize_url), code="c", identity=identity
    )
    assert [t.tenant_id for t in result.tenants] == ["t1", "t2"]
    a, b = connection_store.get_connection("t1"), connection_store.get_connection("t2")
    assert a.token_set_id == b.token_set_id and a.connected_by == "alice"
    assert a.connection_id == "c1" and a.tenant_name == "Demo A"
    stored = token_sets.get_token_set(a.token_set_id)
    assert stored.connected_by == "alice" and stored.refresh_token is not None
    assert grants.list_tenants_for_user("alice") == ["t1", "t2"]


def test_state_is_single_use_bound_and_checked(origins, manager, identity):
    identity.tenants = [XeroConnection(id="c1", tenantId="t1", tenantName="A")]
    state = _state_of(flow.start_connect("alice", None, REDIRECT, identity).authorize_url)
    with pytest.raises(ForbiddenError):
        flow.complete_connect(state=state, code="c", caller_sub="mallory", identity=identity)
    # that attempt used the state up: nobody can complete it any more
    with pytest.raises(ConflictError):
        flow.complete_connect(state=state, code="c", identity=identity)
    with pytest.raises(BadRequestError):
        flow.complete_connect(state="forged", code="c", identity=identity)
    with pytest.raises(BadRequestError):
        flow.complete_connect(state=None, code="c", identity=identity)
    assert connection_store.get_connection("t1") is None


def test_an_error_from_xero_is_refused_and_uses_up_the_state(origins, manager, identity):
    state = _state_of(flow.start_connect("alice", None, REDIRECT, identity).authorize_url)
    with pytest.raises(BadRequestError) as caught:
        flow.complete_connect(state=state, code=None, error="access_denied", identity=identity)
    assert caught.value.details == [{"xero_error": "access_denied"}]
    with pytest.raises(ConflictError):
        flow.complete_connect(state=state, code="c", identity=identity)


def test_reconnecting_moves_the_tenant_and_drops_the_orphaned_set(origins, manager, identity):
    identity.tenants = [XeroConnection(id="c1", tenantId="t1", tenantName="A")]
    state = _state_of(flow.start_connect("alice", None, REDIRECT, identity).authorize_url)
    flow.complete_connect(state=state, code="c", identity=identity)
    first = connection_store.get_connection("t1").token_set_id
    state = _state_of(flow.start_connect("alice", None, REDIRECT, identity).authorize_url)
    flow.complete_connect(state=state, code="c", identity=identity)
    second = connection_store.get_connection("t1").token_set_id
    assert first != second
    assert token_sets.get_token_set(first) is None
    assert token_sets.get_token_set(second) is not None
