"""`GoCardlessRail` (``gocardless``): a sales invoice collected by direct debit against the
customer's mandate, recorded in Xero only once GoCardless says the money is collected.

- **check** (before the payment is stored): a sales invoice (ACCREC) in EUR (SEPA Core) or GBP
  (Bacs), recorded against the rail's Xero clearing account in that currency; the invoice's
  contact has a usable mandate in that currency (422 ``mandate_required`` otherwise); what
  other collections of the invoice still open would take leaves room for this one (409).
- **execute**: one GoCardless payment each, its Idempotency-Key derived from our payment
  (`collections.payment_key`), so sending again answers the payment GoCardless made. A
  refusal fails the payment with GoCardless's reasons; no answer leaves it ``submitted``.
- **refresh**: GoCardless's truth, read before acting on anything (webhooks, the reconciler,
  a retry): a payment by its id, or — one whose answer was lost — found among its mandate's
  payments by our id in its metadata (a pure read: nothing is created).
- a failed one reads its ``failed`` event for why (the payment itself does not say).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from xero_bridge.errors import (
    ConfigurationError,
    ConflictError,
    ValidationFailedError,
    XeroBridgeError,
)
from xero_bridge.observability import logger
from xero_bridge.persistence import mandates
from xero_bridge.persistence import payments as store
from xero_bridge.persistence.payments import PaymentRecord
from xero_bridge.rails.base import RailCheck, RailOutcome
from xero_bridge.rails.errors import (
    CurrencyNotSupportedError,
    MandateRequiredError,
    failure_of,
)
from xero_bridge.rails.gocardless import collections
from xero_bridge.rails.gocardless.api import GoCardlessApi, GoCardlessRefusal
from xero_bridge.rails.gocardless.config import clearing_account_code
from xero_bridge.rails.gocardless.schemes import SCHEMES, USABLE
from xero_bridge.rails.provider import ProviderRail

if TYPE_CHECKING:
    from xero_bridge.payments.validation import CheckedPayment


class GoCardlessRail(ProviderRail[GoCardlessApi]):
    """GoCardless checks the mandate itself when the payment is made (no `preflight`)."""

    name = collections.RAIL
    title = "GoCardless"
    no_second_factor = "a direct debit has no second factor to confirm"
    clearing_account_code = staticmethod(clearing_account_code)

    def _connect(self) -> GoCardlessApi:
        return GoCardlessApi()

    # ------------------------------------------------------------------ before storing
    def check(self, checked: CheckedPayment) -> RailCheck:
        self._check_books(checked)
        contact_id = str((checked.contact or {}).get("ContactID") or "").lower()
        mandate = mandates.get(self.xero.tenant_id, contact_id) if contact_id else None
        currency = str(checked.currency_code)
        if mandate is None or not mandate.mandate_id or mandate.status not in USABLE:
            raise MandateRequiredError(
                "the customer has no direct-debit mandate that can be collected from: ask"
                " for one (POST …/contacts/{id}/mandate) and wait for the customer to"
                " authorise it",
                [{"contact_id": contact_id or None,
                  "mandate_status": mandate.status if mandate else None}],
            )  # fmt: skip
        if mandate.currency != currency:
            raise MandateRequiredError(
                f"the customer's mandate collects {mandate.currency}, the invoice is in {currency}",
                [{"contact_id": contact_id, "mandate_currency": mandate.currency}],
            )
        self._check_room(checked)
        return RailCheck(
            details={"mandate_id": mandate.mandate_id, "mandate_status": mandate.status,
                     "scheme": mandate.scheme},
            fields={"rail_data": {"mandate_id": mandate.mandate_id, "contact_id": contact_id}},
        )  # fmt: skip

    def _check_books(self, checked: CheckedPayment) -> None:
        self._require_kind(checked, "receive", f"{self.name} collects sales invoices (ACCREC)"
                           " only", "a bill is not collected by direct debit")  # fmt: skip
        if (checked.currency_code or "") not in SCHEMES:
            raise CurrencyNotSupportedError(
                f"the invoice is in {checked.currency_code}: GoCardless collects EUR (SEPA"
                " Core) and GBP (Bacs) only",
                [{"field": "invoice_id", "currency": checked.currency_code}],
            )
        clearing = self._require_clearing(checked, "collections")
        if checked.account_currency != checked.currency_code:
            raise ValidationFailedError(
                f"the Xero account {clearing} is in {checked.account_currency}, the invoice"
                f" in {checked.currency_code}",
                [{"field": "account_code", "currency": checked.account_currency}],
            )

    def _check_room(self, checked: CheckedPayment) -> None:
        """Collections of the invoice still under way count against its amount due: Xero
        hears of them only once collected, so it cannot tell."""
        tenant_id = self.xero.tenant_id
        open_ones = [
            r
            for r in store.open_on_rail(self.name)
            if r.tenant_id == tenant_id and r.invoice_id == checked.invoice_id
        ]
        under_way = sum((r.amount for r in open_ones), Decimal(0))
        if open_ones and under_way + checked.amount > checked.amount_due:
            raise ConflictError(
                f"{under_way:.2f} of the invoice is already being collected: this collection"
                f" would take more than its amount due ({checked.amount_due:.2f})",
                [{"payment_id": r.payment_id, "amount": f"{r.amount:.2f}", "status": r.status}
                 for r in open_ones],
            )  # fmt: skip

    # ------------------------------------------------------------------ sending
    def execute(self, payments: Sequence[PaymentRecord]) -> list[RailOutcome]:
        """Each payment in turn; once GoCardless stops answering, the rest are not tried
        (they stay submitted, and are found by our id later)."""
        outcomes: list[RailOutcome] = []
        for payment in payments:
            if outcomes and outcomes[-1].how == "unknown":
                outcomes.append(RailOutcome(state="submitted", how="not_tried"))
            else:
                outcomes.append(self._send(payment))
        return outcomes

    def _send(self, payment: PaymentRecord) -> RailOutcome:
        try:
            created = self.api.create_payment(
                collections.body_of(payment), collections.payment_key(payment)
            )
        except GoCardlessRefusal as refusal:
            return RailOutcome(state="failed", failure=failure_of(_refused(refusal)),
                               how="refused")  # fmt: skip
        except ConfigurationError:
            raise
        except XeroBridgeError as exc:  # timeout, 5xx: made or not, we cannot tell
            logger.warning("gocardless payment outcome unknown", extra={"error_code": exc.code})
            return RailOutcome(state="submitted", how="unknown")
        return self.outcome(created, how="created")

    # ------------------------------------------------------------------ reading the truth
    def _read(self, payment: PaymentRecord) -> RailOutcome | None:
        truth = self._find(payment)
        return None if truth is None else self.outcome(truth, how="read")

    def _find(self, payment: PaymentRecord) -> dict[str, Any] | None:
        if payment.rail_reference:
            return self.api.payment(payment.rail_reference)
        mandate_id = (payment.rail_data or {}).get("mandate_id")
        if not payment.rail_sent_at or not mandate_id:
            return None  # never handed to GoCardless
        for candidate in self.api.payments_of_mandate(str(mandate_id)):
            if collections.ours(candidate) == (payment.tenant_id, payment.payment_id):
                return candidate
        return None

    def outcome(self, payment: dict[str, Any], how: str | None = None) -> RailOutcome:
        """`collections.outcome_of`, with why it failed when it did."""
        cause = None
        if str(payment.get("status")) in collections.FAILED:
            cause = self.api.latest_event_details(str(payment.get("id")), str(payment["status"]))
        outcome = collections.outcome_of(payment, cause)
        return outcome if how is None else replace(outcome, how=how)


def _refused(refusal: GoCardlessRefusal) -> ValidationFailedError:
    if "mandate_is_inactive" in refusal.reasons:
        return MandateRequiredError(
            f"GoCardless refused the payment: {refusal.message}", refusal.details()
        )
    return ValidationFailedError(
        f"GoCardless refused the payment: {refusal.message}", refusal.details()
    )
