"""Foreign-currency bills as Xero pays them: the bank account's currency, CurrencyRate and
BankAmount; and the demo organisation's EUR bills for the Solaris rail."""

from __future__ import annotations

from decimal import Decimal

from devstack.demo_data import SOLARIS_PAYEES
from devstack.xero_simulator import seed
from devstack.xero_simulator.seed_rails import (
    A_EUR_BANK_ACCOUNT_CODE,
    A_EUR_RATE,
    EUR_BILLS,
    SUPPLIER_IDS,
)
from tests.integration.simulator.conftest import Api

BILL_ID, _, DUE = EUR_BILLS["match"]


def _pay(code: str, amount: str = "100.00", **extra: str) -> dict:
    return {"Invoice": {"InvoiceID": BILL_ID}, "Account": {"Code": code}, "Amount": amount,
            "Date": "2024-06-01", **extra}  # fmt: skip


def _messages(response) -> list[str]:
    return [e["Message"] for e in response.json()["Elements"][0]["ValidationErrors"]]


def test_the_demo_organisation_holds_eur_bills_of_the_suppliers_solaris_knows(api: Api):
    currencies = api.get("/Currencies").json()["Currencies"]
    assert [c["Code"] for c in currencies] == ["NZD", "EUR"]
    for kind, (bill_id, number, amount) in EUR_BILLS.items():
        bill = api.get(f"/Invoices/{bill_id}").json()["Invoices"][0]
        kind_status_currency = (bill["Type"], bill["Status"], bill["CurrencyCode"])
        assert kind_status_currency == ("ACCPAY", "AUTHORISED", "EUR")
        assert bill["AmountDue"] == float(amount) and bill["InvoiceNumber"] == number
        small = kind != "match_large"
        assert (bill["AmountDue"] < 10000) is small, kind  # one above the approval threshold
    for payee, contact_id in zip(SOLARIS_PAYEES, SUPPLIER_IDS, strict=True):
        contact = api.get(f"/Contacts/{contact_id}").json()["Contacts"][0]
        assert contact["Name"] == payee.xero_name
        assert contact["BankAccountDetails"].replace(" ", "") == payee.iban


def test_paying_from_an_account_in_the_bills_currency_moves_that_amount(api: Api):
    answer = api.put("/Payments", json={"Payments": [_pay(A_EUR_BANK_ACCOUNT_CODE)]})
    assert answer.status_code == 200, answer.text
    [payment] = api.sim.created("Payments")
    assert payment["Amount"] == payment["BankAmount"] == Decimal("100.00")
    assert payment["CurrencyRate"] == A_EUR_RATE  # none sent: the day's rate


def test_paying_from_a_base_currency_account_converts_at_the_rate_sent(api: Api):
    payment = _pay("090", CurrencyRate="0.5000")
    assert api.put("/Payments", json={"Payments": [payment]}).status_code == 200
    [created] = api.sim.created("Payments")
    assert created["CurrencyRate"] == Decimal("0.5")
    assert created["BankAmount"] == Decimal("200.00")  # NZD that left the NZD account


def test_an_account_in_a_third_currency_cannot_pay_the_bill(api: Api):
    book = api.sim.store.books[seed.DEMO_TENANT_A]
    book.currencies["USD"] = "United States Dollar"
    book.add("Accounts", {**book.table("Accounts")[seed.A_BANK_ACCOUNT_ID],
                          "AccountID": "a0000000-0000-4000-8000-000000000096", "Code": "096",
                          "CurrencyCode": "USD"})  # fmt: skip
    answer = api.put("/Payments", json={"Payments": [_pay("096")]})
    assert answer.status_code == 400
    assert "USD" in _messages(answer)[0] and "EUR" in _messages(answer)[0]
    assert api.sim.created("Payments") == []


def test_a_bill_in_a_currency_not_enabled_is_refused(api: Api):
    bill = {"Type": "ACCPAY", "Contact": {"ContactID": SUPPLIER_IDS[0]}, "CurrencyCode": "CHF",
            "LineItems": [{"Description": "x", "Quantity": 1, "UnitAmount": 5,
                           "AccountCode": "429"}]}  # fmt: skip
    answer = api.put("/Invoices", json={"Invoices": [bill]})
    assert answer.status_code == 400
    assert _messages(answer) == ["The currency CHF is not enabled for this organisation"]
