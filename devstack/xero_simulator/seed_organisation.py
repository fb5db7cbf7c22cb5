"""A demo organisation as every reset starts it, before its contacts and documents: the
organisation, its GST tax rates, chart of accounts, currencies and tracking (`seed` says
which two there are)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .accounting import currency
from .seed_records import SEED_TIME, bank_account, ledger_account
from .state import Record, TenantBook


@dataclass(frozen=True)
class DemoOrganisation:
    """What sets the two demo organisations apart up to their tracking: A (NZ) and B (AU)."""

    tenant_id: str
    name: str
    country: str
    currency: str
    short_code: str
    gst_rate: str  # percent, on income and on expenses
    output_tax: str  # the TaxType of GST on income
    input_tax: str  # … and on expenses
    gst_label: str
    account_prefix: str  # the first character of its accounts' ids
    other_currency: str  # the other organisation's, added to this one's currencies
    region_id: str
    regions: tuple[str, ...]  # the Region tracking category's options


def demo_book(org: DemoOrganisation) -> TenantBook:
    """The organisation with its tax rates, chart of accounts, currencies and tracking."""
    book = TenantBook(org.tenant_id, org.name, _organisation(org))
    for rate in _tax_rates(org.gst_rate, org.output_tax, org.input_tax, org.gst_label):
        book.add("TaxRates", rate)
    for account in _accounts(org.account_prefix, org.currency, org.output_tax, org.input_tax):
        book.add("Accounts", account)
    _currencies(book, org.other_currency)
    book.add("TrackingCategories", _tracking_category(org.region_id, "Region", list(org.regions)))
    return book


def _organisation(org: DemoOrganisation) -> Record:
    country = org.country
    return {
        "OrganisationID": org.tenant_id,
        "Name": org.name,
        "LegalName": f"{org.name} Limited",
        "PaysTax": True,
        "Version": country,
        "OrganisationType": "COMPANY",
        "BaseCurrency": org.currency,
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
        "ShortCode": f"!{org.short_code}",
        "Class": "DEMO",
        "Edition": "BUSINESS",
        "Addresses": [],
        "Phones": [],
        "ExternalLinks": [],
    }


def _tracking_category(category_id: str, name: str, options: list[str]) -> Record:
    prefix = category_id[:-2]
    return {
        "TrackingCategoryID": category_id,
        "Name": name,
        "Status": "ACTIVE",
        "Options": [
            {
                "TrackingOptionID": f"{prefix}{index + 11:02d}",
                "Name": option,
                "Status": "ACTIVE",
                "TrackingCategoryID": category_id,
            }
            for index, option in enumerate(options)
        ],
    }


def _currencies(book: TenantBook, other: str) -> None:
    book.currencies[other] = currency.DESCRIPTIONS[other]


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
    def account_id(code: str) -> str:
        return f"{prefix}0000000-0000-4000-8000-000000000{code}"

    def account(code: str, name: str, kind: str, cls: str, tax: str, **extra: Any) -> Record:
        return ledger_account(
            account_id(code), code, name, kind, cls, tax, CurrencyCode=currency, **extra
        )

    def bank(code: str, name: str, number: str) -> Record:
        return bank_account(account_id(code), code, name, currency, BankAccountNumber=number)

    return [
        bank("090", "Business Bank Account", "0123456789" if prefix == "a" else "062000 12345678"),
        bank("091", "Business Savings Account", "0123456790"),
        account("200", "Sales", "REVENUE", "REVENUE", output),
        account("260", "Other Revenue", "REVENUE", "REVENUE", output),
        account("310", "Cost of Goods Sold", "DIRECTCOSTS", "EXPENSE", input_),
        account("400", "Advertising", "OVERHEADS", "EXPENSE", input_),
        account("429", "General Expenses", "OVERHEADS", "EXPENSE", input_),
        account("610", "Accounts Receivable", "CURRENT", "ASSET", "NONE", SystemAccount="DEBTORS"),
        account(
            "800", "Accounts Payable", "CURRLIAB", "LIABILITY", "NONE", SystemAccount="CREDITORS"
        ),
        account(
            "880",
            "Owner Funds Introduced",
            "EQUITY",
            "EQUITY",
            "NONE",
            EnablePaymentsToAccount=True,
        ),
    ]
