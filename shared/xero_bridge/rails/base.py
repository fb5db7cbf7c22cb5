"""What the payment lifecycle needs from a rail, and what a rail answers.

A rail never writes our payment records: it talks to its provider and answers `RailOutcome`s;
`xero_bridge.payments.execute` turns each outcome into the lifecycle move it means.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from xero_bridge.payments.validation import CheckedPayment
    from xero_bridge.persistence.payments import PaymentRecord

# The statuses a rail may report for a payment (a subset of the lifecycle's): `recorded` and
# `failed` are final; the others are a money-moving rail's way there.
# `submitted`: the provider did not answer (the outcome is unknown; nothing moves).
RailState = Literal[
    "submitted", "executing", "awaiting_confirmation", "settled", "recorded", "failed", "cancelled"
]


@dataclass(frozen=True)
class XeroRecord:
    """The payment as Xero holds it, once recorded there."""

    payment_id: str  # Xero's PaymentID, lower case
    status: str  # Xero's Status, e.g. AUTHORISED


@dataclass(frozen=True)
class RailCheck:
    """What a rail says about a payment before it is stored."""

    details: dict[str, Any] = field(default_factory=dict)  # for the first audit entry
    fields: dict[str, Any] = field(default_factory=dict)  # stored on the payment (payee…)
    # Why a second person must approve it whatever its amount (e.g. an unverified payee).
    approval_reason: str | None = None


@dataclass(frozen=True)
class RailOutcome:
    """A rail's word on one payment."""

    state: RailState
    rail_status: str | None = None  # the provider's own status word (None for Xero)
    rail_reference: str | None = None  # the provider's id for the payment (None for Xero)
    xero: XeroRecord | None = None  # set with state "recorded"
    failure: list[dict[str, Any]] | None = None  # the provider's reasons, with state "failed"
    how: str | None = None  # how we learned it, for the audit: "created", "found_at_xero"…
    data: dict[str, Any] | None = None  # the rail's own state, kept on the payment (rail_data)
    verification: dict[str, Any] | None = None  # a new Verification of Payee, when made again
    settled_on: str | None = None  # the day the provider booked the money (ISO date)
    details: dict[str, Any] | None = None  # what the audit entry of the move should say


class Rail(Protocol):
    """One way of executing a payment. Every method is safe to call again for the same payment:
    the provider is always given a reference derived from our payment id."""

    name: str  # the request's `rail`, e.g. "xero"
    title: str  # for people, e.g. "Xero"
    moves_money: bool  # False: the payment is only recorded in Xero

    def check(self, checked: CheckedPayment) -> RailCheck:
        """Checks before the payment is stored (and approved); raises ValidationFailedError
        when the rail cannot take it. What it answers is stored on the payment and goes into
        its first audit entry, for the approver (e.g. a Verification of Payee result)."""
        ...

    def preflight(self, payments: Sequence[PaymentRecord]) -> None:
        """What must hold right before `payments` are sent (e.g. the available balance);
        raises ValidationFailedError (nothing is sent, nothing changes) otherwise."""
        ...

    def execute(self, payments: Sequence[PaymentRecord]) -> list[RailOutcome]:
        """Send `payments` (all ``submitted``) to the provider; one outcome each, in order.

        Raise ValidationFailedError when the provider refused the whole request (the payments
        fail); any other error means the outcome is unknown (they stay ``submitted``, and the
        next attempt calls `refresh` first).
        """
        ...

    def confirm(self, payment: PaymentRecord, factor: str) -> RailOutcome:
        """The second factor (e.g. Solaris's TAN) for a payment ``awaiting_confirmation``;
        a wrong or expired factor raises ValidationFailedError and the payment waits."""
        ...

    def refresh(self, payments: Sequence[PaymentRecord]) -> dict[str, RailOutcome]:
        """The provider's truth about `payments` (an unknown outcome, a callback, the
        reconciler), by our payment id; those the provider does not know are left out (a
        payment that never reached it is sent again by whoever asked)."""
        ...
