"""What demo organisation A holds for card payment links (Saferpay): a EUR bank account that is
Saferpay's clearing account in the books, and AUTHORISED EUR sales invoices of customers to
send payment links to — one to pay whole, one to pay by parts, one for trying the card that
fails 3-D Secure. Saferpay's demo terminal takes EUR (devstack/saferpay_simulator/config.py).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from .seed_records import bank_account, contact, rail_documents
from .state import TenantBook

EUR = "EUR"
A_CARD_CLEARING_ACCOUNT_ID = "a0000000-0000-4000-8000-000000000098"
A_CARD_CLEARING_ACCOUNT_CODE = "098"

CARD_CUSTOMERS: dict[str, tuple[str, str]] = {  # id, name
    "lumiere": ("a1000000-0000-4000-8000-000000000501", "Café Lumière SARL"),
    "nordlicht": ("a1000000-0000-4000-8000-000000000502", "Nordlicht Design GmbH"),
}
# invoice id, number, amount (EUR), customer
CARD_INVOICES: dict[str, tuple[str, str, Decimal, str]] = {
    "whole": ("a3000000-0000-4000-8000-000000000501", "INV-EU-0101", Decimal("249.90"), "lumiere"),
    "parts": ("a3000000-0000-4000-8000-000000000502", "INV-EU-0102", Decimal("1200.00"),
              "nordlicht"),
    "declines": ("a3000000-0000-4000-8000-000000000503", "INV-EU-0103", Decimal("89.50"),
                 "lumiere"),
}  # fmt: skip


def add_card_demo(book: TenantBook, today: date, rate: Decimal) -> None:
    """EUR must be one of the book's currencies already (`seed_rails` adds it); `rate` is the
    day's EUR per base currency."""
    book.add(
        "Accounts",
        bank_account(
            A_CARD_CLEARING_ACCOUNT_ID, A_CARD_CLEARING_ACCOUNT_CODE, "Saferpay EUR Clearing", EUR
        ),
    )
    for contact_id, name in CARD_CUSTOMERS.values():
        book.add("Contacts", contact(contact_id, name, True, DefaultCurrency=EUR))
    sales = [
        (i, number, amount, CARD_CUSTOMERS[c][0]) for i, number, amount, c in CARD_INVOICES.values()
    ]
    rail_documents(book, today, "ACCREC", "Services", (EUR, rate), sales)
