"""The scope table against Xero's own OpenAPI spec (every operation lists its `security`
scopes) and Xero's granular scopes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from xero_bridge.xero import scopes
from xero_bridge.xero.scopes import requirement

SPEC = Path(__file__).resolve().parents[4] / "shared" / "xero-openapi" / "xero_accounting.yaml"
if not SPEC.exists():
    SPEC = Path("/work/shared/xero-openapi/xero_accounting.yaml")

# Xero's 2026 granular scopes (write ones also exist as `.read`).
GRANULAR = {
    "accounting.invoices",
    "accounting.payments",
    "accounting.banktransactions",
    "accounting.manualjournals",
    "accounting.settings",
    "accounting.contacts",
    "accounting.attachments",
}
READ_ONLY = {
    "accounting.journals.read",
    "accounting.budgets.read",
    *(
        f"accounting.reports.{name}.read"
        for name in (
            "aged",
            "balancesheet",
            "profitandloss",
            "trialbalance",
            "banksummary",
            "budgetsummary",
            "executivesummary",
            "taxreports",
            "tenninetynine",
        )
    ),
}


def _operations() -> tuple[set[str], list[tuple[str, str, set[str]]]]:
    spec: dict[str, Any] = yaml.safe_load(SPEC.read_text())
    flows = spec["components"]["securitySchemes"]["OAuth2"]["flows"]
    vocabulary = set(flows["authorizationCode"]["scopes"])
    found = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method not in ("get", "put", "post", "delete"):
                continue
            security = operation.get("security", [])
            listed = {s for entry in security for names in entry.values() for s in names}
            found.append((method.upper(), path, listed))
    return vocabulary, found


VOCABULARY, OPERATIONS = _operations()


def test_the_spec_was_read():
    assert len(OPERATIONS) > 200 and "accounting.transactions" in VOCABULARY


@pytest.mark.parametrize(
    ("method", "path", "listed"),
    OPERATIONS,
    ids=[f"{method} {path}" for method, path, _ in OPERATIONS],  # stable across workers
)
def test_every_operation_accepts_exactly_the_scopes_xero_lists_and_names_a_granular_one(
    method, path, listed
):
    need = requirement(method, path)
    assert need is not None, f"{method} {path} is not in the table"
    # Of the scopes the spec knows, those the spec lists for the operation, and no other.
    assert need.accepted & VOCABULARY == listed
    # A refusal names a scope that an app created today may ask for (or, for the two
    # deprecated endpoints without one, the broad scope).
    if need.resource in ("ExpenseClaims", "Receipts"):
        assert need.scope.startswith("accounting.transactions")
    else:
        assert need.scope in GRANULAR | {f"{s}.read" for s in GRANULAR} | READ_ONLY | {
            "paymentservices"
        }
    if method != "GET":
        assert not need.scope.endswith(".read")
    assert need.satisfied_by([need.scope])


@pytest.mark.parametrize(
    ("method", "path", "scope"),
    [
        ("GET", "/Invoices", "accounting.invoices.read"),
        ("PUT", "/Invoices", "accounting.invoices"),
        ("GET", "/invoices/abc/history", "accounting.invoices.read"),  # as Xero: any case
        ("PUT", "/Payments", "accounting.payments"),
        ("POST", "/Payments/abc", "accounting.payments"),
        ("GET", "/BankTransfers", "accounting.banktransactions.read"),
        ("PUT", "/ManualJournals", "accounting.manualjournals"),
        ("GET", "/CreditNotes/abc/Attachments", "accounting.attachments.read"),
        ("PUT", "/Invoices/abc/Attachments/a.pdf", "accounting.attachments"),
        ("PUT", "/Contacts/abc/History", "accounting.contacts"),
        ("GET", "/Items", "accounting.settings.read"),
        ("GET", "/Reports/ProfitAndLoss", "accounting.reports.profitandloss.read"),
        ("GET", "/Reports/AgedReceivablesByContact", "accounting.reports.aged.read"),
        ("GET", "/Reports/3f1c0d2e", "accounting.reports.taxreports.read"),
        ("GET", "/Journals", "accounting.journals.read"),
    ],
)
def test_the_scope_a_call_needs(method, path, scope):
    need = requirement(method, path)
    assert need is not None and need.scope == scope


def test_a_read_scope_never_allows_a_write_and_a_write_scope_allows_a_read():
    assert requirement("GET", "/Invoices").satisfied_by(["accounting.invoices"])
    assert not requirement("PUT", "/Invoices").satisfied_by(["accounting.invoices.read"])
    assert not requirement("PUT", "/Payments").satisfied_by(["accounting.invoices"])


def test_items_take_either_granular_scope_but_a_legacy_token_needs_settings():
    for granted in ("accounting.settings", "accounting.invoices"):
        assert requirement("PUT", "/Items").satisfied_by([granted])
    assert not requirement("PUT", "/Items").satisfied_by(["accounting.transactions"])


def test_legacy_broad_scopes_cover_what_they_covered():
    transactions = ["accounting.transactions"]
    assert requirement("PUT", "/Payments").satisfied_by(transactions)
    assert requirement("PUT", "/BankTransactions").satisfied_by(transactions)
    assert not requirement("PUT", "/Contacts").satisfied_by(transactions)
    assert not requirement("PUT", "/Invoices/a/Attachments/x.pdf").satisfied_by(transactions)
    assert requirement("GET", "/Invoices").satisfied_by(["accounting.transactions.read"])
    assert not requirement("PUT", "/Invoices").satisfied_by(["accounting.transactions.read"])
    for report in ("BalanceSheet", "BankSummary", "TrialBalance", "abc"):
        assert requirement("GET", f"/Reports/{report}").satisfied_by(["accounting.reports.read"])


def test_a_path_outside_the_table_has_no_requirement():
    assert requirement("GET", "/NoSuchThing") is None
    assert requirement("GET", "/") is None


def test_known_scopes_are_identity_granular_and_broad():
    known = scopes.known_scopes()
    assert {"openid", "offline_access", "accounting.payments.read"} <= known
    assert known >= scopes.BROAD_SCOPES
    assert "paymentservices.read" not in known and "accounting.reports.read.read" not in known
