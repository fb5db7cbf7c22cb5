"""The chart of accounts: list, get, create, update (archive via Status), delete."""

from __future__ import annotations

from flask import Blueprint, Response

from ..context import SimContext
from ..problems import ValidationFailed, json_response
from ..state import Record, TenantBook, new_id
from .common import UnitOfWork, copy_fields, flag_attachments, get_record, unit_of_work
from .resource import Resource, serve

# Every account type Xero knows, and the class it reports under.
CLASSES = {
    "BANK": "ASSET",
    "CURRENT": "ASSET",
    "FIXED": "ASSET",
    "INVENTORY": "ASSET",
    "NONCURRENT": "ASSET",
    "PREPAYMENT": "ASSET",
    "CURRLIAB": "LIABILITY",
    "LIABILITY": "LIABILITY",
    "TERMLIAB": "LIABILITY",
    "PAYG": "LIABILITY",
    "EQUITY": "EQUITY",
    "DEPRECIATN": "EXPENSE",
    "DIRECTCOSTS": "EXPENSE",
    "EXPENSE": "EXPENSE",
    "OVERHEADS": "EXPENSE",
    "OTHERINCOME": "REVENUE",
    "REVENUE": "REVENUE",
    "SALES": "REVENUE",
}
EDITABLE = (
    "Code",
    "Name",
    "Description",
    "TaxType",
    "EnablePaymentsToAccount",
    "ShowInExpenseClaims",
    "BankAccountNumber",
    "ReportingCode",
    "AddToWatchlist",
)
# Why Xero keeps an account (it answers 400 with one of these; archiving is the way out).
SYSTEM_ACCOUNT = "System accounts cannot be deleted. You can archive the account instead."
HAS_TRANSACTIONS = (
    "This account has been used in transactions and cannot be deleted. "
    "You can archive the account instead."
)
USED_BY_ITEMS = "This account is used by one or more items and cannot be deleted."


render_account = flag_attachments("Accounts")


def _apply(work: UnitOfWork, account: Record, raw: Record) -> None:
    copy_fields(account, raw, EDITABLE)
    if raw.get("Status") in ("ACTIVE", "ARCHIVED"):
        account["Status"] = raw["Status"]
    if not account.get("Name"):
        raise ValidationFailed(["Please enter a name for the account"])
    if account.get("Type") not in CLASSES:
        raise ValidationFailed([f"Account type '{account.get('Type')}' is not valid"])
    code = account.get("Code")
    clash = work.book.find_by("Accounts", "Code", code)
    if code and clash is not None and clash["AccountID"] != account["AccountID"]:
        raise ValidationFailed(["Please enter a unique Code."])


def new_account(work: UnitOfWork, raw: Record) -> Record:
    account: Record = {
        "AccountID": new_id(),
        "Type": raw.get("Type"),
        "Status": "ACTIVE",
        "TaxType": "NONE",
        "EnablePaymentsToAccount": False,
        "ShowInExpenseClaims": False,
        "CurrencyCode": work.book.organisation["BaseCurrency"],
    }
    if raw.get("Type") == "BANK":
        account["BankAccountType"] = raw.get("BankAccountType") or "BANK"
    _apply(work, account, raw)
    account["Class"] = CLASSES[account["Type"]]
    work.book.add("Accounts", work.stamp(account))
    work.created("Accounts", account)
    return account


def update_account(work: UnitOfWork, account: Record, raw: Record) -> Record:
    _apply(work, account, raw)
    return work.stamp(account)


def delete_account(work: UnitOfWork, account: Record) -> Record:
    """Removes an unused, non-system account; it answers once more with Status DELETED."""
    book = work.book
    refusal = _why_kept(book, account)
    if refusal is not None:
        raise ValidationFailed([refusal], render_account(book, account))
    del book.table("Accounts")[account["AccountID"]]
    book.attachments.pop(account["AccountID"], None)
    account["Status"] = "DELETED"
    return work.stamp(account)


def _why_kept(book: TenantBook, account: Record) -> str | None:
    if account.get("SystemAccount"):
        return SYSTEM_ACCOUNT
    account_id = account["AccountID"]
    documents = [*book.table("Invoices").values(), *book.table("CreditNotes").values()]
    on_documents = any(
        line.get("AccountID") == account_id
        for document in documents
        if document["Status"] != "DELETED"
        for line in document.get("LineItems") or []
    )
    paid_through = any(
        payment["Account"]["AccountID"] == account_id for payment in book.table("Payments").values()
    )
    if on_documents or paid_through:
        return HAS_TRANSACTIONS
    code = account.get("Code")
    on_items = code and any(
        code in (details.get("AccountCode"), details.get("COGSAccountCode"))
        for item in book.table("Items").values()
        for details in (item.get("SalesDetails") or {}, item.get("PurchaseDetails") or {})
    )
    return USED_BY_ITEMS if on_items else None


def register(bp: Blueprint, sim: SimContext) -> None:
    serve(
        bp,
        sim,
        Resource(
            "Accounts",
            render_account,
            put=new_account,
            single=("PUT",),  # Xero creates one account per call
            update=update_account,
        ),
    )

    @bp.delete("/Accounts/<account_id>")
    def delete_account_route(account_id: str) -> Response:
        with unit_of_work(sim) as work:
            account = delete_account(work, get_record(work.book, "Accounts", account_id))
            return json_response({"Accounts": [render_account(work.book, account)]})
