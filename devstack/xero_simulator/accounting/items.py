"""Items: list, get, create (PUT), create-or-update (POST), update, delete."""

from __future__ import annotations

from flask import Blueprint, Response

from ..context import SimContext
from ..problems import ValidationFailed
from ..state import Record, TenantBook, new_id
from ..wire import parse_decimal
from .common import UnitOfWork, copy_fields, get_record, unit_of_work
from .resource import Resource, serve

EDITABLE = ("Code", "Name", "Description", "PurchaseDescription", "IsSold", "IsPurchased")


def _details(raw: object) -> Record:
    if not isinstance(raw, dict):
        return {}
    details = {k: raw[k] for k in ("AccountCode", "TaxType", "COGSAccountCode") if raw.get(k)}
    try:
        price = parse_decimal(raw.get("UnitPrice"))
    except ValueError as exc:
        raise ValidationFailed([str(exc)]) from exc
    if price is not None:
        details["UnitPrice"] = price
    return details


def _apply(work: UnitOfWork, item: Record, raw: Record) -> None:
    copy_fields(item, raw, EDITABLE)
    for name in ("SalesDetails", "PurchaseDetails"):
        if name in raw:
            item[name] = _details(raw[name])
    if not item.get("Code"):
        raise ValidationFailed(["Item Code must be specified"])
    clash = work.book.find_by("Items", "Code", item["Code"])
    if clash is not None and clash["ItemID"] != item["ItemID"]:
        raise ValidationFailed([f"Item code '{item['Code']}' already exists"])


def new_item(work: UnitOfWork, raw: Record) -> Record:
    item: Record = {
        "ItemID": new_id(),
        "IsSold": True,
        "IsPurchased": True,
        "IsTrackedAsInventory": False,
        "SalesDetails": {},
        "PurchaseDetails": {},
    }
    _apply(work, item, raw)
    item.setdefault("Name", item["Code"])
    work.book.add("Items", work.stamp(item))
    work.history(item["ItemID"], "Created", f"Item {item['Code']} created.")
    work.created("Items", item)
    return item


def _create_or_update(work: UnitOfWork, raw: Record) -> Record:
    existing = None
    if raw.get("ItemID"):
        existing = get_record(work.book, "Items", str(raw["ItemID"]))
    elif raw.get("Code"):
        existing = work.book.find_by("Items", "Code", raw["Code"])
    if existing is None:
        return new_item(work, raw)
    return update_item(work, existing, raw)


def update_item(work: UnitOfWork, item: Record, raw: Record) -> Record:
    _apply(work, item, raw)
    work.history(item["ItemID"], "Updated", "Item updated.")
    return work.stamp(item)


def find_item(book: TenantBook, ref: str) -> Record:
    """By ItemID, or by Code (Xero accepts either in the path)."""
    item = book.table("Items").get(ref.lower()) or book.find_by("Items", "Code", ref)
    return item if item is not None else get_record(book, "Items", ref)


def register(bp: Blueprint, sim: SimContext) -> None:
    serve(
        bp,
        sim,
        Resource("Items", find=find_item, put=new_item, post=_create_or_update, update=update_item),
    )

    @bp.delete("/Items/<item_id>")
    def delete_item(item_id: str) -> Response:
        with unit_of_work(sim) as work:
            get_record(work.book, "Items", item_id)
            del work.book.table("Items")[item_id.lower()]
        return Response(status=204)
