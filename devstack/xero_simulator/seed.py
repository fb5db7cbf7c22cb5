"""The two demo organisations every reset starts from. Ids are fixed so tests can name them."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from .config import DEMO_TENANT_A, DEMO_TENANT_B
from .seed_organisation import DemoOrganisation, demo_book
from .seed_rails import add_rail_demo
from .seed_records import SEED_TIME, contact, invoice
from .state import Store, TenantBook

# Tenant A: "Demo Company (NZ)", NZD, GST 15% (OUTPUT2/INPUT2).
A_BANK_ACCOUNT_ID = "a0000000-0000-4000-8000-000000000090"
A_SALES_ACCOUNT_ID = "a0000000-0000-4000-8000-000000000200"
A_CUSTOMER_ID = "a1000000-0000-4000-8000-000000000001"  # Ridgeway University: bank, tax, email
A_CUSTOMER_2_ID = "a1000000-0000-4000-8000-000000000002"
A_SUPPLIER_ID = "a1000000-0000-4000-8000-000000000003"
A_ITEM_ID = "a2000000-0000-4000-8000-000000000001"
A_INVOICE_DRAFT_ID = "a3000000-0000-4000-8000-000000000001"
A_INVOICE_AUTHORISED_ID = "a3000000-0000-4000-8000-000000000002"
A_INVOICE_OVERDUE_ID = "a3000000-0000-4000-8000-000000000003"
A_INVOICE_PAID_ID = "a3000000-0000-4000-8000-000000000004"
A_BILL_AUTHORISED_ID = "a3000000-0000-4000-8000-000000000005"
A_BILL_OVERDUE_ID = "a3000000-0000-4000-8000-000000000006"
A_PAYMENT_ID = "a4000000-0000-4000-8000-000000000001"
A_INVOICE_AUTHORISED_NUMBER = "INV-0002"
A_INVOICE_AUTHORISED_TOTAL = Decimal("1150.00")
A_CUSTOMER_NAME = "Ridgeway University"
A_CUSTOMER_BANK_ACCOUNT = "12-3456-7890123-00"
A_CUSTOMER_TAX_NUMBER = "123-456-789"
A_CUSTOMER_EMAIL = "accounts@ridgeway.example.com"
# Tenant B: "Demo Company (AU)", AUD, GST 10% (OUTPUT/INPUT).
B_BANK_ACCOUNT_ID = "b0000000-0000-4000-8000-000000000090"
B_CUSTOMER_ID = "b1000000-0000-4000-8000-000000000001"
B_SUPPLIER_ID = "b1000000-0000-4000-8000-000000000002"
B_INVOICE_AUTHORISED_ID = "b3000000-0000-4000-8000-000000000001"
B_BILL_AUTHORISED_ID = "b3000000-0000-4000-8000-000000000002"

# Both organisations track by region (options differ: A has South, B has West) and have added
# each other's currency (multi-currency, as Xero's demo companies can).
A_REGION_ID = "a5000000-0000-4000-8000-000000000001"
B_REGION_ID = "b5000000-0000-4000-8000-000000000001"


DEMO_A = DemoOrganisation(
    tenant_id=DEMO_TENANT_A,
    name="Demo Company (NZ)",
    country="NZ",
    currency="NZD",
    short_code="NZ1",
    gst_rate="15",
    output_tax="OUTPUT2",
    input_tax="INPUT2",
    gst_label="15% GST",
    account_prefix="a",
    other_currency="AUD",
    region_id=A_REGION_ID,
    regions=("North", "South"),
)
DEMO_B = DemoOrganisation(
    tenant_id=DEMO_TENANT_B,
    name="Demo Company (AU)",
    country="AU",
    currency="AUD",
    short_code="AU1",
    gst_rate="10",
    output_tax="OUTPUT",
    input_tax="INPUT",
    gst_label="GST",
    account_prefix="b",
    other_currency="NZD",
    region_id=B_REGION_ID,
    regions=("North", "West"),
)


def _seed_a(today: date) -> TenantBook:
    book = demo_book(DEMO_A)
    book.add(
        "Contacts",
        contact(
            A_CUSTOMER_ID,
            A_CUSTOMER_NAME,
            True,
            EmailAddress=A_CUSTOMER_EMAIL,
            BankAccountDetails=A_CUSTOMER_BANK_ACCOUNT,
            TaxNumber=A_CUSTOMER_TAX_NUMBER,
            FirstName="Mary",
            LastName="Ridgeway",
            ContactNumber="CUST-001",
            Phones=[
                {
                    "PhoneType": "DEFAULT",
                    "PhoneNumber": "5551234",
                    "PhoneAreaCode": "09",
                    "PhoneCountryCode": "64",
                },
                {"PhoneType": "MOBILE", "PhoneNumber": "0211234567"},
            ],
            Addresses=[
                {
                    "AddressType": "POBOX",
                    "AddressLine1": "PO Box 123",
                    "City": "Auckland",
                    "PostalCode": "1010",
                    "Country": "New Zealand",
                }
            ],
        ),
    )
    book.add(
        "Contacts",
        contact(A_CUSTOMER_2_ID, "Basket Case", True, EmailAddress="hello@basketcase.example.com"),
    )
    book.add(
        "Contacts",
        contact(
            A_SUPPLIER_ID,
            "PowerDirect",
            False,
            EmailAddress="billing@powerdirect.example.com",
            BankAccountDetails="02-0100-0123456-01",
        ),
    )
    book.add(
        "Items",
        {
            "ItemID": A_ITEM_ID,
            "Code": "DEV-HOUR",
            "Name": "Development hour",
            "Description": "Software development, per hour",
            "IsSold": True,
            "IsPurchased": False,
            "IsTrackedAsInventory": False,
            "SalesDetails": {
                "UnitPrice": Decimal("123.4567"),
                "AccountCode": "200",
                "TaxType": "OUTPUT2",
            },
            "PurchaseDetails": {},
            "UpdatedDateUTC": SEED_TIME,
        },
    )
    book.add(
        "Items",
        {
            "ItemID": "a2000000-0000-4000-8000-000000000002",
            "Code": "PAPER",
            "Name": "Printer paper",
            "IsSold": True,
            "IsPurchased": True,
            "IsTrackedAsInventory": False,
            "SalesDetails": {"UnitPrice": Decimal("9.9900"), "AccountCode": "200"},
            "PurchaseDetails": {"UnitPrice": Decimal("6.2500"), "AccountCode": "429"},
            "UpdatedDateUTC": SEED_TIME,
        },
    )
    week, month = timedelta(days=7), timedelta(days=30)
    invoice(
        book,
        A_INVOICE_DRAFT_ID,
        "ACCREC",
        "DRAFT",
        A_CUSTOMER_2_ID,
        "INV-0001",
        today,
        today + month,
        [{"Description": "Draft work", "Quantity": 2, "UnitAmount": "50.00", "AccountCode": "200"}],
    )
    invoice(
        book,
        A_INVOICE_AUTHORISED_ID,
        "ACCREC",
        "AUTHORISED",
        A_CUSTOMER_ID,
        A_INVOICE_AUTHORISED_NUMBER,
        today - week,
        today + month,
        [
            {
                "Description": "Consulting",
                "Quantity": 10,
                "UnitAmount": "100.00",
                "AccountCode": "200",
                "TaxType": "OUTPUT2",
            }
        ],
    )
    invoice(
        book,
        A_INVOICE_OVERDUE_ID,
        "ACCREC",
        "AUTHORISED",
        A_CUSTOMER_2_ID,
        "INV-0003",
        today - 3 * month,
        today - 2 * month,
        [{"ItemCode": "DEV-HOUR", "Quantity": "3"}],
    )
    paid = invoice(
        book,
        A_INVOICE_PAID_ID,
        "ACCREC",
        "PAID",
        A_CUSTOMER_ID,
        "INV-0004",
        today - 2 * month,
        today - month,
        [
            {
                "Description": "Annual licence",
                "Quantity": 1,
                "UnitAmount": "200.00",
                "AccountCode": "200",
            }
        ],
    )
    paid.update(AmountPaid=paid["Total"], AmountDue=Decimal("0.00"), FullyPaidOnDate=today - month)
    book.add(
        "Payments",
        {
            "PaymentID": A_PAYMENT_ID,
            "Date": today - month,
            "Amount": paid["Total"],
            "BankAmount": paid["Total"],
            "CurrencyRate": Decimal("1.0000000000"),
            "Reference": "Seeded payment",
            "IsReconciled": True,
            "Status": "AUTHORISED",
            "PaymentType": "ACCRECPAYMENT",
            "HasAccount": True,
            "HasValidationErrors": False,
            "UpdatedDateUTC": SEED_TIME,
            "Invoice": {"InvoiceID": A_INVOICE_PAID_ID},
            "Account": {"AccountID": A_BANK_ACCOUNT_ID},
        },
    )
    invoice(
        book,
        A_BILL_AUTHORISED_ID,
        "ACCPAY",
        "AUTHORISED",
        A_SUPPLIER_ID,
        "PD-7781",
        today - week,
        today + 2 * week,
        [
            {
                "Description": "Electricity",
                "Quantity": 1,
                "UnitAmount": "321.74",
                "AccountCode": "429",
                "TaxType": "INPUT2",
            }
        ],
    )
    invoice(
        book,
        A_BILL_OVERDUE_ID,
        "ACCPAY",
        "AUTHORISED",
        A_SUPPLIER_ID,
        "PD-7702",
        today - 2 * month,
        today - month,
        [{"ItemCode": "PAPER", "Quantity": 12}],
    )
    book.counters["INV"] = 4
    add_rail_demo(book, today)
    return book


def _seed_b(today: date) -> TenantBook:
    book = demo_book(DEMO_B)
    book.add(
        "Contacts",
        contact(
            B_CUSTOMER_ID,
            "Koala Cafe",
            True,
            EmailAddress="owner@koalacafe.example.com",
            TaxNumber="51 824 753 556",
            BankAccountDetails="062-000 98765432",
            Phones=[
                {
                    "PhoneType": "DEFAULT",
                    "PhoneNumber": "92345678",
                    "PhoneAreaCode": "02",
                    "PhoneCountryCode": "61",
                }
            ],
        ),
    )
    book.add("Contacts", contact(B_SUPPLIER_ID, "Outback Office Supplies", False))
    invoice(
        book,
        B_INVOICE_AUTHORISED_ID,
        "ACCREC",
        "AUTHORISED",
        B_CUSTOMER_ID,
        "INV-0001",
        today - timedelta(days=40),
        today - timedelta(days=10),
        [
            {
                "Description": "Catering",
                "Quantity": "3",
                "UnitAmount": "33.3333",
                "AccountCode": "200",
            }
        ],
    )
    invoice(
        book,
        B_BILL_AUTHORISED_ID,
        "ACCPAY",
        "AUTHORISED",
        B_SUPPLIER_ID,
        "OOS-1",
        today - timedelta(days=5),
        today + timedelta(days=25),
        [{"Description": "Stationery", "Quantity": 1, "UnitAmount": "88.00", "AccountCode": "429"}],
    )
    book.counters["INV"] = 1
    return book


def seed(store: Store, today: date) -> None:
    """Replaces the store's organisations with freshly seeded ones (dates relative to today)."""
    with store.lock:
        store.books = {DEMO_TENANT_A: _seed_a(today), DEMO_TENANT_B: _seed_b(today)}
        store.created = {}
        store.call_log = []
