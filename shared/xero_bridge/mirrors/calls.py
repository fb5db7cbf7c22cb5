"""The Xero calls a mirror makes, per side (no imports: `connections.needs` lists them among
the features' calls, and `mirrors.needs` checks connections against them)."""

from __future__ import annotations

Call = tuple[str, str]  # (HTTP method, path under /api.xro/2.0)

SOURCE_CALLS: tuple[Call, ...] = (
    ("GET", "/Organisation"),
    ("GET", "/Invoices"),
    ("GET", "/CreditNotes"),
    ("GET", "/Items"),
)
TARGET_CALLS: tuple[Call, ...] = (
    ("GET", "/Organisation"),
    ("GET", "/Accounts"),
    ("GET", "/TaxRates"),
    ("GET", "/TrackingCategories"),
    ("GET", "/Invoices"),
    ("POST", "/Invoices"),
    ("GET", "/CreditNotes"),
    ("PUT", "/CreditNotes"),
    ("POST", "/CreditNotes/{id}"),
    ("PUT", "/CreditNotes/{id}/Allocations"),
    ("GET", "/Contacts"),
    ("GET", "/Items"),
)
CREATES_CONTACTS: tuple[Call, ...] = (("PUT", "/Contacts"),)
CREATES_ITEMS: tuple[Call, ...] = (("PUT", "/Items"),)
ALL_CALLS: tuple[Call, ...] = SOURCE_CALLS + TARGET_CALLS + CREATES_CONTACTS + CREATES_ITEMS
