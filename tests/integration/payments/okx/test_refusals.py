"""What an OKX payment refuses, and where: an unapproved or changed address before OKX is
called, an expired quote, below OKX's minimum, too little balance (ours, then OKX's own
words), OKX's unverified address; a failed or cancelled withdrawal fails the payment and
nothing reaches Xero; manual review shows as such."""

from __future__ import annotations

from .conftest import UNVERIFIED, Crypto


def _calls(crypto: Crypto) -> int:
    """Requests OKX has answered (the simulator's rate windows count every one)."""
    return sum(len(w) for w in crypto.sim.limiter._windows.values())


def test_an_address_nobody_approved_is_refused_before_okx_is_called(crypto: Crypto) -> None:
    added = crypto.add_address()
    assert added.status == 201 and added.body["status"] == "pending_approval"
    answer = crypto.submit(added.body["payout_address_id"])
    assert answer.status == 422, answer
    assert answer.body["error"]["code"] == "payout_address_not_approved"
    assert "pending approval" in answer.body["error"]["message"]
    assert _calls(crypto) == 0 and crypto.withdrawals() == []


def test_a_changed_address_is_refused_at_approval_and_nothing_is_sent(crypto: Crypto) -> None:
    old = crypto.approved_address()
    payment = crypto.submit(old).body
    # The supplier's address is changed (a new entry) and the change approved.
    new = crypto.add_address("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t").body["payout_address_id"]
    assert crypto.book("POST", new, "approve", sub="dave", scopes="payments:approve").status == 200
    assert crypto.book("GET").body["payout_addresses"][0]["status"] == "superseded"
    answer = crypto.approve(payment)
    assert answer.status == 422, answer
    assert answer.body["error"]["code"] == "payout_address_not_approved"
    assert crypto.get(payment["payment_id"])["status"] == "pending_approval"
    assert crypto.withdrawals() == []


def test_an_expired_quote_is_replaced_and_must_be_approved_again(
    crypto: Crypto, monkeypatch
) -> None:
    address_id = crypto.approved_address()
    payment = crypto.submit(address_id).body
    first = payment["crypto"]["quote"]
    crypto.sim.config.tickers["USDT-USD"] = __import__("decimal").Decimal("0.9990")
    from datetime import UTC, datetime, timedelta

    from xero_bridge.rails.okx import quote as quotes

    later = datetime.now(UTC) + timedelta(minutes=4)
    real = quotes.is_fresh
    monkeypatch.setattr(quotes, "is_fresh", lambda q, now=None: real(q, now or later))
    stale = crypto.approve(payment)
    assert stale.status == 422 and stale.body["error"]["code"] == "quote_expired", stale
    assert crypto.withdrawals() == []  # nothing moved on the stale price
    fresh = crypto.get(payment["payment_id"])
    new = fresh["crypto"]["quote"]
    assert new["quote_id"] != first["quote_id"] and new["price"] == "0.999"
    assert stale.body["error"]["details"][0]["quote"]["quote_id"] == new["quote_id"]
    assert fresh["audit"][-1]["action"] == "requoted"
    monkeypatch.setattr(quotes, "is_fresh", real)
    again = crypto.approve(payment, quote_id=first["quote_id"])  # the old quote: not this one
    assert again.status == 422 and again.body["error"]["code"] == "quote_not_accepted"
    ok = crypto.approve(fresh)
    assert ok.status == 200, ok
    assert crypto.withdrawals()[0]["amt"] == new["crypto_amount"] == "1251.251251"


def test_an_approval_must_name_the_quote(crypto: Crypto) -> None:
    payment = crypto.submit(crypto.approved_address()).body
    answer = crypto.call("approve", payment["payment_id"], sub="bob", body={})
    assert answer.status == 422 and answer.body["error"]["code"] == "quote_not_accepted"
    assert crypto.withdrawals() == []


def test_the_submitter_cannot_approve_their_own_crypto_payment(crypto: Crypto) -> None:
    payment = crypto.submit(crypto.approved_address()).body
    assert crypto.approve(payment, sub="alice").status == 403
    assert crypto.withdrawals() == []


