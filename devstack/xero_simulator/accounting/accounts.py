"""The chart of accounts: list, get, create, update (archive via Status)."""

from __future__ import annotations

from flask import Blueprint, Response

from ..context import SimContext
from ..problems import ValidationFailed, json_response
from ..state import Record, TenantBook, new_id
from .common import UnitOfWork, batch_write, current_book, get_record, list_response, request_items

TYPES = {
    "BANK",
    "CURRENT",
    "CURRLIAB",
    "DEPRECIATN",
    "DIRECTCOSTS",
    "EQUITY",
    "EXPENSE",
    "FIXED",
    "INVENTORY",
    "LIABILITY",
    "NONCURRENT",
    "OTHERINCOME",
    "OVERHEADS",
    "PREPAYMENT",
    "REVENUE",
    "SALES",
    "TERMLIAB",
}
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


def render_account(book: TenantBook, account: Record) -> Record:
    return {**account, "HasAttachments": bool(book.attachments.get(account["AccountID"]))}


def _apply(work: UnitOfWork, account: Record, raw: Record) -> None:
    for name in EDITABLE:
        if name in raw:
            account[name] = raw[name]
    if raw.get("Status") in ("ACTIVE", "ARCHIVED"):
        account["Status"] = raw["Status"]
    if not account.get("Name"):
        raise ValidationFailed(["Please enter a name for the account"])
    if account.get("Type") not in TYPES:
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


def register(bp: Blueprint, sim: SimContext) -> None:
    @bp.get("/Accounts")
    def list_accounts() -> Response:
        book = current_book(sim)
        with sim.store.lock:
            return list_response(
                sim, "Accounts", list(book.table("Accounts").values()), render_account
            )

    @bp.get("/Accounts/<account_id>")
    def get_account(account_id: str) -> Response:
        book = current_book(sim)
        with sim.store.lock:
            account = get_record(book, "Accounts", account_id)
            return json_response({"Accounts": [render_account(book, account)]})

    @bp.put("/Accounts")
    def create_account() -> Response:
        return batch_write(
            sim, "Accounts", request_items("Accounts")[:1], new_account, render_account
        )

    @bp.post("/Accounts/<account_id>")
    def update_account(account_id: str) -> Response:
        def handler(work: UnitOfWork, raw: Record) -> Record:
            account = get_record(work.book, "Accounts", account_id)
            _apply(work, account, raw)
            return work.stamp(account)

        return batch_write(sim, "Accounts", request_items("Accounts")[:1], handler, render_account)
