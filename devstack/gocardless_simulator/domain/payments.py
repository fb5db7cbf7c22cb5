"""Payments: collected against a mandate, cancelled before submission, retried after failing."""

from __future__ import annotations

from datetime import date

from ..context import Sim
from ..errors import FieldErrors, invalid_state
from ..schemes import SCHEMES
from ..store import Record
from ..validation import amount, charge_date, links, metadata, text
from ..wire import new_resource, no_fx
from .mandates import USABLE

CANCELLABLE = ("pending_submission", "pending_customer_approval")


def _usable_mandate(sim: Sim, mandate_id: str | None) -> Record:
    mandate = sim.store.require("mandates", mandate_id)
    if mandate["status"] not in USABLE:
        raise invalid_state(
            "mandate_is_inactive",
            f"The mandate is {mandate['status']}: payments cannot be created against it",
        )
    return mandate


def _charge_date(
    errors: FieldErrors, wanted: date | None, mandate: Record, now: float, sim: Sim
) -> str:
    earliest = sim.lifecycle.next_charge_date(mandate, now)
    if wanted is None:
        return earliest
    if wanted.isoformat() < earliest:
        errors.add("charge_date", "must be on or after mandate's next_possible_charge_date")
    return wanted.isoformat()


def create_payment(sim: Sim, data: Record) -> Record:
    errors = FieldErrors("payments")
    value = amount(errors, data)
    currency = text(errors, data, "currency", required=True, max_length=3)
    wanted = charge_date(errors, data)
    description = text(errors, data, "description")
    reference = text(errors, data, "reference", max_length=140)
    meta = metadata(errors, data)
    retry = data.get("retry_if_possible", False)
    if not isinstance(retry, bool):
        errors.add("retry_if_possible", "must be true or false")
    mandate_id = links(data).get("mandate")
    if not mandate_id:
        errors.add("links.mandate", "is required")
    errors.raise_if_any()
    mandate = _usable_mandate(sim, mandate_id)
    scheme = SCHEMES[mandate["scheme"]]
    if currency != scheme.currency:
        errors.add("currency", f"must be {scheme.currency} for a {scheme.name} mandate")
    now = sim.clock.now()
    day = _charge_date(errors, wanted, mandate, now, sim)
    errors.raise_if_any()
    assert value is not None and currency is not None
    return open_payment(
        sim,
        now,
        mandate,
        charge_date=day,
        amount=value,
        description=description,
        currency=currency,
        reference=reference,
        metadata=meta,
        retry_if_possible=retry,
        scheme=scheme.name,
    )


def open_payment(
    sim: Sim,
    now: float,
    mandate: Record | None,
    *,
    charge_date: str,
    amount: int,
    description: str | None,
    currency: str,
    reference: str | None,
    metadata: dict[str, str],
    retry_if_possible: bool,
    scheme: str,
    customer: str | None = None,
) -> Record:
    """Stores a new payment pending submission, records its `created` event and plans its
    way to the banks; `mandate` None is an Instant Bank Payment, for `customer`."""
    mandate_link = {"mandate": mandate["id"]} if mandate else {}
    payment = new_resource(
        "payments",
        now,
        {
            "charge_date": charge_date,
            "amount": amount,
            "description": description,
            "currency": currency,
            "status": "pending_submission",
            "reference": reference,
            "metadata": metadata,
            "amount_refunded": 0,
            "retry_if_possible": retry_if_possible,
            "scheme": scheme,
            "faster_ach": False,
            "fx": no_fx(),
            "links": {**mandate_link, "creditor": sim.config.creditor_id},
            "_retries": 0,
            "_customer": customer,
        },
    )
    sim.store.add("payments", payment)
    sim.events.record("payments", "created", payment, now, origin="api")
    sim.lifecycle.plan_payment(payment, mandate, now)
    return payment


def cancel_payment(sim: Sim, payment: Record, meta: dict[str, str]) -> Record:
    if payment["status"] not in CANCELLABLE:
        raise invalid_state(
            "cancellation_failed",
            f"This payment is {payment['status']}: only payments not yet submitted to the "
            "banks can be cancelled",
        )
    now = sim.clock.now()
    payment["status"] = "cancelled"
    sim.lifecycle.drop_plan(payment)
    sim.events.record("payments", "cancelled", payment, now, origin="api", metadata=meta)
    return payment


def retry_payment(sim: Sim, payment: Record, data: Record) -> Record:
    errors = FieldErrors("payments")
    wanted = charge_date(errors, data)
    meta = metadata(errors, data)
    errors.raise_if_any()
    if payment["status"] != "failed":
        raise invalid_state("retry_failed", "Only a failed payment can be retried")
    if payment["_retries"] >= sim.config.max_payment_retries:
        raise invalid_state(
            "retry_failed",
            f"A payment can be retried at most {sim.config.max_payment_retries} times",
        )
    mandate = _usable_mandate(sim, payment["links"]["mandate"])
    now = sim.clock.now()
    day = _charge_date(errors, wanted, mandate, now, sim)
    errors.raise_if_any()
    payment["_retries"] += 1
    payment["status"] = "pending_submission"
    payment["charge_date"] = day
    sim.events.record(
        "payments", "resubmission_requested", payment, now, origin="api", metadata=meta
    )
    sim.lifecycle.plan_payment(payment, mandate, now)
    return payment
