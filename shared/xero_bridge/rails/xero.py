"""The record-only rail (``xero``, the default): no money moves through us; the payment is
recorded in Xero, which is what the business's bank feed is then reconciled against."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from xero_bridge.errors import ConflictError
from xero_bridge.payments.xero_gateway import XeroPayments
from xero_bridge.persistence.payments import PaymentRecord
from xero_bridge.rails.base import RailCheck, RailOutcome
from xero_bridge.rails.xero_record import find_in_xero, record_in_xero

if TYPE_CHECKING:
    from xero_bridge.payments.validation import CheckedPayment


class XeroRail:
    name = "xero"
    title = "Xero"
    moves_money = False

    def __init__(self, xero: XeroPayments) -> None:
        self.xero = xero

    def check(self, checked: CheckedPayment) -> RailCheck:
        return RailCheck()  # the books' checks (validation.Books) are all Xero needs

    def preflight(self, payments: Sequence[PaymentRecord]) -> None:
        return None  # nothing moves through us

    def execute(self, payments: Sequence[PaymentRecord]) -> list[RailOutcome]:
        return record_in_xero(payments, self.xero)

    def confirm(self, payment: PaymentRecord, factor: str) -> RailOutcome:
        raise ConflictError("a payment on the xero rail has no second factor to confirm")

    def refresh(self, payments: Sequence[PaymentRecord]) -> dict[str, RailOutcome]:
        return find_in_xero(payments, self.xero)
