"""What the bank holds: transfers, their bookings, and change requests waiting for a TAN."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .validation import TransferRequest
from .wire import day, iso, money

BOOKING_TYPE = "SEPA_CREDIT_TRANSFER"


@dataclass
class Transfer:
    id: str
    account_id: str
    request: TransferRequest
    status: str  # accepted -> executed | declined
    created_at: float
    updated_at: float
    due_at: float  # when the bank executes (or the payee's bank declines) it
    declines: bool  # the payee's bank will decline it
    rejection_reason: str | None = None
    booking_id: str | None = None

    def render(self) -> dict[str, Any]:
        req = self.request
        body: dict[str, Any] = {
            "id": self.id,
            "status": self.status,
            "reference": req.reference,
            "amount": money(req.amount_cents),
            "description": req.description,
            "recipient_iban": req.recipient_iban,
            "recipient_name": req.recipient_name,
            "recipient_bic": req.recipient_bic,
            "end_to_end_id": req.end_to_end_id,
            "batch_id": None,
            "created_at": iso(self.created_at),
        }
        if self.status == "declined":
            body["rejection_reason"] = self.rejection_reason
        return body


@dataclass
class Booking:
    id: str
    account_id: str
    transfer: Transfer
    recorded_at: float
    sender: tuple[str, str, str]  # (iban, bic, name) of the account the money left

    @property
    def amount_cents(self) -> int:
        return -self.transfer.request.amount_cents

    def render(self) -> dict[str, Any]:
        req = self.transfer.request
        sender_iban, sender_bic, sender_name = self.sender
        return {
            "id": self.id,
            "creation_date": day(self.recorded_at),
            "valuta_date": day(self.recorded_at),
            "booking_date": day(self.recorded_at),
            "booking_type": BOOKING_TYPE,
            "amount": money(self.amount_cents),
            "description": req.description,
            "recipient_bic": req.recipient_bic,
            "recipient_iban": req.recipient_iban,
            "recipient_name": req.recipient_name,
            "sender_bic": sender_bic,
            "sender_iban": sender_iban,
            "sender_name": sender_name,
            "end_to_end_id": req.end_to_end_id,
            "transaction_id": self.transfer.id,
            "account_id": self.account_id,
            "recorded_at": iso(self.recorded_at),
        }


@dataclass
class ChangeRequest:
    """A transfer waiting for the person's second factor; the transfer exists only after."""

    id: str
    person_id: str
    account_id: str
    request: TransferRequest
    transfer_id: str  # the id the transfer will get (the VoP is bound to it)
    created_at: float
    updated_at: float
    status: str = "AUTHORIZATION_REQUIRED"
    delivery_method: str | None = None
    tan: str | None = None
    tan_expires_at: float | None = None
    wrong_tans: int = 0
    response_code: int | None = None
    response_body: dict[str, Any] | None = None

    def render(self, base_url: str) -> dict[str, Any]:
        body: dict[str, Any] = {
            "id": self.id,
            "status": self.status,
            "updated_at": iso(self.updated_at),
        }
        if self.status in ("AUTHORIZATION_REQUIRED", "EXPIRED"):
            body["url"] = f"{base_url}/v1/change_requests/{self.id}/authorize"
        elif self.status == "CONFIRMATION_REQUIRED":
            body["url"] = f"{base_url}/v1/change_requests/{self.id}/confirm"
        elif self.status == "COMPLETED":
            body["response_code"] = self.response_code
            body["response_body"] = self.response_body
        return body
