"""Which Xero OAuth scope each Accounting API call needs: one table, read by the client.

Xero's granular scopes (the only ones for apps created on or after 2026-03-02): a write
needs the full scope (``accounting.invoices``); a GET is satisfied by it or by its ``.read``
twin. A token of an app created before 2026-03-02 may still hold the broad scopes, which
cover what they always covered: ``accounting.transactions`` (and ``.read``) the invoice,
payment, bank-transaction and manual-journal families, ``accounting.reports.read`` every
report.

    need = requirement("PUT", "/Payments")      # Requirement(resource="Payments", ...)
    need.scope                                   # "accounting.payments"
    need.satisfied_by(["accounting.transactions"])  # True: a legacy token

The table is keyed by the first path segment under ``/api.xro/2.0`` (``Reports/<name>`` for
reports), matched without regard to case as Xero does. Below a record, ``Attachments`` needs
``accounting.attachments`` alone (Xero's spec lists no other scope for those operations),
``CISSettings`` ``accounting.settings``, ``PaymentServices`` ``paymentservices``; History
follows its parent. tests/unit/xero/test_scopes.py holds the table against every operation
of Xero's OpenAPI spec.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

IDENTITY_SCOPES = ("openid", "profile", "email", "offline_access")
BROAD_TRANSACTIONS = "accounting.transactions"
BROAD_REPORTS = "accounting.reports.read"
# What apps created on or after 2026-03-02 may not ask for.
BROAD_SCOPES = frozenset({BROAD_TRANSACTIONS, BROAD_TRANSACTIONS + ".read", BROAD_REPORTS})
READ = ".read"


@dataclass(frozen=True)
class Family:
    """One granular scope and its `.read` twin, if it has one (reports, journals and budgets
    exist only as `.read`; paymentservices has no twin). `legacy`: the broad scope that
    covered it."""

    name: str
    legacy: str | None = None
    has_twin: bool = True

    @property
    def twin(self) -> str | None:
        if not self.has_twin or self.name.endswith(READ):
            return None
        return self.name + READ

    def needed(self, write: bool) -> str:
        """The least scope that allows the call."""
        return self.name if write or self.twin is None else self.twin

    def accepted(self, write: bool) -> frozenset[str]:
        names = {self.name}
        if not write and self.twin is not None:
            names.add(self.twin)
        if self.legacy is not None:
            names.add(self.legacy)
            if not write and not self.legacy.endswith(READ):
                names.add(self.legacy + READ)
        return frozenset(names)

    def scopes(self) -> tuple[str, ...]:
        """The scopes of this family a connection may hold."""
        return (self.name,) if self.twin is None else (self.name, self.twin)


INVOICES = Family("accounting.invoices", BROAD_TRANSACTIONS)
PAYMENTS = Family("accounting.payments", BROAD_TRANSACTIONS)
BANK_TRANSACTIONS = Family("accounting.banktransactions", BROAD_TRANSACTIONS)
MANUAL_JOURNALS = Family("accounting.manualjournals", BROAD_TRANSACTIONS)
SETTINGS = Family("accounting.settings")
CONTACTS = Family("accounting.contacts")
ATTACHMENTS = Family("accounting.attachments")
JOURNALS = Family("accounting.journals.read")
BUDGETS = Family("accounting.budgets.read")
PAYMENT_SERVICES = Family("paymentservices", has_twin=False)
# Expense claims and receipts (deprecated endpoints): no granular scope exists for them.
TRANSACTIONS_ONLY = Family(BROAD_TRANSACTIONS)


def _report(name: str) -> Family:
    return Family(f"accounting.reports.{name}.read", BROAD_REPORTS)


TAX_REPORTS = _report("taxreports")

# The first family of each entry is the one a refusal names; the others satisfy it too.
RESOURCES: dict[str, tuple[Family, ...]] = {
    **dict.fromkeys(
        (
            "Invoices",
            "CreditNotes",
            "Quotes",
            "PurchaseOrders",
            "RepeatingInvoices",
            "LinkedTransactions",
        ),
        (INVOICES,),
    ),
    # Xero's 2026 scope notes list Items under both granular scopes; its spec (and so a legacy
    # token) under accounting.settings alone.
    "Items": (SETTINGS, Family(INVOICES.name)),
    **dict.fromkeys(("Payments", "BatchPayments", "Overpayments", "Prepayments"), (PAYMENTS,)),
    **dict.fromkeys(("BankTransactions", "BankTransfers"), (BANK_TRANSACTIONS,)),
    "ManualJournals": (MANUAL_JOURNALS,),
    **dict.fromkeys(
        (
            "Accounts",
            "Organisation",
            "TaxRates",
            "TrackingCategories",
            "Currencies",
            "BrandingThemes",
            "Users",
            "Setup",
            "InvoiceReminders",
        ),
        (SETTINGS,),
    ),
    **dict.fromkeys(("Contacts", "ContactGroups"), (CONTACTS,)),
    "Journals": (JOURNALS,),
    "Budgets": (BUDGETS,),
    "PaymentServices": (PAYMENT_SERVICES,),
    **dict.fromkeys(("ExpenseClaims", "Receipts"), (TRANSACTIONS_ONLY,)),
    "Reports/AgedPayablesByContact": (_report("aged"),),
    "Reports/AgedReceivablesByContact": (_report("aged"),),
    "Reports/BalanceSheet": (_report("balancesheet"),),
    "Reports/BankSummary": (_report("banksummary"),),
    "Reports/BudgetSummary": (_report("budgetsummary"),),
    "Reports/ExecutiveSummary": (_report("executivesummary"),),
    "Reports/ProfitAndLoss": (_report("profitandloss"),),
    "Reports/TrialBalance": (_report("trialbalance"),),
    "Reports/TenNinetyNine": (_report("tenninetynine"),),
    # GET /Reports and /Reports/{ReportID}: the published (tax) reports.
    "Reports": (TAX_REPORTS,),
    "Reports/{ReportID}": (TAX_REPORTS,),
}
# Segments below a record (``Invoices/{id}/Attachments``) with a scope of their own.
SUB_RESOURCES: dict[str, Family] = {
    "Attachments": ATTACHMENTS,
    "CISSettings": SETTINGS,
    "PaymentServices": PAYMENT_SERVICES,
}

_BY_LOWER = {key.lower(): key for key in RESOURCES}
_SUB_BY_LOWER = {key.lower(): key for key in SUB_RESOURCES}


@dataclass(frozen=True)
class Requirement:
    """What one call needs: `scope` is the least scope to ask for (named in a refusal);
    `accepted` every scope that allows the call."""

    resource: str
    scope: str
    accepted: frozenset[str]

    def satisfied_by(self, granted: Iterable[str]) -> bool:
        return not self.accepted.isdisjoint(granted)


def resource_key(path: str) -> str | None:
    """The table's key for a path under the Accounting API (``/Invoices/{id}/History`` →
    ``Invoices``; ``/Invoices/{id}/Attachments/a.pdf`` → ``Invoices/Attachments``)."""
    segments = [part for part in path.split("?", 1)[0].split("/") if part]
    if not segments:
        return None
    head = _BY_LOWER.get(segments[0].lower())
    if head is None:
        return None
    if head == "Reports":
        if len(segments) == 1:
            return "Reports"
        return _BY_LOWER.get(f"reports/{segments[1].lower()}", "Reports/{ReportID}")
    sub = _SUB_BY_LOWER.get(segments[2].lower()) if len(segments) >= 3 else None
    return f"{head}/{sub}" if sub else head


def requirement(method: str, path: str) -> Requirement | None:
    """What `method path` needs, or None for a path the table does not know."""
    key = resource_key(path)
    if key is None:
        return None
    sub = key.partition("/")[2]
    families = (SUB_RESOURCES[sub],) if sub in SUB_RESOURCES else RESOURCES[key]
    write = method.upper() not in ("GET", "HEAD")
    accepted: frozenset[str] = frozenset()
    for family in families:
        accepted |= family.accepted(write)
    return Requirement(resource=key, scope=families[0].needed(write), accepted=accepted)


def known_scopes() -> frozenset[str]:
    """Every scope the product knows: identity, each family (and `.read`), the broad ones."""
    names = set(IDENTITY_SCOPES) | BROAD_SCOPES
    for families in (*RESOURCES.values(), tuple(SUB_RESOURCES.values())):
        for family in families:
            names.update(family.scopes())
    return frozenset(names)
