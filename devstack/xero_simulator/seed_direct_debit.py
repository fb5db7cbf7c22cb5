"""What demo organisation A holds for direct debit (GoCardless): a EUR bank account that is
GoCardless's balance in the books (the clearing account collections are recorded against),
and AUTHORISED EUR sales invoices to customers whose first names are GoCardless's sandbox
scenarios (`devstack.demo_data.GOCARDLESS_SCENARIOS`), so that the mandate each one
authorises on the simulator's page behaves as that scenario does:

| customer | their collection |
|---|---|
| Successful Schmidt | confirmed, paid out: recorded (two invoices, one to collect in part) |
| Penniless Weber | fails (insufficient funds): nothing in Xero |
| Fickle Becker | confirmed, then charged back: recorded, then reversed |
| Late Hoffmann | confirmed, then fails late: recorded, then reversed |

The contacts carry what GoCardless's page asks for (name, e-mail, a German street address),
so the customer only confirms the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from devstack.demo_data import GOCARDLESS_SCENARIOS

from .accounting.currency import DAY_RATES
from .seed_records import bank_account, contact, rail_documents
from .state import TenantBook

EUR = "EUR"
A_GOCARDLESS_ACCOUNT_ID = "a0000000-0000-4000-8000-000000000097"
A_GOCARDLESS_ACCOUNT_CODE = "097"


@dataclass(frozen=True)
class DirectDebitCustomer:
    scenario: str  # the contact's FirstName: GoCardless's sandbox scenario
    last_name: str
    contact_id: str
    street: str
    city: str
    postal_code: str

    @property
    def name(self) -> str:
        return f"{self.scenario} {self.last_name}"

    @property
    def email(self) -> str:
        return f"{self.scenario.lower()}.{self.last_name.lower()}@example.de"


_LAST_NAMES = ("Schmidt", "Weber", "Becker", "Hoffmann")
_STREETS = (
    ("Hauptstr. 1", "Berlin", "10115"),
    ("Gartenweg 7", "Hamburg", "20095"),
    ("Lindenallee 23", "München", "80331"),
    ("Am Markt 4", "Köln", "50667"),
)
CUSTOMERS: dict[str, DirectDebitCustomer] = {
    scenario: DirectDebitCustomer(
        scenario, last, f"a1000000-0000-4000-8000-0000000002{i:02d}", *_STREETS[i]
    )
    for i, (scenario, last) in enumerate(zip(GOCARDLESS_SCENARIOS, _LAST_NAMES, strict=True))
}
# invoice (id, number, amount) by name; each to the customer of its scenario
EUR_INVOICES: dict[str, tuple[str, str, Decimal]] = {
    "successful": ("a3000000-0000-4000-8000-000000000201", "DD-1001", Decimal("480.00")),
    "successful_part": ("a3000000-0000-4000-8000-000000000202", "DD-1002", Decimal("750.00")),
    "penniless": ("a3000000-0000-4000-8000-000000000203", "DD-1003", Decimal("125.00")),
    "fickle": ("a3000000-0000-4000-8000-000000000204", "DD-1004", Decimal("260.00")),
    "late": ("a3000000-0000-4000-8000-000000000205", "DD-1005", Decimal("199.90")),
}
_INVOICE_CUSTOMER = {
    "successful": "Successful",
    "successful_part": "Successful",
    "penniless": "Penniless",
    "fickle": "Fickle",
    "late": "Late",
}


def add_direct_debit_demo(book: TenantBook, today: date) -> None:
    book.add(
        "Accounts",
        bank_account(A_GOCARDLESS_ACCOUNT_ID, A_GOCARDLESS_ACCOUNT_CODE, "GoCardless EUR", EUR),
    )
    for customer in CUSTOMERS.values():
        book.add(
            "Contacts",
            contact(
                customer.contact_id,
                customer.name,
                True,
                FirstName=customer.scenario,
                LastName=customer.last_name,
                EmailAddress=customer.email,
                DefaultCurrency=EUR,
                Addresses=[
                    {"AddressType": "STREET", "AddressLine1": customer.street,
                     "City": customer.city, "PostalCode": customer.postal_code, "Country": "DE"}
                ],
            ),
        )  # fmt: skip
    sales = [
        (invoice_id, number, amount, CUSTOMERS[_INVOICE_CUSTOMER[name]].contact_id)
        for name, (invoice_id, number, amount) in EUR_INVOICES.items()
    ]
    rail_documents(book, today, "ACCREC", "Consulting", (EUR, DAY_RATES[("NZD", EUR)]), sales)
