"""Refunds of collected payments (the amount back to the customer, at most what was paid)."""

from __future__ import annotations

from ..context import Sim
from ..errors import FieldErrors, invalid_state
from ..store import Record
from ..validation import amount, links, metadata, text
from ..wire import new_resource, no_fx

REFUNDABLE = ("confirmed", "paid_out")


def create_refund(sim: Sim, data: Record) -> Record:
    errors = FieldErrors("refunds")
    value = amount(errors, data)
    confirmation = amount(errors, data, "total_amount_confirmation")
    reference = text(errors, data, "reference", max_length=140)
    meta = metadata(errors, data)
    payment_id = links(data).get("payment")
    if not payment_id:
        errors.add("links.payment", "is required")
    errors.raise_if_any()
    payment = sim.store.require("payments", payment_id)
    if payment["status"] not in REFUNDABLE:
        raise invalid_state(
            "refund_payment_invalid_state",
            f"This payment is {payment['status']}: only collected payments can be refunded",
        )
    assert value is not None
    total = payment["amount_refunded"] + value
    if total > payment["amount"]:
        errors.add("amount", "exceeds the amount of the payment not yet refunded")
    if confirmation != total:
        # GoCardless's guard against sending the same refund twice.
        errors.add("total_amount_confirmation", "does not match the total amount refunded")
    errors.raise_if_any()
    now = sim.clock.now()
    payment["amount_refunded"] = total
    refund = new_resource(
        "refunds",
        now,
        {
            "amount": value,
            "currency": payment["currency"],
            "reference": reference,
            "status": "pending_submission",
            "metadata": meta,
            "fx": no_fx(),
            "links": {"payment": payment["id"], "mandate": payment["links"]["mandate"]},
        },
    )
    sim.store.add("refunds", refund)
    sim.events.record("refunds", "created", refund, now, origin="api")
    sim.lifecycle.plan_refund(refund, now)
    return refund
