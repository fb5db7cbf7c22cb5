"""A USD bill paid in USDT through OKX, end to end against both simulators: the address two
people approved, the quote the approver saw, one withdrawal, PAID in Xero once at the quoted
rate with the chain's transaction id — and the fee booked as spend money."""

from __future__ import annotations

from decimal import Decimal

from devstack.xero_simulator.seed_rails import (
    A_OKX_BANK_ACCOUNT_ID,
    A_OKX_FEE_ACCOUNT_CODE,
    USD_BILLS,
)

from .conftest import ADDRESS, Crypto


def test_a_usd_bill_is_paid_in_usdt_at_the_approved_quote_and_recorded_once(crypto: Crypto) -> None:
    address_id = crypto.approved_address()
    submitted = crypto.submit(address_id, reference="May data")
    assert submitted.status == 202, submitted  # every crypto payment waits for a second person
    payment = submitted.body
    quote = payment["crypto"]["quote"]
    # 1250.00 USD at OKX's 1.0003 USD per USDT, rounded down to the 6 decimals of USDT-TRC20
    assert (quote["pair"], quote["price"], quote["amount"]) == ("USDT-USD", "1.0003", "1250.00")
    assert quote["crypto_amount"] == "1249.625112"
    assert Decimal(quote["crypto_amount"]) <= Decimal("1250.00") / Decimal("1.0003")
    assert (quote["fee"], quote["fee_ccy"], quote["total_debit"]) == ("1.5", "USDT", "1251.125112")
    assert payment["crypto"]["address"]["address"] == ADDRESS
    assert payment["crypto"]["address"]["approved_by"] == "bob"
    assert crypto.withdrawals() == []  # nothing moves before the approval

    approved = crypto.approve(payment)
    assert approved.status == 200, approved
    assert approved.body["status"] == "executing" and approved.body["rail"] == "okx"
    [withdrawal] = crypto.withdrawals()
    assert (withdrawal["amt"], withdrawal["to"], withdrawal["chain"]) == (
        "1249.625112",
        ADDRESS,
        "USDT-TRC20",
    )
    assert approved.body["rail_reference"] == withdrawal["wdId"]
    assert withdrawal["clientId"] == approved.body["crypto"]["withdrawal"]["client_id"]

    assert crypto.poll()["okx"]["payments"] == 1  # still pending at OKX: nothing recorded
    assert crypto.get(payment["payment_id"])["status"] == "executing"
    assert crypto.xero_created() == []
    crypto.advance(21)  # 0 -> 1 (broadcast, txId) -> 2 (success)
    crypto.poll()
    crypto.poll()  # a second run finds nothing more to do
    done = crypto.get(payment["payment_id"])
    assert done["status"] == "recorded", done
    [recorded] = crypto.xero_created()
    bill_id, _, amount = USD_BILLS["usd"]
    tx_id = crypto.withdrawals()[0]["txId"]
    assert recorded["Invoice"]["InvoiceID"] == bill_id
    assert recorded["Account"]["AccountID"] == A_OKX_BANK_ACCOUNT_ID
    assert (recorded["Amount"], recorded["BankAmount"]) == (amount, amount)  # in USD
    assert recorded["Reference"].startswith("May data 1249.625112 USDT at 1.0003 USDT-USD tx ")
    assert tx_id and tx_id in recorded["Reference"]
    assert done["crypto"]["withdrawal"]["tx_id"] == tx_id
    assert done["crypto"]["withdrawal"]["state"] == "2"

    [fee] = crypto.xero_created("BankTransactions")
    assert fee["Type"] == "SPEND" and fee["BankAccount"]["AccountID"] == A_OKX_BANK_ACCOUNT_ID
    assert fee["LineItems"][0]["AccountCode"] == A_OKX_FEE_ACCOUNT_CODE
    assert fee["Total"] == Decimal("1.50")  # 1.5 USDT at 1.0003, to the cent
    assert done["crypto"]["fee_booking"]["status"] == "booked"

    actions = [e["action"] for e in done["audit"]]
    assert actions == ["approval_requested", "approved", "executing", "settled", "recorded"]
    first = done["audit"][0]["details"]
    assert (first["rate"], first["crypto_amount"], first["address"]) == (
        "1.0003",
        "1249.625112",
        ADDRESS,
    )
    assert first["address_approved_by"] == "bob" and first["quote_id"] == quote["quote_id"]
    settled = done["audit"][3]["details"]
    assert (settled["tx_id"], settled["fee"], settled["fee_booking"]) == (tx_id, "1.5", "booked")
    assert crypto.events.types_for(payment["payment_id"])[-1] == "payment.recorded"


def test_the_bills_amount_due_is_paid_when_no_amount_is_given(crypto: Crypto) -> None:
    address_id = crypto.approved_address()
    submitted = crypto.submit(address_id, amount=None)
    assert submitted.status == 202, submitted
    assert submitted.body["amount"] == "1250.00"
    assert submitted.body["crypto"]["quote"]["amount"] == "1250.00"


def test_a_fee_xero_refuses_is_kept_on_the_payment_and_the_bill_is_still_recorded(
    crypto: Crypto, monkeypatch
) -> None:
    from xero_bridge.errors import XeroScopeMissingError
    from xero_bridge.rails.okx import fee_booking

    def refused(self, reference):
        raise XeroScopeMissingError("the connection was not granted accounting.banktransactions")

    monkeypatch.setattr(fee_booking.XeroFees, "find", refused)
    payment = crypto.submit(crypto.approved_address()).body
    assert crypto.approve(payment).status == 200
    done = crypto.later(21, payment)
    assert done["status"] == "recorded" and len(crypto.xero_created()) == 1
    booking = done["crypto"]["fee_booking"]
    assert booking["status"] == "refused" and booking["reason"]["code"] == "xero_scope_missing"
    assert (booking["fee"], booking["amount"]) == ("1.5", "1.50")
    assert crypto.xero_created("BankTransactions") == []
