"""What became of each document, for a person and for the queue.

`Tally` (one per mirror per batch) gathers the log entries, the counters and the waiting /
parked gauges, and the `mirror.parked` events, and writes them once (`flush`).
`Verdicts` (one per batch) says what becomes of each queue message: done, or sent back after
a delay — patiently (waiting is not failing: a 429, another worker on the same document) or
as a failure that counts towards being parked.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from xero_bridge.observability import logger
from xero_bridge.persistence import mirror_log, mirrors
from xero_bridge.persistence.mirror_log import LogEntry
from xero_bridge.persistence.mirrors import MirrorRecord
from xero_bridge.webhooks.publisher import DomainEvent, EventPublisher

PARKED_EVENT = "mirror.parked"
GAUGED = ("waiting", "parked")
MAX_DELAY_SECONDS = 900


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class Tally:
    mirror: MirrorRecord
    entries: list[LogEntry] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    gauges: Counter[str] = field(default_factory=Counter)
    parked: list[DomainEvent] = field(default_factory=list)
    last_error: str | None = None

    def add(
        self,
        outcome: str,
        kind: str,
        *,
        source_id: str | None = None,
        source_number: str | None = None,
        target_id: str | None = None,
        target_number: str | None = None,
        reason: str | None = None,
        messages: Iterable[str] = (),
        attempt: int | None = None,
        details: dict[str, str] | None = None,
    ) -> None:
        """One log entry (and its counter)."""
        self.entries.append(
            LogEntry(
                mirror_id=self.mirror.mirror_id,
                at=_now(),
                outcome=outcome,
                kind=kind,
                source_id=source_id,
                source_number=source_number,
                target_id=target_id,
                target_number=target_number,
                reason=reason,
                messages=list(messages),
                attempt=attempt,
                details=details or {},
            )
        )
        self.counts[outcome] += 1
        if outcome in ("failed", "parked"):
            self.last_error = "; ".join([reason or outcome, *messages])

    def moved(self, old_state: str | None, new_state: str | None) -> None:
        """A document's state changed: the gauges follow."""
        if old_state == new_state:
            return
        if old_state in GAUGED:
            self.gauges[str(old_state)] -= 1
        if new_state in GAUGED:
            self.gauges[str(new_state)] += 1

    def alert(self, category: str, source_id: str, reason: str, messages: Iterable[str]) -> None:
        """A `mirror.parked` event: someone should look (alerts subscribe to it)."""
        self.parked.append(
            DomainEvent(
                detail_type=PARKED_EVENT,
                detail={
                    "tenant_id": self.mirror.tenant_id,
                    "mirror_id": self.mirror.mirror_id,
                    "target_tenant_id": self.mirror.target_tenant_id,
                    "category": category,
                    "resource_id": source_id,
                    "reason": reason,
                    "messages": list(messages),
                },
            )
        )

    def flush(self, publisher: EventPublisher | None) -> None:
        """Write the entries, the counters and the alerts; a failure is logged, not raised
        (the copies themselves are done and recorded in the links)."""
        try:
            if self.entries:
                mirror_log.append(self.entries)
            if self.counts or self.gauges:
                mirrors.record_activity(
                    self.mirror.tenant_id,
                    self.mirror.mirror_id,
                    self.counts,
                    self.gauges,
                    self.last_error,
                )
        except Exception:
            logger.exception(
                "writing a mirror's log failed", extra={"mirror_id": self.mirror.mirror_id}
            )
        if self.parked and publisher is not None:
            try:
                taken = publisher.publish(self.parked)
                if not all(taken):
                    logger.error("a mirror.parked event was refused by EventBridge")
            except Exception:
                logger.exception("publishing mirror.parked failed")
        self.entries, self.parked = [], []
        self.counts, self.gauges = Counter(), Counter()


@dataclass(frozen=True)
class SendBack:
    delay: int
    patient: bool


@dataclass
class Verdicts:
    """Messages to send back, each with its delay (the longest asked; patient only if every
    reason to send it back is)."""

    back: dict[str, SendBack] = field(default_factory=dict)

    def send_back(self, message_ids: Iterable[str], delay: float, *, patient: bool) -> None:
        wanted = SendBack(int(min(MAX_DELAY_SECONDS, max(0.0, delay)) + 0.999), patient)
        for message_id in message_ids:
            known = self.back.get(message_id)
            if known is not None:
                wanted = SendBack(max(known.delay, wanted.delay), known.patient and patient)
            self.back[message_id] = wanted


def backoff(base_seconds: int, attempt: int) -> int:
    """A failure's delay before the next attempt: base * 4^(attempt-1), at most 15 minutes."""
    return int(min(MAX_DELAY_SECONDS, base_seconds * 4 ** max(0, attempt - 1)))
