"""/scenario_simulators/{id}/actions/run: the sandbox's API-triggered scenarios, for the
outcomes the customer-name scenarios do not reach (a late failure settled, a chargeback
settled, a mandate that fails). They run at once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint, Response

from ..errors import FieldErrors, invalid_state, resource_not_found
from ..schemes import SCHEMES
from ..validation import links
from .common import action_data, answer

if TYPE_CHECKING:
    from ..server import GoCardlessSimulator

COLLECTED = ("submitted", "confirmed", "paid_out")
# id -> (resource kind, statuses it may start from, the steps it walks)
SIMULATORS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "payment_submitted": ("payments", ("pending_submission",), ("submitted",)),
    "payment_confirmed": ("payments", ("pending_submission",), ("submitted", "confirmed")),
    "payment_paid_out": ("payments", ("pending_submission",), COLLECTED),
    "payment_failed": ("payments", ("pending_submission",), ("submitted", "failed")),
    "payment_charged_back": ("payments", ("pending_submission",), (*COLLECTED, "charged_back")),
    "payment_chargeback_settled": (
        "payments",
        ("pending_submission",),
        (*COLLECTED, "charged_back", "chargeback_settled"),
    ),
    "payment_late_failure": (
        "payments",
        ("pending_submission", "paid_out"),
        (*COLLECTED, "failed"),
    ),
    "payment_late_failure_settled": (
        "payments",
        ("pending_submission", "paid_out"),
        (*COLLECTED, "failed", "late_failure_settled"),
    ),
    "mandate_activated": ("mandates", ("pending_submission",), ("submitted", "active")),
    "mandate_failed": ("mandates", ("pending_submission", "submitted"), ("failed",)),
    "refund_paid": ("refunds", ("pending_submission", "submitted"), ("paid",)),
}


def create_scenarios_blueprint(sim: GoCardlessSimulator) -> Blueprint:
    bp = Blueprint("scenarios", __name__)

    @bp.post("/scenario_simulators/<simulator_id>/actions/run")
    def run(simulator_id: str) -> Response:
        if simulator_id not in SIMULATORS:
            raise resource_not_found()
        kind, starts, steps = SIMULATORS[simulator_id]
        errors = FieldErrors("data")
        resource_id = links(action_data()).get("resource")
        if not resource_id:
            errors.add("links.resource", "is required")
        errors.raise_if_any()
        record = sim.store.require(kind, resource_id)
        if kind == "payments" and record["scheme"] not in SCHEMES:
            raise invalid_state("invalid_state", f"{simulator_id} is for Direct Debit payments")
        if record["status"] not in starts:
            raise invalid_state(
                "invalid_state",
                f"{simulator_id} needs a resource that is {' or '.join(starts)}, "
                f"not {record['status']}",
            )
        now = sim.clock.now()
        sim.lifecycle.schedule(kind, record, [(step, now) for step in steps])
        sim.lifecycle.run_due(now)
        return answer("scenario_simulators", {"id": simulator_id})

    return bp
