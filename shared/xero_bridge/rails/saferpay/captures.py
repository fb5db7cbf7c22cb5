"""What an invoice's other card links have taken that Xero's amount due does not show yet, and
the claim a capture makes on the invoice before it is made.

Xero's amount due lags behind the money: a capture is in Xero only once its payment is
recorded, which may fail and be retried, or not have run yet. And two rail workers (or a
worker and the reconciler) may capture two links of one invoice at the same moment, each
reading the same amount due. So a capture is decided against the invoice's capture ledger
(`persistence.payment_links`): the worker reads it, counts the money taken, and adds its
payment with a write conditional on the ledger being as it read it. The second of two
concurrent workers finds its write refused, reads again, sees the first's claim and lets
its card go when that leaves too little due.

Money counted as taken (the payment being decided aside, and those `let_go` in this round),
unless the invoice as read from Xero lists its Xero payment (then the amount due holds it):
- ``settled`` or ``recorded``: captured (recorded after Xero's figure was read, or not yet);
- ``executing`` with a claim in the ledger: being captured, or captured with the outcome not
  stored yet (a crash there errs toward not charging the next card, never toward twice).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from xero_bridge.persistence import payment_links
from xero_bridge.persistence import payments as payment_store
from xero_bridge.persistence.payment_links import CaptureLedger
from xero_bridge.persistence.payments import PaymentRecord


@dataclass(frozen=True)
class Taken:
    """The ledger as read (a claim is conditional on it) and the money it and the invoice's
    other links have taken that Xero's amount due does not hold."""

    ledger: CaptureLedger
    amount: Decimal


def _counts(payment: PaymentRecord, ledger: CaptureLedger, in_xero: Collection[str]) -> bool:
    if payment.xero_payment_id and payment.xero_payment_id.lower() in in_xero:
        return False
    if payment.status in ("settled", "recorded"):
        return True
    return payment.status == "executing" and payment.payment_id in ledger.amounts


class InvoiceCaptures:
    def taken(
        self, payment: PaymentRecord, in_xero: Collection[str], let_go: Collection[str] = ()
    ) -> Taken:
        """`in_xero`: the ids (lower case) of the payments the invoice had when Xero's amount
        due was read."""
        tenant_id, invoice_id = payment.tenant_id, str(payment.invoice_id)
        ledger = payment_links.capture_ledger(tenant_id, invoice_id)
        links = payment_links.for_invoice(tenant_id, invoice_id)
        others = (set(ledger.amounts) | {link.payment_id for link in links}) - {
            payment.payment_id,
            *let_go,
        }
        amount = Decimal(0)
        for other_id in sorted(others):  # an invoice has a few links
            other = payment_store.get(tenant_id, other_id)
            if other is not None and _counts(other, ledger, in_xero):
                amount += other.amount
        return Taken(ledger, amount)

    def claim(self, taken: Taken, payment: PaymentRecord) -> bool:
        """The payment's claim on the invoice's money, made before its capture; False when
        another claim came first (decide again). A payment claims once: a repeat of its
        capture (an answer lost) needs no second claim."""
        if payment.payment_id in taken.ledger.amounts:
            return True
        return payment_links.claim_capture(taken.ledger, payment.payment_id, payment.amount)
