"""Saferpay's test cards and what the payment page accepts as card input.

Saferpay's test environment: ``9010100052000004`` (Visa, "enrolled", full 3-D Secure, liability
shift) and ``9030100052000000`` (Mastercard) succeed; ``9010100152000003`` fails 3-D Secure
authentication and so the authorization fails. Any other well-formed number is declined here.
CVC, holder and expiry may be anything plausible (an expired card is refused by the form).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

from devstack.demo_data import (
    SAFERPAY_CARD_AUTH_FAILS,
    SAFERPAY_CARD_MASTERCARD,
    SAFERPAY_CARD_SUCCESS,
)

from .state import CardUsed

Outcome = Literal["authorized", "3ds_failed", "declined"]


@dataclass(frozen=True)
class Brand:
    payment_method: str  # Brand.PaymentMethod
    name: str  # Brand.Name
    acquirer: str  # Transaction.AcquirerName


VISA = Brand("VISA", "VISA", "VISA Saferpay Test")
MASTERCARD = Brand("MASTERCARD", "Mastercard", "Mastercard Saferpay Test")

TEST_CARD_OUTCOMES: dict[str, Outcome] = {
    SAFERPAY_CARD_SUCCESS: "authorized",
    SAFERPAY_CARD_AUTH_FAILS: "3ds_failed",
    SAFERPAY_CARD_MASTERCARD: "authorized",
}


@dataclass(frozen=True)
class CardEntry:
    number: str
    exp_month: int
    exp_year: int
    holder_name: str | None


class CardInputError(ValueError):
    """The payer's input cannot be a card; the page shows these messages and nothing happens."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def luhn_valid(number: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char)
        if position % 2:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def brand_of(number: str) -> Brand | None:
    """Saferpay test ranges 9010…/9030…, else the schemes' own prefixes."""
    if number.startswith(("9010", "4")):
        return VISA
    if number.startswith("9030") or re.match(r"^(5[1-5]|2[2-7])", number):
        return MASTERCARD
    return None


def outcome_of(number: str) -> Outcome:
    return TEST_CARD_OUTCOMES.get(number, "declined")


def read_card(form: Mapping[str, str], today: date) -> CardEntry:
    """The card from the page's form fields, or CardInputError with what is wrong."""
    problems: list[str] = []
    number = re.sub(r"[\s-]", "", form.get("CardNumber", ""))
    if not re.fullmatch(r"\d{12,19}", number) or not luhn_valid(number):
        problems.append("The card number is invalid.")
    elif brand_of(number) is None:
        problems.append("This card brand is not accepted.")
    month = _integer(form.get("ExpMonth", ""))
    year = _integer(form.get("ExpYear", ""))
    if year is not None and year < 100:
        year += 2000
    if month is None or not 1 <= month <= 12 or year is None or not 2000 <= year <= 9999:
        problems.append("The expiry date is invalid.")
    elif (year, month) < (today.year, today.month):
        problems.append("The card has expired.")
    if not re.fullmatch(r"\d{3,4}", form.get("VerificationCode", "").strip()):
        problems.append("The CVC must be 3 or 4 digits.")
    holder = form.get("HolderName", "").strip() or None
    if holder is not None and len(holder) > 50:
        problems.append("The holder name is too long (at most 50 characters).")
    if problems:
        raise CardInputError(problems)
    assert month is not None and year is not None
    return CardEntry(number, month, year, holder)


def card_used(entry: CardEntry) -> CardUsed:
    brand = brand_of(entry.number) or VISA
    number = entry.number
    masked = number[:6] + "x" * (len(number) - 10) + number[-4:]
    display = " ".join(masked[i : i + 4] for i in range(0, len(masked), 4))
    return CardUsed(
        brand=brand.payment_method,
        brand_name=brand.name,
        masked_number=masked,
        display_text=display,
        exp_month=entry.exp_month,
        exp_year=entry.exp_year,
        holder_name=entry.holder_name,
    )


def _integer(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() else None
