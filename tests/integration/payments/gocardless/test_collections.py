"""Collecting sales invoices by direct debit: recorded in Xero once, and only when GoCardless
says the money is collected; undone when the customer's bank takes it back."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

from devstack.xero_simulator.seed_direct_debit import A_GOCARDLESS_ACCOUNT_ID, EUR_INVOICES
from xero_bridge.payments import keys
from xero_bridge.persistence import audit

from .conftest import HTTP, STEP


def trail(dd, payment_id: str) -> list[str]:
    return [e.action for e in audit.entries_for_payment(dd.tenant, payment_id)]


def test_a_collection_is_recorded_once_with_its_webhooks_three_times_and_out_of_order(dd):
    dd.active_mandate("Successful")
    amount = EUR_INVOICES["successful"][2]
    answer = dd.collect("successful", body={"reference": "March retainer"})
    assert answer.status == 200, answer
    payment = answer.body
    assert (payment["status"], payment["rail"], payment["amount"]) == (
        "executing", "gocardless", "480.00",
    )  # fmt: skip
    assert payment["rail_status"] == "pending_submission"
    assert (
        payment["account_code"] == "097"
    )  # the rail's clearing account (A_GOCARDLESS_ACCOUNT_CODE)
    [held] = dd.sim_resources("payments")
    assert held["id"] == payment["rail_reference"] and held["amount"] == 48_000  # minor units
    assert held["currency"] == "EUR" and held["description"] == "March retainer"
    assert held["metadata"] == {"xb_tenant_id": dd.tenant, "xb_payment_id": payment["payment_id"],
                                "xb_invoice_id": EUR_INVOICES["successful"][0]}  # fmt: skip
    assert dd.xero_payments("successful") == []  # nothing before GoCardless says so

    dd.advance(4 * STEP)  # submitted, confirmed, paid out
    sent = dd.send(order="reverse", separate=True)
    for webhook in sent:  # every webhook twice more: three deliveries each
        dd.redeliver(webhook["id"])
        dd.redeliver(webhook["id"])
    assert set(dd.deliver()) == {200}
    worked = dd.work()
    assert worked["failed"] == []

    [recorded] = dd.xero_payments("successful")
    assert recorded["Amount"] == amount and recorded["Status"] == "AUTHORISED"
    assert recorded["Account"]["AccountID"] == A_GOCARDLESS_ACCOUNT_ID
    assert payment["rail_reference"] in recorded["Reference"]
    assert recorded["Reference"].startswith("March retainer")
    assert recorded["Date"].isoformat() == held["charge_date"]  # the day it was collected
    invoice = dd.invoice("successful")
    assert invoice["Status"] == "PAID" and invoice["AmountDue"] == 0
    final = dd.payment(payment["payment_id"])
    assert final["status"] == "recorded" and final["xero_payment_id"] == recorded["PaymentID"]
    assert trail(dd, payment["payment_id"]) == ["submitted", "executing", "settled", "recorded"]
    assert dd.events.types_for(payment["payment_id"]) == [
        "payment.submitted", "payment.executing", "payment.settled", "payment.recorded",
    ]  # fmt: skip


def test_penniless_fails_the_collection_with_nothing_in_xero(dd):
    dd.active_mandate("Penniless")
    payment = dd.collect("penniless").body
    dd.advance(STEP)  # submitted to the banks: not collected yet
    dd.flush()
    submitted = dd.payment(payment["payment_id"])
    assert (submitted["status"], submitted["rail_status"]) == ("executing", "submitted")
    assert dd.xero_payments("penniless") == []
    dd.advance(2 * STEP)
    dd.flush()
    failed = dd.payment(payment["payment_id"])
    assert failed["status"] == "failed" and failed["rail_status"] == "failed"
    assert failed["failure"][0]["code"] == "collection_failed"
    assert "insufficient" in failed["failure"][0]["message"].lower()
    assert failed["failure"][1]["cause"] == "insufficient_funds"
    assert dd.xero_payments("penniless") == []
    assert dd.amount_due("penniless") == EUR_INVOICES["penniless"][2]
    assert trail(dd, payment["payment_id"]) == ["submitted", "executing", "failed"]
    assert dd.events.types_for(payment["payment_id"])[-1] == "payment.failed"


def test_fickle_is_charged_back_after_recording_and_reversed_in_xero(dd):
    dd.active_mandate("Fickle")
    payment = dd.collect("fickle").body
    dd.advance(3 * STEP)  # confirmed, paid out
    dd.flush()
    assert dd.payment(payment["payment_id"])["status"] == "recorded"
    assert dd.amount_due("fickle") == 0

    dd.advance(STEP)  # the customer's bank takes it back
    dd.flush()
    reversed_ = dd.payment(payment["payment_id"])
    assert reversed_["status"] == "reversed" and reversed_["rail_status"] == "charged_back"
    [xero] = dd.xero_payments("fickle")
    current = dd.connected.sim.record(dd.tenant, "Payments", xero["PaymentID"])
    assert current["Status"] == "DELETED"
    assert dd.amount_due("fickle") == EUR_INVOICES["fickle"][2]  # due again
    assert dd.invoice("fickle")["Status"] == "AUTHORISED"
    entries = audit.entries_for_payment(dd.tenant, payment["payment_id"])
    assert [e.action for e in entries][-2:] == ["recorded", "reversed"]
    assert entries[-1].details["how"] == "charged_back"
    assert entries[-1].details["cause"] == "refund_requested"  # what the bank said
    told = [e for e in dd.events.events if e.detail_type == "payment.charged_back"]
    assert len(told) == 1 and told[0].detail["payment_id"] == payment["payment_id"]
    assert told[0].detail["reason"] == "charged_back" and told[0].detail["amount"] == "260.00"
    assert "payment.reversed" in dd.events.types_for(payment["payment_id"])

    dd.advance(STEP)
    for webhook in HTTP.get(f"{dd.sim.url}/_sim/webhooks").json()["webhooks"]:
        dd.redeliver(webhook["id"])  # everything again: nothing more happens
    dd.deliver()
    assert dd.work()["failed"] == []
    assert len(dd.xero_payments("fickle")) == 1
    assert len([e for e in dd.events.events if e.detail_type == "payment.charged_back"]) == 1


def test_a_late_failure_after_recording_is_reversed_too(dd):
    dd.active_mandate("Late")
    payment = dd.collect("late").body
    dd.advance(2 * STEP)  # submitted, confirmed
    dd.flush()
    assert dd.payment(payment["payment_id"])["status"] == "recorded"
    dd.advance(STEP)  # then the bank says it failed after all
    dd.flush()
    assert dd.payment(payment["payment_id"])["status"] == "reversed"
    assert dd.amount_due("late") == EUR_INVOICES["late"][2]
    entries = audit.entries_for_payment(dd.tenant, payment["payment_id"])
    assert entries[-1].details["how"] == "late_failure"


def test_a_charge_back_before_the_record_records_nothing(dd):
    """Fickle's whole story arrives at once: collected and taken back before we looked."""
    dd.active_mandate("Fickle")
    payment = dd.collect("fickle").body
    dd.advance(5 * STEP)
    dd.flush()
    failed = dd.payment(payment["payment_id"])
    assert failed["status"] == "failed" and failed["failure"][0]["code"] == "charged_back"
    assert dd.xero_payments("fickle") == []


