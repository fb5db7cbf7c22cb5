"""The rail callback worker: queued callbacks in, payments brought up to date out.

For a batch of queued callbacks: each one's provider reads what it points at (`notices`:
our references), the open payments with those references are found (index by_rail_open,
then read again consistently), and `payments.provider_truth` reads each payment's truth at
its provider and moves it. A replayed or late callback finds its payment final (not open)
and changes nothing. A callback whose payments' provider (or Xero) failed is sent back to
the queue (its batch item failure), to be tried again and, after the queue's maxReceiveCount,
kept in the dead-letter queue.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from xero_bridge.observability import logger
from xero_bridge.payments.provider_truth import Group, bring_up_to_date, current
from xero_bridge.persistence import payments as store
from xero_bridge.persistence.payments import PaymentRecord
from xero_bridge.rails.callbacks import PROVIDERS
from xero_bridge.rails.callbacks.queue import Callback

ACTOR = "provider-callback"


@dataclass(frozen=True)
class Message:
    message_id: str
    body: str


@dataclass
class WorkResult:
    failed: set[str] = field(default_factory=set)  # message ids to send back
    counts: dict[str, int] = field(default_factory=dict)


def process(messages: Sequence[Message]) -> WorkResult:
    result = WorkResult()
    records: dict[str, PaymentRecord] = {}
    groups_of: dict[str, set[Group]] = {}  # message id -> the groups its payments are in
    for message in messages:
        found = _payments_of(message, result)
        groups_of[message.message_id] = {(r.tenant_id, r.rail) for r in found}
        records.update({r.payment_id: r for r in found})
    outcome = bring_up_to_date(list(records.values()), ACTOR)
    for message_id, groups in groups_of.items():
        if groups & set(outcome.failed):
            result.failed.add(message_id)
    for status in ("settled", "recorded", "failed", "cancelled", "executing"):
        result.counts[status] = outcome.count(status)
    result.counts["callbacks"] = len(messages)
    return result


def _payments_of(message: Message, result: WorkResult) -> list[PaymentRecord]:
    try:
        callback = Callback.from_message(message.body)
    except (ValueError, KeyError, TypeError):
        logger.error("unreadable callback message", extra={"message_id": message.message_id})
        return []  # it cannot get better by trying again
    factory = PROVIDERS.get(callback.provider)
    if factory is None:
        return []
    notices = factory().notices(callback.headers, callback.body)
    found: list[PaymentRecord] = []
    for notice in notices:
        found.extend(store.open_on_rail(notice.rail, notice.rail_key))
    if notices and not found:
        logger.info("callback for no open payment", extra={"events": [n.event for n in notices]})
    return current(found)
