"""Finding a copy whose create reached Xero without its answer reaching us.

A create is recorded as attempted (`attempt_at` on the link) before it is sent. Xero's
Idempotency-Key covers a repeat of the same call for 6 minutes; our link covers the rest:
a later attempt that finds `attempt_at` set asks the target for documents of the same
contacts modified since shortly before that attempt, and takes one that carries this
document's mark (an invoice's `Url` link back to its source; a credit note's number, date
and total) as the copy. Only then is anything created again.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from xero_bridge.mirrors import xero_io
from xero_bridge.mirrors.runs import MirrorRun, Plan
from xero_bridge.xero.dates import parse_xero_date

_MARGIN = timedelta(minutes=5)
_MAX_PAGES = 5


def _lost(plans: Sequence[Plan]) -> list[Plan]:
    return [p for p in plans if p.creating and p.link is not None and p.link.attempt_at]


def _since(plans: Sequence[Plan]) -> str:
    earliest = min(datetime.fromisoformat(str(p.link.attempt_at)) for p in plans if p.link)
    return (earliest.astimezone(UTC) - _MARGIN).strftime("%Y-%m-%dT%H:%M:%S")


def _candidates(run: MirrorRun, plural: str, plans: Sequence[Plan]) -> list[dict[str, Any]]:
    contacts = sorted({str(p.contact_id) for p in plans if p.contact_id})
    found: list[dict[str, Any]] = []
    for page in range(1, _MAX_PAGES + 1):
        query = {"page": str(page)}
        if plural == "Invoices":
            query["ContactIDs"] = ",".join(contacts)
        else:
            query["where"] = " OR ".join(f'Contact.ContactID==guid("{c}")' for c in contacts)
        answer = xero_io.request(
            run.mirror.target_tenant_id,
            "GET",
            f"/{plural}",
            query=query,
            headers={"If-Modified-Since": _since(plans)},
        )
        records = list(answer.get(plural) or [])
        found.extend(records)
        if len(records) < 100:
            break
    return found


def find_lost_invoices(run: MirrorRun, plans: Sequence[Plan]) -> None:
    """Give each lost create the copy Xero already made (it becomes an update)."""
    lost = [p for p in _lost(plans) if p.contact_id]
    if not lost:
        return
    by_url = {
        str(record.get("Url")): record
        for record in _candidates(run, "Invoices", lost)
        if record.get("Url") and record.get("Status") != "DELETED"
    }
    for plan in lost:
        record = by_url.get(str(plan.draft.header.get("Url")))
        if record is not None:
            plan.target_id, plan.created = str(record["InvoiceID"]), True


def _same_credit_note(plan: Plan, record: dict[str, Any]) -> bool:
    header = plan.draft.header
    number = header.get("CreditNoteNumber")
    if number and record.get("CreditNoteNumber") != number:
        return False
    same_day = parse_xero_date(record.get("Date")) == parse_xero_date(header.get("Date"))
    same_total = str(record.get("Total")) == str(plan.draft.source_total)
    return same_day and (bool(number) or same_total)


def find_lost_credit_notes(run: MirrorRun, plans: Sequence[Plan]) -> None:
    lost = [p for p in _lost(plans) if p.contact_id]
    if not lost:
        return
    candidates = [
        r
        for r in _candidates(run, "CreditNotes", lost)
        if r.get("Status") not in ("DELETED", "VOIDED")
    ]
    for plan in lost:
        for record in candidates:
            contact = (record.get("Contact") or {}).get("ContactID")
            if contact == plan.contact_id and _same_credit_note(plan, record):
                plan.target_id, plan.created = str(record["CreditNoteID"]), True
                break
