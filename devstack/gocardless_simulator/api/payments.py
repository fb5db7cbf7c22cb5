"""/payments and /refunds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint, Response

from ..domain.payments import cancel_payment, create_payment, retry_payment
from ..domain.refunds import create_refund
from ..store import Record
from ..wire import exact_filters
from .common import ResourceRoutes, action_data, answer

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

    filters = {
        **exact_filters(fields=("status", "currency", "scheme"), links=("mandate",)),
        "customer": customer_of,
    }
    payments = ResourceRoutes(bp, sim, "payments")
    payments.standard(filters, {"status": STATUSES}, create=create_payment)
    payments.update_metadata()
    payments.cancel(cancel_payment)
    refunds = ResourceRoutes(bp, sim, "refunds")
    refunds.standard(exact_filters(links=("payment", "mandate")), create=create_refund)

    @bp.post("/payments/<payment_id>/actions/retry")
    def retry(payment_id: str) -> Response:
        payment = sim.store.require("payments", payment_id)
        return answer("payments", retry_payment(sim, payment, action_data()))

    return bp
