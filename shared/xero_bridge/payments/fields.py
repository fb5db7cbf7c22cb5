"""The field types the request models share (payments, collections, card payment links,
payout addresses): an amount as it was sent, a calendar date, and text without control
characters. Each checks in a plain function, so a model's field says only what it is.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, StringConstraints

from xero_bridge.payments.money import AmountError, parse_amount, parse_rate

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_REFERENCE = 200  # Xero allows 255; we append " xb:<tag>" (20 characters)


def _money(parse: Callable[[Any], Decimal]) -> Callable[[Any], Decimal]:
    """A before-validator of `parse`: AmountError is the field's error. (An optional field is
    None before any validator of its type is asked.)"""

    def validate(value: Any) -> Decimal:
        try:
            return parse(value)
        except AmountError as exc:
            raise ValueError(str(exc)) from None

    return validate


def iso_date(value: Any) -> dt.date:
    """Only an ISO calendar date: no timestamps, no datetimes, no numbers."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not _ISO_DATE.match(value.strip()):
        raise ValueError("must be a date as YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError("is not a valid calendar date") from None


def no_control_characters(value: str, *, delete_too: bool = False) -> str:
    """`value`, unless it holds a control character (below 32; with `delete_too`, DEL too)."""
    if any(ord(c) < 32 or (delete_too and ord(c) == 127) for c in value):
        raise ValueError("must not contain control characters")
    return value


def _text_or_none(value: str) -> str | None:
    """A free text: no control characters; empty is none."""
    return no_control_characters(value) if value else None


Amount = Annotated[Decimal, BeforeValidator(_money(parse_amount))]  # > 0, at most 2 decimals
Rate = Annotated[Decimal, BeforeValidator(_money(parse_rate))]  # > 0, at most 10 decimals
IsoDate = Annotated[dt.date, BeforeValidator(iso_date)]
# A payment's reference, kept in Xero: its length checked before its characters.
Reference = Annotated[
    str, StringConstraints(max_length=MAX_REFERENCE), AfterValidator(_text_or_none)
]
