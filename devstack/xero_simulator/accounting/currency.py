"""Foreign currencies as Xero handles them (multi-currency organisations).

- A document's currency is the base currency or one the organisation enabled
  (GET /Currencies); its ``CurrencyRate`` (units of the document's currency per unit of the
  base currency) is the one sent, else the day's rate (Xero takes XE.com's; here `DAY_RATES`).
- A payment's ``Amount`` is in the invoice's currency. Its bank account must be in the
  invoice's currency or in the base currency; anything else is refused. Against a foreign
  invoice the payment's ``CurrencyRate`` is the one sent, else the day's rate; its
  ``BankAmount`` is what left the bank account: the amount itself from an account in the
  invoice's currency, the amount converted at the rate from a base-currency account. A
  base-currency invoice's payment has rate 1 whatever was sent.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from ..problems import ValidationFailed
from ..state import Record, TenantBook

ONE = Decimal("1.0000000000")
CENT = Decimal("0.01")
# Units of the currency per unit of the base currency, as a day's rate (fixed here).
DAY_RATES: dict[tuple[str, str], Decimal] = {
    ("NZD", "EUR"): Decimal("0.5480000000"),
    ("NZD", "USD"): Decimal("0.5960000000"),
    ("AUD", "EUR"): Decimal("0.6050000000"),
    ("AUD", "USD"): Decimal("0.6580000000"),
}
DESCRIPTIONS = {"EUR": "Euro", "USD": "United States Dollar", "NZD": "New Zealand Dollar",
                "AUD": "Australian Dollar"}  # fmt: skip


def base(book: TenantBook) -> str:
    return str(book.organisation["BaseCurrency"])


def currencies(book: TenantBook) -> list[Record]:
    codes = [base(book), *sorted(book.currencies)]
    return [{"Code": c, "Description": DESCRIPTIONS.get(c, c)} for c in codes]


def day_rate(book: TenantBook, code: str) -> Decimal:
    if code == base(book):
        return ONE
    return DAY_RATES.get((base(book), code), ONE)


def document_currency(book: TenantBook, code: str) -> str:
    if code != base(book) and code not in book.currencies:
        raise ValidationFailed([f"The currency {code} is not enabled for this organisation"])
    return code


def rate_of(raw: Any, book: TenantBook, code: str) -> Decimal:
    """The rate sent (a positive decimal), else the day's; 1 for the base currency."""
    if code == base(book):
        return ONE
    if raw in (None, ""):
        return day_rate(book, code)
    try:
        rate = Decimal(str(raw))
    except InvalidOperation:
        raise ValidationFailed(["CurrencyRate must be a number"]) from None
    if not rate.is_finite() or rate <= 0:
        raise ValidationFailed(["CurrencyRate must be greater than zero"])
    return rate.quantize(ONE)


def payment_amounts(
    book: TenantBook, invoice: Record, account: Record, amount: Decimal, raw_rate: Any
) -> tuple[Decimal, Decimal]:
    """(CurrencyRate, BankAmount) of a payment, or ValidationFailed for a bank account in a
    third currency."""
    invoice_currency = str(invoice.get("CurrencyCode") or base(book))
    account_currency = str(account.get("CurrencyCode") or base(book))
    if account_currency not in (invoice_currency, base(book)):
        raise ValidationFailed(
            [
                f"The bank account is in {account_currency}: a payment of a {invoice_currency}"
                f" invoice must come from a {invoice_currency} or a {base(book)} bank account"
            ]
        )
    rate = rate_of(raw_rate, book, invoice_currency)
    if account_currency == invoice_currency:
        return rate, amount
    return rate, (amount / rate).quantize(CENT)
