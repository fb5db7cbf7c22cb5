"""/events: everything that happened, newest first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint

from ..wire import exact_filters
from .common import ResourceRoutes

if TYPE_CHECKING:
    from ..server import GoCardlessSimulator

RESOURCE_TYPES = (
    "billing_requests",
    "creditors",
    "customers",
    "instalment_schedules",
    "mandates",
    "payer_authorisations",
    "payments",
    "payouts",
    "refunds",
    "scheme_identifiers",
    "subscriptions",
)
FILTERS = exact_filters(
    fields=("resource_type", "action"),
    links=("payment", "mandate", "billing_request", "refund", "customer"),
)


def create_events_blueprint(sim: GoCardlessSimulator) -> Blueprint:
    bp = Blueprint("events", __name__)
    events = ResourceRoutes(bp, sim, "events")
    events.standard(FILTERS, {"resource_type": RESOURCE_TYPES})
    return bp
