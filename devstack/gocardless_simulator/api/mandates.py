"""/mandates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint, Response

from ..domain.mandates import USABLE, cancel_mandate, create_mandate
from ..errors import FieldErrors
from ..validation import envelope, metadata
from ..wire import field, link
from .common import action_data, answer, body, create_once, list_answer, update_metadata

if TYPE_CHECKING:
    from ..server import GoCardlessSimulator

STATUSES = (
    "pending_customer_approval",
    "pending_submission",
    "submitted",
    "active",
    "suspended_by_payer",
    "failed",
    "cancelled",
    "expired",
    "consumed",
    "blocked",
)


def create_mandates_blueprint(sim: GoCardlessSimulator) -> Blueprint:
    bp = Blueprint("mandates", __name__)

    @bp.before_request
    def keep_charge_dates_current() -> None:
        """GoCardless keeps `next_possible_charge_date` moving with the calendar."""
        now = sim.clock.now()
        for mandate in sim.store.all("mandates"):
            usable = mandate["status"] in USABLE
            mandate["next_possible_charge_date"] = (
                sim.lifecycle.next_charge_date(mandate, now) if usable else None
            )

    @bp.post("/mandates")
    def create() -> Response:
        data = envelope(body(), "mandates")
        return create_once(sim, "mandates", lambda: create_mandate(sim, data))

    @bp.get("/mandates")
    def index() -> Response:
        filters = {
            "customer": link("customer"),
            "customer_bank_account": link("customer_bank_account"),
            "status": field("status"),
            "scheme": field("scheme"),
            "reference": field("reference"),
        }
        return list_answer(sim, "mandates", filters, {"status": STATUSES})

    @bp.get("/mandates/<mandate_id>")
    def show(mandate_id: str) -> Response:
        return answer("mandates", sim.store.require("mandates", mandate_id))

    @bp.put("/mandates/<mandate_id>")
    def update(mandate_id: str) -> Response:
        return update_metadata("mandates", sim.store.require("mandates", mandate_id))

    @bp.post("/mandates/<mandate_id>/actions/cancel")
    def cancel(mandate_id: str) -> Response:
        mandate = sim.store.require("mandates", mandate_id)
        errors = FieldErrors("data")
        meta = metadata(errors, action_data())
        errors.raise_if_any()
        return answer("mandates", cancel_mandate(sim, mandate, meta))

    return bp
