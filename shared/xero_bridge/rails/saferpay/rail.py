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
  by hand; another link's capture that Xero does not hold yet counts as paid), the
  authorisation is cancelled instead and the card is not charged. CAPTURED is
  ``settled``, and the lifecycle records it in Xero once. A declined card or a failed 3-D
  Secure check is ``failed`` with Saferpay's reason; an expired page or a payer who cancelled
  is ``cancelled``; a page still open changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
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
from xero_bridge.persistence import payment_links
from xero_bridge.persistence import payments as payment_store
from xero_bridge.persistence.payments import PaymentRecord
from xero_bridge.rails.base import RailCheck, RailOutcome
from xero_bridge.rails.errors import AmountDueChangedError, failure_of
from xero_bridge.rails.provider import ProviderRail
from xero_bridge.rails.saferpay import pages
from xero_bridge.rails.saferpay.api import SaferpayApi
from xero_bridge.rails.saferpay.client import SaferpayApiError, SaferpayClient
from xero_bridge.rails.saferpay.config import clearing_account_code, saferpay_config

if TYPE_CHECKING:
    from xero_bridge.payments.validation import CheckedPayment

LINK_ROUTE = "POST /tenants/{tenantId}/invoices/{id}/payment_link"


def _captured_not_in_xero(tenant_id: str, invoice_id: str) -> Decimal:
    """The money the invoice's links have captured whose payments Xero does not hold yet
    (``settled``: its recording failed, or has not run): a capture on top would charge twice."""
    total = Decimal(0)
    for link in payment_links.for_invoice(tenant_id, invoice_id):
        payment = payment_store.get(tenant_id, link.payment_id)
        if payment is not None and payment.status == "settled":
            total += payment.amount
    return total


class SaferpayRail(ProviderRail[SaferpayApi]):
    """The money comes in: nothing to check before the page opens (no `preflight`)."""

    name = "saferpay"
    title = "Saferpay"
    no_second_factor = "a card payment has no second factor to confirm here"
    clearing_account_code = staticmethod(clearing_account_code)
    captured_not_in_xero = staticmethod(_captured_not_in_xero)  # tests give their own

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
        due = self._amounts_due([payment for payment, _ in authorized])
        for payment, transaction in authorized:
            invoice, left = str(payment.invoice_id), due.get(str(payment.invoice_id))
            outcome = self._capture(payment, transaction, left)
            if left is not None and outcome.state in ("settled", "executing"):
                due[invoice] = left - payment.amount  # what the next link of it may take
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

    def _capture(
        self, payment: PaymentRecord, transaction: dict[str, Any], due: Decimal | None
    ) -> RailOutcome:
        if due is None or due < payment.amount:
            return self._cancel(payment, transaction, due)
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

    def _amounts_due(self, payments: Sequence[PaymentRecord]) -> dict[str, Decimal | None]:
        """Each invoice's amount due now, by invoice id (None: it cannot be paid any more):
        what Xero says, less what its other links have captured that Xero does not hold yet."""
        if not payments:
            return {}
        tenants = {str(p.invoice_id): p.tenant_id for p in payments}
        wanted = sorted(tenants)
        invoices = self.xero.invoices_by_ids(wanted)
        due: dict[str, Decimal | None] = {}
        for invoice_id in wanted:
            invoice = invoices.get(invoice_id) or {}
            if invoice.get("Status") != "AUTHORISED":
                due[invoice_id] = None
                continue
            in_xero = from_xero(invoice.get("AmountDue")) or Decimal(0)
            due[invoice_id] = in_xero - self.captured_not_in_xero(tenants[invoice_id], invoice_id)
        return due

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