def test_a_partial_collection_leaves_the_rest_due(dd):
    dd.active_mandate("Successful")
    part = dd.collect("successful_part", body={"amount": "300.00"}).body
    assert part["amount"] == "300.00"
    dd.advance(4 * STEP)
    dd.flush()
    assert dd.amount_due("successful_part") == Decimal("450.00")
    assert dd.invoice("successful_part")["Status"] == "AUTHORISED"
    rest = dd.collect("successful_part").body  # no amount: what is due now
    assert rest["amount"] == "450.00"
    dd.advance(4 * STEP)
    dd.flush()
    assert dd.invoice("successful_part")["Status"] == "PAID"
    assert sorted(p["Amount"] for p in dd.xero_payments("successful_part")) == [
        Decimal("300.00"), Decimal("450.00"),
    ]  # fmt: skip


def test_the_same_key_is_the_same_collection(dd):
    dd.active_mandate("Successful")
    key = str(uuid.uuid4())
    first = dd.collect("successful", key=key)
    again = dd.collect("successful", key=key)
    assert again.status == 200 and again.headers.get("Idempotent-Replayed") == "true"
    assert again.body["payment_id"] == first.body["payment_id"]
    assert len(dd.sim_resources("payments")) == 1
    other = dd.collect("successful", key=key, body={"amount": "10.00"})
    assert other.status == 409  # the key was used for another collection


def test_a_lost_answer_then_a_retry_makes_one_gocardless_payment(dd):
    dd.active_mandate("Successful")
    answer = HTTP.post(f"{dd.sim.url}/_sim/faults", json={"kind": "lost_answer",
                       "path_prefix": "/payments", "method": "POST", "times": 3})  # fmt: skip
    assert answer.status_code == 201
    key = str(uuid.uuid4())
    first = dd.collect("successful", key=key)
    assert first.status == 503, first  # made or not, we cannot tell: retry with the key
    assert len(dd.sim_resources("payments")) == 1  # GoCardless did make it
    again = dd.collect("successful", key=key)
    assert again.status == 200, again
    assert again.body["status"] == "executing"
    [held] = dd.sim_resources("payments")
    assert again.body["rail_reference"] == held["id"]
    dd.advance(4 * STEP)
    dd.flush()
    assert len(dd.xero_payments("successful")) == 1


