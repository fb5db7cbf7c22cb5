"""Mandates: created on a customer bank account, submitted, activated, cancelled."""

from __future__ import annotations

import secrets

from ..context import Sim
from ..errors import FieldErrors, invalid_state
from ..ids import ALPHABET
from ..schemes import SCHEMES
from ..store import Record
from ..validation import metadata, text
from ..wire import new_resource

USABLE = ("pending_customer_approval", "pending_submission", "submitted", "active")
CANCELLABLE = (*USABLE, "suspended_by_payer")


def create_mandate(sim: Sim, data: Record, origin: str = "api") -> Record:
    """`data` as POST /mandates takes it: links.customer_bank_account, scheme?, reference?,
    metadata? (a billing request's fulfilment passes the same)."""
    errors = FieldErrors("mandates")
    links = data.get("links") if isinstance(data.get("links"), dict) else {}
    account_id = (links or {}).get("customer_bank_account")
    if not account_id:
        errors.add("links.customer_bank_account", "is required")
    reference = text(errors, data, "reference", max_length=35)
    meta = metadata(errors, data)
    scheme = data.get("scheme")
    if scheme is not None and scheme not in SCHEMES:
        errors.add("scheme", "is not supported by this creditor")
    errors.raise_if_any()
    account = sim.store.require("customer_bank_accounts", account_id)
    if not account["enabled"]:
        raise invalid_state("bank_account_disabled", "The customer bank account is disabled")
    if scheme is not None and scheme != account["_scheme"]:
        errors.add("scheme", f"does not match the bank account (a {account['_scheme']} account)")
        errors.raise_if_any()
    now = sim.clock.now()
    mandate = new_resource(
        "mandates",
        now,
        {
            "reference": reference or "SIM-" + "".join(secrets.choice(ALPHABET) for _ in range(10)),
            "status": "pending_submission",
            "scheme": account["_scheme"],
            "next_possible_charge_date": None,
            "payments_require_approval": False,
            "authorisation_source": data.get("authorisation_source"),
            "consent_type": None,
            "funds_settlement": "managed",
            "verified_at": None,
            "metadata": meta,
            "links": {
                "customer_bank_account": account["id"],
                "creditor": sim.config.creditor_id,
                "customer": account["links"]["customer"],
            },
        },
    )
    mandate["next_possible_charge_date"] = sim.lifecycle.next_charge_date(mandate, now)
    sim.store.add("mandates", mandate)
    sim.events.record("mandates", "created", mandate, now, origin=origin)
    sim.lifecycle.plan_mandate(mandate, now)
    return mandate


def cancel_mandate(sim: Sim, mandate: Record, meta: dict[str, str]) -> Record:
    if mandate["status"] not in CANCELLABLE:
        raise invalid_state("cancellation_failed", "Mandate not cancellable in its current state")
    now = sim.clock.now()
    mandate["status"] = "cancelled"
    sim.lifecycle.drop_plan(mandate)
    sim.events.record("mandates", "cancelled", mandate, now, origin="api", metadata=meta)
    # Payments not yet at the banks go with it; submitted ones are collected all the same.
    for payment in sim.store.all("payments"):
        if payment["links"].get("mandate") != mandate["id"]:
            continue
        if payment["status"] in ("pending_submission", "pending_customer_approval"):
            payment["status"] = "cancelled"
            sim.lifecycle.drop_plan(payment)
            sim.events.record(
                "payments",
                "cancelled",
                payment,
                now,
                origin="api",
                because=(
                    "mandate_cancelled",
                    "The mandate for this payment was cancelled at your request.",
                ),
            )
    return mandate
