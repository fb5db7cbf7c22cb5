"""The simulator's spend money (BankTransactions, as the okx rail books its fees) and the
okx rail's demo: USD bills of a supplier paid in USDT, a USD clearing account, a fee account."""

from __future__ import annotations

from decimal import Decimal

import pytest

from devstack.xero_simulator import DEMO_TENANT_A, DEMO_TENANT_B, XeroSimulator
from devstack.xero_simulator.config import DEMO_GRANULAR_SCOPES
from devstack.xero_simulator.seed_rails import (
    A_EUR_BANK_ACCOUNT_CODE,
    A_OKX_BANK_ACCOUNT_CODE,
    A_OKX_BANK_ACCOUNT_ID,
    A_OKX_FEE_ACCOUNT_CODE,
    OKX_SUPPLIER_ID,
    USD_BILLS,
)

from .conftest import REDIRECT_URI, Api, exchange


@pytest.fixture
def spender(xero_sim: XeroSimulator) -> Api:
    """A connection that was also granted accounting.banktransactions (write)."""
    scope = f"openid offline_access {DEMO_GRANULAR_SCOPES} accounting.banktransactions"
    code = xero_sim.issue_authorization_code(
        [DEMO_TENANT_A, DEMO_TENANT_B], REDIRECT_URI, scope=scope
    )
    response = exchange(xero_sim, code)
    assert response.status_code == 200, response.text
    return Api(xero_sim, response.json())


def _spend(**changes: object) -> dict:
    body = {
        "Type": "SPEND",
        "Contact": {"Name": "OKX"},
        "BankAccount": {"Code": A_OKX_BANK_ACCOUNT_CODE},
        "Reference": "fee xb:1",
        "LineAmountTypes": "NoTax",
        "CurrencyCode": "USD",
        "LineItems": [
            {
                "Description": "fee",
                "Quantity": 1,
                "UnitAmount": 1.5,
                "AccountCode": A_OKX_FEE_ACCOUNT_CODE,
            }
        ],
    }
    body.update(changes)
    return {"BankTransactions": [body]}


def _messages(response) -> list[str]:
    return [e["Message"] for e in response.json()["Elements"][0]["ValidationErrors"]]


def test_the_demo_holds_usd_bills_a_usd_clearing_account_and_a_fee_account(api: Api) -> None:
    for bill_id, number, amount in USD_BILLS.values():
        bill = api.get(f"/Invoices/{bill_id}").json()["Invoices"][0]
        assert (bill["Type"], bill["Status"], bill["CurrencyCode"]) == (
            "ACCPAY",
            "AUTHORISED",
            "USD",
        )
        assert bill["AmountDue"] == float(amount) and bill["InvoiceNumber"] == number
        assert bill["Contact"]["ContactID"] == OKX_SUPPLIER_ID
    accounts = {a["Code"]: a for a in api.get("/Accounts").json()["Accounts"]}
    assert (
        accounts[A_OKX_BANK_ACCOUNT_CODE]["Type"],
        accounts[A_OKX_BANK_ACCOUNT_CODE]["CurrencyCode"],
    ) == ("BANK", "USD")
    assert accounts[A_OKX_FEE_ACCOUNT_CODE]["Class"] == "EXPENSE"


def test_spend_money_needs_the_bank_transactions_scope(api: Api) -> None:
    assert api.put("/BankTransactions", json=_spend()).status_code == 401


def test_spend_money_is_created_in_the_bank_accounts_currency_and_found_by_reference(
    spender: Api,
) -> None:
    api = spender
    created = api.put("/BankTransactions", json=_spend())
    assert created.status_code == 200, created.text
    [transaction] = created.json()["BankTransactions"]
    assert (transaction["Type"], transaction["Status"], transaction["CurrencyCode"]) == (
        "SPEND",
        "AUTHORISED",
        "USD",
    )
    assert transaction["BankAccount"]["AccountID"] == A_OKX_BANK_ACCOUNT_ID
    assert Decimal(str(transaction["Total"])) == Decimal("1.50")
    assert transaction["Contact"]["Name"] == "OKX"  # a contact created by its name
    found = api.get("/BankTransactions", params={"where": 'Reference=="fee xb:1"'}).json()
    assert [t["BankTransactionID"] for t in found["BankTransactions"]] == [
        transaction["BankTransactionID"]
    ]


def test_spend_money_is_refused_as_xero_refuses_it(spender: Api) -> None:
    api = spender
    other_currency = api.put("/BankTransactions", json=_spend(CurrencyCode="EUR"))
    assert other_currency.status_code == 400
    assert "bank account's currency (USD)" in _messages(other_currency)[0]
    not_a_bank = api.put(
        "/BankTransactions", json=_spend(BankAccount={"Code": A_OKX_FEE_ACCOUNT_CODE})
    )
    assert _messages(not_a_bank) == ["The BankAccount must be a bank account"]
    no_type = api.put("/BankTransactions", json=_spend(Type="TRANSFER"))
    assert _messages(no_type) == ["Type must be SPEND or RECEIVE"]
    eur = api.put(
        "/BankTransactions",
        json=_spend(BankAccount={"Code": A_EUR_BANK_ACCOUNT_CODE}, CurrencyCode="EUR"),
    )
    assert eur.status_code == 200
    assert api.get("/BankTransactions").json()["BankTransactions"][0]["CurrencyCode"] == "EUR"
