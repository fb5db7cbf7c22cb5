"""Four eyes, the payee check and the TAN: what is refused, and that nothing is sent then."""

from __future__ import annotations

from devstack.demo_data import SOLARIS_PAYEES
from devstack.xero_simulator import seed
from xero_bridge.persistence import audit
from xero_bridge.persistence import payments as store

MATCH, CLOSE_MATCH, NO_MATCH, DECLINES = SOLARIS_PAYEES


def error_code(answer) -> str:
    return answer.body["error"]["code"]


def test_above_the_threshold_another_person_approves_and_confirms(rail):
    submitted = rail.submit("match_large")
    assert submitted.status == 202, submitted
    payment_id = submitted.body["payment_id"]
    assert submitted.body["status"] == "pending_approval"
    assert rail.sim_get("/change_requests")["count"] == 0  # nothing at Solaris before approval

    assert rail.call("approve", payment_id, sub="alice").status == 403  # the submitter
    approved = rail.call("approve", payment_id, sub="bob")
    assert approved.status == 200, approved
    assert approved.body["status"] == "awaiting_confirmation"

    assert rail.confirm(payment_id, sub="alice").status == 403  # the submitter cannot confirm
    wrong = rail.confirm(payment_id, tan="000000", sub="bob")
    assert wrong.status == 422 and error_code(wrong) == "invalid_tan", wrong
    assert rail.get(payment_id)["status"] == "awaiting_confirmation"  # it waits
    assert rail.sim_get("/transfers")["count"] == 0

    confirmed = rail.confirm(payment_id, sub="bob")
    assert confirmed.status == 200 and confirmed.body["status"] == "executing", confirmed
    rail.settle()
    rail.deliver()
    rail.work()
    assert rail.get(payment_id)["status"] == "recorded"
    assert len(rail.xero_payments()) == 1
    trail = audit.entries_for_payment(rail.connected.tenant_a, payment_id)
    assert [(e.action, e.actor) for e in trail] == [
        ("approval_requested", "alice"),
        ("approved", "bob"),
        ("executing", "bob"),
        ("confirmation_asked", "bob"),
        ("tan_refused", "bob"),
        ("confirmed", "bob"),
        ("settled", "provider-callback"),
        ("recorded", "provider-callback"),
    ]


def test_no_match_is_refused_with_the_reason_and_nothing_is_sent(rail):
    answer = rail.submit("no_match")
    assert answer.status == 422 and error_code(answer) == "payee_verification_failed", answer
    assert "NO_MATCH" in answer.body["error"]["message"]
    assert rail.sim_get("/change_requests")["count"] == 0
    assert rail.sim_get("/transfers")["count"] == 0
    assert store.list_newest_first(rail.connected.tenant_a, page_size=10)[0] == []


def test_a_close_match_waits_for_the_suggested_name_to_be_accepted(rail):
    submitted = rail.submit("close_match")  # below the threshold, and still waits
    assert submitted.status == 202, submitted
    payment_id = submitted.body["payment_id"]
    verification = submitted.body["payee_verification"]
    assert verification["status"] == "CLOSE_MATCH"
    assert verification["suggested_name"] == CLOSE_MATCH.holder  # shown to the approver

    plain = rail.call("approve", payment_id, sub="bob")
    assert plain.status == 422 and error_code(plain) == "payee_name_not_accepted", plain
    assert CLOSE_MATCH.holder in plain.body["error"]["message"]
    other = rail.call("approve", payment_id, sub="bob", body={"accepted_payee_name": "Schmidt"})
    assert other.status == 422 and error_code(other) == "payee_name_not_accepted"
    assert rail.get(payment_id)["status"] == "pending_approval"
    assert rail.sim_get("/change_requests")["count"] == 0

    accepted = rail.call(
        "approve", payment_id, sub="bob", body={"accepted_payee_name": CLOSE_MATCH.holder}
    )
    assert accepted.status == 200, accepted
    assert accepted.body["accepted_payee_name"] == CLOSE_MATCH.holder
    assert rail.confirm(payment_id, sub="bob").status == 200
    [transfer] = rail.sim_get("/transfers")["transfers"]
    assert transfer["recipient_name"] == CLOSE_MATCH.holder  # the name accepted, nothing else
    approved = [e for e in audit.entries_for_payment(rail.connected.tenant_a, payment_id)
                if e.action == "approved"]  # fmt: skip
    assert approved[0].details["accepted_payee_name"] == CLOSE_MATCH.holder


def test_not_enough_money_is_a_422_and_nothing_is_sent(rail):
    rail.sim_put_balance(50_000)  # EUR 500.00
    answer = rail.submit("match")  # EUR 1,234.56
    assert answer.status == 422 and error_code(answer) == "insufficient_funds", answer
    assert rail.sim_get("/change_requests")["count"] == 0
    assert rail.sim_get("/transfers")["count"] == 0


def test_an_approval_without_the_money_leaves_the_payment_waiting(rail):
    payment_id = rail.submit("match_large").body["payment_id"]
    rail.sim_put_balance(100_000)
    answer = rail.call("approve", payment_id, sub="bob")
    assert answer.status == 422 and error_code(answer) == "insufficient_funds", answer
    assert rail.get(payment_id)["status"] == "pending_approval"
    rail.sim_put_balance(5_000_000)
    assert rail.call("approve", payment_id, sub="bob").status == 200


def test_a_declined_transfer_fails_with_solaris_reason_and_nothing_reaches_xero(rail):
    payment_id = rail.submit("declines").body["payment_id"]
    assert rail.confirm(payment_id).status == 200
    rail.settle()
    rail.deliver()
    rail.work()
    payment = rail.get(payment_id)
    assert payment["status"] == "failed"
    assert payment["rail_status"] == "declined"
    assert "AC04" in str(payment["failure"])
    assert rail.xero_payments() == []


def test_a_bill_not_in_eur_is_refused_clearly(rail):
    answer = rail.call("", body={"invoice_id": seed.A_BILL_AUTHORISED_ID, "amount": "10.00",
                                 "date": "2024-05-01", "rail": "solaris_sepa"})  # fmt: skip
    assert answer.status == 422 and error_code(answer) == "currency_not_supported", answer
    assert "NZD" in answer.body["error"]["message"]


def test_a_payee_in_the_body_is_paid_and_a_bad_iban_is_refused(rail):
    bad = rail.submit("match", payee={"name": MATCH.holder, "iban": "DE89370400440532013001"})
    assert bad.status == 400 and "checksum" in str(bad.body["error"]["details"]), bad
    good = rail.submit("match", payee={"name": MATCH.holder, "iban": "de89 3704 0044 0532 0130 00"})
    assert good.status == 200, good
    assert good.body["payee"] == {"name": MATCH.holder, "iban": MATCH.iban, "bic": None,
                                  "source": "request", "contact_id": None}  # fmt: skip


def test_more_than_the_amount_due_is_refused(rail):
    answer = rail.submit("match", amount="1234.57")
    assert answer.status == 422 and "amount due" in str(answer.body["error"]["details"])


def test_an_expired_tan_is_sent_again_and_the_payment_still_waits(rail):
    payment_id = rail.submit("match").body["payment_id"]
    rail.sim.advance(301)  # the TAN cycle (5 minutes) is over
    expired = rail.confirm(payment_id)
    assert expired.status == 422 and error_code(expired) == "tan_expired", expired
    assert rail.get(payment_id)["tan_awaited"] is True
    assert rail.confirm(payment_id).status == 200  # the new TAN (the sandbox's, again)
    assert rail.sim_get("/transfers")["count"] == 1
