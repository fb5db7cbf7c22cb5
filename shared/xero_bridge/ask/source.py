"""The small, read-only data-source interface the ask tools work over.

Methods answer in Xero's own JSON shapes (PascalCase keys, amounts as Decimal, dates as
Xero sends them), one page at a time, so the tools can be tested against an in-memory
source and run against the real Accounting API (`xero_source.XeroBooksSource`) unchanged.
There is no method that writes, by design.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Literal, Protocol

ReportName = Literal["ProfitAndLoss", "BalanceSheet", "BankSummary"]

PAGE_SIZE = 100  # Xero's page size for invoices, contacts and payments


@dataclass(frozen=True)
class InvoiceFilter:
    """Which Invoices a page holds: Xero's `where`, statuses, contacts or ids (each empty for
    any), and whether line items are left out."""

    where: str | None = None
    statuses: Sequence[str] = ()
    contact_ids: Sequence[str] = ()
    ids: Sequence[str] = ()
    page: int = 1
    summary_only: bool = True


class BooksSource(Protocol):
    def organisation(self) -> dict[str, Any]:
        """The Organisation object."""
        ...

    def invoices(self, wanted: InvoiceFilter) -> list[dict[str, Any]]:
        """One page of Invoices (sales invoices and bills)."""
        ...

    def contacts(
        self, *, search_term: str | None = None, ids: Sequence[str] = (), page: int = 1
    ) -> list[dict[str, Any]]: ...

    def payments(self, *, where: str | None = None, page: int = 1) -> list[dict[str, Any]]: ...

    def accounts(self, *, where: str | None = None) -> list[dict[str, Any]]: ...

    def report(self, name: ReportName, params: dict[str, str]) -> dict[str, Any] | None:
        """The first Report of Reports/<name>, or None when the endpoint is not available."""
        ...


# ---------------------------------------------------------------- Xero value helpers


def money(value: Any) -> Decimal:
    """An amount as Decimal (Xero JSON parsed with Decimal, or a string); never via float maths."""
    if value is None or value == "":
        return Decimal("0")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        value = repr(value)  # shortest round-trip text, not the binary expansion
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return Decimal("0")


def xero_datetime(day: date) -> str:
    """A date in Xero's `where` syntax."""
    return f"DateTime({day.year},{day.month:02d},{day.day:02d})"
