"""Fulfilling a billing request (creating the mandate and payment asked for), cancelling one."""

from __future__ import annotations

from ..context import Sim
from ..errors import invalid_state
from ..ids import new_id
from ..store import Record
from ..wire import iso
from .billing import refresh, require_open
from .mandates import create_mandate
from .payments import create_payment


def fulfil(sim: Sim, request: Record, origin: str) -> Record:
    if request["status"] != "ready_to_fulfil":
        pending = [
            a["type"] for a in request["actions"] if a["required"] and a["status"] != "completed"
        ]
        raise invalid_state(
            "billing_request_not_ready_to_fulfil",
            f"This billing request is {request['status']}"
            + (": these actions are still pending: " + ", ".join(pending) if pending else ""),
        )
    result_links: dict[str, str] = {}
    mandate = None
    if request["mandate_request"]:
        wanted = request["mandate_request"]
        mandate = create_mandate(
            sim,
            {
                "links": {"customer_bank_account": request["links"]["customer_bank_account"]},
                "scheme": wanted["scheme"],
                "metadata": wanted["metadata"],
            },
        )
        wanted["links"]["mandate"] = mandate["id"]
        result_links["mandate_request_mandate"] = mandate["id"]
    if request["payment_request"]:
        payment = _requested_payment(sim, request, mandate)
        request["payment_request"]["links"]["payment"] = payment["id"]
        result_links["payment_request_payment"] = payment["id"]
    request["links"].update(result_links)
    request["status"] = "fulfilled"
    refresh(sim, request)
    links_out = {"customer": request["links"]["customer"], **result_links}
    sim.events.record(
        "billing_requests", "fulfilled", request, sim.clock.now(), origin=origin, links=links_out
    )
    return request


def _requested_payment(sim: Sim, request: Record, mandate: Record | None) -> Record:
    wanted = request["payment_request"]
    if mandate is not None:
        # Collected on the new mandate, as the mandate's first payment.
        return create_payment(
            sim,
            {
                "amount": wanted["amount"],
                "currency": wanted["currency"],
                "description": wanted["description"],
                "metadata": wanted["metadata"],
                "links": {"mandate": mandate["id"]},
            },
        )
    now = sim.clock.now()
    payment: Record = {
        "id": new_id("payments"),
        "created_at": iso(now),
        "charge_date": sim.clock.today().isoformat(),
        "amount": wanted["amount"],
        "description": wanted["description"],
        "currency": wanted["currency"],
        "status": "pending_submission",
        "reference": None,
        "metadata": wanted["metadata"],
        "amount_refunded": 0,
        "retry_if_possible": False,
        "scheme": wanted["scheme"],
        "faster_ach": False,
        "fx": {
            "fx_currency": None,
            "fx_amount": None,
            "exchange_rate": None,
            "estimated_exchange_rate": None,
        },
        "links": {"creditor": sim.config.creditor_id},
        "_created": now,
        "_retries": 0,
        "_customer": request["links"]["customer"],
    }
    sim.store.add("payments", payment)
    sim.events.record("payments", "created", payment, now, origin="api")
    sim.lifecycle.plan_payment(payment, None, now)
    return payment


def cancel(sim: Sim, request: Record, meta: dict[str, str]) -> Record:
    require_open(request)
    request["status"] = "cancelled"
    refresh(sim, request)
    sim.events.record(
        "billing_requests", "cancelled", request, sim.clock.now(), origin="api", metadata=meta
    )
    return request
