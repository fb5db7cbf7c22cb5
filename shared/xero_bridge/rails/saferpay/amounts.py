"""Money at the Saferpay boundary: integer minor units, written as a string (``"12345"``), as
its JSON wants; Decimal everywhere else, never a float.

The exponent is ISO 4217's: 2 for most currencies, 0 for a few (JPY…), 3 for a few (BHD…).
An amount that does not fit the currency's exponent is refused, never rounded.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from xero_bridge.errors import UpstreamError

ZERO_DECIMALS = frozenset(
    {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV",
     "XAF", "XOF", "XPF"}
)  # fmt: skip
THREE_DECIMALS = frozenset({"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"})


def exponent(currency: str) -> int:
    if currency in ZERO_DECIMALS:
        return 0
    return 3 if currency in THREE_DECIMALS else 2


def minor_units(amount: Decimal, currency: str) -> str:
    """`amount` in `currency`'s minor units, as Saferpay's ``Value`` (ValueError when it has
    more decimals than the currency)."""
    value = amount.scaleb(exponent(currency))
    if value != value.to_integral_value() or value <= 0:
        raise ValueError(f"{amount} is not a positive amount of {currency}")
    return str(int(value))


def major_units(value: Any, currency: str) -> Decimal:
    """Saferpay's ``Value`` (a string of digits) as a Decimal amount of `currency`."""
    text = str(value)
    if not text.isdigit():
        raise UpstreamError("Saferpay answered an amount that is not integer minor units")
    return Decimal(int(text)).scaleb(-exponent(currency))
