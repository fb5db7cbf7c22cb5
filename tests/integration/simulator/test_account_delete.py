"""DELETE /Accounts/{AccountID}: unused accounts go (answered once more with Status DELETED);
system accounts and accounts with transactions or items stay, with Xero's 400."""

from __future__ import annotations

from typing import Any

from devstack.xero_simulator import DEMO_TENANT_B
from devstack.xero_simulator.accounting.accounts import (
    HAS_TRANSACTIONS,
    SYSTEM_ACCOUNT,
    USED_BY_ITEMS,
)
from devstack.xero_simulator.seed import A_BANK_ACCOUNT_ID, A_CUSTOMER_ID, A_SALES_ACCOUNT_ID
from tests.integration.simulator.conftest import Api

A_RECEIVABLE_ACCOUNT_ID = "a0000000-0000-4000-8000-000000000610"  # SystemAccount DEBTORS
A_OWNER_FUNDS_ACCOUNT_ID = "a0000000-0000-4000-8000-000000000880"  # seeded, never used


def _create_account(api: Api, code: str = "4999", **extra: Any) -> dict[str, Any]:
    body = {"Code": code, "Name": f"Side income {code}", "Type": "OTHERINCOME", **extra}
    response = api.put("/Accounts", json=body)
    assert response.status_code == 200, response.text
    return response.json()["Accounts"][0]


def _codes(api: Api) -> set[str]:
    return {a["Code"] for a in api.get("/Accounts").json()["Accounts"]}


def _refusal(response: Any) -> list[str]:
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["ErrorNumber"] == 10 and body["Type"] == "ValidationException"
    [element] = body["Elements"]
    return [e["Message"] for e in element["ValidationErrors"]]


def test_an_unused_account_is_deleted_and_answered_with_status_deleted(api: Api):
    account = _create_account(api)
    api.put(
        f"/Accounts/{account['AccountID']}/Attachments/note.txt",
        content=b"hello",
        headers={"Content-Type": "text/plain"},
    )
    response = api.delete(f"/Accounts/{account['AccountID']}")
    assert response.status_code == 200, response.text
    [deleted] = response.json()["Accounts"]
    assert deleted["AccountID"] == account["AccountID"]
    assert deleted["Code"] == "4999" and deleted["Status"] == "DELETED"
    assert deleted["HasAttachments"] is False
    # Gone: not listed, not found, not deletable twice; its code is free again.
    assert "4999" not in _codes(api)
    assert api.get(f"/Accounts/{account['AccountID']}").status_code == 404
    assert api.delete(f"/Accounts/{account['AccountID']}").status_code == 404
    assert _create_account(api)["AccountID"] != account["AccountID"]


def test_a_seeded_account_nothing_uses_can_be_deleted(api: Api):
    response = api.delete(f"/Accounts/{A_OWNER_FUNDS_ACCOUNT_ID.upper()}")  # ids: any case
    assert response.status_code == 200, response.text
    assert response.json()["Accounts"][0]["Status"] == "DELETED"
    assert "880" not in _codes(api)


def test_system_accounts_cannot_be_deleted(api: Api):
    response = api.delete(f"/Accounts/{A_RECEIVABLE_ACCOUNT_ID}")
    assert _refusal(response) == [SYSTEM_ACCOUNT]
    assert response.json()["Elements"][0]["AccountID"] == A_RECEIVABLE_ACCOUNT_ID
    assert "610" in _codes(api)


def test_accounts_with_transactions_cannot_be_deleted(api: Api):
    assert _refusal(api.delete(f"/Accounts/{A_SALES_ACCOUNT_ID}")) == [HAS_TRANSACTIONS]  # lines
    assert _refusal(api.delete(f"/Accounts/{A_BANK_ACCOUNT_ID}")) == [HAS_TRANSACTIONS]  # paid
    assert {"200", "090"} <= _codes(api)


def test_a_draft_invoice_keeps_its_account_until_the_invoice_is_deleted(api: Api):
    account = _create_account(api, "4998")
    draft = api.put(
        "/Invoices",
        json={
            "Type": "ACCREC",
            "Contact": {"ContactID": A_CUSTOMER_ID},
            "LineItems": [{"Description": "Odd job", "UnitAmount": 10, "AccountCode": "4998"}],
        },
    ).json()["Invoices"][0]
    assert _refusal(api.delete(f"/Accounts/{account['AccountID']}")) == [HAS_TRANSACTIONS]
    deleted = api.post(f"/Invoices/{draft['InvoiceID']}", json={"Status": "DELETED"})
    assert deleted.status_code == 200, deleted.text
    assert api.delete(f"/Accounts/{account['AccountID']}").status_code == 200


def test_an_account_an_item_uses_cannot_be_deleted(api: Api):
    account = _create_account(api, "4997")
    item = api.put(
        "/Items",
        json={"Code": "GIFT", "SalesDetails": {"UnitPrice": 5, "AccountCode": "4997"}},
    ).json()["Items"][0]
    assert _refusal(api.delete(f"/Accounts/{account['AccountID']}")) == [USED_BY_ITEMS]
    assert api.delete(f"/Items/{item['ItemID']}").status_code == 204
    assert api.delete(f"/Accounts/{account['AccountID']}").status_code == 200


def test_unknown_or_other_tenants_account_is_404(api: Api):
    missing = api.delete("/Accounts/00000000-0000-4000-8000-000000000000")
    assert missing.status_code == 404
    assert missing.json()["Title"] == "NotFound"
    # Tenant A's account does not exist in tenant B's books.
    other = api.delete(
        f"/Accounts/{A_OWNER_FUNDS_ACCOUNT_ID}", headers={"xero-tenant-id": DEMO_TENANT_B}
    )
    assert other.status_code == 404
    assert "880" in _codes(api)


def test_archived_accounts_can_still_be_deleted(api: Api):
    account = _create_account(api, "4996")
    archived = api.post(f"/Accounts/{account['AccountID']}", json={"Status": "ARCHIVED"})
    assert archived.json()["Accounts"][0]["Status"] == "ARCHIVED"
    assert api.delete(f"/Accounts/{account['AccountID']}").json()["Accounts"][0]["Status"] == (
        "DELETED"
    )
