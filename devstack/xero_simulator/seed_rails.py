"""What demo organisation A holds for the payment rails: EUR, a EUR bank account that is the
Solaris account in the books, and AUTHORISED EUR bills from the suppliers the Solaris
simulator knows (`devstack.demo_data.SOLARIS_PAYEES`: one verifies as MATCH, one CLOSE_MATCH,
one NO_MATCH, one is declined by its bank), their IBANs in the contacts' bank details as
people type them into Xero (with spaces, or without).

Every bill is below the approval threshold (10,000.00), but one of Müller's, above it.

For the okx rail: USD, a USD bank account that is the OKX funding account in the books (its
clearing account), a "Crypto Network Fees" expense account, and AUTHORISED USD bills from
Lumen Data Services, a supplier paid in USDT on TRON (its address is the one the OKX
simulator has verified, `devstack.demo_data.OKX_VERIFIED_ADDRESSES`): one ordinary bill, one
too small for OKX's minimum withdrawal, one larger than the demo's USDT balance.

Direct debit's customers, invoices and clearing account: `seed_direct_debit`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from devstack.demo_data import SOLARIS_ACCOUNT_IBAN, SOLARIS_PAYEES

from .accounting.currency import DAY_RATES
from .seed_cards import add_card_demo
from .seed_direct_debit import add_direct_debit_demo
from .seed_records import add_foreign_bank_account, contact, ledger_account, rail_documents
from .state import TenantBook

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

USD = "USD"
A_OKX_BANK_ACCOUNT_ID = "a0000000-0000-4000-8000-000000000096"
A_OKX_BANK_ACCOUNT_CODE = "096"
A_OKX_FEE_ACCOUNT_ID = "a0000000-0000-4000-8000-000000000404"
A_OKX_FEE_ACCOUNT_CODE = "404"
A_USD_RATE = DAY_RATES[("NZD", USD)]
OKX_SUPPLIER_ID = "a1000000-0000-4000-8000-000000000110"
OKX_SUPPLIER_NAME = "Lumen Data Services Ltd"
USD_BILLS: dict[str, tuple[str, str, Decimal]] = {
    "usd": ("a3000000-0000-4000-8000-000000000111", "LDS-8841", Decimal("1250.00")),
    "usd_tiny": ("a3000000-0000-4000-8000-000000000112", "LDS-8842", Decimal("0.05")),
    "usd_large": ("a3000000-0000-4000-8000-000000000113", "LDS-8843", Decimal("60000.00")),
}


def typed(iban: str, spaced: bool) -> str:
    """An IBAN as a person types it into Xero's bank details."""
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4)) if spaced else iban


def add_rail_demo(book: TenantBook, today: date) -> None:
    add_foreign_bank_account(
        book,
        A_EUR_BANK_ACCOUNT_ID,
        A_EUR_BANK_ACCOUNT_CODE,
        "Solaris EUR Account",
        EUR,
        SOLARIS_ACCOUNT_IBAN,
    )
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
    bills = [
        (bill_id, number, amount, SUPPLIER_IDS[_BILL_PAYEE[name]])
        for name, (bill_id, number, amount) in EUR_BILLS.items()
    ]
    rail_documents(book, today, "ACCPAY", "Supplies", (EUR, A_EUR_RATE), bills, days=(10, 20))
    add_card_demo(book, today, A_EUR_RATE)  # card payment links (Saferpay)
    add_okx_demo(book, today)
    add_direct_debit_demo(book, today)  # GoCardless: seed_direct_debit.py


def add_okx_demo(book: TenantBook, today: date) -> None:
    add_foreign_bank_account(
        book,
        A_OKX_BANK_ACCOUNT_ID,
        A_OKX_BANK_ACCOUNT_CODE,
        "OKX Funding (USDT, in USD)",
        USD,
        "OKX-FUNDING-USDT",
    )
    book.add(
        "Accounts",
        ledger_account(
            A_OKX_FEE_ACCOUNT_ID,
            A_OKX_FEE_ACCOUNT_CODE,
            "Crypto Network Fees",
            "OVERHEADS",
            "EXPENSE",
            "NONE",
        ),
    )
    book.add("Contacts", contact(OKX_SUPPLIER_ID, OKX_SUPPLIER_NAME, False, DefaultCurrency=USD))
    bills = [
        (bill_id, number, amount, OKX_SUPPLIER_ID) for bill_id, number, amount in USD_BILLS.values()
    ]
    rail_documents(book, today, "ACCPAY", "Data services", (USD, A_USD_RATE), bills)
