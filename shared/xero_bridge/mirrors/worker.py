"""The mirror queue's consumer: one batch of changes (and backfill pages) in, copies out.

1. Read each message: a change event of the webhook worker, or a backfill page.
2. Per source organisation with active mirrors: its changed documents, from the webhook
   worker's snapshots (a Xero call only for one without).
3. Per mirror: its invoices (`invoices.py`), then its credit notes (`credit_notes.py`), so a
   credit note finds the copy of an invoice copied in the same batch.
4. Every message whose documents are all settled is done; the others go back to the queue
   (`Verdicts`): after a 429's Retry-After, or another worker's claim, patiently (a fresh copy
   when it has waited long, so waiting never ends in the dead-letter queue); after a failure
   with backoff — and parked, logged and alerted after MIRROR_MAX_ATTEMPTS.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence

from aws_lambda_powertools.metrics import MetricUnit

from xero_bridge.errors import RateLimitedError, XeroBridgeError
from xero_bridge.mirrors import messages as queue_messages
from xero_bridge.mirrors import sources
from xero_bridge.mirrors.credit_notes import copy_credit_notes
from xero_bridge.mirrors.invoices import copy_invoices
from xero_bridge.mirrors.messages import Backfill, QueueMessage
from xero_bridge.mirrors.outcomes import Tally, Verdicts, backoff
from xero_bridge.mirrors.runs import MirrorRun
from xero_bridge.mirrors.sources import SourceDoc, Wanted
from xero_bridge.mirrors.target import TargetBooks
from xero_bridge.observability import logger, metrics
from xero_bridge.persistence import mirrors
from xero_bridge.persistence.mirrors import MirrorRecord
from xero_bridge.settings import Settings, get_settings
from xero_bridge.webhooks.publisher import EventPublisher


class MirrorWorker:
    def __init__(
        self,
        publisher: EventPublisher | None = None,
        clock: Callable[[], float] = time.time,
        settings: Settings | None = None,
    ) -> None:
        self.publisher = publisher
        self.clock = clock
        self.settings = settings or get_settings()

    def process(self, batch: Sequence[QueueMessage]) -> set[str]:
        """Work one batch; the ids of the messages sent back (batch item failures)."""
        verdicts = Verdicts()
        counts: Counter[str] = Counter()
        by_tenant: dict[str, dict[tuple[str, str], Wanted]] = defaultdict(dict)
        backfills: list[tuple[QueueMessage, Backfill]] = []
        for message in batch:
            try:
                parsed = queue_messages.parse(message)
            except ValueError as exc:
                logger.error("unreadable mirror message", extra={"problem": str(exc)[:300]})
                delay = backoff(self.settings.mirror_retry_base_seconds, message.receive_count)
                verdicts.send_back([message.message_id], delay, patient=False)
                continue
            if parsed.backfill is not None:
                backfills.append((message, parsed.backfill))
            elif parsed.change is not None:
                change = parsed.change
                key = (change.category, change.resource_id.lower())
                item = by_tenant[change.tenant_id].setdefault(key, Wanted(*key))
                item.message_ids.add(message.message_id)
                item.attempts = max(item.attempts, message.receive_count)
        owner = uuid.uuid4().hex
        for tenant_id, wanted in by_tenant.items():
            self._tenant(tenant_id, list(wanted.values()), owner, verdicts, counts)
        for message, page in backfills:
            self._backfill(message, page, owner, verdicts, counts)
        self._metrics(counts)
        return self._settle(batch, verdicts)

    # ------------------------------------------------------------------ changes
    def _tenant(
        self,
        tenant_id: str,
        wanted: list[Wanted],
        owner: str,
        verdicts: Verdicts,
        counts: Counter[str],
    ) -> None:
        active = mirrors.for_source(tenant_id, active_only=True)
        if not active:
            return  # nothing mirrors this organisation: the change concerns others only
        try:
            docs, gone = sources.load(tenant_id, wanted)
        except Exception as error:
            self._send_back_all(wanted, error, verdicts)
            return
        if gone:
            logger.info("changed documents Xero no longer has", extra={"count": len(gone)})
        for mirror in active:
            self._run(mirror, docs, owner, verdicts, counts)

    def _send_back_all(self, wanted: list[Wanted], error: Exception, verdicts: Verdicts) -> None:
        for item in wanted:
            if isinstance(error, RateLimitedError):
                verdicts.send_back(item.message_ids, error.retry_after, patient=True)
            else:
                logger.warning("reading changed documents failed", extra={"error": repr(error)})
                delay = backoff(self.settings.mirror_retry_base_seconds, item.attempts)
                verdicts.send_back(item.message_ids, delay, patient=False)

    def _run(
        self,
        mirror: MirrorRecord,
        docs: list[SourceDoc],
        owner: str,
        verdicts: Verdicts,
        counts: Counter[str],
    ) -> None:
        run = MirrorRun(
            mirror,
            owner,
            self.settings,
            TargetBooks(mirror.target_tenant_id),
            Tally(mirror),
            verdicts,
            self.clock,
        )
        try:
            copy_invoices(run, [d for d in docs if d.category == "INVOICE"])
            copy_credit_notes(run, [d for d in docs if d.category == "CREDITNOTE"])
        except RateLimitedError as limited:
            logger.info("Xero asked the mirror to wait", extra={"retry_after": limited.retry_after})
            for doc in docs:
                if doc.resource_id not in run.done:
                    verdicts.send_back(doc.message_ids, limited.retry_after, patient=True)
        except Exception as error:
            if not isinstance(error, XeroBridgeError):
                logger.exception("mirroring failed", extra={"mirror_id": mirror.mirror_id})
            for doc in docs:
                if doc.resource_id not in run.done:
                    delay = backoff(self.settings.mirror_retry_base_seconds, doc.attempts)
                    verdicts.send_back(doc.message_ids, delay, patient=False)
        finally:
            counts.update(run.tally.counts)
            run.tally.flush(self.publisher)

    # ------------------------------------------------------------------ backfill
    def _backfill(
        self,
        message: QueueMessage,
        page: Backfill,
        owner: str,
        verdicts: Verdicts,
        counts: Counter[str],
    ) -> None:
        mirror = mirrors.get(page.tenant_id, page.mirror_id)
        if mirror is None or mirror.status != "active":
            return  # stopped meanwhile: the rest of the backfill is not wanted
        try:
            records = sources.backfill_page(
                page.tenant_id, page.category, mirror.types, page.from_date, page.page
            )
        except Exception as error:
            wanted = Wanted(page.category, "backfill", {message.message_id}, message.receive_count)
            self._send_back_all([wanted], error, verdicts)
            return
        id_field = sources.id_field(page.category)
        docs = [
            SourceDoc(
                page.category,
                str(r[id_field]).lower(),
                r,
                {message.message_id},
                message.receive_count,
            )
            for r in records
            if r.get(id_field)
        ]
        self._run(mirror, docs, owner, verdicts, counts)
        if message.message_id in verdicts.back:
            return  # this page is done again later, and sends the next one then
        if len(records) >= sources.BACKFILL_PAGE_SIZE:
            queue_messages.send_backfill(page.following())
        elif page.category == "INVOICE":
            queue_messages.send_backfill(page.credit_notes())

    # ------------------------------------------------------------------ verdicts
    def _settle(self, batch: Sequence[QueueMessage], verdicts: Verdicts) -> set[str]:
        by_id = {m.message_id: m for m in batch}
        failed: set[str] = set()
        for message_id, back in verdicts.back.items():
            message = by_id[message_id]
            if back.patient and message.receive_count >= self.settings.mirror_max_attempts:
                try:
                    queue_messages.requeue(message, back.delay)
                    continue
                except Exception:
                    logger.exception("re-enqueueing a waiting mirror message failed")
            try:
                queue_messages.delay(message, back.delay)
            except Exception:  # the queue's own visibility timeout applies instead
                logger.exception("changing a mirror message's visibility failed")
            failed.add(message_id)
        return failed

    @staticmethod
    def _metrics(counts: Counter[str]) -> None:
        for outcome in ("copied", "updated", "skipped", "waiting", "failed", "parked"):
            metrics.add_metric(
                name=f"Mirror{outcome.capitalize()}", unit=MetricUnit.Count, value=counts[outcome]
            )
