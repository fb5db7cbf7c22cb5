"""One mirror's part of one batch: its documents' claims and how each one ends.

A document to write is a `Plan`. It is claimed in the links table first (so two workers
never write the same copy at once), then ends one way, recorded in its link and the log:

- `copied` (or `updated`): the copy exists and holds this version;
- `waiting`: a contact or item is missing in the target and the mirror may not create it;
- `refused`: Xero refused the copy (its messages kept): parked until the document changes;
- `failing`: Xero failed (5xx, timeout): sent back with backoff, and parked after
  MIRROR_MAX_ATTEMPTS attempts;
- or the claim is let go (the batch stopped for a 429: sent back patiently).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from xero_bridge.errors import XeroBridgeError
from xero_bridge.mirrors.outcomes import Tally, Verdicts, backoff
from xero_bridge.mirrors.sources import SourceDoc
from xero_bridge.mirrors.target import TargetBooks
from xero_bridge.mirrors.translate import CopyDraft
from xero_bridge.observability import logger
from xero_bridge.persistence import mirror_links
from xero_bridge.persistence.mirror_links import Link
from xero_bridge.persistence.mirrors import MirrorRecord
from xero_bridge.settings import Settings

KIND_OF = {"INVOICE": "invoice", "CREDITNOTE": "credit_note"}
ID_FIELD = {"INVOICE": "InvoiceID", "CREDITNOTE": "CreditNoteID"}
REFUSED = "Xero refused the copy"


@dataclass
class Plan:
    doc: SourceDoc
    draft: CopyDraft
    link: Link | None  # as it was when claimed
    target_id: str | None = None
    contact_id: str | None = None
    settled: bool = False
    created: bool = False  # made by this run (a credit note is made before it is allocated)
    # A credit note's allocations still to make: (link ref, the source's allocation, the
    # target invoice it goes to).
    allocations: list[tuple[str, dict[str, Any], str]] = field(default_factory=list)

    @property
    def ref(self) -> str:
        return mirror_links.ref_key(self.doc.category, self.doc.resource_id)

    @property
    def creating(self) -> bool:
        return self.target_id is None


@dataclass
class MirrorRun:
    mirror: MirrorRecord
    owner: str
    settings: Settings
    target: TargetBooks
    tally: Tally
    verdicts: Verdicts
    clock: Callable[[], float] = time.time
    done: set[str] = field(default_factory=set)  # resource ids this run has settled

    @property
    def pair(self) -> str:
        return mirror_links.pair_key(self.mirror.tenant_id, self.mirror.target_tenant_id)

    # ------------------------------------------------------------------ claims
    def claim(self, plans: Iterable[Plan]) -> list[Plan]:
        """The plans this worker now holds; the others go back to the queue for a while."""
        held = []
        for plan in plans:
            claim = mirror_links.claim(
                self.pair,
                plan.ref,
                self.owner,
                self.clock(),
                self.settings.mirror_claim_seconds,
                creating=plan.target_id is None or bool(plan.allocations),
                mirror_id=self.mirror.mirror_id,
                source_id=plan.doc.resource_id,
            )
            if not claim.claimed:
                wait = max(1.0, min(30.0, claim.busy_until - self.clock()))
                self.verdicts.send_back(plan.doc.message_ids, wait, patient=True)
                continue
            plan.link = claim.link
            if claim.link is not None and claim.link.target_id:
                plan.target_id = claim.link.target_id  # made meanwhile by another worker
            held.append(plan)
        return held

    def release(self, plans: Iterable[Plan]) -> None:
        for plan in plans:
            if not plan.settled:
                mirror_links.release(self.pair, plan.ref, self.owner)
                plan.settled = True

    # ------------------------------------------------------------------ endings
    def _finish(self, plan: Plan, sets: dict[str, Any]) -> None:
        sets.setdefault("source_number", plan.doc.number)
        sets.setdefault("mirror_id", self.mirror.mirror_id)
        sets = {k: v for k, v in sets.items() if v is not None}
        if not mirror_links.finish(self.pair, plan.ref, self.owner, sets):
            logger.warning("a mirror's claim lapsed; another worker's outcome stands")
        old = plan.link.state if plan.link else None
        self.tally.moved(old, sets.get("state"))
        plan.settled = True
        self.done.add(plan.doc.resource_id)

    def mark_copies(self, made: Iterable[tuple[Plan, str]]) -> None:
        """Copy markers for new copies (plan, copy id), written before their links say so."""
        markers = [
            {
                "target_tenant_id": self.mirror.target_tenant_id,
                "kind": plan.doc.category,
                "target_id": target_id,
                "source_tenant_id": self.mirror.tenant_id,
                "source_id": plan.doc.resource_id,
                "mirror_id": self.mirror.mirror_id,
            }
            for plan, target_id in made
        ]
        if markers:
            mirror_links.put_markers(markers)

    def copied(self, plan: Plan, record: dict[str, Any], number_field: str) -> None:
        """The copy holds this version (its marker is written already, when it is new)."""
        target_id = str(record.get(ID_FIELD[plan.doc.category]) or plan.target_id)
        created = plan.created or plan.target_id is None
        number = record.get(number_field)
        self._finish(
            plan,
            {
                "state": "copied",
                "target_id": target_id,
                "target_number": number,
                "digest": plan.draft.digest,
                "source_version": plan.doc.version,
                "reason": "",
                "messages": [],
            },
        )
        self.tally.add(
            "copied" if created else "updated",
            KIND_OF[plan.doc.category],
            source_id=plan.doc.resource_id,
            source_number=plan.doc.number,
            target_id=target_id,
            target_number=str(number) if number else None,
            reason=_status_reason(plan),
            attempt=plan.doc.attempts,
            details=_totals(plan, record),
        )

    def waiting(self, plan: Plan, reason: str) -> None:
        self._finish(plan, {"state": "waiting", "reason": reason, "digest": plan.draft.digest})
        self._log(plan, "waiting", reason)

    def refused(self, plan: Plan, messages: Iterable[str], reason: str = REFUSED) -> None:
        """Xero refused it: the same document would be refused again, so it is parked
        until it changes in the source (its next change is tried again)."""
        said = list(messages)
        self._finish(
            plan,
            {
                "state": "parked",
                "reason": reason,
                "messages": said,
                "digest": plan.draft.digest,
                "parked_for": "refused",
            },
        )
        self._log(plan, "failed", f"{reason}; parked until it changes in the source", said)
        self.tally.alert(plan.doc.category, plan.doc.resource_id, reason, said)

    def failing(self, plans: Iterable[Plan], error: BaseException) -> None:
        """Xero failed for now: back to the queue with backoff, parked after the last try."""
        reason = _describe(error)
        for plan in plans:
            if plan.settled:
                continue
            attempt = plan.doc.attempts
            if attempt >= self.settings.mirror_max_attempts:
                self._finish(plan, {"state": "parked", "reason": reason, "parked_for": "failing"})
                self._log(plan, "parked", f"still failing after {attempt} attempts: {reason}")
                self.tally.alert(plan.doc.category, plan.doc.resource_id, reason, [])
                continue
            mirror_links.release(self.pair, plan.ref, self.owner)
            plan.settled = True
            delay = backoff(self.settings.mirror_retry_base_seconds, attempt)
            self.verdicts.send_back(plan.doc.message_ids, delay, patient=False)
            self._log(plan, "failed", f"{reason}; tried again in {delay} s")

    def skipped(self, doc: SourceDoc, reason: str, target_id: str | None = None) -> None:
        self.tally.add(
            "skipped",
            KIND_OF[doc.category],
            source_id=doc.resource_id,
            source_number=doc.number,
            target_id=target_id,
            reason=reason,
            attempt=doc.attempts,
        )
        self.done.add(doc.resource_id)

    def _log(self, plan: Plan, outcome: str, reason: str, messages: Iterable[str] = ()) -> None:
        self.tally.add(
            outcome,
            KIND_OF[plan.doc.category],
            source_id=plan.doc.resource_id,
            source_number=plan.doc.number,
            target_id=plan.target_id,
            reason=reason,
            messages=messages,
            attempt=plan.doc.attempts,
        )


def _describe(error: BaseException) -> str:
    if isinstance(error, XeroBridgeError):
        return f"{error.message} ({error.code})"
    return f"unexpected {type(error).__name__}"


def _status_reason(plan: Plan) -> str | None:
    if plan.draft.ended:
        return f"{plan.draft.source_status.lower()} in the source"
    if plan.draft.source_status == "PAID":
        return "paid in the source: approved in the target (payments are not mirrored)"
    return None


def _totals(plan: Plan, record: dict[str, Any]) -> dict[str, str]:
    """The totals on each side, when they differ (the target's own tax, say)."""
    source_total, copy_total = plan.draft.source_total, record.get("Total")
    if source_total is None or copy_total is None or plan.draft.ended:
        return {}
    source, copy = Decimal(str(source_total)), Decimal(str(copy_total))
    if source == copy:
        return {}
    currency = plan.draft.currency or ""
    return {
        "totals_differ": f"source {currency} {source:.2f}, copy {currency} {copy:.2f}",
        "why": "the target applies its own tax to lines whose tax type is not in tax_map",
    }
