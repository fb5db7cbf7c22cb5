"""List filters (our query parameters) → the arguments of xero-python's list calls.

Xero filters with a `where` expression (a C#-like syntax: ``Type=="ACCREC"``,
``Date>=DateTime(2024,01,31)``, ``Name.ToLower().Contains("acme")``), explicit list
parameters (``Statuses``, ``ContactIDs`` — faster than OR-ing in `where`, as Xero
recommends), ``If-Modified-Since``, ``order``, ``page`` and ``pageSize`` (invoices and
contacts only; accounts and items are not paged by Xero, so we page them ourselves).

Every literal is escaped here, so a caller's text can never change the expression. A
caller's own `where` (for what our filters do not cover) is AND-ed with ours inside
parentheses, and refused unless its parentheses and quotes balance, so it cannot undo them.
It only narrows what this tenant's call returns: the tenant is a header, never in `where`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from xero_bridge.records.fields import AccountType, Guid, InvoiceStatus, InvoiceType

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000  # Xero's largest pageSize
WHERE_MAX_LENGTH = 500  # Xero's whole URL must stay short; IDs lists need room too


def literal(text: str) -> str:
    """A `where` string literal: quotes and backslashes escaped."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def date_literal(value: date) -> str:
    return f"DateTime({value.year},{value.month:02d},{value.day:02d})"


def guid_literal(value: str) -> str:
    return f'Guid("{value.lower()}")'


def join(clauses: list[str]) -> str | None:
    return " AND ".join(clauses) if clauses else None


def balanced(expression: str) -> bool:
    """Parentheses outside string literals balance, and every string literal is closed."""
    depth, in_string, escaped = 0, False, False
    for char in expression:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0 and not in_string


class _Query(BaseModel):
    model_config = ConfigDict(extra="forbid")

    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
    modified_since: datetime | None = None
    where: str | None = Field(None, min_length=1, max_length=WHERE_MAX_LENGTH)

    @field_validator("where")
    @classmethod
    def _balanced(cls, value: str | None) -> str | None:
        if value is not None and not balanced(value):
            raise ValueError("where: parentheses and quotes must balance")
        return value

    @field_validator("modified_since")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class AccountQuery(_Query):
    type: AccountType | None = None
    status: Literal["ACTIVE", "ARCHIVED"] | None = None
    search: str | None = Field(None, min_length=1, max_length=100)


class ContactQuery(_Query):
    search: str | None = Field(None, min_length=1, max_length=100)
    status: Literal["ACTIVE", "ARCHIVED"] | None = None
    is_customer: bool | None = None
    is_supplier: bool | None = None


class InvoiceQuery(_Query):
    type: InvoiceType | None = None
    status: list[InvoiceStatus] | None = None
    contact_id: Guid | None = None
    search: str | None = Field(None, min_length=1, max_length=100)
    date_from: date | None = None
    date_to: date | None = None
    due_date_from: date | None = None
    due_date_to: date | None = None
    overdue: bool | None = None


class ItemQuery(_Query):
    search: str | None = Field(None, min_length=1, max_length=100)


@dataclass(frozen=True)
class XeroListArgs:
    """Keyword arguments for one xero-python list call, without the tenant id."""

    kwargs: dict[str, Any]

    @property
    def where(self) -> str | None:
        value = self.kwargs.get("where")
        return str(value) if value is not None else None


def _common(query: _Query, where: list[str], order: str, paged: bool) -> XeroListArgs:
    kwargs: dict[str, Any] = {"order": order}
    if query.where:
        where = [*where, f"({query.where})"]
    clause = join(where)
    if clause:
        kwargs["where"] = clause
    if query.modified_since is not None:
        kwargs["if_modified_since"] = query.modified_since
    if paged:
        kwargs["page"] = query.page
        kwargs["page_size"] = query.page_size
    return XeroListArgs(kwargs)


def _equal_to(*pairs: tuple[str, str | None]) -> list[str]:
    """``Field=="value"`` for each (field, value) whose value is given."""
    return [f"{field}=={literal(value)}" for field, value in pairs if value]


def _flags(*pairs: tuple[str, bool | None]) -> list[str]:
    """``Field==true`` or ``Field==false`` for each (field, value) whose value is given."""
    return [
        f"{field}=={'true' if value else 'false'}" for field, value in pairs if value is not None
    ]


def _name_contains(search: str | None) -> list[str]:
    return [f"Name.ToLower().Contains({literal(search.lower())})"] if search else []


def account_args(query: AccountQuery) -> XeroListArgs:
    where = _equal_to(("Type", query.type), ("Status", query.status))
    where += _name_contains(query.search)
    return _common(query, where, "Code ASC", paged=False)


def contact_args(query: ContactQuery) -> XeroListArgs:
    where = _name_contains(query.search)
    where += _equal_to(("ContactStatus", query.status))
    where += _flags(("IsCustomer", query.is_customer), ("IsSupplier", query.is_supplier))
    args = _common(query, where, "Name ASC", paged=True)
    if query.status == "ARCHIVED":
        args.kwargs["include_archived"] = True
    return args


def invoice_args(query: InvoiceQuery, today: date) -> XeroListArgs:
    where = _equal_to(("Type", query.type))
    if query.search:
        text = literal(query.search)
        where.append(f"(InvoiceNumber.Contains({text}) OR Reference.Contains({text}))")
    for field, bound, op in (
        ("Date", query.date_from, ">="),
        ("Date", query.date_to, "<="),
        ("DueDate", query.due_date_from, ">="),
        ("DueDate", query.due_date_to, "<="),
    ):
        if bound is not None:
            where.append(f"{field}{op}{date_literal(bound)}")
    statuses = list(query.status or [])
    if query.overdue:
        # Overdue: approved, money still owed, due before today (callers asking for overdue
        # invoices in other statuses get none: see `invoice_query_is_empty`).
        statuses = ["AUTHORISED"]
        where.append(f"DueDate<{date_literal(today)}")
        where.append("AmountDue>0")
    args = _common(query, where, "Date DESC, InvoiceNumber DESC", paged=True)
    if statuses:
        args.kwargs["statuses"] = statuses
    if query.contact_id:
        args.kwargs["contact_i_ds"] = [query.contact_id]
    args.kwargs["unitdp"] = 4
    return args


def invoice_query_is_empty(query: InvoiceQuery) -> bool:
    """Overdue invoices are AUTHORISED: overdue with only other statuses matches nothing."""
    return bool(query.overdue and query.status and "AUTHORISED" not in query.status)


def item_args(query: ItemQuery) -> XeroListArgs:
    where: list[str] = []
    if query.search:
        text = literal(query.search.lower())
        where.append(f"(Code.ToLower().Contains({text}) OR Name.ToLower().Contains({text}))")
    args = _common(query, where, "Code ASC", paged=False)
    args.kwargs["unitdp"] = 4
    return args


def next_page(page: int, page_size: int, returned: int, page_count: int | None) -> int | None:
    """The next page number, or None on the last page.

    Xero's `pagination.pageCount` is used when it comes; otherwise a full page means there
    may be more (a last page that happens to be full costs one empty call)."""
    if page_count is not None:
        return page + 1 if page < page_count else None
    return page + 1 if returned >= page_size else None


def local_page[T](records: list[T], page: int, page_size: int) -> tuple[list[T], int | None]:
    """One page of a list Xero returns whole (accounts, items)."""
    start = (page - 1) * page_size
    chunk = records[start : start + page_size]
    more = start + page_size < len(records)
    return chunk, (page + 1 if more else None)
