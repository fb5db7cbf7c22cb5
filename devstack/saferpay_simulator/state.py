"""What the simulator holds: payment page sessions (by token), transactions (by id), the
notification attempts and the API call log, behind one lock."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from devstack.sim_kit.locked_state import LockedState

from .errors import Behavior
from .validation import InitializeRequest

SessionStatus = Literal["OPEN", "PAID", "FAILED"]
NotifyKind = Literal["success", "fail"]
TransactionStatus = Literal["AUTHORIZED", "CAPTURED", "PENDING", "CANCELED", "FAILED"]


@dataclass
class CardUsed:
    """What the payer typed, as Assert may show it (never the full number or the CVC)."""

    brand: str  # VISA, MASTERCARD
    brand_name: str
    masked_number: str
    display_text: str
    exp_month: int
    exp_year: int
    holder_name: str | None
    country_code: str = "CH"


@dataclass
class Failure:
    """Why a payment failed, as Assert reports it (an ErrorName of the JSON API)."""

    name: str  # TRANSACTION_DECLINED, 3DS_AUTHENTICATION_FAILED, TRANSACTION_ABORTED
    message: str
    behavior: Behavior
    payer_message: str | None = None
    processor: dict[str, str] = field(default_factory=dict)


@dataclass
class Transaction:
    transaction_id: str
    token: str
    status: TransactionStatus
    amount_value: str  # minor units, as on the wire
    currency: str
    order_id: str | None
    date: float  # authorization (or failure) time, simulator clock
    acquirer_name: str
    acquirer_reference: str
    approval_code: str
    card: CardUsed | None = None
    liability: dict[str, Any] | None = None
    failure: Failure | None = None
    payer_ip: str | None = None
    capture_id: str | None = None
    captured_value: str | None = None
    captured_at: float | None = None
    canceled_at: float | None = None


@dataclass
class PageSession:
    """One PaymentPage Initialize: its token, what it asked for, and how it ended."""

    token: str
    request: InitializeRequest
    created_at: float
    expires_at: float
    status: SessionStatus = "OPEN"
    transaction_id: str | None = None


@dataclass
class NotificationAttempt:
    token: str
    kind: NotifyKind
    url: str
    attempt: int
    at: float
    status: int | None  # None: no answer (refused, timed out)
    error: str | None = None


@dataclass
class ApiCall:
    path: str
    status: int
    request_id: str | None
    retry_indicator: int | None
    replayed: bool


class Store(LockedState):
    """Everything mutable. Hold ``lock`` while reading or writing."""

    def _empty(self) -> None:
        self.sessions: dict[str, PageSession] = {}
        self.transactions: dict[str, Transaction] = {}
        self.notifications: list[NotificationAttempt] = []
        self.calls: list[ApiCall] = []
