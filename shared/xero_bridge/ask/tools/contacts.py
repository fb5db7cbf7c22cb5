"""list_contacts: customers and suppliers by name, with their outstanding balances.

Only names, roles and balances leave here: a contact's emails, phones, addresses, bank
and tax numbers are never read into the result.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from xero_bridge.ask.source import BooksSource, money
from xero_bridge.ask.tools.compact import cents, short_text
from xero_bridge.ask.tools.definition import Args, SourceRecord, ToolContext, ToolResult
from xero_bridge.ask.tools.reading import read_pages


class ListContactsArgs(Args):
    search: str | None = Field(None, max_length=100, description="part of a name")
    role: Literal["customer", "supplier", "any"] = "any"
    limit: int = Field(20, ge=1, le=50)


def _wanted(contact: dict[str, Any], args: ListContactsArgs, needle: str) -> bool:
    if needle and needle not in str(contact.get("Name") or "").lower():
        return False
    if args.role == "customer" and not contact.get("IsCustomer"):
        return False
    return not (args.role == "supplier" and not contact.get("IsSupplier"))


def _contact_row(contact: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": contact.get("ContactID"),
        "name": short_text(contact.get("Name")),
        "status": contact.get("ContactStatus"),
        "is_customer": bool(contact.get("IsCustomer")),
        "is_supplier": bool(contact.get("IsSupplier")),
    }
    balances = contact.get("Balances") or {}
    for side, label in (("AccountsReceivable", "receivable"), ("AccountsPayable", "payable")):
        if balances.get(side):
            row[f"{label}_outstanding"] = cents(money(balances[side].get("Outstanding")))
            row[f"{label}_overdue"] = cents(money(balances[side].get("Overdue")))
    return row


def list_contacts(source: BooksSource, args: ListContactsArgs, ctx: ToolContext) -> ToolResult:
    contacts, truncated = read_pages(
        lambda page: source.contacts(search_term=args.search, page=page)
    )
    needle = (args.search or "").lower()
    rows = [_contact_row(c) for c in contacts if _wanted(c, args, needle)]
    shown = rows[: args.limit]
    data = {
        "count": len(rows),
        "contacts": shown,
        "not_listed": len(rows) - len(shown),
        "incomplete": truncated,
    }
    return ToolResult(data, [SourceRecord("contact", str(r["id"]), r["name"]) for r in shown])
