"""How mandates, payments and refunds move on over simulated time.

Each resource gets a plan: steps ("submitted", "confirmed", …) due at simulator times. The
plan depends on the customer's given name, GoCardless's sandbox scenarios: "Successful",
"Penniless", "Fickle" and "Late" move one `scenario_step` at a time ("almost instantly");
anyone else follows the banks' calendar (submission before the charge date, confirmation
the day after it, pay-out a day later). Due steps run in time order, each stamping its event
with the moment it was due, whenever a request arrives, the clock is advanced, or the
background ticker wakes.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from devstack import demo_data

from .config import DAY, GoCardlessConfig
from .events import EventLog
from .schemes import SCHEMES
from .store import Record, Store

SCENARIOS = demo_data.GOCARDLESS_SCENARIOS
PAYMENT_PLANS: dict[str | None, tuple[str, ...]] = {
    None: ("submitted", "confirmed", "paid_out"),
    "Successful": ("submitted", "confirmed", "paid_out"),
    "Penniless": ("submitted", "failed"),
    "Fickle": ("submitted", "confirmed", "paid_out", "charged_back"),
    "Late": ("submitted", "confirmed", "failed"),
}
# Each payment step: the statuses it may start from, and the status it leaves.
PAYMENT_STEPS: dict[str, tuple[tuple[str, ...], str]] = {
    "submitted": (("pending_submission",), "submitted"),
    "confirmed": (("submitted",), "confirmed"),
    "paid_out": (("confirmed",), "paid_out"),
    "failed": (("submitted", "confirmed", "paid_out"), "failed"),
    "charged_back": (("confirmed", "paid_out"), "charged_back"),
    "late_failure_settled": (("failed",), "failed"),
    "chargeback_settled": (("charged_back",), "charged_back"),
}
MANDATE_STEPS: dict[str, tuple[tuple[str, ...], str]] = {
    "submitted": (("pending_submission",), "submitted"),
    "active": (("submitted",), "active"),
    "failed": (("pending_submission", "submitted"), "failed"),
}
REFUND_STEPS: dict[str, tuple[tuple[str, ...], str]] = {"paid": (("pending_submission",), "paid")}
STEPS = {"mandates": MANDATE_STEPS, "payments": PAYMENT_STEPS, "refunds": REFUND_STEPS}


@dataclass(order=True)
class Step:
    due: float
    seq: int
    kind: str = field(compare=False)
    resource_id: str = field(compare=False)
    action: str = field(compare=False)
    plan: int = field(compare=False)  # a replanned resource drops its older steps


def midnight(day: date) -> float:
    return datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()


class Lifecycle:
    def __init__(
        self, store: Store, events: EventLog, config: Callable[[], GoCardlessConfig]
    ) -> None:
        self.store = store
        self.events = events
        self.config = config
        self._heap: list[Step] = []
        self._seq = itertools.count()

    def reset(self) -> None:
        self._heap = []

    # --- planning ------------------------------------------------------------------------

    def scenario(self, resource: Record) -> str | None:
        """The sandbox scenario of the customer behind a mandate, payment or refund."""
        links = resource.get("links") or {}
        mandate = self.store.get("mandates", links.get("mandate")) or resource
        customer_id = resource.get("_customer") or (mandate.get("links") or {}).get("customer")
        customer = self.store.get("customers", customer_id)
        name = (customer or {}).get("given_name")
        return name if name in SCENARIOS else None

    def schedule(self, kind: str, record: Record, steps: list[tuple[str, float]]) -> None:
        """Replaces the record's plan with these (action, due) steps."""
        record["_plan"] = record.get("_plan", 0) + 1
        for action, due in steps:
            step = Step(due, next(self._seq), kind, record["id"], action, record["_plan"])
            heapq.heappush(self._heap, step)

    def drop_plan(self, record: Record) -> None:
        record["_plan"] = record.get("_plan", 0) + 1

    def plan_mandate(self, mandate: Record, now: float) -> None:
        config = self.config()
        if self.scenario(mandate):
            submit, activate = now + config.scenario_step, now + 2 * config.scenario_step
        else:
            submit = now + config.mandate_submission_delay
            activate = submit + config.mandate_activation_delay
        mandate["_submit_due"] = submit
        self.schedule("mandates", mandate, [("submitted", submit), ("active", activate)])

    def plan_payment(self, payment: Record, mandate: Record | None, now: float) -> None:
        """`mandate` None: an Instant Bank Payment, settled within moments."""
        config = self.config()
        scenario = self.scenario(mandate) if mandate else None
        actions = PAYMENT_PLANS[scenario]
        # A payment goes to the banks with (or after) its mandate.
        pending = mandate is not None and mandate["status"] == "pending_submission"
        not_before = mandate.get("_submit_due", now) if pending and mandate else now
        if scenario or mandate is None:
            start = max(now, not_before)
            dues = [start + (i + 1) * config.scenario_step for i in range(len(actions))]
        else:
            charge = midnight(date.fromisoformat(payment["charge_date"]))
            submitted = max(
                now + config.payment_submission_delay,
                charge - config.payment_submit_days_before_charge * DAY,
                not_before,
            )
            confirmed = max(submitted + DAY, charge + DAY)
            dues = [submitted, confirmed, confirmed + config.payment_paid_out_delay]
        self.schedule("payments", payment, list(zip(actions, dues, strict=True)))

    def plan_refund(self, refund: Record, now: float) -> None:
        config = self.config()
        delay = config.scenario_step if self.scenario(refund) else config.refund_paid_delay
        self.schedule("refunds", refund, [("paid", now + delay)])

    def next_charge_date(self, mandate: Record, now: float) -> str:
        lead = SCHEMES[mandate["scheme"]].lead_days
        today = datetime.fromtimestamp(now, tz=UTC).date()
        return (today + timedelta(days=lead)).isoformat()

    # --- running -------------------------------------------------------------------------

    def run_due(self, now: float) -> int:
        """Applies every step due by `now`, oldest first; the caller holds the store lock."""
        applied = 0
        while self._heap and self._heap[0].due <= now:
            step = heapq.heappop(self._heap)
            record = self.store.get(step.kind, step.resource_id)
            if record is None or record.get("_plan") != step.plan:
                continue
            if self._apply(step, record):
                applied += 1
        return applied

    def _apply(self, step: Step, record: Record) -> bool:
        allowed_from, status = STEPS[step.kind][step.action]
        if record["status"] not in allowed_from:
            return False
        record["status"] = status
        if step.kind == "mandates" and step.action == "active":
            record["next_possible_charge_date"] = self.next_charge_date(record, step.due)
        self.events.record(step.kind, step.action, record, step.due, **_bank_answer(step, record))
        return True


def _bank_answer(step: Step, record: Record) -> dict[str, Any]:
    """The details of a step the bank causes (a failure, a chargeback): its answer under the
    record's scheme."""
    if step.kind == "refunds" or step.action not in ("failed", "charged_back"):
        return {}
    scheme = SCHEMES[record["scheme"]]
    if step.kind == "mandates":
        return {"bank": scheme.invalid_bank_details}
    if step.action == "failed":
        return {"bank": scheme.insufficient_funds, "will_attempt_retry": False}
    return {"bank": scheme.chargeback}
