"""Copying credit notes: a source credit note allocated to a mirrored invoice is created in
the target (approved) and allocated to that invoice's copy for the same amount, on the same
day (`PUT /CreditNotes/{id}/Allocations`, all of one credit note's allocations in one call).

Each allocation has its own link, so it is made once; a credit note's new allocations are
made on its next change. One allocated to an invoice whose copy does not exist yet waits
(sent back with backoff: the invoice's own change is usually just behind), and is parked
with that reason after the last attempt. Voiding a source credit note voids its copy
(where Xero allows: a copy with allocations cannot be). Other edits of a credit note after
its copy was made are not mirrored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from xero_bridge.mirrors import prerequisites, recovery, xero_io
from xero_bridge.mirrors.invoices import not_a_copy
from xero_bridge.mirrors.outcomes import backoff
from xero_bridge.mirrors.runs import MirrorRun, Plan
from xero_bridge.mirrors.sources import SourceDoc
from xero_bridge.mirrors.translate import CREDIT_TYPES, credit_note_draft, status_only
from xero_bridge.persistence import mirror_links
from xero_bridge.persistence.mirror_links import Link
from xero_bridge.xero.dates import parse_xero_date


def allocation_ref(note_id: str, allocation: dict[str, Any]) -> str:
    """An allocation's link: by Xero's AllocationID, else by what it is (invoice, amount, day)."""
    allocation_id = allocation.get("AllocationID")
    if not allocation_id:
        invoice = (allocation.get("Invoice") or {}).get("InvoiceID")
        text = f"{note_id}|{invoice}|{allocation.get('Amount')}|{allocation.get('Date')}"
        allocation_id = hashlib.sha256(text.encode()).hexdigest()[:32]
    return mirror_links.ref_key("ALLOCATION", str(allocation_id))


def _allocations(doc: SourceDoc) -> list[dict[str, Any]]:
    return [
        a
        for a in doc.data.get("Allocations") or []
        if isinstance(a, dict)
        and not a.get("IsDeleted")
        and (a.get("Invoice") or {}).get("InvoiceID")
    ]


def _invoice_ref(allocation: dict[str, Any]) -> str:
    return mirror_links.ref_key("INVOICE", str(allocation["Invoice"]["InvoiceID"]))


def copy_credit_notes(run: MirrorRun, docs: Sequence[SourceDoc]) -> None:
    mine = [d for d in docs if CREDIT_TYPES.get(str(d.data.get("Type"))) in run.mirror.types]
    run.done.update(d.resource_id for d in docs if d not in mine)  # not this mirror's type
    mine = not_a_copy(run, mine, "CREDITNOTE")
    if not mine:
        return
    refs = [mirror_links.ref_key("CREDITNOTE", d.resource_id) for d in mine]
    for doc in mine:
        refs += [_invoice_ref(a) for a in _allocations(doc)]
        refs += [allocation_ref(doc.resource_id, a) for a in _allocations(doc)]
    links = mirror_links.get_links(run.pair, refs)
    plans = [plan for doc in mine if (plan := _plan(run, doc, links)) is not None]
    held = run.claim(plans)
    try:
        _write(run, held)
    except Exception as error:
        from xero_bridge.errors import RateLimitedError

        if not isinstance(error, RateLimitedError):
            run.failing([p for p in held if not p.settled], error)
        raise
    finally:
        run.release(held)


def _plan(run: MirrorRun, doc: SourceDoc, links: dict[str, Link]) -> Plan | None:
    """What to do for one credit note (None: nothing now, with the reason logged)."""
    draft = credit_note_draft(doc.data, run.mirror)
    link = links.get(mirror_links.ref_key("CREDITNOTE", doc.resource_id))
    target_id = link.target_id if link else None
    allocations = _allocations(doc)
    copied = {_invoice_ref(a): links.get(_invoice_ref(a)) for a in allocations}
    to_make = []
    for allocation in allocations:
        invoice = copied[_invoice_ref(allocation)]
        ref = allocation_ref(doc.resource_id, allocation)
        made = links.get(ref)
        if invoice is not None and invoice.target_id and not (made and made.target_id):
            to_make.append((ref, allocation, invoice.target_id))
    if target_id and draft.ended:
        if link is not None and link.digest == draft.digest:
            run.skipped(doc, "the copy is up to date", target_id)
            return None
        return Plan(doc, draft, link, target_id)
    if draft.ended:
        run.skipped(doc, f"{draft.source_status.lower()} in the source before it was copied")
        return None
    if not to_make:
        _nothing_to_allocate(run, doc, link, allocations, copied)
        return None
    return Plan(doc, draft, link, target_id, allocations=to_make)


def _nothing_to_allocate(
    run: MirrorRun,
    doc: SourceDoc,
    link: Link | None,
    allocations: list[dict[str, Any]],
    invoices: dict[str, Link | None],
) -> None:
    """No allocation to make now: up to date, not allocated at all, or allocated to an
    invoice whose copy does not exist yet (then tried again, and parked after the last try)."""
    uncopied = []
    for allocation in allocations:
        invoice = invoices[_invoice_ref(allocation)]
        if invoice is None or not invoice.target_id:
            number = (
                allocation["Invoice"].get("InvoiceNumber") or allocation["Invoice"]["InvoiceID"]
            )
            uncopied.append(str(number))
    target_id = link.target_id if link else None
    if not uncopied:
        if target_id:
            run.skipped(doc, "the copy is up to date (its allocations are made)", target_id)
        else:
            run.skipped(doc, "not allocated to any invoice: only allocated credit notes are copied")
        return
    reason = f"allocated to {', '.join(uncopied)}, whose copy does not exist yet"
    attempt = doc.attempts
    if attempt < run.settings.mirror_max_attempts:
        delay = backoff(run.settings.mirror_retry_base_seconds, attempt)
        run.verdicts.send_back(doc.message_ids, delay, patient=False)
        run.tally.add(
            "waiting",
            "credit_note",
            source_id=doc.resource_id,
            source_number=doc.number,
            reason=f"{reason}: tried again in {delay} s",
            attempt=attempt,
        )
        return
    _park(run, doc, link, reason)


def _park(run: MirrorRun, doc: SourceDoc, link: Link | None, reason: str) -> None:
    """The credit note waited its last try for its invoices' copies: parked until it changes."""
    attempt = doc.attempts
    target_id = link.target_id if link else None
    parked = f"{reason} after {attempt} attempts (is the invoice older than the mirror? a "
    parked += "backfill copies older invoices); tried again at the credit note's next change"
    ref = mirror_links.ref_key("CREDITNOTE", doc.resource_id)
    fields = (link.model_dump(exclude={"pair", "ref"}) if link else {}) | {
        "state": "parked",
        "parked_for": "failing",
        "reason": parked,
        "mirror_id": run.mirror.mirror_id,
        "source_id": doc.resource_id,
    }
    mirror_links.put_link(run.pair, ref, fields)
    run.tally.moved(link.state if link else None, "parked")
    run.tally.add(
        "parked",
        "credit_note",
        source_id=doc.resource_id,
        source_number=doc.number,
        target_id=target_id,
        reason=parked,
        attempt=attempt,
    )
    run.tally.alert("CREDITNOTE", doc.resource_id, reason, [])
    run.done.add(doc.resource_id)