def test_gocardless_refusing_the_payment_fails_it_with_its_reasons(dd):
    mandate = dd.active_mandate("Successful")
    soonest = date.fromisoformat(mandate["next_possible_charge_date"])
    too_soon = (soonest - timedelta(days=1)).isoformat()
    key = str(uuid.uuid4())
    answer = dd.collect("successful", body={"charge_date": too_soon}, key=key)
    assert answer.status == 422, answer
    said, reason = answer.body["error"]["details"]
    assert said["message"].startswith("GoCardless refused the payment")
    assert reason["field"] == "charge_date" and "next_possible_charge_date" in reason["message"]
    assert dd.sim_resources("payments") == []
    failed = dd.payment(keys.payment_id_for(dd.tenant, key))
    assert failed["status"] == "failed" and dd.xero_payments("successful") == []
    on_time = dd.collect("successful", body={"charge_date": soonest.isoformat()})
    assert on_time.status == 200 and on_time.body["date"] == soonest.isoformat()
    [held] = dd.sim_resources("payments")
    assert held["charge_date"] == soonest.isoformat()


def test_what_can_be_collected(dd):
    no_mandate = dd.collect("successful")
    assert no_mandate.status == 422 and no_mandate.body["error"]["code"] == "mandate_required"
    dd.active_mandate("Successful")
    too_much = dd.collect("successful", body={"amount": "480.01"})
    assert too_much.status == 422
    assert dd.collect("successful", body={"amount": "1.505"}).status == 400  # cents only
    past = dd.collect("successful", body={"charge_date": "2020-01-01"})
    assert past.status == 422 and past.body["error"]["details"][0]["field"] == "charge_date"
    assert dd.collect("successful", key=None).status == 400  # Idempotency-Key
    bill = dd.collect("a3000000-0000-4000-8000-000000000101")  # a EUR bill
    assert bill.status == 422
    unknown = dd.collect("00000000-0000-4000-8000-00000000dead")
    assert unknown.status == 404
    assert dd.collect("successful", sub="mallory").status == 403
    assert dd.sim_resources("payments") == []
    first = dd.collect("successful", body={"amount": "400.00"})
    assert first.status == 200
    second = dd.collect("successful", body={"amount": "100.00"})  # 400 is under way
    assert second.status == 409, second
    assert len(dd.sim_resources("payments")) == 1


def test_the_reconciler_records_a_collection_whose_webhooks_were_lost(dd, monkeypatch):
    from datetime import UTC, datetime, timedelta

    from xero_bridge.rails import reconciler

    dd.active_mandate("Successful")
    payment = dd.collect("successful").body
    dd.advance(4 * STEP)
    dd.send()
    dd.recorder.take()  # lost on the way
    later = datetime.now(UTC) + timedelta(hours=1)
    done = reconciler.reconcile(later)
    assert done["gocardless"].count("recorded") == 1
    assert dd.payment(payment["payment_id"])["status"] == "recorded"
    assert len(dd.xero_payments("successful")) == 1


def test_above_the_threshold_nothing_is_collected_before_a_second_person_approves(dd, monkeypatch):
    from tests.events import call_handler, http_api_event
    from tests.fixtures.connected import Connected, _reset_all

    monkeypatch.setenv("PAYMENT_APPROVAL_THRESHOLD", "100.00")
    _reset_all()
    dd.active_mandate("Successful")
    waiting = dd.collect("successful")
    assert waiting.status == 202 and waiting.body["status"] == "pending_approval", waiting
    assert dd.sim_resources("payments") == []  # nothing at GoCardless yet
    payment_id = waiting.body["payment_id"]

    def approve(sub: str):
        path = f"/tenants/{dd.tenant}/payments/{payment_id}/approve"
        event = http_api_event(
            "POST", path, route_key="POST /tenants/{tenantId}/payments/{paymentId}/approve",
            path_parameters={"tenantId": dd.tenant, "paymentId": payment_id},
            headers={"idempotency-key": str(uuid.uuid4())},
            authorizer_context=Connected.context(sub, "payments:approve"),
        )  # fmt: skip
        return call_handler("payments", event)

    assert approve("alice")["statusCode"] == 403  # not the person who asked
    approved = approve("bob")
    assert approved["statusCode"] == 200, approved
    [held] = dd.sim_resources("payments")
    dd.advance(4 * STEP)
    dd.flush()
    assert dd.payment(payment_id)["status"] == "recorded"
    assert trail(dd, payment_id)[:3] == ["approval_requested", "approved", "executing"]
    assert held["amount"] == 48_000


def test_collections_confirmed_together_are_recorded_in_one_xero_call(dd):
    dd.active_mandate("Successful")
    first = dd.collect("successful").body
    second = dd.collect("successful_part").body
    dd.advance(4 * STEP)
    before = len(dd.connected.sim.call_log)
    [webhook] = dd.send()  # one webhook, both payments' events
    assert len(webhook["events"]) == 8
    dd.deliver()
    dd.work()
    puts = [c for c in dd.connected.sim.call_log[before:] if c[0] == "PUT" and "Payments" in c[1]]
    assert len(puts) == 1
    assert {dd.payment(p["payment_id"])["status"] for p in (first, second)} == {"recorded"}
