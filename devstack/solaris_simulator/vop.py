"""Verification of Payee: the payee's bank compares a name with the account holder's."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from devstack.demo_data import SepaPayee

from .errors import invalid_model, unprocessable
from .iban import VOP_COUNTRIES, iban_problem
from .wire import iso, new_id

MAX_NAME = 140


@dataclass
class Verification:
    id: str
    iban: str
    name: str
    status: str
    suggested_name: str | None
    created_at: float
    expires_at: float
    used_for: dict[str, Any] | None = None

    def render(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "id": self.id,
            "payee": {"iban": self.iban, "name": self.name},
            "result": {"status": self.status, "suggested_name": self.suggested_name},
            "created_at": iso(self.created_at),
            "expires_at": iso(self.expires_at),
        }
        if self.used_for:
            body["used_for"] = self.used_for
        return body

    def accepts_name(self, name: str) -> bool:
        """A transfer may go out under the name that was verified or the one suggested."""
        names = {_fold(self.name)} | (
            {_fold(self.suggested_name)} if self.suggested_name else set()
        )
        return _fold(name) in names


def _fold(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def outcome(payees: tuple[SepaPayee, ...], iban: str, name: str) -> tuple[str, str | None]:
    """(status, suggested_name) for `name` on the account `iban`."""
    if iban[:2] not in VOP_COUNTRIES:
        return "VERIFICATION_NOT_SUPPORTED", None
    payee = next((p for p in payees if p.iban == iban), None)
    if payee is None:
        return "VERIFICATION_NOT_POSSIBLE", None
    if _fold(name) == _fold(payee.holder):
        return "MATCH", None
    if _fold(name) == _fold(payee.xero_name):
        # The demo data says what the bank answers for the name the supplier has in Xero.
        suggested = payee.holder if payee.verification == "CLOSE_MATCH" else None
        return payee.verification, suggested
    return "NO_MATCH", None


def parse_request(body: dict[str, Any]) -> tuple[str, str]:
    iban, name = body.get("iban"), body.get("name")
    if iban is None or iban == "":
        raise invalid_model("iban", "is missing")
    problem = iban_problem(iban)
    if problem:
        raise invalid_model("iban", problem)
    if not isinstance(name, str) or not name.strip():
        raise invalid_model("name", "is missing")
    if len(name) > MAX_NAME:
        raise invalid_model("name", f"is too long (maximum is {MAX_NAME} characters)")
    return str(iban), name


def create(
    payees: tuple[SepaPayee, ...], iban: str, name: str, now: float, ttl: int
) -> Verification:
    status, suggested = outcome(payees, iban, name)
    return Verification(new_id("veop"), iban, name, status, suggested, now, now + ttl)


def check_usable(
    verification: Verification | None, iban: str, name: str, transfer_id: str, now: float
) -> Verification:
    """The checks a transfer's `verification_of_payee_id` must pass before money moves."""
    field = "verification_of_payee_id"
    if verification is None:
        raise invalid_model(field, "does not name a verification of payee")
    if now >= verification.expires_at:
        raise unprocessable(
            "verification_of_payee_expired",
            "Verification Of Payee Expired",
            "The verification of payee has expired; verify the payee again",
            field,
        )
    if verification.iban != iban or not verification.accepts_name(name):
        raise unprocessable(
            "verification_of_payee_mismatch",
            "Verification Of Payee Mismatch",
            "The verification of payee was made for another recipient IBAN or name",
            field,
        )
    if verification.used_for and verification.used_for.get("id") != transfer_id:
        raise unprocessable(
            "verification_of_payee_already_used",
            "Verification Of Payee Already Used",
            "The verification of payee was already used for another transfer",
            field,
        )
    return verification


def mark_used(verification: Verification, transfer_id: str, now: float) -> None:
    verification.used_for = {"type": "SCT", "id": transfer_id, "timestamp": iso(now)}
