"""Money: exact Decimal in, exact Decimal out, never a binary float in arithmetic.

- Request bodies are parsed by `xero_bridge.http.request.exact_json`: JSON numbers become
  Decimal straight from their text (no float ever exists), `NaN`/`Infinity` and exponent
  notation are refused.
- `parse_amount` accepts a decimal string, an int or a Decimal (from `exact_json`);
  refuses floats, booleans, exponents, NaN/Infinity, zero, negatives and more than 2 decimals.
- `minor_units` is an amount as the integer cents the bank rails' APIs take.
- `to_wire` is the one place an amount is handed to xero-python, whose serializer turns
  Decimal into float. It proves, for every amount it passes on, that the float's JSON text
  (Python's shortest round-trip repr) is exactly the decimal we mean: any decimal of at
  most 15 significant digits survives a double round trip, and amounts are capped below that
  (`MAX_AMOUNT`, 13 integer digits + 2 decimals), so the check can never fire for a valid
  amount — it is there so that a future change that breaks the argument fails loudly instead
  of losing a cent.
- Amounts read from Xero are parsed from the raw JSON text (`parse_float=Decimal`).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("9999999999999.99")  # 15 significant digits: exact through a double
MAX_RATE_DECIMALS = 10  # Xero's CurrencyRate precision

_AMOUNT_TEXT = re.compile(r"^\d{1,13}(\.\d{1,2})?$")
_RATE_TEXT = re.compile(r"^\d{1,8}(\.\d{1,10})?$")


class AmountError(ValueError):
    """An amount that is not a positive decimal with at most 2 decimals (a 400)."""


def _as_text(value: Any) -> str:
    """The decimal text of an amount-like value, or AmountError for anything else."""
    if isinstance(value, bool | float):
        # A float has already lost the amount it meant (0.1 + 0.2 == 0.30000000000000004).
        raise AmountError("must be a decimal string or an exact JSON number, not a float")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise AmountError("must be a finite number")
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent > 0:
            raise AmountError("must not use exponent notation")
        return format(value, "f")
    if isinstance(value, str):
        return value.strip()
    raise AmountError("must be a decimal string")


def parse_amount(value: Any) -> Decimal:
    """A positive amount with at most 2 decimals, exactly as sent (AmountError otherwise)."""
    text = _as_text(value)
    if text.startswith("-"):
        raise AmountError("must be positive")
    if not _AMOUNT_TEXT.match(text):
        if re.match(r"^\d+\.\d{3,}$", text):
            raise AmountError("must have at most 2 decimal places")
        if re.match(r"^\d{14,}(\.\d*)?$", text):
            raise AmountError(f"must not exceed {MAX_AMOUNT}")
        raise AmountError("must be a decimal number such as 123.45")
    return _above_zero(text)


def parse_rate(value: Any) -> Decimal:
    """A positive currency rate with at most 10 decimals."""
    text = _as_text(value)
    if not _RATE_TEXT.match(text):
        raise AmountError("must be a positive decimal with at most 10 decimal places")
    return _above_zero(text)


def _above_zero(text: str) -> Decimal:
    """The Decimal of text already matched as unsigned decimal digits, unless it is zero."""
    value = Decimal(text)
    if value <= 0:
        raise AmountError("must be greater than zero")
    return value


def minor_units(amount: Decimal) -> int:
    """An amount with at most 2 decimals as integer minor units, cents or pence (ValueError
    otherwise): how the bank rails' APIs take EUR and GBP."""
    value = amount * 100
    if value != value.to_integral_value():
        raise ValueError(f"{amount} has more than 2 decimals")
    return int(value)


def money_text(amount: Decimal) -> str:
    """An amount as the API answers it: a decimal string with exactly 2 decimals."""
    return format(amount.quantize(CENT), "f")


def to_wire(amount: Decimal) -> float:
    """The value xero-python will serialise for `amount`, proven to be exactly `amount`.

    xero-python turns Decimal into float and `json.dumps` writes a float's shortest repr, so
    what reaches Xero is `repr(float(amount))`. We refuse to send anything whose repr is not
    the same decimal.
    """
    if not amount.is_finite():
        raise ValueError("amount is not finite")
    as_float = float(amount)
    if Decimal(repr(as_float)) != amount:
        raise ValueError(f"{amount} cannot be sent to Xero exactly")
    return as_float


def rate_to_wire(rate: Decimal) -> float:
    return to_wire(rate)


def from_xero(value: Any) -> Decimal | None:
    """An amount from Xero's raw JSON (already Decimal via parse_float), as Decimal."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, str):
        try:
            return Decimal(value)
        except InvalidOperation:
            return None
    if isinstance(value, float):  # only if someone bypassed parse_float: repr is exact text
        return Decimal(repr(value))
    return None
