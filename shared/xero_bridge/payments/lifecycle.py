"""A payment's lifecycle: its statuses, the moves between them (one table), and the two
functions every status a payment takes goes through: `start` (its first) and `move`.

The product's payment statuses, the same for every rail (`TRANSITIONS` below is the whole of it):

    new ──submit──> submitted ──record──> recorded ──reverse──> reversed
    new ──hold──> pending_approval ──approve──> submitted
                  pending_approval ──reject──> rejected
    submitted ──fail──> failed;   failed | submitted ──retry──> submitted
    a money-moving rail goes from submitted to recorded by way of its provider:
    submitted ──execute──> executing ──settle──> settled ──record──> recorded
    executing ──await_confirmation──> awaiting_confirmation ──confirm──> executing
    executing | awaiting_confirmation ──fail──> failed | ──cancel──> cancelled
    and a few moves that change no status but are news or bookkeeping: ``send`` (handed to the
    provider once more), ``tan_refused`` and ``reauthorize`` (the second factor),
    ``record_refused`` (Xero would not take the record of money that moved).

`approved` is the API's name for the approval, not a status a payment rests in: approving moves
a payment from ``pending_approval`` back to ``submitted`` (with `approved_by`), so that every
payment is executed from one status whether it needed a second person or not; the audit entry
says ``approved``. ``submitted`` means "sent, or about to be sent, to its rail; outcome not yet
known" — whoever finds a payment there asks the rail before sending it again (`retry`).

Each move is checked against the table, written conditionally on the status it starts from
(persistence.payments.transition: StaleStatusError when someone else moved it first), and
appended to the audit trail and counted (metric ``Payments<Outcome>``) when the table says so.
A move that changes the status publishes the lifecycle event ``payment.<new status>``
(`payments.events`). For a money-moving rail's payment, the move also keeps ``rail_open`` (the
sparse index callbacks and the reconciler read) in step: the rail's name until a final status.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, get_args

from aws_lambda_powertools.metrics import MetricUnit

from xero_bridge.errors import ConflictError
from xero_bridge.observability import metrics
from xero_bridge.payments import events
from xero_bridge.persistence import audit
from xero_bridge.persistence import payments as store
from xero_bridge.persistence.payments import PaymentRecord

Status = Literal[
    "submitted",
    "pending_approval",
    "approved",
    "rejected",
    "executing",
    "awaiting_confirmation",
    "settled",
    "recorded",
    "failed",
    "cancelled",
    "reversed",
]
STATUSES: tuple[Status, ...] = get_args(Status)

NEW: tuple[Status, ...] = ()  # the sources of a payment's first status


@dataclass(frozen=True)
class Transition:
    sources: tuple[Status, ...]  # the statuses it may start from (NEW: none, it is created)
    target: Status
    audit: str | None = None  # the audit action it appends (None: bookkeeping, not news)
    outcome: str | None = None  # the outcome it counts (metric Payments<Outcome>)


TRANSITIONS: dict[str, Transition] = {
    # a new payment: straight to its rail, or waiting for a second person above the threshold
    "submit": Transition(NEW, "submitted", "submitted", "submitted"),
    "hold": Transition(NEW, "pending_approval", "approval_requested", "pending_approval"),
    # four eyes
    "approve": Transition(("pending_approval",), "submitted", "approved", "approved"),
    "reject": Transition(("pending_approval",), "rejected", "rejected", "rejected"),
    # on its rail: sent again after a refusal or an unknown outcome (one more attempt)
    "retry": Transition(("submitted", "failed"), "submitted"),
    "execute": Transition(("submitted",), "executing", "executing"),
    "await_confirmation": Transition(("executing",), "awaiting_confirmation", "confirmation_asked"),
    "confirm": Transition(("awaiting_confirmation",), "executing", "confirmed"),
    "settle": Transition(("executing",), "settled", "settled", "settled"),
    "cancel": Transition(
        ("executing", "awaiting_confirmation"), "cancelled", "cancelled", "cancelled"
    ),
    "record": Transition(("submitted", "settled"), "recorded", "recorded", "recorded"),
    "fail": Transition(
        ("submitted", "executing", "awaiting_confirmation"), "failed", "failed", "failed"
    ),
    # no new status: handed to the provider (again); the second factor refused or asked anew;
    # Xero refusing to record money that moved (the payment stays settled, and is retried)
    "send": Transition(("submitted",), "submitted"),
    "tan_refused": Transition(("awaiting_confirmation",), "awaiting_confirmation", "tan_refused"),
    "reauthorize": Transition(
        ("awaiting_confirmation",), "awaiting_confirmation", "confirmation_asked"
    ),
    "record_refused": Transition(("settled",), "settled", "xero_refused"),
    # undoing the Xero record: marked first (who asked), then reversed when Xero has done it
    "mark_reversal": Transition(("recorded",), "recorded"),
    "reverse": Transition(("recorded",), "reversed", "reversed", "reversed"),
}
# The statuses a stored payment can be in (what the history's status filter accepts).
RESTING: tuple[Status, ...] = tuple(
    s for s in STATUSES if any(t.target == s for t in TRANSITIONS.values())
)
# Nothing more happens to a payment in these (but a reversal of a recorded one).
FINAL: tuple[Status, ...] = ("recorded", "failed", "rejected", "cancelled", "reversed")
# The moves a provider's word can make, in the order a payment takes them.
RAIL_MOVES = ("execute", "await_confirmation", "confirm", "settle", "record", "fail", "cancel")


def check(name: str, status: str) -> None:
    """409 naming the current status when the move `name` cannot start from `status`."""
    transition = TRANSITIONS[name]
    if status not in transition.sources:
        raise ConflictError(
            f"the payment is {status}: it cannot be {transition.audit or name}",
            [{"status": status, "allowed_from": list(transition.sources)}],
        )


def between(status: str, target: str) -> str:
    """The name of the move from `status` to `target` (ConflictError when there is none)."""
    for name, transition in TRANSITIONS.items():
        if transition.target == target and status in transition.sources:
            return name
    raise ConflictError(f"the payment is {status}: it cannot become {target}")


def path(status: str, target: str) -> list[str]:
    """The provider moves from `status` to `target`, shortest first (a provider may report a
    payment two steps on, e.g. a TAN confirmed and the transfer executed since we last read
    it); ConflictError when the table has no way."""
    if status == target:
        return []
    routes: list[tuple[str, list[str]]] = [(status, [])]
    seen = {status}
    while routes:
        here, names = routes.pop(0)
        for name in RAIL_MOVES:
            transition = TRANSITIONS[name]
            if here not in transition.sources or transition.target in seen:
                continue
            if transition.target == target:
                return [*names, name]
            seen.add(transition.target)
            routes.append((transition.target, [*names, name]))
    raise ConflictError(f"the payment is {status}: it cannot become {target}")


def start(record: PaymentRecord, actor: str, **details: Any) -> PaymentRecord | None:
    """Store a new payment in its first status (`submit` or `hold`); None when one already
    exists under its id (nothing written, nothing appended)."""
    [name] = [n for n, t in TRANSITIONS.items() if t.sources == NEW and t.target == record.status]
    if store.create(record) is None:
        return None
    _note(record, TRANSITIONS[name], actor, details)
    events.status_changed(record)
    return record


def move(
    record: PaymentRecord,
    name: str,
    actor: str,
    *,
    details: dict[str, Any] | None = None,
    expected_attempts: int | None = None,
    remove: tuple[str, ...] = (),
    **fields: Any,
) -> PaymentRecord:
    """The move `name` for `record` (as last read), setting `fields` and removing `remove`.

    ConflictError when the table does not allow it from the record's status; StaleStatusError
    (with the current record) when the stored record is no longer in that status (or no
    longer at `expected_attempts`). `details` go into the audit entry.
    """
    check(name, record.status)
    transition = TRANSITIONS[name]
    if record.rail_key:  # a money-moving rail's payment: open until final
        if transition.target in FINAL:
            remove = (*remove, "rail_open")
        else:
            fields.setdefault("rail_open", record.rail)
    moved = store.transition(
        record.tenant_id,
        record.payment_id,
        record.status,
        transition.target,
        expected_attempts=expected_attempts,
        remove=remove,
        **fields,
    )
    _note(moved, transition, actor, details or {})
    if transition.target != record.status:
        events.status_changed(moved)
    return moved


def _note(
    record: PaymentRecord, transition: Transition, actor: str, details: dict[str, Any]
) -> None:
    """The audit entry and the metric of a move, where the table names them."""
    if transition.audit is not None:
        audit.append(
            tenant_id=record.tenant_id,
            action=transition.audit,
            actor=actor,
            payment_id=record.payment_id,
            xero_payment_id=record.xero_payment_id,
            invoice_id=record.invoice_id,
            amount=record.amount,
            details={k: v for k, v in details.items() if v is not None},
        )
    if transition.outcome is not None:
        name = "Payments" + transition.outcome.title().replace("_", "")
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=1)
