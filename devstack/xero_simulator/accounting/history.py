"""History and notes: GET/PUT /{Resource}/{id}/History."""

from __future__ import annotations

from flask import Blueprint, Response

from ..context import SimContext
from ..problems import ValidationFailed, json_response
from .common import get_record, reading, request_items, unit_of_work

RESOURCES = "Invoices,Contacts,Payments,CreditNotes,Items"


def register(bp: Blueprint, sim: SimContext) -> None:
    @bp.get(f"/<any({RESOURCES}):resource>/<record_id>/History")
    def get_history(resource: str, record_id: str) -> Response:
        with reading(sim) as book:
            get_record(book, resource, record_id)
            records = list(reversed(book.history.get(record_id.lower(), [])))
            return json_response({"HistoryRecords": records})

    @bp.put(f"/<any({RESOURCES}):resource>/<record_id>/History")
    def add_notes(resource: str, record_id: str) -> Response:
        items = request_items("HistoryRecords")
        with unit_of_work(sim) as work:
            get_record(work.book, resource, record_id)
            added = []
            for item in items:
                details = (item.get("Details") or "").strip()
                if not details:
                    raise ValidationFailed(["The note must have Details"])
                if len(details) > 2500:
                    raise ValidationFailed(["The note cannot be longer than 2500 characters"])
                added.append(work.history(record_id.lower(), "Note", details))
        return json_response({"HistoryRecords": added})
