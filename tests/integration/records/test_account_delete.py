"""DELETE /tenants/{tenantId}/accounts/{accountId} against the simulator's chart of accounts:
an unused account goes, Xero's refusal comes back as 422 with its message, and the usual
404 / 403s (another tenant, no records:write) never reach Xero.

Scopes are the authorizer's job (route_policy), so the records:write test goes through the
local gateway with template.yaml's routes, the real authorizer and a dev Okta token."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from devstack.gateway import GatewayServer, LocalGateway
from devstack.lambda_runtime import LocalFunction
from devstack.okta_issuer import DevOktaIssuer
from devstack.template import SamTemplate
from devstack.xero_simulator import seed
from devstack.xero_simulator.accounting.accounts import HAS_TRANSACTIONS, SYSTEM_ACCOUNT
from tests.integration.records.conftest import OTHER_TENANT, TENANT, api

T = f"/tenants/{TENANT}"
A_RECEIVABLE_ACCOUNT_ID = "a0000000-0000-4000-8000-000000000610"  # SystemAccount DEBTORS
A_OWNER_FUNDS_ACCOUNT_ID = "a0000000-0000-4000-8000-000000000880"  # seeded, never used
B_OWNER_FUNDS_ACCOUNT_ID = "b0000000-0000-4000-8000-000000000880"


def _deletes(records: Any) -> int:
    """How many account deletes reached Xero."""
    return sum(1 for m, path, _t, _s in records.call_log if m == "DELETE" and "/Accounts/" in path)


def test_an_account_created_through_the_api_is_deleted(records):
    created = api(
        "POST", f"{T}/accounts", body={"code": "4999", "name": "Side income", "type": "OTHERINCOME"}
    )
    assert created.status == 201, created.body
    account_id = created.body["account_id"]
    answer = api("DELETE", f"{T}/accounts/{account_id}")
    assert answer.status == 204, answer.body
    assert answer.raw == b""
    assert records.record(TENANT, "Accounts", account_id) is None
    gone = api("GET", f"{T}/accounts/{account_id}")
    assert gone.status == 404
    assert gone.body["error"]["code"] == "not_found"
    listed = api("GET", f"{T}/accounts")
    assert account_id not in {a["account_id"] for a in listed.body["accounts"]}


def test_a_seeded_unused_account_is_deleted(records):
    answer = api("DELETE", f"{T}/accounts/{A_OWNER_FUNDS_ACCOUNT_ID}")
    assert answer.status == 204, answer.body
    assert api("GET", f"{T}/accounts/{A_OWNER_FUNDS_ACCOUNT_ID}").status == 404


def test_xeros_refusal_is_a_422_with_xeros_message(records):
    used = api("DELETE", f"{T}/accounts/{seed.A_SALES_ACCOUNT_ID}")
    assert used.status == 422, used.body
    assert used.body["error"]["code"] == "validation_failed"
    assert _messages(used.body) == [HAS_TRANSACTIONS]
    system = api("DELETE", f"{T}/accounts/{A_RECEIVABLE_ACCOUNT_ID}")
    assert system.status == 422, system.body
    assert _messages(system.body) == [SYSTEM_ACCOUNT]
    # Both are still there.
    for account_id in (seed.A_SALES_ACCOUNT_ID, A_RECEIVABLE_ACCOUNT_ID):
        assert records.record(TENANT, "Accounts", account_id) is not None


def test_an_unknown_account_is_404(records):
    answer = api("DELETE", f"{T}/accounts/00000000-0000-4000-8000-000000000000")
    assert answer.status == 404, answer.body
    assert answer.body["error"]["code"] == "not_found"


def test_another_tenants_account_is_403_and_xero_is_not_called(records):
    before = records.calls(OTHER_TENANT)
    answer = api("DELETE", f"/tenants/{OTHER_TENANT}/accounts/{B_OWNER_FUNDS_ACCOUNT_ID}")
    assert answer.status == 403, answer.body
    assert records.calls(OTHER_TENANT) == before
    assert records.record(OTHER_TENANT, "Accounts", B_OWNER_FUNDS_ACCOUNT_ID) is not None
    # A user never granted tenant A is refused there too.
    mallory = api("DELETE", f"{T}/accounts/{A_OWNER_FUNDS_ACCOUNT_ID}", sub="mallory")
    assert mallory.status == 403


@pytest.fixture
def gateway(records: Any, okta: DevOktaIssuer) -> Iterator[str]:
    """template.yaml's routes in front of the real authorizer and records functions."""
    template = SamTemplate()
    functions = {
        function_id: LocalFunction(
            f"account_delete_{function_id}", *template.function_code(function_id), timeout=60
        )
        for function_id in ("AuthorizerFunction", "RecordsFunction")
    }
    server = GatewayServer(LocalGateway(template, functions))
    url = server.start()
    yield url
    server.stop()


def test_without_records_write_it_is_403_and_xero_is_not_called(
    records, okta, connect_user, gateway
):
    user = "alice@example.com"  # the sub in the dev issuer's tokens for alice
    connect_user(user, [TENANT])
    url = f"{gateway}{T}/accounts/{A_OWNER_FUNDS_ACCOUNT_ID}"
    before = _deletes(records)
    read_only = okta.mint(user, scopes=["records:read"])
    refused = httpx.delete(url, headers={"Authorization": f"Bearer {read_only}"}, timeout=30)
    assert refused.status_code == 403, refused.text
    assert refused.json() == {"message": "Forbidden"}  # the gateway's, not the handler's
    assert _deletes(records) == before
    assert records.record(TENANT, "Accounts", A_OWNER_FUNDS_ACCOUNT_ID) is not None
    # The same user and route with records:write is let through, and the account goes.
    writer = okta.mint(user, scopes=["records:read", "records:write"])
    allowed = httpx.delete(url, headers={"Authorization": f"Bearer {writer}"}, timeout=30)
    assert allowed.status_code == 204, allowed.text
    assert _deletes(records) == before + 1
    assert records.record(TENANT, "Accounts", A_OWNER_FUNDS_ACCOUNT_ID) is None


def _messages(body: dict[str, Any]) -> list[str]:
    """Xero's validation messages, as our 422 carries them in ``details``."""
    return [detail["message"] for detail in body["error"]["details"]]
