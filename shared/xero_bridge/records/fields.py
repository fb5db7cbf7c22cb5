"""The records API's field types: money and unit amounts as decimal strings, the text
limits Xero keeps, GUIDs, currency codes and the enumerations Xero takes.

`Money` and `Unit` serialise as decimal strings ("1150.00", "12.3456"), never binary floats;
their `…In` forms refuse more decimals than Xero keeps (2 for amounts, 4 for unit prices and
quantities). The models built from them are in `records.models`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, PlainSerializer, StringConstraints, WithJsonSchema

from xero_bridge.xero.currencies import XERO_CURRENCY_CODES, known_currency

CENT = Decimal("0.01")


def _money_text(value: Decimal) -> str:
    return format(value.quantize(CENT) if value == value.quantize(CENT) else value, "f")


def _unit_text(value: Decimal) -> str:
    text = format(value, "f")
    if "." not in text:
        return text + ".00"
    whole, fraction = text.split(".")
    fraction = fraction.rstrip("0")
    return f"{whole}.{fraction.ljust(2, '0')}"


# Out: a decimal string with 2 places. In: at most 2 decimals.
Money = Annotated[Decimal, PlainSerializer(_money_text, return_type=str, when_used="json")]
MoneyIn = Annotated[
    Decimal,
    Field(max_digits=15, decimal_places=2, allow_inf_nan=False),
    PlainSerializer(_money_text, return_type=str, when_used="json"),
]
# Unit prices, quantities and rates: up to 4 decimals (Xero's unitdp=4).
Unit = Annotated[Decimal, PlainSerializer(_unit_text, return_type=str, when_used="json")]
UnitIn = Annotated[
    Decimal,
    Field(max_digits=17, decimal_places=4, allow_inf_nan=False),
    PlainSerializer(_unit_text, return_type=str, when_used="json"),
]
Guid = Annotated[
    str,
    StringConstraints(
        pattern=r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
    ),
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)]
Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=30)]
# Names and numbers only as long as Xero keeps them.
AccountName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=150)]
ContactName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)]
Email = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=255, pattern=r"^[^@\s]+@[^@\s]+$")
]
ContactNumber = Annotated[str, StringConstraints(min_length=1, max_length=50)]
ItemName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]
# Xero refuses (and xero-python cannot even build) a currency it does not know: a 400 here.
CurrencyCode = Annotated[
    str,
    AfterValidator(known_currency),
    WithJsonSchema({"type": "string", "enum": sorted(XERO_CURRENCY_CODES)}),
]

AccountType = Literal[
    "BANK",
    "CURRENT",
    "CURRLIAB",
    "DEPRECIATN",
    "DIRECTCOSTS",
    "EQUITY",
    "EXPENSE",
    "FIXED",
    "INVENTORY",
    "LIABILITY",
    "NONCURRENT",
    "OTHERINCOME",
    "OVERHEADS",
    "PREPAYMENT",
    "REVENUE",
    "SALES",
    "TERMLIAB",
]
InvoiceType = Literal["ACCREC", "ACCPAY"]
InvoiceStatus = Literal["DRAFT", "SUBMITTED", "AUTHORISED", "PAID", "VOIDED", "DELETED"]
NewInvoiceStatus = Literal["DRAFT", "SUBMITTED", "AUTHORISED"]
LineAmountTypes = Literal["Exclusive", "Inclusive", "NoTax"]
AddressType = Literal["POBOX", "STREET"]  # what Xero takes on a contact (its spec)
PhoneType = Literal["DEFAULT", "DDI", "MOBILE", "FAX", "OFFICE"]
