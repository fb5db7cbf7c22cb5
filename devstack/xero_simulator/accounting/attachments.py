"""Attachments: upload raw bytes by file name, list, download by id or file name."""

from __future__ import annotations

import mimetypes

from flask import Blueprint, Response, request

from ..context import SimContext
from ..problems import NotFound, ValidationFailed, json_response
from ..state import Attachment, TenantBook, new_id
from .common import get_record, reading, unit_of_work

RESOURCES = (
    "Invoices,Contacts,Accounts,CreditNotes,BankTransactions,BankTransfers,ManualJournals,"
    "PurchaseOrders,Quotes,Receipts,RepeatingInvoices"
)
MAX_BYTES = 25 * 1024 * 1024  # Xero's limit per file
MAX_FILES = 10


def _describe(resource: str, record_id: str, item: Attachment, base: str) -> dict[str, object]:
    return {
        "AttachmentID": item.attachment_id,
        "FileName": item.file_name,
        "Url": f"{base}/api.xro/2.0/{resource}/{record_id}/Attachments/{item.file_name}",
        "MimeType": item.mime_type,
        "ContentLength": len(item.content),
        "IncludeOnline": item.include_online,
    }


def _find(book: TenantBook, record_id: str, ref: str) -> Attachment:
    for item in book.attachments.get(record_id, []):
        if item.attachment_id == ref.lower() or item.file_name == ref:
            return item
    raise NotFound(f"attachment {ref}")


def register(bp: Blueprint, sim: SimContext) -> None:
    @bp.get(f"/<any({RESOURCES}):resource>/<record_id>/Attachments")
    def list_attachments(resource: str, record_id: str) -> Response:
        with reading(sim) as book:
            get_record(book, resource, record_id)
            rid = record_id.lower()
            items = [_describe(resource, rid, a, sim.url) for a in book.attachments.get(rid, [])]
        return json_response({"Attachments": items})

    @bp.get(f"/<any({RESOURCES}):resource>/<record_id>/Attachments/<ref>")
    def download(resource: str, record_id: str, ref: str) -> Response:
        with reading(sim) as book:
            get_record(book, resource, record_id)
            item = _find(book, record_id.lower(), ref)
        return Response(item.content, content_type=item.mime_type)

    @bp.route(
        f"/<any({RESOURCES}):resource>/<record_id>/Attachments/<file_name>", methods=["PUT", "POST"]
    )
    def upload(resource: str, record_id: str, file_name: str) -> Response:
        content = request.get_data()
        if not content:
            raise ValidationFailed(["The attachment has no content"])
        if len(content) > MAX_BYTES:
            raise ValidationFailed(["The attachment is larger than 25 MB"])
        mime = (request.content_type or "").split(";")[0].strip()
        if not mime or mime == "application/octet-stream":
            mime = mimetypes.guess_type(file_name)[0] or "application/octet-stream"
        include_online = (request.args.get("IncludeOnline") or "").lower() == "true"
        with unit_of_work(sim) as work:
            record = get_record(work.book, resource, record_id)
            rid = record_id.lower()
            items = work.book.attachments.setdefault(rid, [])
            existing = next((a for a in items if a.file_name == file_name), None)
            if existing is None and len(items) >= MAX_FILES:
                raise ValidationFailed(["A document can have at most 10 attachments"])
            if existing is not None:  # same name: replaced, as Xero does on PUT
                items.remove(existing)
            item = Attachment(new_id(), file_name, mime, content, include_online)
            items.append(item)
            work.stamp(record)
            if resource == "Invoices":
                work.event("INVOICE", rid, "UPDATE")
        return json_response({"Attachments": [_describe(resource, rid, item, sim.url)]})
