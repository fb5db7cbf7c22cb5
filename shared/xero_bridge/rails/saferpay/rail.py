"""`SaferpayRail` (``saferpay``): a sales invoice paid by card on Saferpay's Payment Page, and
recorded in Xero only once Saferpay has captured the money.

A card payment is made by a payment link (`links`), never by ``POST …/payments`` (`check`
refuses it), and needs no approval: the money comes in.

- **execute** (the link is made): PaymentPage Initialize for the payment's amount; the token,
  the page's URL and its expiry are kept on the payment, which is ``executing`` while the page
  is open. An answer that never came leaves it ``submitted``: the repeat sends the same
  Initialize (same RequestId, RetryIndicator above 0), which Saferpay answers with its first
  answer if it had one.
- **refresh** (a notification, the reconciler, a repeat): Assert is the truth. An AUTHORIZED
  transaction is captured — after the invoice is read again (one Xero call for every payment
  being read): if it no longer has the link's amount due (paid meanwhile, by another link or
  by hand; another link's capture that Xero does not hold yet counts as paid, `captures`),
  the authorisation is cancelled instead and the card is not charged. CAPTURED is
  ``settled``, and the lifecycle records it in Xero once. A declined card or a failed 3-D
  Secure check is ``failed`` with Saferpay's reason; an expired page or a payer who cancelled
  is ``cancelled``; a page still open changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from xero_bridge.errors import (
    ConfigurationError,
    ServiceUnavailableError,
    UpstreamError,
    ValidationFailedError,
    XeroBridgeError,
)
from xero_bridge.observability import logger
from xero_bridge.payments.money import from_xero
from xero_bridge.persistence.payments import PaymentRecord
from xero_bridge.rails.base import RailCheck, RailOutcome
from xero_bridge.rails.errors import AmountDueChangedError, failure_of
from xero_bridge.rails.provider import ProviderRail
from xero_bridge.rails.saferpay import pages
from xero_bridge.rails.saferpay.api import SaferpayApi
from xero_bridge.rails.saferpay.captures import InvoiceCaptures
from xero_bridge.rails.saferpay.client import SaferpayApiError, SaferpayClient
from xero_bridge.rails.saferpay.config import clearing_account_code, saferpay_config

if TYPE_CHECKING:
    from xero_bridge.payments.validation import CheckedPayment

LINK_ROUTE = "POST /tenants/{tenantId}/invoices/{id}/payment_link"
CLAIM_ATTEMPTS = 5  # each refused claim means another worker just claimed: decide again


@dataclass(frozen=True)
class InvoiceInXero:
    """What a capture is decided on: the invoice's amount due (None: it cannot be paid any
    more) and the ids (lower case) of the payments that figure holds."""

    amount_due: Decimal | None
    payment_ids: frozenset[str] = frozenset()

    @classmethod
    def of(cls, invoice: dict[str, Any] | None) -> InvoiceInXero:
        if not invoice or invoice.get("Status") != "AUTHORISED":
            return UNPAYABLE
        held = frozenset(str(p.get("PaymentID", "")).lower() for p in invoice.get("Payments") or [])
        return cls(from_xero(invoice.get("AmountDue")) or Decimal(0), held)


UNPAYABLE = InvoiceInXero(None)


class SaferpayRail(ProviderRail[SaferpayApi]):
    """The money comes in: nothing to check before the page opens (no `preflight`)."""

    name = "saferpay"
    title = "Saferpay"
    no_second_factor = "a card payment has no second factor to confirm here"
    clearing_account_code = staticmethod(clearing_account_code)
    captures = InvoiceCaptures()  # the unit tests give their own

    def _connect(self) -> SaferpayApi:
        return SaferpayApi(SaferpayClient(saferpay_config()))

    def check(self, checked: CheckedPayment) -> RailCheck:
        raise ValidationFailedError(
            f"card payments are taken by a payment link: {LINK_ROUTE}",
            [{"field": "rail", "problem": "saferpay payments are made by payment links"}],
        )

    # ------------------------------------------------------------------ the page
    def _send(self, payment: PaymentRecord) -> RailOutcome:
        try:
            return self._initialize(payment, repeat=payment.attempts > 1)
        except ConfigurationError:
            raise
        except XeroBridgeError as exc:  # no answer, or "later": made or not, we cannot tell
            logger.warning("saferpay initialize outcome unknown", extra={"error_code": exc.code})
            return RailOutcome(state="submitted", how="unknown")

    def _initialize(self, payment: PaymentRecord, *, repeat: bool) -> RailOutcome:
        body = pages.initialize_body(payment)
        try:
            answer = self.api.initialize(str(payment.rail_key), body, repeat=repeat)
        except SaferpayApiError as exc:
            if exc.behavior == "RETRY_LATER":
                raise ServiceUnavailableError(f"Saferpay says to try later ({exc.name})") from None
            return pages.refused(exc, "Saferpay refused the payment page")
        return pages.initialized(answer)

    # ------------------------------------------------------------------ reading the truth
    def refresh(self, payments: Sequence[PaymentRecord]) -> dict[str, RailOutcome]:
        """Assert each; then the invoices of the AUTHORIZED ones read once (one Xero call for
        the lot), and each captured while its invoice still has the amount due — two links of
        one invoice paid at once are not both charged when it owes only one of them."""
        found: dict[str, RailOutcome] = {}
        authorized: list[tuple[PaymentRecord, dict[str, Any]]] = []
        for payment in payments:
            outcome, transaction = self._assert(payment)
            if transaction is not None:
                authorized.append((payment, transaction))
            elif outcome is not None:
                found[payment.payment_id] = outcome
        in_xero = self._invoices_in_xero([payment for payment, _ in authorized])
        let_go: set[str] = set()  # refused or cancelled here: their claims took no money
        for payment, transaction in authorized:
            invoice = in_xero.get(str(payment.invoice_id), UNPAYABLE)
            outcome = self._capture_if_due(payment, transaction, invoice, let_go)
            if outcome.state not in ("settled", "executing"):
                let_go.add(payment.payment_id)
            found[payment.payment_id] = outcome
        return found

    def _assert(self, payment: PaymentRecord) -> tuple[RailOutcome | None, dict[str, Any] | None]:
        """What Saferpay says: an outcome, or an AUTHORIZED transaction still to capture."""
        token = (payment.rail_data or {}).get("token")
        if payment.status == "submitted" or not token:
            if not payment.rail_sent_at:
                return None, None  # never handed to Saferpay
            return self._initialize(payment, repeat=True), None  # the same request again
        try:
            answer = self.api.assert_payment(str(token))
        except SaferpayApiError as exc:
            return pages.of_assert_error(exc, payment), None
        transaction = answer.get("Transaction") or {}
        if transaction.get("Status") == "AUTHORIZED":
            pages.check_amount(transaction, payment)
            return None, transaction
        return pages.of_transaction(transaction, payment), None

    def _capture_if_due(
        self,
        payment: PaymentRecord,
        transaction: dict[str, Any],
        invoice: InvoiceInXero,
        let_go: set[str],
    ) -> RailOutcome:
        """Captured only while Xero's amount due, less what the invoice's other links took
        that it does not show yet (`captures`), still holds the link's amount; the claim on
        that money is made first, so a concurrent worker counts it before it captures."""
        for _ in range(CLAIM_ATTEMPTS):
            taken = self.captures.taken(payment, invoice.payment_ids, let_go)
            due = None if invoice.amount_due is None else invoice.amount_due - taken.amount
            if due is None or due < payment.amount:
                return self._cancel(payment, transaction, due)
            if self.captures.claim(taken, payment):
                return self._capture(payment, transaction)
        raise ServiceUnavailableError("Saferpay: the invoice's links are being captured; later")

    def _capture(self, payment: PaymentRecord, transaction: dict[str, Any]) -> RailOutcome:
        transaction_id = str(transaction["Id"])
        try:
            capture = self.api.capture(str(payment.rail_key), transaction_id)
        except SaferpayApiError as exc:
            if exc.name == "TRANSACTION_ALREADY_CAPTURED":  # by a concurrent or lost attempt
                return pages.of_transaction({**transaction, "Status": "CAPTURED"}, payment)
            if exc.behavior == "RETRY_LATER":
                raise ServiceUnavailableError(f"Saferpay: capture later ({exc.name})") from None
            return pages.refused(exc, "Saferpay refused the capture; the card was not charged")
        captured = {**transaction, "Status": str(capture.get("Status") or "")}
        return pages.of_transaction(captured, payment, capture)

    def _invoices_in_xero(self, payments: Sequence[PaymentRecord]) -> dict[str, InvoiceInXero]:
        """The payments' invoices as Xero has them now, by invoice id."""
        if not payments:
            return {}
        wanted = sorted({str(p.invoice_id) for p in payments})
        invoices = self.xero.invoices_by_ids(wanted)
        return {invoice_id: InvoiceInXero.of(invoices.get(invoice_id)) for invoice_id in wanted}

    def _cancel(
        self, payment: PaymentRecord, transaction: dict[str, Any], due: Decimal | None
    ) -> RailOutcome:
        transaction_id = str(transaction["Id"])
        try:
            self.api.cancel(str(payment.rail_key), transaction_id)
        except SaferpayApiError as exc:
            # Captured meanwhile (a concurrent attempt saw the amount still due): as it is now.
            now = self.api.assert_payment(str((payment.rail_data or {})["token"]))
            shown = now.get("Transaction") or {}
            if shown.get("Status") == "CAPTURED":
                return pages.of_transaction(shown, payment)
            raise UpstreamError(f"Saferpay refused the cancel ({exc.name})") from None
        now_due = "nothing" if due is None else f"{due:.2f}"
        error = AmountDueChangedError(
            f"the invoice has {now_due} due, less than the link's {payment.amount:.2f}: the"
            " card authorisation was cancelled and the card not charged",
            [{"amount_due": None if due is None else f"{due:.2f}", "link_amount":
              f"{payment.amount:.2f}"}],
        )  # fmt: skip
        return RailOutcome(
            state="failed",
            rail_status="CANCELED",
            rail_reference=transaction_id,
            failure=failure_of(error),
            details={"transaction_id": transaction_id, "amount_due": now_due},
        )
