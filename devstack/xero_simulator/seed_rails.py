"""What demo organisation A holds for the payment rails: EUR, a EUR bank account that is the
Solaris account in the books, and AUTHORISED EUR bills from the suppliers the Solaris
simulator knows (`devstack.demo_data.SOLARIS_PAYEES`: one verifies as MATCH, one CLOSE_MATCH,
one NO_MATCH, one is declined by its bank), their IBANs in the contacts' bank details as
people type them into Xero (with spaces, or without).

Every bill is below the approval threshold (10,000.00), but one of Müller's, above it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from devstack.demo_data import SOLARIS_ACCOUNT_IBAN, SOLARIS_PAYEES

from .accounting.currency import DAY_RATES
from .state import Record, TenantBook

EUR = "EUR"
A_EUR_BANK_ACCOUNT_ID = "a0000000-0000-4000-8000-000000000095"
A_EUR_BANK_ACCOUNT_CODE = "095"
A_EUR_RATE = DAY_RATES[("NZD", EUR)]  # the bills' CurrencyRate (EUR per NZD)

# contact id and bill (id, number, amount) per payee, in SOLARIS_PAYEES' order
SUPPLIER_IDS = tuple(f"a1000000-0000-4000-8000-0000000001{i:02d}" for i in range(4))
EUR_BILLS: dict[str, tuple[str, str, Decimal]] = {
    "match": ("a3000000-0000-4000-8000-000000000101", "MB-2024-117", Decimal("1234.56")),
    "close_match": ("a3000000-0000-4000-8000-000000000102", "SPL-5531", Decimal("845.00")),
    "no_match": ("a3000000-0000-4000-8000-000000000103", "NW-0092", Decimal("410.00")),
    "declines": ("a3000000-0000-4000-8000-000000000104", "AV-3307", Decimal("275.40")),
    "match_large": ("a3000000-0000-4000-8000-000000000105", "MB-2024-120", Decimal("12500.00")),
}
_BILL_PAYEE = {"match": 0, "close_match": 1, "no_match": 2, "declines": 3, "match_large": 0}

Invoicer = Callable[..., Record]


def typed(iban: str, spaced: bool) -> str:
    """An IBAN as a person types it into Xero's bank details."""
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4)) if spaced else iban


def add_rail_demo(book: TenantBook, today: date, invoice: Invoicer, contact: Invoicer) -> None:
    book.currencies[EUR] = "Euro"
    book.add("Accounts", _eur_bank_account(book))
    for index, (payee, contact_id) in enumerate(zip(SOLARIS_PAYEES, SUPPLIER_IDS, strict=True)):
        book.add(
            "Contacts",
            contact(
                contact_id,
                payee.xero_name,
                False,
                BankAccountDetails=typed(payee.iban, spaced=index % 2 == 0),
                DefaultCurrency=EUR,
            ),
        )
    for name, (bill_id, number, amount) in EUR_BILLS.items():
        bill = invoice(
            book,
            bill_id,
            "ACCPAY",
            "AUTHORISED",
            SUPPLIER_IDS[_BILL_PAYEE[name]],
            number,
            today - timedelta(days=10),
            today + timedelta(days=20),
            [{"Description": f"Supplies ({number})", "Quantity": 1, "UnitAmount": str(amount),
              "AccountCode": "429", "TaxType": "NONE"}],
        )  # fmt: skip
        bill.update(CurrencyCode=EUR, CurrencyRate=A_EUR_RATE)


def _eur_bank_account(book: TenantBook) -> dict[str, Any]:
    base = next(iter(book.table("Accounts").values()))
    return {
        "AccountID": A_EUR_BANK_ACCOUNT_ID,
        "Code": A_EUR_BANK_ACCOUNT_CODE,
        "Name": "Solaris EUR Account",
        "Type": "BANK",
        "Class": "ASSET",
        "Status": "ACTIVE",
        "TaxType": "NONE",
        "EnablePaymentsToAccount": False,
        "ShowInExpenseClaims": False,
        "CurrencyCode": EUR,
        "BankAccountNumber": SOLARIS_ACCOUNT_IBAN,
        "BankAccountType": "BANK",
        "UpdatedDateUTC": base["UpdatedDateUTC"],
    }
