"""The simulator's business: payment page sessions, the payments made on them, and the
transactions that Assert, Capture and Cancel work on. Hold no HTTP here."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from devstack.sim_kit.clock import SimClock

from . import errors
from .cards import Brand, CardEntry, CardInputError, brand_of, card_used, outcome_of
from .config import SaferpayConfig
from .render import assert_answer, failure_error
from .state import Failure, PageSession, Store, Transaction
from .validation import InitializeRequest
from .wire import iso_at, new_digits, new_token, new_transaction_id


class PageProblem(Exception):
    """The payment page cannot take a payment for this token (unknown, expired, used)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


SettledHook = Callable[[PageSession], None]


class Ledger:
    def __init__(
        self,
        store: Store,
        clock: SimClock,
        config: Callable[[], SaferpayConfig],
        on_settled: SettledHook,
    ) -> None:
        self.store = store
        self.clock = clock
        self.config = config
        self.on_settled = on_settled

    # --- PaymentPage ----------------------------------------------------------------------

    def initialize(self, request: InitializeRequest) -> PageSession:
        now = self.clock.now()
        session = PageSession(
            token=new_token(),
            request=request,
            created_at=now,
            expires_at=now + self.config().page_ttl_seconds,
        )
        with self.store.lock:
            self.store.sessions[session.token] = session
        return session

    def open_session(self, token: str) -> PageSession:
        """The session the page may still take a payment for."""
        with self.store.lock:
            session = self.store.sessions.get(token)
            if session is None:
                raise PageProblem(404, "This payment page does not exist.")
            if session.status != "OPEN":
                raise PageProblem(409, "This payment has already been processed.")
            if self.clock.now() >= session.expires_at:
                raise PageProblem(410, "This payment page has expired.")
            return session

    def pay(self, token: str, entry: CardEntry, payer_ip: str | None) -> Transaction:
        """What submitting the card form does: authorize, decline or fail 3-D Secure."""
        with self.store.lock:
            session = self.open_session(token)
            brand = brand_of(entry.number)
            if not _brand_allowed(session.request.payment_methods, brand):
                raise CardInputError(["This card brand is not accepted for this payment."])
            outcome = outcome_of(entry.number)
            transaction = self._new_transaction(session, payer_ip)
            transaction.card = card_used(entry)
            if brand is not None:
                transaction.acquirer_name = brand.acquirer
            if outcome == "authorized":
                transaction.status = "AUTHORIZED"
                transaction.liability = _liability_shifted()
            elif outcome == "3ds_failed":
                transaction.failure = Failure(
                    "3DS_AUTHENTICATION_FAILED",
                    "3D-Secure authentication failed",
                    "DO_NOT_RETRY",
                    payer_message="Card holder information -> Failed",
                )
            else:
                transaction.failure = Failure(
                    "TRANSACTION_DECLINED",
                    "Transaction declined",
                    "DO_NOT_RETRY",
                    processor={
                        "ProcessorName": transaction.acquirer_name,
                        "ProcessorResult": "05",
                        "ProcessorMessage": "Do not honor",
                    },
                )
            self._settle(session, transaction)
        self.on_settled(session)
        return transaction

    def abort(self, token: str) -> Transaction:
        """The payer cancels on the page."""
        with self.store.lock:
            session = self.open_session(token)
            transaction = self._new_transaction(session, None)
            transaction.failure = Failure(
                "TRANSACTION_ABORTED", "Transaction aborted", "DO_NOT_RETRY"
            )
            self._settle(session, transaction)
        self.on_settled(session)
        return transaction

    def assert_payment(self, token: str) -> dict[str, Any]:
        """PaymentPage Assert: the transaction, or the error that says why there is none."""
        now = self.clock.now()
        with self.store.lock:
            session = self.store.sessions.get(token)
            if session is None:
                raise errors.token_invalid()
            if now >= session.created_at + self.config().assert_ttl_seconds:
                raise errors.token_expired()
            if session.status == "OPEN":
                if now >= session.expires_at:
                    raise errors.token_expired()
                raise errors.transaction_not_started()
            assert session.transaction_id is not None
            transaction = self.store.transactions[session.transaction_id]
            if transaction.failure is not None:
                raise failure_error(transaction)
            return assert_answer(transaction)

    # --- Transaction ----------------------------------------------------------------------

    def capture(
        self, transaction_id: str | None, order_id: str | None, amount: tuple[str, str] | None
    ) -> dict[str, Any]:
        with self.store.lock:
            transaction = self._find(transaction_id, order_id)
            self._must_be_authorized(transaction)
            value = transaction.amount_value
            if amount is not None:
                value, currency = amount
                if currency != transaction.currency:
                    raise errors.SaferpayError(402, "CURRENCY_INVALID", "Currency invalid")
                if not 0 < int(value) <= int(transaction.amount_value):
                    raise errors.SaferpayError(
                        402,
                        "AMOUNT_INVALID",
                        "Amount invalid",
                        detail=["Amount.Value: must be between 1 and the authorized amount"],
                    )
            transaction.status = "CAPTURED"
            transaction.capture_id = f"{transaction.transaction_id}_c"
            transaction.captured_value = value
            transaction.captured_at = self.clock.now()
            return {
                "CaptureId": transaction.capture_id,
                "Status": "CAPTURED",
                "Date": iso_at(transaction.captured_at),
            }

    def cancel(self, transaction_id: str | None, order_id: str | None) -> dict[str, Any]:
        with self.store.lock:
            transaction = self._find(transaction_id, order_id)
            self._must_be_authorized(transaction)
            transaction.status = "CANCELED"
            transaction.canceled_at = self.clock.now()
            answer: dict[str, Any] = {"TransactionId": transaction.transaction_id}
            if transaction.order_id:
                answer["OrderId"] = transaction.order_id
            answer["Date"] = iso_at(transaction.canceled_at)
            return answer

    # --- helpers --------------------------------------------------------------------------

    def _new_transaction(self, session: PageSession, payer_ip: str | None) -> Transaction:
        return Transaction(
            transaction_id=new_transaction_id(),
            token=session.token,
            status="FAILED",
            amount_value=session.request.amount_value,
            currency=session.request.currency,
            order_id=session.request.order_id,
            date=self.clock.now(),
            acquirer_name="Saferpay Test Card",
            acquirer_reference=new_digits(12),
            approval_code=new_digits(6),
            payer_ip=payer_ip,
        )

    def _settle(self, session: PageSession, transaction: Transaction) -> None:
        self.store.transactions[transaction.transaction_id] = transaction
        session.transaction_id = transaction.transaction_id
        session.status = "PAID" if transaction.failure is None else "FAILED"

    def _find(self, transaction_id: str | None, order_id: str | None) -> Transaction:
        if transaction_id is not None:
            found = self.store.transactions.get(transaction_id)
            if found is None:
                raise errors.transaction_not_found()
            return found
        matches = [t for t in self.store.transactions.values() if t.order_id == order_id]
        if not matches:
            raise errors.transaction_not_found()
        if len(matches) > 1:
            raise errors.validation_failed(
                ["TransactionReference.OrderId: The OrderId is not unambiguous."]
            )
        return matches[0]

    @staticmethod
    def _must_be_authorized(transaction: Transaction) -> None:
        if transaction.status == "CAPTURED":
            raise errors.already_captured()
        if transaction.status != "AUTHORIZED":
            raise errors.wrong_state(transaction.status)


def _brand_allowed(payment_methods: list[str] | None, brand: Brand | None) -> bool:
    """Initialize's PaymentMethods restrict the brands the page takes (CARD: any card)."""
    if not payment_methods or "CARD" in payment_methods:
        return True
    return brand is not None and brand.payment_method in payment_methods


def _liability_shifted() -> dict[str, Any]:
    """What the 3-D Secure "enrolled" test cards give: full authentication, liability shift."""
    return {
        "LiabilityShift": True,
        "LiableEntity": "THREEDS",
        "ThreeDs": {
            "Authenticated": True,
            "AuthenticationType": "STRONG_CUSTOMER_AUTHENTICATION",
            "Version": "2",
            "Xid": str(uuid.uuid4()),
        },
        "InPsd2Scope": "YES",
    }
