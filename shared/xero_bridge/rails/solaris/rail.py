"""`SolarisRail` (``solaris_sepa``): a bill paid by SEPA credit transfer from the business's
Solaris account, recorded in Xero only once Solaris has booked it.

- **check** (before the payment is stored): a bill (ACCPAY) in EUR, recorded against the
  rail's Xero clearing account (a EUR bank account); the payee (`payee`); Verification of
  Payee — NO_MATCH refused, anything but MATCH waits for an approver.
- **preflight / execute**: the available balance first (422 ``insufficient_funds``, nothing
  sent), the payee verified again if its verification has expired, then the transfer with
  our ``reference``. With a person id the account's transfers need Solaris's change
  request: the answer is 202, we authorise it at once (the TAN is sent) and the payment
  waits in ``awaiting_confirmation``.
- **confirm**: the TAN. Wrong: 422 ``invalid_tan``, the payment waits (after Solaris's last
  allowed try the change request fails, and so does the payment: nothing was sent). Expired:
  the change request is authorised again (a new TAN goes out) and the answer is 422
  ``tan_expired`` — confirm again with the new TAN. Right: the transfer exists (``executing``).
- **refresh**: Solaris's truth, read before acting on anything (callbacks, the reconciler, a
  retry): a known transfer by its id (``executed`` also reads its booking for the day it was
  booked), a known change request by its id, and a payment handed to Solaris whose answer was
  lost by POSTing the same body again — the reference makes that a read: Solaris answers the
  transfer it made, and makes none when the payment's verification has expired (which it has
  by the time the reconciler looks: RAIL_RECONCILE_AFTER_SECONDS > a verification's life).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from xero_bridge.errors import (
    ConfigurationError,
    ConflictError,
    ValidationFailedError,
    XeroBridgeError,
)
from xero_bridge.observability import logger
from xero_bridge.payments.money import minor_units
from xero_bridge.persistence.payments import PaymentRecord
from xero_bridge.rails.base import RailCheck, RailOutcome
from xero_bridge.rails.errors import (
    CurrencyNotSupportedError,
    InsufficientFundsError,
    InvalidTanError,
    PayeeVerificationFailedError,
    TanExpiredError,
    failure_of,
)
from xero_bridge.rails.provider import ProviderRail
from xero_bridge.rails.solaris import payee as payees
from xero_bridge.rails.solaris import transfers
from xero_bridge.rails.solaris.api import SolarisApi, euros
from xero_bridge.rails.solaris.client import SolarisApiError, SolarisClient
from xero_bridge.rails.solaris.config import clearing_account_code, solaris_config

if TYPE_CHECKING:
    from xero_bridge.payments.validation import CheckedPayment

TAN_LIFETIME = timedelta(minutes=5)  # Solaris: a change request's TAN cycle
CURRENCY = "EUR"


class SolarisRail(ProviderRail[SolarisApi]):
    name = "solaris_sepa"
    title = "Solaris"
    clearing_account_code = staticmethod(clearing_account_code)

    def _connect(self) -> SolarisApi:
        return SolarisApi(SolarisClient(solaris_config()))

    # ------------------------------------------------------------------ before storing
    def check(self, checked: CheckedPayment) -> RailCheck:
        self._check_books(checked)
        payee = payees.payee_of(checked)
        answer = self.api.verify_payee(payee.iban, payee.name)
        verification = payees.verification_of(answer, payee.name)
        payees.refuse_no_match(verification, payee)
        details = {
            "payee_name": payee.name,
            "payee_source": payee.source,
            "payee_verification": verification["status"],
            "suggested_name": verification["suggested_name"],
        }
        return RailCheck(
            details=details,
            fields={"payee": payee.as_dict(), "payee_verification": verification},
            approval_reason=payees.approval_reason(verification),
        )

    def _check_books(self, checked: CheckedPayment) -> None:
        self._require_kind(checked, "pay", f"{self.name} pays bills (ACCPAY) only",
                           "a sales invoice is not paid out")  # fmt: skip
        if (checked.currency_code or "") != CURRENCY:
            raise CurrencyNotSupportedError(
                f"the bill is in {checked.currency_code}: Solaris pays bills in EUR only",
                [{"field": "invoice_id", "currency": checked.currency_code}],
            )
        clearing = self._require_clearing(checked, "payments")
        if (checked.account_currency or "") != CURRENCY:
            raise ValidationFailedError(
                f"the Xero account {clearing} is in {checked.account_currency}: the Solaris"
                " account is a EUR account",
                [{"field": "account_code", "currency": checked.account_currency}],
            )
        reference = checked.request.reference or ""
        if len(reference) > transfers.MAX_DESCRIPTION:
            raise ValidationFailedError(
                "a SEPA transfer's reference is at most 140 characters",
                [{"field": "reference", "problem": "too long"}],
            )

    # ------------------------------------------------------------------ sending
    def preflight(self, payments: Sequence[PaymentRecord]) -> None:
        needed = sum(minor_units(p.amount) for p in payments)
        available = self.api.available_cents()
        if needed > available:
            raise _insufficient(needed, available)

    def execute(self, payments: Sequence[PaymentRecord]) -> list[RailOutcome]:
        """Each payment in turn while the balance covers it; once Solaris stops answering,
        the rest are not tried (they stay submitted, and are read by reference later)."""
        available = self.api.available_cents()
        outcomes: list[RailOutcome] = []
        reachable = True
        for payment in payments:
            needed = minor_units(payment.amount)
            if not reachable:
                outcomes.append(RailOutcome(state="submitted", how="not_tried"))
            elif needed > available:
                error = _insufficient(needed, available)
                outcomes.append(RailOutcome(state="failed", failure=failure_of(error)))
            else:
                outcome = self._send(payment)
                reachable = outcome.how != "unknown"
                available -= needed if outcome.state != "failed" else 0
                outcomes.append(outcome)
        return outcomes

    def _send(self, payment: PaymentRecord) -> RailOutcome:
        """One transfer; an unknown outcome (Solaris did not answer) leaves it submitted."""
        try:
            verification = self._verified(payment)
        except PayeeVerificationFailedError as refused:
            return RailOutcome(state="failed", failure=failure_of(refused))
        sent = payment
        if verification is not None:
            sent = payment.model_copy(update={"payee_verification": verification})
        try:
            created = self.api.create_transfer(self._body(sent))
        except SolarisApiError as exc:
            return self._refused(exc, verification)
        except ConfigurationError:
            raise
        except XeroBridgeError as exc:  # timeout, 5xx after retries: made or not, we cannot tell
            logger.warning("solaris transfer outcome unknown", extra={"error_code": exc.code})
            return RailOutcome(state="submitted", how="unknown", verification=verification)
        outcome = self._answered(created.body, created.is_change_request)
        return _with_verification(outcome, verification)

    def _verified(self, payment: PaymentRecord) -> dict[str, Any] | None:
        """A new verification when the payment's has expired (None: it is still good)."""
        approved = payment.payee_verification or {}
        if payees.is_fresh(approved):
            return None
        payee = payment.payee or {}
        name = transfers.send_name(payment)
        again = payees.verification_of(self.api.verify_payee(str(payee.get("iban")), name), name)
        if not payees.still_acceptable(approved, again):
            raise PayeeVerificationFailedError(
                f"the payee's verification changed from {approved.get('status')} to"
                f" {again['status']} since the payment was approved; nothing was sent",
                [{"field": "payee", "approved": approved.get("status"), "now": again["status"],
                  "suggested_name": again.get("suggested_name")}],
            )  # fmt: skip
        return again

    def _body(self, payment: PaymentRecord) -> dict[str, Any]:
        return transfers.body_of(payment, change_requests=bool(self.api.config.person_id))

    def _answered(self, body: dict[str, Any], is_change_request: bool) -> RailOutcome:
        if not is_change_request:
            return self._with_booking(body)
        if body.get("status") != "AUTHORIZATION_REQUIRED":
            return transfers.waiting(body)
        return self._authorize(body)

    def _authorize(self, change_request: dict[str, Any]) -> RailOutcome:
        """Start a TAN cycle (the TAN is sent); if Solaris does not answer, confirm will."""
        try:
            authorized = self.api.authorize(str(change_request["id"]))
        except (SolarisApiError, XeroBridgeError) as exc:
            logger.warning("solaris authorize failed", extra={"error": type(exc).__name__})
            return transfers.waiting(change_request)
        return transfers.waiting(authorized, _tan_expiry())

    def _refused(self, exc: SolarisApiError, verification: dict[str, Any] | None) -> RailOutcome:
        if exc.code == "insufficient_funds":
            error: ValidationFailedError = InsufficientFundsError(
                "Solaris says the available balance does not cover the payment; nothing was sent"
            )
        else:
            error = ValidationFailedError(
                f"Solaris refused the transfer: {exc.detail or exc.title or exc.code}",
                [{"code": exc.code, "field": exc.source_field, "status": exc.status}],
            )
        return RailOutcome(state="failed", failure=failure_of(error), verification=verification)

    # ------------------------------------------------------------------ the second factor
    def confirm(self, payment: PaymentRecord, factor: str) -> RailOutcome:
        change_id = str((payment.rail_data or {}).get("change_request_id") or "")
        if not change_id:
            raise ConflictError("the payment has no change request at Solaris to confirm")
        try:
            answer = self.api.confirm(change_id, factor)
        except SolarisApiError as exc:
            return self._confirm_refused(change_id, exc)
        return self._completed(answer)

    def _confirm_refused(self, change_id: str, exc: SolarisApiError) -> RailOutcome:
        if exc.code not in (
            "invalid_tan",
            "change_request_expired",
            "invalid_change_request_state",
        ):
            raise ValidationFailedError(
                f"Solaris refused the TAN: {exc.detail or exc.code}", [{"code": exc.code}]
            )
        change = self.api.change_request(change_id)
        status = str(change.get("status") or "")
        if status == "COMPLETED":  # confirmed meanwhile (an answer we never got)
            return self._completed(change)
        if status == "FAILED":
            error = InvalidTanError(
                "too many wrong TANs: Solaris cancelled the change request; nothing was sent"
            )
            return RailOutcome(state="failed", rail_status=status, failure=failure_of(error))
        if exc.code == "invalid_tan":
            refused = InvalidTanError("the TAN is not right: the payment waits for the right one")
            return RailOutcome(state="awaiting_confirmation", rail_status=status,
                               failure=failure_of(refused), how="tan_refused")  # fmt: skip
        waiting = self._authorize(change)  # expired, or never authorised: a new TAN
        expires = (waiting.data or {}).get("tan_expires_at")
        expired = TanExpiredError(
            "the TAN had expired: Solaris sent a new one; confirm with it",
            [{"tan_expires_at": expires}],
        )
        return RailOutcome(
            state="awaiting_confirmation",
            rail_status=waiting.rail_status,
            data=waiting.data,
            failure=failure_of(expired),
            how="reauthorize",
        )

    def _completed(self, change: dict[str, Any]) -> RailOutcome:
        transfer = change.get("response_body")
        if not isinstance(transfer, dict) or not transfer.get("id"):
            return transfers.waiting(change)
        outcome = self._with_booking(transfer)
        data = {**(outcome.data or {}), "change_request_status": "COMPLETED"}
        return replace(outcome, data=data)

    # ------------------------------------------------------------------ reading the truth
    def _read(self, payment: PaymentRecord) -> RailOutcome | None:
        data = payment.rail_data or {}
        if payment.rail_reference:
            return self._with_booking(self.api.transfer(payment.rail_reference))
        if data.get("change_request_id"):
            change = self.api.change_request(str(data["change_request_id"]))
            if change.get("status") == "COMPLETED":
                return self._completed(change)
            if change.get("status") == "FAILED":
                error = InvalidTanError("the change request failed at Solaris; nothing was sent")
                return RailOutcome(state="failed", rail_status="FAILED", failure=failure_of(error))
            return transfers.waiting(change)
        if payment.status == "submitted" and payment.rail_sent_at:
            return self._read_by_reference(payment)
        return None  # never handed to Solaris

    def _read_by_reference(self, payment: PaymentRecord) -> RailOutcome | None:
        try:
            created = self.api.create_transfer(self._body(payment))
        except SolarisApiError as exc:
            logger.info("no transfer for the reference", extra={"code": exc.code})
            return None  # refused: Solaris made nothing under this reference
        return self._answered(created.body, created.is_change_request)

    def _with_booking(self, transfer: dict[str, Any]) -> RailOutcome:
        booking = None
        if str(transfer.get("status") or "").lower() == "executed" and transfer.get("id"):
            booking = self.api.booking_of(str(transfer["id"]))
        return transfers.outcome_of(transfer, booking)


def _insufficient(needed: int, available: int) -> InsufficientFundsError:
    return InsufficientFundsError(
        "the Solaris account's available balance does not cover the payment; nothing was sent",
        [{"needed": f"{euros(needed):.2f}", "available": f"{euros(available):.2f}"}],
    )


def _tan_expiry() -> str:
    return (datetime.now(UTC) + TAN_LIFETIME).isoformat(timespec="seconds")


def _with_verification(outcome: RailOutcome, verification: dict[str, Any] | None) -> RailOutcome:
    return outcome if verification is None else replace(outcome, verification=verification)
