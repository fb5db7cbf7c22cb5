"""/events: everything that happened, newest first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint, Response

from ..wire import field, link
from .common import answer, list_answer

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


def create_events_blueprint(sim: GoCardlessSimulator) -> Blueprint:
    bp = Blueprint("events", __name__)

    @bp.get("/events")
    def index() -> Response:
        filters = {
            "resource_type": field("resource_type"),
            "action": field("action"),
            **{name: link(name) for name in ("payment", "mandate", "billing_request", "refund")},
            "customer": link("customer"),
        }
        return list_answer(sim, "events", filters, {"resource_type": RESOURCE_TYPES})

    @bp.get("/events/<event_id>")
    def show(event_id: str) -> Response:
        return answer("events", sim.store.require("events", event_id))

    return bp
