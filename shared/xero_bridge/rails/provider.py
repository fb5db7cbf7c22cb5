"""`ProviderRail`: what the money-moving rails (Solaris, OKX, Saferpay, GoCardless) share —
built from the tenant's `XeroPayments` with their provider's API made on first use (a test
passes its own), the checks of a payment's books every one of them makes, and the `Rail`
methods that are the same for most: nothing to preflight, each payment sent on its own, no
second factor, and the provider's truth read payment by payment.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from xero_bridge.errors import ConflictError, ValidationFailedError
from xero_bridge.payments.xero_gateway import XeroPayments
from xero_bridge.persistence.payments import PaymentRecord
from xero_bridge.rails.base import RailOutcome

if TYPE_CHECKING:
    from xero_bridge.payments.validation import CheckedPayment


class ProviderRail[ApiT]:
    name: str
    title: str
    moves_money = True
    no_second_factor = "the payment has no second factor to confirm"  # confirm's 409

    def __init__(self, xero: XeroPayments, api: ApiT | None = None) -> None:
        self.xero = xero
        self._api = api

    @property
    def api(self) -> ApiT:
        if self._api is None:
            self._api = self._connect()
        return self._api

    def _connect(self) -> ApiT:
        """The provider's API, as the app secret and the settings configure it."""
        raise NotImplementedError

    @staticmethod
    def clearing_account_code(tenant_id: str) -> str:
        raise NotImplementedError

    # ------------------------------------------------------------------ the books
    def _require_kind(self, checked: CheckedPayment, kind: str, message: str, problem: str) -> None:
        """The invoice is of the `kind` ("pay": a bill, "receive": a sales invoice) the rail
        moves money for."""
        if checked.kind != kind:
            raise ValidationFailedError(message, [{"field": "invoice_id", "problem": problem}])

    def _require_clearing(self, checked: CheckedPayment, payments: str) -> str:
        """The payment is recorded against the rail's clearing account (its code)."""
        clearing = self.clearing_account_code(self.xero.tenant_id)
        if checked.account_code != clearing:
            raise ValidationFailedError(
                f"{self.title} {payments} are recorded against the Xero account {clearing}",
                [{"field": "account_code", "expected": clearing, "given": checked.account_code}],
            )
        return clearing

    # ------------------------------------------------------------------ the Rail methods
    def preflight(self, payments: Sequence[PaymentRecord]) -> None:
        return None

    def execute(self, payments: Sequence[PaymentRecord]) -> list[RailOutcome]:
        return [self._send(payment) for payment in payments]

    def _send(self, payment: PaymentRecord) -> RailOutcome:
        raise NotImplementedError

    def confirm(self, payment: PaymentRecord, factor: str) -> RailOutcome:
        raise ConflictError(self.no_second_factor)

    def refresh(self, payments: Sequence[PaymentRecord]) -> dict[str, RailOutcome]:
        found: dict[str, RailOutcome] = {}
        for payment in payments:
            outcome = self._read(payment)
            if outcome is not None:
                found[payment.payment_id] = outcome
        return found

    def _read(self, payment: PaymentRecord) -> RailOutcome | None:
        """The provider's word on one payment; None when it does not know it."""
        raise NotImplementedError