def test_below_okxs_minimum_withdrawal_is_refused_clearly(crypto: Crypto) -> None:
    answer = crypto.submit(crypto.approved_address(), bill="usd_tiny")
    assert answer.status == 422, answer
    error = answer.body["error"]
    assert error["code"] == "below_minimum_withdrawal"
    assert "less than OKX's minimum withdrawal of 0.1 USDT" in error["message"]


def test_too_little_balance_is_refused_before_anything_is_approved(crypto: Crypto) -> None:
    payment = crypto.submit(crypto.approved_address(), bill="usd_large").body
    answer = crypto.approve(payment)
    assert answer.status == 422 and answer.body["error"]["code"] == "insufficient_funds"
    assert "50000 USDT available" in answer.body["error"]["message"]
    assert crypto.get(payment["payment_id"])["status"] == "pending_approval"
    assert crypto.withdrawals() == []


def test_okxs_own_balance_refusal_fails_the_payment_with_okxs_reason(crypto: Crypto) -> None:
    from xero_bridge.rails.okx import api as okx_api

    payment = crypto.submit(crypto.approved_address()).body
    original = okx_api.OkxApi.available
    okx_api.OkxApi.available = lambda self, ccy: original(self, ccy)  # type: ignore[method-assign]
    crypto.control("PUT", "/balances", {"USDT": "1250"})  # covers the amount, not the fee
    try:
        okx_api.OkxApi.available = lambda self, ccy: __import__("decimal").Decimal("99999")  # type: ignore[method-assign]
        answer = crypto.approve(payment)
    finally:
        okx_api.OkxApi.available = original  # type: ignore[method-assign]
    assert answer.status == 422 and answer.body["error"]["code"] == "insufficient_funds", answer
    assert (
        "Insufficient funding account balance to pay fees 1.5 USDT"
        in answer.body["error"]["message"]
    )
    assert answer.body["error"]["details"][0]["okx_code"] == "58229"
    assert crypto.get(payment["payment_id"])["status"] == "failed"
    assert crypto.withdrawals() == [] and crypto.xero_created() == []


def test_an_address_okx_has_not_verified_is_refused_with_okxs_reason(crypto: Crypto) -> None:
    payment = crypto.submit(crypto.approved_address(UNVERIFIED)).body
    answer = crypto.approve(payment)
    assert answer.status == 422, answer
    assert answer.body["error"]["code"] == "address_not_verified_at_okx"
    assert answer.body["error"]["details"][0]["okx_code"] == "58207"
    assert crypto.withdrawals() == []


def _approved_payment(crypto: Crypto, outcome: str) -> dict:
    crypto.control("POST", "/withdrawals/next", {"outcome": outcome})
    payment = crypto.submit(crypto.approved_address()).body
    answer = crypto.approve(payment)
    assert answer.status == 200, answer
    return dict(answer.body)


def test_a_failed_withdrawal_fails_the_payment_and_nothing_reaches_xero(crypto: Crypto) -> None:
    payment = _approved_payment(crypto, "failure")
    failed = crypto.later(21, payment)
    assert failed["status"] == "failed" and failed["rail_status"] == "-1"
    assert failed["failure"][0]["code"] == "declined"
    assert crypto.xero_created() == [] and crypto.xero_created("BankTransactions") == []
    assert crypto.events.types_for(payment["payment_id"])[-1] == "payment.failed"


def test_a_cancelled_withdrawal_cancels_the_payment_and_nothing_reaches_xero(
    crypto: Crypto,
) -> None:
    payment = _approved_payment(crypto, "cancel")
    assert crypto.later(21, payment)["status"] == "cancelled"
    assert crypto.xero_created() == []


def test_okxs_manual_review_shows_as_such_until_it_is_decided(crypto: Crypto) -> None:
    payment = _approved_payment(crypto, "review")
    waiting = crypto.later(11, payment)
    assert waiting["status"] == "executing" and waiting["rail_status"] == "4"
    withdrawal = waiting["crypto"]["withdrawal"]
    assert (
        withdrawal["manual_review"] is True and withdrawal["state_label"] == "waiting manual review"
    )
    crypto.control(
        "POST", f"/withdrawals/{payment['rail_reference']}/outcome", {"outcome": "success"}
    )
    # 7 (approved) -> 1 -> 2: OKX's clock is now 42 s ahead of ours
    assert crypto.later(31, payment)["status"] == "recorded"
    assert len(crypto.xero_created()) == 1
