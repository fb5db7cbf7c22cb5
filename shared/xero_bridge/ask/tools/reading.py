"""How tools read from a BooksSource: page by page up to a bound, filtered by date.

Xero filters dates in its `where` syntax; `in_range` checks the same range again on what
came back, so an answer holds even when a filter was not applied upstream.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from xero_bridge.ask.source import PAGE_SIZE, xero_datetime

MAX_PAGES = 5  # at most 500 invoices/payments/contacts per tool call (5 Xero calls)


def read_pages(fetch: Callable[[int], list[dict[str, Any]]]) -> tuple[list[dict[str, Any]], bool]:
    """Every page up to MAX_PAGES; True when more pages were left unread."""
    items: list[dict[str, Any]] = []
    for page in range(1, MAX_PAGES + 1):
        batch = fetch(page)
        items.extend(batch)
        if len(batch) < PAGE_SIZE:
            return items, False
    return items, True


def date_where(field_name: str, date_from: date | None, date_to: date | None) -> list[str]:
    """`where` clauses (to join with AND) for `field_name` within the range."""
    clauses = []
    if date_from:
        clauses.append(f"{field_name}>={xero_datetime(date_from)}")
    if date_to:
        clauses.append(f"{field_name}<={xero_datetime(date_to)}")
    return clauses


def in_range(day: date | None, date_from: date | None, date_to: date | None) -> bool:
    if day is None:
        return date_from is None and date_to is None
    return (date_from is None or day >= date_from) and (date_to is None or day <= date_to)
