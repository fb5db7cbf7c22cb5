"""Connecting Xero end to end against the simulator: connect, list, call, refresh under
concurrency, invalid_grant, disconnect, custom connections — and no token anywhere visible."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import boto3
import httpx
import pytest
from pydantic import SecretStr

from tests.events import call_handler
from tests.integration.connections.conftest import FRONTEND, consent, context, oauth, reset_all
from tests.integration.connections.helpers import refresh_at_once
from xero_bridge.observability import logger
from xero_bridge.persistence import connections as connection_store
from xero_bridge.persistence import grants, token_sets
from xero_bridge.persistence.dynamodb import table
from xero_bridge.settings import get_settings
from xero_bridge.xero import identity as identity_module
from xero_bridge.xero.client import accounting_api, xero_call
from xero_bridge.xero.identity import InvalidGrantError, app_identity
from xero_bridge.xero.tokens import token_manager


@pytest.fixture
def tenants() -> tuple[str, str]:
    from devstack.xero_simulator import DEMO_TENANT_A, DEMO_TENANT_B

    return DEMO_TENANT_A, DEMO_TENANT_B


@pytest.fixture
def seen_tokens(monkeypatch) -> list[str]:
    """Every token, code and verifier the product received or sent during the test."""
    seen: list[str] = []
    original_token = identity_module.XeroIdentity._token
    original_exchange = identity_module.XeroIdentity.exchange_code

    def recording_token(self, form, what):
        response = original_token(self, form, what)
        seen.append(response.access_token.get_secret_value())
        if response.refresh_token is not None:
            seen.append(response.refresh_token.get_secret_value())
        return response

    def recording_exchange(self, *, code, code_verifier, redirect_uri):
        seen.extend([code, code_verifier])
        return original_exchange(
            self, code=code, code_verifier=code_verifier, redirect_uri=redirect_uri
        )

    monkeypatch.setattr(identity_module.XeroIdentity, "_token", recording_token)
    monkeypatch.setattr(identity_module.XeroIdentity, "exchange_code", recording_exchange)
    return seen


def listed(sub: str, groups: list[str] | None = None) -> dict[str, Any]:
    response = oauth("GET", "/xero/connections", ctx=context(sub, "", groups))
    assert response["statusCode"] == 200, response
    return response


def test_full_connect_flow_then_an_api_call(xero_env, connect_user, tenants):
    a, b = tenants
    response = connect_user("alice", [a, b], return_to=f"{FRONTEND}/settings/xero")
    assert response["statusCode"] == 302
    location = response["headers"]["Location"]
    assert location.startswith(f"{FRONTEND}/settings/xero?")
    assert parse_qs(urlsplit(location).query) == {"xero": ["connected"], "tenants": ["2"]}

    body = json.loads(listed("alice")["body"])
    assert {c["tenant_id"] for c in body["connections"]} == {a, b}
    for connection in body["connections"]:
        assert connection["status"] == "active"
        assert connection["connected_by"] == "alice"
        assert connection["tenant_name"]
        assert connection["refresh_token_age_days"] == 0
        assert connection["access_token_expires_at"]
        assert connection["missing_scopes"] == []  # consented to all it asked for
    assert json.loads(listed("bob")["body"]) == {"connections": []}
    assert grants.has_grant("alice", a) and grants.has_grant("alice", b)
    one_set = {connection_store.get_connection(t).token_set_id for t in (a, b)}
    assert len(one_set) == 1  # one token set per authorisation

    organisations = xero_call(lambda: accounting_api(a).get_organisations(a))
    assert organisations.organisations[0].name


def test_without_return_to_the_callback_answers_json(xero_env, connect_user, tenants):
    response = connect_user("alice", [tenants[0]])
    assert response["statusCode"] == 200
    assert json.loads(response["body"])["connected"][0]["tenant_id"] == tenants[0]


def test_connect_needs_the_scope_and_an_allowed_return_to(xero_env):
    response = oauth("POST", "/xero/connect", ctx=context("alice", "records:read"))
    assert response["statusCode"] == 403
    response = oauth(
        "POST", "/xero/connect", ctx=context("alice"), body={"return_to": "https://evil.example/"}
    )
    assert response["statusCode"] == 400
    assert json.loads(response["body"])["error"]["code"] == "bad_request"


def test_a_reused_state_is_refused(xero_env, start, tenants):
    params = consent(start("alice"), [tenants[0]])
    assert oauth("GET", "/xero/callback", query=params)["statusCode"] == 200
    again = oauth("GET", "/xero/callback", query=params)
    assert again["statusCode"] == 409
    assert json.loads(again["body"])["error"]["code"] == "conflict"


def test_a_forged_state_is_refused_with_a_page_or_json(xero_env, start, tenants):
    params = consent(start("alice"), [tenants[0]])
    forged = {**params, "state": "forged-state-value"}
    response = oauth("GET", "/xero/callback", query=forged)
    assert response["statusCode"] == 400
    assert json.loads(response["body"])["error"]["code"] == "bad_request"
    page = oauth("GET", "/xero/callback", query=forged, headers={"accept": "text/html"})
    assert page["statusCode"] == 400
    assert page["headers"]["Content-Type"].startswith("text/html")
    assert "not valid" in page["body"]
    assert connection_store.get_connection(tenants[0]) is None


def test_another_users_state_is_refused(xero_env, start, tenants, mint):
    params = consent(start("alice"), [tenants[0]])
    bob = mint(user="bob", scopes=["xero:connect"])
    response = oauth(
        "GET", "/xero/callback", query=params, headers={"authorization": f"Bearer {bob}"}
    )
    assert response["statusCode"] == 403
    assert connection_store.get_connection(tenants[0]) is None
    assert not grants.has_grant("bob", tenants[0])


def test_an_error_from_xero_is_refused(xero_env, start, tenants):
    authorize_url = start("alice")
    params = consent(authorize_url, [tenants[0]], decision="deny")
    response = oauth("GET", "/xero/callback", query=params)
    assert response["statusCode"] == 400
    assert json.loads(response["body"])["error"]["details"] == [{"xero_error": "access_denied"}]


def test_a_pkce_verifier_mismatch_gets_no_token(xero_env, start, tenants):
    params = consent(start("alice"), [tenants[0]])
    states = table(get_settings().required("oauth_states_table"))
    (item,) = states.scan()["Items"]
    states.update_item(
        Key={"state_hash": item["state_hash"]},
        UpdateExpression="SET code_verifier = :v",
        ExpressionAttributeValues={":v": "x" * 64},
    )
    response = oauth("GET", "/xero/callback", query=params)
    assert response["statusCode"] == 400
    assert connection_store.get_connection(tenants[0]) is None
    assert table(get_settings().required("tokens_table")).scan()["Items"] == []


def test_twenty_concurrent_refreshes_leave_one_valid_token_set(xero_env, connect_user, tenants):
    a = tenants[0]
    connect_user("alice", [a])
    token_set_id = connection_store.get_connection(a).token_set_id
    results = refresh_at_once(token_manager.refresh, token_set_id)
    final = token_sets.get_token_set(token_set_id)
    assert final.version == 2  # exactly one refresh was stored
    assert set(results) == {final.access_token.get_secret_value()}
    assert xero_call(lambda: accounting_api(a).get_organisations(a)).organisations
    # Past the grace period only the newest refresh token still works: it is the stored one.
    xero_env.clock.advance(xero_env.config.refresh_grace_seconds + 60)
    token_manager.forget()
    stale = final.access_token.get_secret_value()
    again = token_manager.refresh(token_set_id, stale_access_token=stale)
    assert again.version == 3 and again.status == "active"


def _replace_access_token(token_set_id: str, value: str) -> None:
    """What Xero sees when an access token has expired or been revoked: it refuses it."""
    current = token_sets.get_token_set(token_set_id)
    token_sets.save_token_set(
        current.model_copy(update={"access_token": SecretStr(value)}), current.version
    )
    token_manager.forget()


def test_a_refused_access_token_is_refreshed_once_on_the_401(xero_env, connect_user, tenants):
    a = tenants[0]
    connect_user("alice", [a])
    token_set_id = connection_store.get_connection(a).token_set_id
    _replace_access_token(token_set_id, "expired-access-token-0123456789")
    before = token_sets.get_token_set(token_set_id)
    calls = xero_env.calls(a)
    assert xero_call(lambda: accounting_api(a).get_organisations(a)).organisations
    after = token_sets.get_token_set(token_set_id)
    assert after.version == before.version + 1
    assert xero_env.calls(a) - calls <= 2  # the refused call and its one retry


def test_invalid_grant_marks_needs_reconnect(xero_env, connect_user, tenants, monkeypatch):
    a, b = tenants
    connect_user("alice", [a, b])
    published: list[tuple[str, dict]] = []
    monkeypatch.setattr(
        "xero_bridge.xero.events.publish", lambda kind, detail: published.append((kind, detail))
    )
    xero_env.clock.advance(61 * 86400)  # the refresh token has expired at Xero
    monkeypatch.setenv("TOKEN_REFRESH_WINDOW_SECONDS", "1500")  # make the set due now
    get_settings.cache_clear()
    result = call_handler(
        "token_refresh", {"detail-type": "Scheduled Event", "source": "aws.events"}
    )
    assert result["due"] == 1 and result["needs_reconnect"] == 1
    body = json.loads(listed("alice")["body"])
    assert {c["status"] for c in body["connections"]} == {"needs_reconnect"}
    assert published and published[0][0] == "xero.connection.needs_reconnect"
    assert set(published[0][1]["tenant_ids"]) == {a, b}
    with pytest.raises(Exception) as caught:
        xero_call(lambda: accounting_api(a).get_organisations(a))
    assert getattr(caught.value, "code", None) == "reconnect_required"


def _xero_connections(xero_sim: Any, access_token: str) -> set[str]:
    answer = httpx.get(
        f"{xero_sim.url}/connections", headers={"Authorization": f"Bearer {access_token}"}
    )
    return {item["tenantId"] for item in answer.json()} if answer.status_code == 200 else set()


def test_disconnect_removes_the_connection_at_xero_and_here(xero_env, connect_user, tenants):
    a, b = tenants
    connect_user("alice", [a, b])
    stored = token_sets.get_token_set(connection_store.get_connection(a).token_set_id)
    access = stored.access_token.get_secret_value()
    assert _xero_connections(xero_env, access) == {a, b}

    def delete(sub: str, tenant: str, groups: list[str] | None = None) -> dict:
        return oauth(
            "DELETE",
            f"/xero/connections/{tenant}",
            ctx=context(sub, "", groups),
            route_key="DELETE /xero/connections/{tenantId}",
            path_parameters={"tenantId": tenant},
        )

    assert delete("bob", a)["statusCode"] == 403
    response = delete("alice", a)
    assert response["statusCode"] == 204
    assert _xero_connections(xero_env, access) == {b}
    assert connection_store.get_connection(a, consistent=True) is None
    assert not grants.has_grant("alice", a)
    assert token_sets.get_token_set(stored.token_set_id) is not None  # b still uses it

    assert delete("root", b, groups=["admin"])["statusCode"] == 204  # an administrator
    assert _xero_connections(xero_env, access) == set()
    assert token_sets.get_token_set(stored.token_set_id) is None
    with pytest.raises(InvalidGrantError):  # the refresh token was revoked
        app_identity().refresh(stored.refresh_token.get_secret_value())
    assert json.loads(listed("alice")["body"]) == {"connections": []}
    assert delete("alice", a)["statusCode"] == 404


def test_custom_connection_is_provisioned_and_renewed(xero_env, tenants, monkeypatch):
    a = tenants[0]
    monkeypatch.setenv("XERO_CUSTOM_CONNECTION_TENANTS", a)
    reset_all()
    result = call_handler(
        "token_refresh", {"detail-type": "Scheduled Event", "source": "aws.events"}
    )
    assert result["custom_connections_provisioned"] == 1
    connection = connection_store.get_connection(a, consistent=True)
    assert connection.kind == "custom" and connection.connected_by == "custom-connection"
    first = token_sets.get_token_set(connection.token_set_id)
    assert first.kind == "client_credentials" and first.refresh_token is None
    assert xero_call(lambda: accounting_api(a).get_organisations(a)).organisations
    # expiring soon: the token manager gets a new client-credentials token before the call
    token_sets.save_token_set(
        first.model_copy(update={"access_expires_at": int(time.time()) + 60}), first.version
    )
    token_manager.forget()
    assert xero_call(lambda: accounting_api(a).get_organisations(a)).organisations
    renewed = token_sets.get_token_set(connection.token_set_id)
    assert renewed.version == first.version + 2 and renewed.refresh_token is None
    assert renewed.access_token.get_secret_value() != first.access_token.get_secret_value()
    # refused (401): renewed once more, and the call goes through
    _replace_access_token(connection.token_set_id, "revoked-access-token-0123456789")
    assert xero_call(lambda: accounting_api(a).get_organisations(a)).organisations
    assert token_sets.get_token_set(connection.token_set_id).version == renewed.version + 2


def test_no_token_in_any_log_line_or_response(
    xero_env, connect_user, tenants, seen_tokens, log_stream, monkeypatch
):
    a, b = tenants
    monkeypatch.setenv("POWERTOOLS_LOG_LEVEL", "DEBUG")
    logger.setLevel("DEBUG")
    bodies: list[str] = []
    response = connect_user("alice", [a, b], return_to=f"{FRONTEND}/done")
    bodies.append(json.dumps(response))
    bodies.append(json.dumps(listed("alice")))
    token_set_id = connection_store.get_connection(a).token_set_id
    _replace_access_token(token_set_id, "expired-access-token-0123456789")
    xero_call(lambda: accounting_api(a).get_organisations(a))  # 401 → refresh → retry
    token_manager.refresh(token_set_id, until=2**40)  # and one more rotation
    bodies.append(json.dumps(listed("alice")))
    # a failing refresh logs too
    monkeypatch.setattr("xero_bridge.xero.events.publish", lambda *args: None)
    xero_env.clock.advance(61 * 86400)
    with pytest.raises(Exception):
        token_manager.refresh(token_set_id, until=2**40)
    bodies.append(json.dumps(listed("alice")))
    response = oauth(
        "DELETE",
        f"/xero/connections/{b}",
        ctx=context("alice", ""),
        route_key="DELETE /xero/connections/{tenantId}",
        path_parameters={"tenantId": b},
    )
    bodies.append(json.dumps(response))
    logger.setLevel("INFO")

    output = log_stream.getvalue()
    assert output.count("\n") >= 5  # the flow did log
    assert len(seen_tokens) >= 6
    for token in seen_tokens:
        assert token not in output
        for body in bodies:
            assert token not in body
    assert boto3  # (imported for fixtures' side effects only)


def test_the_redirect_uri_defaults_to_this_apis_callback(xero_env, monkeypatch):
    monkeypatch.delenv("XERO_REDIRECT_URI")
    get_settings.cache_clear()
    response = oauth(
        "POST",
        "/xero/connect",
        ctx=context("alice"),
        headers={"host": "abc123.execute-api.eu-west-1.amazonaws.com"},
    )
    url = json.loads(response["body"])["authorize_url"]
    assert parse_qs(urlsplit(url).query)["redirect_uri"] == [
        "https://abc123.execute-api.eu-west-1.amazonaws.com/xero/callback"
    ]
    assert url.startswith(f"{xero_env.url}/identity/connect/authorize?")