def _write(run: MirrorRun, plans: list[Plan]) -> None:
    voids = [p for p in plans if p.target_id and p.draft.ended]
    for plan in voids:
        _void(run, plan)
    creating = [p for p in plans if not p.settled and p.target_id is None]
    ready = prerequisites.resolve(run, creating)
    recovery.find_lost_credit_notes(run, ready)
    found = [p for p in ready if p.created and p.target_id]
    run.mark_copies((p, str(p.target_id)) for p in found)
    for plan in found:
        mirror_links.note(run.pair, plan.ref, run.owner, {"target_id": plan.target_id})
    _create(run, [p for p in ready if p.target_id is None])
    for plan in plans:
        if not plan.settled and plan.target_id:
            _allocate(run, plan)


def _void(run: MirrorRun, plan: Plan) -> None:
    body = status_only("CreditNoteID", str(plan.target_id), plan.draft.target_status)
    key = xero_io.idempotency_key(run.mirror.mirror_id, "void", plan.ref, plan.draft.digest)
    [result] = xero_io.write_many(
        run.mirror.target_tenant_id,
        "POST",
        "CreditNotes",
        [body],
        key,
        path=f"/CreditNotes/{plan.target_id}",
    )
    if result.ok:
        run.copied(plan, dict(result.record), "CreditNoteNumber")
    else:
        run.refused(plan, result.messages)


