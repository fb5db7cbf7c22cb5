"""Recording collected payments in Xero once when two workers get to them at the same time
(a webhook batch and the reconciler, two batches of one redelivered webhook): their batches
differ, so Xero's idempotency key cannot tell them apart — our claim on each payment does."""

from __future__ import annotations

import contextlib
import threading
from decimal import Decimal
from typing import Any

import pytest

from devstack.xero_simulator.seed_direct_debit import EUR_INVOICES
from xero_bridge.payments import execute
from xero_bridge.payments.xero_gateway import XeroPayments
from xero_bridge.persistence import payments as store
from xero_bridge.persistence.payments import PaymentRecord
from xero_bridge.rails.gocardless import webhooks

from .conftest import STEP


def _settled_not_recorded(dd, monkeypatch: pytest.MonkeyPatch) -> list[PaymentRecord]:
    """Two part collections GoCardless says are collected, Xero not reached yet (a part, so
    Xero would take the same payment twice: more is due)."""
    dd.active_mandate("Successful")
    ids = [dd.collect(name, body={"amount": "100.00"}).body["payment_id"]
           for name in ("successful", "successful_part")]  # fmt: skip
    dd.advance(4 * STEP)
    with monkeypatch.context() as later:
        later.setattr(webhooks, "record_settled", lambda records, xero, actor: {})
        assert dd.flush()["failed"] == []
    records = [store.get(dd.tenant, payment_id) for payment_id in ids]
    assert [r.status if r else None for r in records] == ["settled", "settled"]
    return [r for r in records if r is not None]


def _both_look_first(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whoever looks at Xero waits (a little) for the other to have looked too."""
    looked = threading.Barrier(2, timeout=2)
    real = execute.find_in_xero

    def find_then_wait(records: Any, xero: XeroPayments) -> Any:
        found = real(records, xero)
        with contextlib.suppress(threading.BrokenBarrierError):  # the other had nothing to do
            looked.wait()
        return found

    monkeypatch.setattr(execute, "find_in_xero", find_then_wait)


def test_two_workers_at_once_record_a_collected_payment_once(dd, monkeypatch):
    first, second = _settled_not_recorded(dd, monkeypatch)
    _both_look_first(monkeypatch)
    xero = XeroPayments(dd.tenant)
    workers = [
        threading.Thread(target=execute.record_settled, args=(batch, xero, "provider-callback"))
        for batch in ([first, second], [first])  # a webhook's batch, the reconciler's
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)

    assert len(dd.xero_payments("successful")) == 1
    assert len(dd.xero_payments("successful_part")) == 1
    assert {dd.payment(r.payment_id)["status"] for r in (first, second)} == {"recorded"}
    assert dd.amount_due("successful") == EUR_INVOICES["successful"][2] - Decimal("100.00")


def test_a_payment_left_settled_by_xero_is_claimed_again_at_once(dd, monkeypatch):
    first, _ = _settled_not_recorded(dd, monkeypatch)
    xero = XeroPayments(dd.tenant)
    with monkeypatch.context() as down:
        down.setattr(execute, "record_in_xero", _xero_unavailable)
        assert execute.record_settled([first], xero, "reconciler") == {}
    assert dd.payment(first.payment_id)["status"] == "settled"  # and no claim held on it
    done = execute.record_settled([first], xero, "reconciler")
    assert done[first.payment_id].status == "recorded"
    assert len(dd.xero_payments("successful")) == 1


def _xero_unavailable(records: Any, xero: Any) -> Any:
    from xero_bridge.errors import ServiceUnavailableError

    raise ServiceUnavailableError("Xero is unavailable")
