"""Tracking categories (GET /TrackingCategories) and the tracking of line items.

A line item's `Tracking` names a category and one of its options, by name (`Name`,
`Option`) or by id (`TrackingCategoryID`, `TrackingOptionID`); both must exist and be
ACTIVE, at most two categories per line, one option each. Xero stores and answers every
tracking entry with all four fields.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request

from ..context import SimContext
from ..problems import ValidationFailed, json_response
from ..state import Record, TenantBook
from .common import current_book, one_response, plain

MAX_CATEGORIES_PER_LINE = 2


def _same(a: Any, b: Any) -> bool:
    return isinstance(a, str) and isinstance(b, str) and a.strip().lower() == b.strip().lower()


def _category(book: TenantBook, raw: Record) -> Record:
    wanted_id, wanted_name = raw.get("TrackingCategoryID"), raw.get("Name")
    for category in book.table("TrackingCategories").values():
        if category["Status"] != "ACTIVE":
            continue
        if _same(category["TrackingCategoryID"], wanted_id) or _same(category["Name"], wanted_name):
            return category
    named = wanted_name or wanted_id or "(none)"
    raise ValidationFailed([f"The TrackingCategory '{named}' does not exist or is not active."])


def _option(category: Record, raw: Record) -> Record:
    wanted_id, wanted_name = raw.get("TrackingOptionID"), raw.get("Option")
    for option in category["Options"]:
        if option["Status"] != "ACTIVE":
            continue
        if _same(option["TrackingOptionID"], wanted_id) or _same(option["Name"], wanted_name):
            return option
    named = wanted_name or wanted_id or "(none)"
    raise ValidationFailed(
        [
            f"The TrackingOption '{named}' does not exist in the TrackingCategory "
            f"'{category['Name']}' or is not active."
        ]
    )


def line_tracking(book: TenantBook, raw: Any) -> list[Record]:
    """The tracking of one line as Xero stores it; ValidationFailed for what Xero refuses."""
    if raw in (None, []):
        return []
    if not isinstance(raw, list) or not all(isinstance(entry, dict) for entry in raw):
        raise ValidationFailed(["Tracking must be a list of tracking categories"])
    if len(raw) > MAX_CATEGORIES_PER_LINE:
        raise ValidationFailed(["A line item can have at most 2 tracking categories"])
    tracking: list[Record] = []
    for entry in raw:
        category = _category(book, entry)
        option = _option(category, entry)
        if any(t["TrackingCategoryID"] == category["TrackingCategoryID"] for t in tracking):
            raise ValidationFailed(
                [f"The TrackingCategory '{category['Name']}' is given twice on one line item"]
            )
        tracking.append(
            {
                "TrackingCategoryID": category["TrackingCategoryID"],
                "TrackingOptionID": option["TrackingOptionID"],
                "Name": category["Name"],
                "Option": option["Name"],
            }
        )
    return tracking


def _visible(book: TenantBook, include_archived: bool) -> list[Record]:
    shown = {"ACTIVE", "ARCHIVED"} if include_archived else {"ACTIVE"}
    categories = []
    for category in book.table("TrackingCategories").values():
        if category["Status"] in shown:
            options = [o for o in category["Options"] if o["Status"] in shown]
            categories.append({**category, "Options": options})
    return sorted(categories, key=lambda c: c["Name"].lower())


def register(bp: Blueprint, sim: SimContext) -> None:
    @bp.get("/TrackingCategories")
    def list_tracking_categories() -> Response:
        book = current_book(sim)
        include_archived = (request.args.get("includeArchived") or "").lower() == "true"
        with sim.store.lock:
            return json_response({"TrackingCategories": _visible(book, include_archived)})

    @bp.get("/TrackingCategories/<category_id>")
    def get_tracking_category(category_id: str) -> Response:
        return one_response(sim, "TrackingCategories", category_id, plain)
