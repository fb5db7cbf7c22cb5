"""/payments and /refunds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint, Response

from ..domain.payments import cancel_payment, create_payment, retry_payment
from ..domain.refunds import create_refund
from ..errors import FieldErrors
from ..store import Record
from ..validation import envelope, metadata
from ..wire import field, link
from .common import action_data, answer, body, create_once, list_answer, update_metadata

if TYPE_CHECKING:
    from ..server import GoCardlessSimulator

STATUSES = (
    "pending_customer_approval",
    "pending_submission",
    "submitted",
    "confirmed",
    "paid_out",
    "cancelled",
    "customer_approval_denied",
    "failed",
    "charged_back",
)


def create_payments_blueprint(sim: GoCardlessSimulator) -> Blueprint:
    bp = Blueprint("payments", __name__)

    def customer_of(payment: Record) -> str | None:
        mandate = sim.store.get("mandates", payment["links"].get("mandate"))
        return mandate["links"]["customer"] if mandate else payment.get("_customer")

    @bp.post("/payments")
    def create() -> Response:
        data = envelope(body(), "payments")
        return create_once(sim, "payments", lambda: create_payment(sim, data))

    @bp.get("/payments")
    def index() -> Response:
        filters = {
            "mandate": link("mandate"),
            "customer": customer_of,
            "status": field("status"),
            "currency": field("currency"),
            "scheme": field("scheme"),
        }
        return list_answer(sim, "payments", filters, {"status": STATUSES})

    @bp.get("/payments/<payment_id>")
    def show(payment_id: str) -> Response:
        return answer("payments", sim.store.require("payments", payment_id))

    @bp.put("/payments/<payment_id>")
    def update(payment_id: str) -> Response:
        return update_metadata("payments", sim.store.require("payments", payment_id))

    @bp.post("/payments/<payment_id>/actions/cancel")
    def cancel(payment_id: str) -> Response:
        payment = sim.store.require("payments", payment_id)
        errors = FieldErrors("data")
        meta = metadata(errors, action_data())
        errors.raise_if_any()
        return answer("payments", cancel_payment(sim, payment, meta))

    @bp.post("/payments/<payment_id>/actions/retry")
    def retry(payment_id: str) -> Response:
        payment = sim.store.require("payments", payment_id)
        return answer("payments", retry_payment(sim, payment, action_data()))

    @bp.post("/refunds")
    def refund() -> Response:
        data = envelope(body(), "refunds")
        return create_once(sim, "refunds", lambda: create_refund(sim, data))

    @bp.get("/refunds")
    def refunds() -> Response:
        return list_answer(sim, "refunds", {"payment": link("payment"), "mandate": link("mandate")})

    @bp.get("/refunds/<refund_id>")
    def show_refund(refund_id: str) -> Response:
        return answer("refunds", sim.store.require("refunds", refund_id))

    return bp
