"""Payments by outcome in the metrics (EMF), and the rail seam: a money-moving rail plugs in
without any change to the payment actions."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from devstack.xero_simulator import seed
from tests.integration.payments.test_payments import body, writes
from xero_bridge import rails
from xero_bridge.payments import execute
from xero_bridge.payments.xero_gateway import XeroPayments
from xero_bridge.persistence import audit
from xero_bridge.persistence import payments as store
from xero_bridge.persistence.payments import PaymentRecord
from xero_bridge.rails.base import RailCheck, RailOutcome
from xero_bridge.rails.xero_record import record_in_xero


def emf_blobs(out: str) -> list[dict[str, Any]]:
    """The EMF documents (metrics) among a run's stdout lines."""
    return [json.loads(line) for line in out.splitlines() if line.startswith('{"_aws"')]


def test_a_recorded_payment_is_counted_by_outcome(pay, capsys):
    capsys.readouterr()
    assert pay("POST", body=body()).status == 201
    [blob] = emf_blobs(capsys.readouterr().out)
    [directive] = blob["_aws"]["CloudWatchMetrics"]
    assert directive["Namespace"] == "XeroBridgeTests"
    assert {m["Name"]: m["Unit"] for m in directive["Metrics"]} == {
        "PaymentsSubmitted": "Count",
        "PaymentsRecorded": "Count",
        "XeroCalls": "Count",  # the shared client counts what it sends
    }
    assert blob["PaymentsSubmitted"] == blob["PaymentsRecorded"] == [1.0]
    assert sum(blob["XeroCalls"]) == 3  # the invoice, the accounts, PUT /Payments

    assert pay("GET").status == 200  # a read moves nothing and counts no payment
    assert not any(
        name.startswith("Payments") for blob in emf_blobs(capsys.readouterr().out) for name in blob
    )


def test_a_batch_counts_each_payment_once(pay, capsys):
    items = [body(amount="1.00"), body(amount="2.00"), body(invoice_id=seed.A_INVOICE_DRAFT_ID)]
    capsys.readouterr()
    answer = pay("POST", "/batch", body={"payments": items})
    assert answer.body["summary"] == {"recorded": 2, "failed": 1}
    [blob] = emf_blobs(capsys.readouterr().out)
    # The draft invoice is refused by the books before it is stored: not a payment at all.
    assert blob["PaymentsSubmitted"] == blob["PaymentsRecorded"] == [1.0, 1.0]
    assert "PaymentsFailed" not in blob


class FakeTransfers:
    """A money-moving rail as the next issues will add one: the provider takes the transfer
    (``executing``) and later says the money moved (``settled``)."""

    name = "fake_transfer"
    title = "Fake transfer"
    moves_money = True

    def __init__(self, xero: XeroPayments) -> None:
        self.xero = xero

    def check(self, checked: Any) -> RailCheck:
        return RailCheck(details={"payee_verification": "MATCH"})

    def preflight(self, payments: Sequence[PaymentRecord]) -> None:
        return None

    def execute(self, payments: Sequence[PaymentRecord]) -> list[RailOutcome]:
        return [
            RailOutcome(
                state="executing", rail_status="ACCEPTED", rail_reference=f"tr-{p.payment_id}"
            )
            for p in payments
        ]

    def confirm(self, payment: PaymentRecord, factor: str) -> RailOutcome:
        raise NotImplementedError

    def refresh(self, payments: Sequence[PaymentRecord]) -> dict[str, RailOutcome]:
        return {
            p.payment_id: RailOutcome(state="settled", rail_status="EXECUTED") for p in payments
        }


def test_a_money_moving_rail_plugs_in_and_xero_is_recorded_only_after_settlement(
    pay, connected, monkeypatch
):
    monkeypatch.setitem(rails.RAILS, FakeTransfers.name, FakeTransfers)
    answer = pay("POST", body=body(rail="fake_transfer"))
    assert answer.status == 200, answer  # taken by the provider, not yet recorded
    payment_id = answer.body["payment_id"]
    assert answer.body["status"] == "executing"
    assert answer.body["rail"] == "fake_transfer"
    assert answer.body["rail_status"] == "ACCEPTED"
    assert answer.body["rail_reference"] == f"tr-{payment_id}"
    assert writes(connected) == 0  # Xero is not told before the money moved

    # What a callback or the reconciler will do: re-read the provider, then record in Xero once.
    record = store.get(connected.tenant_a, payment_id)
    assert record is not None
    xero = XeroPayments(connected.tenant_a)
    rail = rails.rail_for(record.rail, xero)
    settled = execute.apply(record, rail.refresh([record])[payment_id], "reconciler")
    assert settled.status == "settled" and settled.rail_status == "EXECUTED"
    [outcome] = record_in_xero([settled], xero)
    recorded = execute.apply(settled, outcome, "reconciler")
    assert recorded.status == "recorded"
    [created] = connected.sim.created("Payments")
    assert recorded.xero_payment_id == created["PaymentID"].lower()

    entries = audit.entries_for_payment(connected.tenant_a, payment_id)
    assert [e.action for e in entries] == ["submitted", "executing", "settled", "recorded"]
    assert entries[0].details == {"payee_verification": "MATCH"}  # the rail's check, kept
    shown = pay("GET", f"/{payment_id}", payment_id=payment_id)
    assert shown.body["status"] == "recorded" and shown.body["rail_status"] == "EXECUTED"
