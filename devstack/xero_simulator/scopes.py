"""Xero's OAuth scopes as the simulator enforces them (its own table: it stands for Xero).

Granular scopes (2026): each covers some Accounting API resources; a GET is allowed by the
scope or its ``.read`` twin, anything else needs the scope itself. Attachments need
``accounting.attachments`` alone; History follows its record. Apps created before
2026-03-02 may also hold the broad scopes (``accounting.transactions`` for the transaction
resources, ``accounting.reports.read`` for reports); newer apps are refused them at the
consent page and at the token endpoint.
"""

from __future__ import annotations

from collections.abc import Iterable

IDENTITY = {"openid", "profile", "email", "offline_access"}
TRANSACTIONS, REPORTS = "accounting.transactions", "accounting.reports.read"
BROAD = {TRANSACTIONS, TRANSACTIONS + ".read", REPORTS}

# scope -> the resources (first path segment, or Reports/<name>) it covers
GRANULAR: dict[str, tuple[str, ...]] = {
    "accounting.invoices": (
        "Invoices",
        "CreditNotes",
        "Quotes",
        "PurchaseOrders",
        "RepeatingInvoices",
        "LinkedTransactions",
        "Items",
    ),
    "accounting.payments": ("Payments", "BatchPayments", "Overpayments", "Prepayments"),
    "accounting.banktransactions": ("BankTransactions", "BankTransfers"),
    "accounting.manualjournals": ("ManualJournals",),
    "accounting.settings": (
        "Accounts",
        "Organisation",
        "TaxRates",
        "TrackingCategories",
        "Currencies",
        "BrandingThemes",
        "Items",
        "Users",
    ),
    "accounting.contacts": ("Contacts", "ContactGroups"),
    "accounting.attachments": ("Attachments",),
}
READ_ONLY: dict[str, tuple[str, ...]] = {
    "accounting.journals.read": ("Journals",),
    "accounting.budgets.read": ("Budgets",),
    "accounting.reports.aged.read": (
        "Reports/AgedPayablesByContact",
        "Reports/AgedReceivablesByContact",
    ),
    "accounting.reports.balancesheet.read": ("Reports/BalanceSheet",),
    "accounting.reports.profitandloss.read": ("Reports/ProfitAndLoss",),
    "accounting.reports.trialbalance.read": ("Reports/TrialBalance",),
    "accounting.reports.banksummary.read": ("Reports/BankSummary",),
    "accounting.reports.budgetsummary.read": ("Reports/BudgetSummary",),
    "accounting.reports.executivesummary.read": ("Reports/ExecutiveSummary",),
    "accounting.reports.tenninetynine.read": ("Reports/TenNinetyNine",),
    # GET /Reports and /Reports/{ReportID}: the published tax reports.
    "accounting.reports.taxreports.read": ("Reports",),
}
# The resources the broad accounting.transactions covered.
TRANSACTION_RESOURCES = {
    *GRANULAR["accounting.invoices"],
    *GRANULAR["accounting.payments"],
    *GRANULAR["accounting.banktransactions"],
    *GRANULAR["accounting.manualjournals"],
    "ExpenseClaims",
    "Receipts",
} - {"Items"}

KNOWN = (
    IDENTITY
    | BROAD
    | set(READ_ONLY)
    | set(GRANULAR)
    | {f"{scope}.read" for scope in GRANULAR}
    | {"paymentservices"}
)


NAMED_REPORTS = {name for resources in READ_ONLY.values() for name in resources if "/" in name}


def resource_of(api_path: str) -> str:
    """``/Invoices/abc/History`` → ``Invoices``; ``/Quotes/abc/Attachments/x`` →
    ``Attachments``; ``/Reports/BalanceSheet`` → ``Reports/BalanceSheet``; ``/Reports/<id>``
    → ``Reports``."""
    parts = [part for part in api_path.split("/") if part]
    if not parts:
        return ""
    if parts[0] == "Reports":
        named = "Reports/" + parts[1] if len(parts) > 1 else ""
        return named if named in NAMED_REPORTS else "Reports"
    if len(parts) >= 3 and parts[2] == "Attachments":
        return "Attachments"
    return parts[0]


def scopes_allowing(method: str, api_path: str) -> set[str]:
    """Every scope that lets a token make `method` on `api_path` (empty: none does)."""
    resource = resource_of(api_path)
    reading = method.upper() in ("GET", "HEAD")
    allowed: set[str] = set()
    for scope, resources in GRANULAR.items():
        if resource in resources:
            allowed |= {scope, scope + ".read"} if reading else {scope}
    if reading:
        allowed |= {scope for scope, resources in READ_ONLY.items() if resource in resources}
        if resource.startswith("Reports"):
            allowed.add(REPORTS)
    if resource in TRANSACTION_RESOURCES:
        allowed |= {TRANSACTIONS, TRANSACTIONS + ".read"} if reading else {TRANSACTIONS}
    return allowed


def allows(granted: Iterable[str], method: str, api_path: str) -> bool:
    return not scopes_allowing(method, api_path).isdisjoint(granted)


def consent_problem(scopes: Iterable[str], legacy_app: bool) -> str | None:
    """Why Xero's consent page (or token endpoint) refuses these scopes, or None."""
    asked = set(scopes)
    unknown = sorted(asked - KNOWN)
    if unknown:
        return "unknown scope: " + " ".join(unknown)
    broad = sorted(asked & BROAD)
    if broad and not legacy_app:
        return "apps created on or after 2 March 2026 cannot use the broad scopes " + " ".join(
            broad
        )
    return None
