"""Fulfilling a billing request (creating the mandate and payment asked for), cancelling one."""

from __future__ import annotations

from ..context import Sim
from ..errors import invalid_state
from ..store import Record
from .billing import refresh, require_open
from .mandates import create_mandate
from .payments import create_payment, open_payment


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
    return open_payment(
        sim,
        sim.clock.now(),
        None,
        charge_date=sim.clock.today().isoformat(),
        amount=wanted["amount"],
        description=wanted["description"],
        currency=wanted["currency"],
        reference=None,
        metadata=wanted["metadata"],
        retry_if_possible=False,
        scheme=wanted["scheme"],
        customer=request["links"]["customer"],
    )


def cancel(sim: Sim, request: Record, meta: dict[str, str]) -> Record:
    require_open(request)
    request["status"] = "cancelled"
    refresh(sim, request)
    sim.events.record(
        "billing_requests", "cancelled", request, sim.clock.now(), origin="api", metadata=meta
    )
    return request
