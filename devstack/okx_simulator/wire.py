"""How values go over OKX's wire: numbers as strings, times as Unix milliseconds."""

from __future__ import annotations

from decimal import Decimal


def number(value: Decimal) -> str:
    """A Decimal as OKX writes numbers: plain notation, no exponent, no trailing zeros."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def ms(seconds: float) -> str:
    return str(int(seconds * 1000))