def _create(run: MirrorRun, plans: list[Plan]) -> None:
    chunk = run.settings.mirror_write_chunk
    for start in range(0, len(plans), chunk):
        part = plans[start : start + chunk]
        bodies = [p.draft.payload(str(p.contact_id), run.target.keep_tracking) for p in part]
        key = xero_io.idempotency_key(
            run.mirror.mirror_id, "credit_notes", *(f"{p.ref}:{p.draft.digest}" for p in part)
        )
        results = xero_io.write_many(run.mirror.target_tenant_id, "PUT", "CreditNotes", bodies, key)
        made = [
            (p, str(r.record.get("CreditNoteID")))
            for p, r in zip(part, results, strict=True)
            if r.ok
        ]
        run.mark_copies(made)
        for plan, result in zip(part, results, strict=True):
            if not result.ok:
                run.refused(plan, result.messages)
                continue
            plan.target_id, plan.created = str(result.record["CreditNoteID"]), True
            mirror_links.note(
                run.pair,
                plan.ref,
                run.owner,
                {
                    "target_id": plan.target_id,
                    "target_number": result.record.get("CreditNoteNumber"),
                },
            )


def _already_made(run: MirrorRun, plan: Plan) -> set[tuple[str, str, str]]:
    """(invoice, amount, day) of the copy's allocations, when an earlier attempt may have
    made some without our knowing."""
    if plan.link is None or not plan.link.attempt_at or plan.created:
        return set()
    answer = xero_io.request(run.mirror.target_tenant_id, "GET", f"/CreditNotes/{plan.target_id}")
    found = set()
    for note in answer.get("CreditNotes") or []:
        for allocation in note.get("Allocations") or []:
            if not allocation.get("IsDeleted"):
                found.add(_shape((allocation.get("Invoice") or {}).get("InvoiceID"), allocation))
    return found


def _shape(invoice_id: Any, allocation: dict[str, Any]) -> tuple[str, str, str]:
    day = parse_xero_date(allocation.get("Date"))
    return (str(invoice_id).lower(), str(allocation.get("Amount")), day.isoformat() if day else "")


def _allocate(run: MirrorRun, plan: Plan) -> None:
    existing = _already_made(run, plan)
    to_send, made = [], []
    for ref, allocation, invoice_id in plan.allocations:
        if _shape(invoice_id, allocation) in existing:
            made.append((ref, allocation, invoice_id, None))
        else:
            to_send.append((ref, allocation, invoice_id))
    refused: list[str] = []
    if to_send:
        bodies = [
            {
                "Invoice": {"InvoiceID": invoice_id},
                "Amount": allocation["Amount"],
                "Date": _shape(invoice_id, allocation)[2] or None,
            }
            for _, allocation, invoice_id in to_send
        ]
        key = xero_io.idempotency_key(
            plan.target_id or "", "allocations", *(r for r, _, _ in to_send)
        )
        results = xero_io.write_many(
            run.mirror.target_tenant_id,
            "PUT",
            "Allocations",
            [{k: v for k, v in b.items() if v is not None} for b in bodies],
            key,
            path=f"/CreditNotes/{plan.target_id}/Allocations",
        )
        for (ref, allocation, invoice_id), result in zip(to_send, results, strict=True):
            if result.ok:
                made.append((ref, allocation, invoice_id, result.record.get("AllocationID")))
            else:
                refused.extend(result.messages)
    _record_allocations(run, plan, made)
    if refused:
        run.refused(plan, refused, "Xero refused an allocation of the copy")
    else:
        run.copied(plan, {"CreditNoteID": plan.target_id}, "CreditNoteNumber")


def _record_allocations(
    run: MirrorRun, plan: Plan, made: list[tuple[str, dict[str, Any], str, Any]]
) -> None:
    for ref, allocation, invoice_id, allocation_id in made:
        mirror_links.put_link(
            run.pair,
            ref,
            {
                "state": "copied",
                "mirror_id": run.mirror.mirror_id,
                "source_id": ref.split("#", 1)[1],
                "target_id": str(allocation_id or "") or None,
                "source_number": plan.doc.number,
            },
        )
        run.tally.add(
            "copied",
            "allocation",
            source_id=plan.doc.resource_id,
            source_number=plan.doc.number,
            target_id=plan.target_id,
            details={
                "amount": str(allocation.get("Amount")),
                "invoice": str(allocation["Invoice"].get("InvoiceNumber") or ""),
                "target_invoice_id": invoice_id,
            },
        )
