"""/mandates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint

from ..domain.mandates import USABLE, cancel_mandate, create_mandate
from ..wire import exact_filters
from .common import ResourceRoutes

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
FILTERS = exact_filters(
    fields=("status", "scheme", "reference"), links=("customer", "customer_bank_account")
)


def create_mandates_blueprint(sim: GoCardlessSimulator) -> Blueprint:
    bp = Blueprint("mandates", __name__)
    mandates = ResourceRoutes(bp, sim, "mandates")
    mandates.standard(FILTERS, {"status": STATUSES}, create=create_mandate)
    mandates.update_metadata()
    mandates.cancel(cancel_mandate)

    @bp.before_request
    def keep_charge_dates_current() -> None:
        """GoCardless keeps `next_possible_charge_date` moving with the calendar."""
        now = sim.clock.now()
        for mandate in sim.store.all("mandates"):
            usable = mandate["status"] in USABLE
            mandate["next_possible_charge_date"] = (
                sim.lifecycle.next_charge_date(mandate, now) if usable else None
            )

    return bp
