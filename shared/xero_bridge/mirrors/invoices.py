"""Copying one batch's changed invoices for one mirror: every create, update, void and
delete of the batch in one `POST /Invoices` per 50 (`summarizeErrors=false`: one result
each), after at most one lookup of the target's contacts, items and tracking categories.

Nothing is written for a document whose copy already holds what it would be written with
(the digest): a replayed event, or a payment or allocation in the source, costs no call.
"""

from __future__ import annotations

from collections.abc import Sequence

from xero_bridge import snapshot_fences as fences
from xero_bridge.mirrors import markers, prerequisites, recovery, xero_io
from xero_bridge.mirrors.runs import MirrorRun, Plan
from xero_bridge.mirrors.sources import SourceDoc
from xero_bridge.mirrors.translate import CopyDraft, invoice_draft, status_only
from xero_bridge.persistence import mirror_links
from xero_bridge.persistence.mirror_links import Link
from xero_bridge.persistence.mirrors import MirrorRecord


def _decline(mirror: MirrorRecord, draft: CopyDraft, link: Link | None) -> str | None:
    """Why nothing is written for this version (None: write it)."""
    if link is not None and link.target_id:
        return "the copy is up to date" if link.digest == draft.digest else None
    if draft.ended:
        return f"{draft.source_status.lower()} in the source before it was copied"
    if draft.source_status not in mirror.statuses:
        allowed = ", ".join(mirror.statuses)
        return f"{draft.source_status} invoices are not copied (this mirror copies {allowed})"
    if link is not None and link.parked_for == "refused" and link.digest == draft.digest:
        said = "; ".join(link.messages) or link.reason or "refused"
        return f"unchanged since Xero refused its copy ({said})"
    return None


def not_a_copy(run: MirrorRun, docs: Sequence[SourceDoc], category: str) -> list[SourceDoc]:
    """The documents that are not copies made by a mirror (those are never copied again)."""
    made = mirror_links.copies_among(run.mirror.tenant_id, category, [d.resource_id for d in docs])
    kept = []
    for doc in docs:
        marker = made.get(doc.resource_id)
        linked_back = markers.is_copy_from(doc.data.get("Url"), run.mirror.target_short_code)
        if marker is None and not linked_back:
            kept.append(doc)
            continue
        origin = (marker or {}).get("source_tenant_id") or run.mirror.target_tenant_id
        run.skipped(doc, f"a copy made by a mirror from {origin}: copies are never copied again")
    return kept


def copy_invoices(run: MirrorRun, docs: Sequence[SourceDoc]) -> None:
    mine = [d for d in docs if d.data.get("Type") in run.mirror.types]
    run.done.update(d.resource_id for d in docs if d not in mine)  # not this mirror's type
    mine = not_a_copy(run, mine, "INVOICE")
    if not mine:
        return
    links = mirror_links.get_links(
        run.pair, [mirror_links.ref_key("INVOICE", d.resource_id) for d in mine]
    )
    plans = []
    for doc in mine:
        draft = invoice_draft(doc.data, run.mirror)
        link = links.get(mirror_links.ref_key("INVOICE", doc.resource_id))
        reason = _decline(run.mirror, draft, link)
        if reason is not None:
            run.skipped(doc, reason, link.target_id if link else None)
            continue
        plans.append(Plan(doc, draft, link, link.target_id if link else None))
    held = run.claim(plans)
    try:
        _write(run, held)
    except Exception as error:
        run.failing([p for p in held if not p.settled and not _waits(error)], error)
        raise
    finally:
        run.release(held)


def _waits(error: BaseException) -> bool:
    from xero_bridge.errors import RateLimitedError

    return isinstance(error, RateLimitedError)


def _write(run: MirrorRun, plans: list[Plan]) -> None:
    # A claim may find the copy made meanwhile, holding this very version.
    for plan in plans:
        if plan.link is not None and plan.link.target_id and plan.link.digest == plan.draft.digest:
            run.skipped(plan.doc, "the copy is up to date", plan.target_id)
            run.release([plan])
    live = [p for p in plans if not p.settled]
    ready = prerequisites.resolve(run, live)
    recovery.find_lost_invoices(run, ready)
    chunk = run.settings.mirror_write_chunk
    for start in range(0, len(ready), chunk):
        _send(run, ready[start : start + chunk])


def _send(run: MirrorRun, plans: list[Plan]) -> None:
    bodies = []
    for plan in plans:
        if plan.target_id and plan.draft.ended:
            bodies.append(status_only("InvoiceID", plan.target_id, plan.draft.target_status))
            continue
        body = plan.draft.payload(str(plan.contact_id), run.target.keep_tracking)
        if plan.target_id:
            body["InvoiceID"] = plan.target_id
        bodies.append(body)
    key = xero_io.idempotency_key(
        run.mirror.mirror_id, "invoices", *(f"{p.ref}:{p.draft.digest}" for p in plans)
    )
    changing = [("INVOICE", p.target_id) for p in plans]
    changing += [("CONTACT", p.contact_id) for p in plans]
    target = run.mirror.target_tenant_id
    with fences.writing(target, changing):
        results = xero_io.write_many(target, "POST", "Invoices", bodies, key)
    run.mark_copies(
        (plan, str(result.record.get("InvoiceID")))
        for plan, result in zip(plans, results, strict=True)
        if result.ok and (plan.creating or plan.created)
    )
    for plan, result in zip(plans, results, strict=True):
        if result.ok:
            run.copied(plan, dict(result.record), "InvoiceNumber")
        else:
            run.refused(plan, result.messages)
