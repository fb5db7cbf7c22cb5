"""The two demo organisations every reset starts from. Ids are fixed so tests can name them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from .accounting.documents import apply_totals, build_lines
from .config import DEMO_TENANT_A, DEMO_TENANT_B
from .seed_rails import add_rail_demo
from .state import Record, Store, TenantBook

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

SEED_TIME = datetime(2024, 1, 1, tzinfo=UTC)


def _tax_rates(rate: str, output: str, input_: str, label: str) -> list[Record]:
    def tax(tax_type: str, name: str, value: str, revenue: bool) -> Record:
        return {
            "TaxType": tax_type,
            "Name": name,
            "Status": "ACTIVE",
            "EffectiveRate": Decimal(value),
            "DisplayTaxRate": Decimal(value),
            "ReportTaxType": "OUTPUT" if revenue else "INPUT",
            "CanApplyToRevenue": revenue,
            "CanApplyToExpenses": not revenue,
            "CanApplyToAssets": True,
            "CanApplyToEquity": True,
            "CanApplyToLiabilities": True,
            "TaxComponents": [
                {
                    "Name": "GST",
                    "Rate": Decimal(value),
                    "IsCompound": False,
                    "IsNonRecoverable": False,
                }
            ],
        }

    return [
        tax(output, f"{label} on Income", rate, True),
        tax(input_, f"{label} on Expenses", rate, False),
        tax("NONE", "No GST", "0", False),
        tax("ZERORATED", "Zero Rated", "0", True),
    ]


def _accounts(prefix: str, currency: str, output: str, input_: str) -> list[Record]:
    def account(
        suffix: str, code: str, name: str, kind: str, cls: str, tax: str, **extra: Any
    ) -> Record:
        return {
            "AccountID": f"{prefix}0000000-0000-4000-8000-000000000{suffix}",
            "Code": code,
            "Name": name,
            "Type": kind,
            "Class": cls,
            "Status": "ACTIVE",
            "TaxType": tax,
            "EnablePaymentsToAccount": False,
            "ShowInExpenseClaims": False,
            "CurrencyCode": currency,
            "UpdatedDateUTC": SEED_TIME,
            **extra,
        }

    return [
        account(
            "090",
            "090",
            "Business Bank Account",
            "BANK",
            "ASSET",
            "NONE",
            BankAccountNumber="0123456789" if prefix == "a" else "062000 12345678",
            BankAccountType="BANK",
        ),
        account(
            "091",
            "091",
            "Business Savings Account",
            "BANK",
            "ASSET",
            "NONE",
            BankAccountNumber="0123456790",
            BankAccountType="BANK",
        ),
        account("200", "200", "Sales", "REVENUE", "REVENUE", output),
        account("260", "260", "Other Revenue", "REVENUE", "REVENUE", output),
        account("310", "310", "Cost of Goods Sold", "DIRECTCOSTS", "EXPENSE", input_),
        account("400", "400", "Advertising", "OVERHEADS", "EXPENSE", input_),
        account("429", "429", "General Expenses", "OVERHEADS", "EXPENSE", input_),
        account(
            "610", "610", "Accounts Receivable", "CURRENT", "ASSET", "NONE", SystemAccount="DEBTORS"
        ),
        account(
            "800",
            "800",
            "Accounts Payable",
            "CURRLIAB",
            "LIABILITY",
            "NONE",
            SystemAccount="CREDITORS",
        ),
        account(
            "880",
            "880",
            "Owner Funds Introduced",
            "EQUITY",
            "EQUITY",
            "NONE",
            EnablePaymentsToAccount=True,
        ),
    ]


def _contact(contact_id: str, name: str, customer: bool, **extra: Any) -> Record:
    return {
        "ContactID": contact_id,
        "Name": name,
        "ContactStatus": "ACTIVE",
        "IsCustomer": customer,
        "IsSupplier": not customer,
        "Addresses": [],
        "Phones": [],
        "ContactGroups": [],
        "ContactPersons": [],
        "UpdatedDateUTC": SEED_TIME,
        **extra,
    }


def _invoice(
    book: TenantBook,
    invoice_id: str,
    kind: str,
    status: str,
    contact_id: str,
    number: str | None,
    issued: date,
    due: date,
    lines: list[Record],
) -> Record:
    invoice: Record = {
        "InvoiceID": invoice_id,
        "Type": kind,
        "Status": status,
        "Contact": {"ContactID": contact_id},
        "Date": issued,
        "DueDate": due,
        "LineAmountTypes": "Exclusive",
        "CurrencyCode": book.organisation["BaseCurrency"],
        "CurrencyRate": Decimal("1.0000000000"),
        "SentToContact": False,
        "UpdatedDateUTC": SEED_TIME,
    }
    if number:
        invoice["InvoiceNumber"] = number
    invoice["LineItems"] = build_lines(book, lines, "Exclusive", kind == "ACCREC", True)
    apply_totals(invoice)
    invoice.update(
        AmountPaid=Decimal("0.00"), AmountCredited=Decimal("0.00"), AmountDue=invoice["Total"]
    )
    book.add("Invoices", invoice)
    book.history[invoice_id] = [
        {
            "Changes": "Created",
            "DateUTC": SEED_TIME,
            "User": "System Generated",
            "Details": "Seeded.",
        }
    ]
    return invoice


def _organisation(tenant_id: str, name: str, country: str, currency: str, tax: str) -> Record:
    return {
        "OrganisationID": tenant_id,
        "Name": name,
        "LegalName": f"{name} Limited",
        "PaysTax": True,
        "Version": country,
        "OrganisationType": "COMPANY",
        "BaseCurrency": currency,
        "CountryCode": country,
        "IsDemoCompany": True,
        "OrganisationStatus": "ACTIVE",
        "TaxNumber": "101-202-303",
        "FinancialYearEndDay": 31,
        "FinancialYearEndMonth": 3,
        "SalesTaxBasis": "ACCRUALS",
        "SalesTaxPeriod": "TWOMONTHS",
        "DefaultSalesTax": "Tax Exclusive",
        "DefaultPurchasesTax": "Tax Exclusive",
        "CreatedDateUTC": SEED_TIME,
        "Timezone": "NEWZEALANDSTANDARDTIME" if country == "NZ" else "AUSEASTERNSTANDARDTIME",
        "OrganisationEntityType": "COMPANY",
        "ShortCode": f"!{tax}",
        "Class": "DEMO",
        "Edition": "BUSINESS",
        "Addresses": [],
        "Phones": [],
        "ExternalLinks": [],
    }


def _seed_a(today: date) -> TenantBook:
    book = TenantBook(
        DEMO_TENANT_A,
        "Demo Company (NZ)",
        _organisation(DEMO_TENANT_A, "Demo Company (NZ)", "NZ", "NZD", "NZ1"),
    )
    for rate in _tax_rates("15", "OUTPUT2", "INPUT2", "15% GST"):
        book.add("TaxRates", rate)
    for account in _accounts("a", "NZD", "OUTPUT2", "INPUT2"):
        book.add("Accounts", account)
    book.add(
        "Contacts",
        _contact(
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
        _contact(A_CUSTOMER_2_ID, "Basket Case", True, EmailAddress="hello@basketcase.example.com"),
    )
    book.add(
        "Contacts",
        _contact(
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
    _invoice(
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
    _invoice(
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
    _invoice(
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
    paid = _invoice(
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
    _invoice(
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
    _invoice(
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
    add_rail_demo(book, today, _invoice, _contact)
    return book


def _seed_b(today: date) -> TenantBook:
    book = TenantBook(
        DEMO_TENANT_B,
        "Demo Company (AU)",
        _organisation(DEMO_TENANT_B, "Demo Company (AU)", "AU", "AUD", "AU1"),
    )
    for rate in _tax_rates("10", "OUTPUT", "INPUT", "GST"):
        book.add("TaxRates", rate)
    for account in _accounts("b", "AUD", "OUTPUT", "INPUT"):
        book.add("Accounts", account)
    book.add(
        "Contacts",
        _contact(
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
    book.add("Contacts", _contact(B_SUPPLIER_ID, "Outback Office Supplies", False))
    _invoice(
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
    _invoice(
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
