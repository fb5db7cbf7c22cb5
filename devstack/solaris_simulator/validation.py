"""The body of a SEPA credit transfer request, checked as Solaris checks it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .errors import invalid_model, type_error
from .iban import bic_problem, iban_problem

MAX_NAME = 70  # SEPA: recipient name
MAX_DESCRIPTION = 140  # SEPA: remittance information
MAX_END_TO_END_ID = 35
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


@dataclass(frozen=True)
class TransferRequest:
    amount_cents: int
    recipient_iban: str
    recipient_name: str
    recipient_bic: str | None
    description: str
    end_to_end_id: str | None
    reference: str | None
    change_request_enabled: bool
    verification_of_payee_id: str


def parse_transfer(
    body: dict[str, Any], reference_required: bool, change_request_default: bool
) -> TransferRequest:
    """Raises SolarisError (400) for the first thing wrong; unknown fields are ignored."""
    return TransferRequest(
        amount_cents=_amount(body.get("amount")),
        recipient_iban=_iban(body.get("recipient_iban")),
        recipient_name=_text(body, "recipient_name", MAX_NAME, required=True) or "",
        recipient_bic=_bic(body.get("recipient_bic")),
        description=_text(body, "description", MAX_DESCRIPTION) or "",
        end_to_end_id=_text(body, "end_to_end_id", MAX_END_TO_END_ID),
        reference=_reference(body.get("reference"), reference_required),
        change_request_enabled=_flag(body, "change_request_enabled", change_request_default),
        verification_of_payee_id=_text(body, "verification_of_payee_id", 64, required=True) or "",
    )


def _amount(amount: Any) -> int:
    if amount is None:
        raise invalid_model("amount", "is missing")
    if not isinstance(amount, dict):
        raise type_error("amount", "must be an object")
    value = amount.get("value")
    if value is None:
        raise invalid_model("amount.value", "is missing")
    if isinstance(value, bool) or not isinstance(value, int):
        raise type_error("amount.value", "must be an integer number of cents")
    if value <= 0:
        raise invalid_model("amount.value", "must be greater than 0")
    unit = amount.get("unit", "cents")
    if unit != "cents":
        raise invalid_model("amount.unit", "must be cents")
    currency = amount.get("currency")
    if currency is None:
        raise invalid_model("amount.currency", "is missing")
    if currency != "EUR":
        raise invalid_model("amount.currency", "is not supported (only EUR)")
    return value


def _iban(value: Any) -> str:
    if value is None or value == "":
        raise invalid_model("recipient_iban", "is missing")
    problem = iban_problem(value)
    if problem:
        raise invalid_model("recipient_iban", problem)
    return str(value)


def _bic(value: Any) -> str | None:
    if value is None or value == "":
        return None
    problem = bic_problem(value)
    if problem:
        raise invalid_model("recipient_bic", problem)
    return str(value)


def _text(body: dict[str, Any], field: str, limit: int, required: bool = False) -> str | None:
    value = body.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise invalid_model(field, "is missing")
        return None
    if not isinstance(value, str):
        raise type_error(field, "must be a string")
    if len(value) > limit:
        raise invalid_model(field, f"is too long (maximum is {limit} characters)")
    return value


def _reference(value: Any, required: bool) -> str | None:
    if value is None or value == "":
        if required:
            raise invalid_model("reference", "is missing")
        return None
    if not isinstance(value, str):
        raise type_error("reference", "must be a string")
    if not _UUID.match(value):
        raise invalid_model("reference", "is not a valid UUID")
    return value


def _flag(body: dict[str, Any], field: str, default: bool) -> bool:
    value = body.get(field, default)
    if not isinstance(value, bool):
        raise type_error(field, "must be a boolean")
    return value
