"""Lifecycle events: every status a payment takes is published on the EventBus as
``payment.<status>`` (source ``xero-bridge``), for outgoing webhooks and alerts.

The detail is the payment as the API answers it (`answers.PaymentOut`: no token, no TAN, no
secret) plus ``tenant_id`` and ``event_id`` (the same for every publication of one move, so a
consumer can drop EventBridge's rare second delivery). `lifecycle` calls `status_changed`
from the one place statuses change.

Publishing never fails a payment: money that moved is not un-moved because EventBridge
hiccupped; a lost event is logged as an error (the audit trail still has the move). Inside
`batched()` (each handler's invocation) events wait and go out ten per PutEvents call when
it ends, so a batch of 100 payments costs 20 calls, not 200; outside it they go at once.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import TYPE_CHECKING, Any

from xero_bridge.errors import XeroBridgeError
from xero_bridge.observability import logger

if TYPE_CHECKING:
    from xero_bridge.persistence.payments import PaymentRecord
    from xero_bridge.webhooks.publisher import DomainEvent, EventPublisher

_local = threading.local()
# Tests put a recorder here; None: EventBridge (EVENT_BUS_NAME).
publisher: EventPublisher | None = None


def detail_type(status: str) -> str:
    return f"payment.{status}"


def event_of(record: PaymentRecord) -> DomainEvent:
    from xero_bridge.payments.answers import PaymentOut
    from xero_bridge.webhooks.publisher import DomainEvent

    payment = PaymentOut.of(record).model_dump(mode="json")
    identity = f"{record.tenant_id}\n{record.payment_id}\n{record.status}\n{record.updated_at}"
    event_id = hashlib.sha256(identity.encode()).hexdigest()[:32]
    detail = {**payment, "tenant_id": record.tenant_id, "event_id": event_id}
    return DomainEvent(detail_type=detail_type(record.status), detail=detail)


def status_changed(record: PaymentRecord) -> None:
    """Publish (or, inside `batched`, queue) the event of the status `record` now has."""
    pending: list[DomainEvent] | None = getattr(_local, "pending", None)
    event = event_of(record)
    if pending is None:
        _publish([event])
    else:
        pending.append(event)


@contextmanager
def batching() -> Iterator[None]:
    """Events of moves made inside go out together when it ends (nested: the outermost)."""
    if getattr(_local, "pending", None) is not None:
        yield
        return
    _local.pending = []
    try:
        yield
    finally:
        pending, _local.pending = _local.pending, None
        _publish(pending)


def batched[**P, R](fn: Callable[P, R]) -> Callable[P, R]:
    """A handler whose invocation publishes its lifecycle events together at the end."""

    @wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with batching():
            return fn(*args, **kwargs)

    return wrapper


def _publisher() -> EventPublisher:
    if publisher is not None:
        return publisher
    from xero_bridge.webhooks.publisher import EventBridgePublisher

    return EventBridgePublisher()


def _publish(events: list[DomainEvent]) -> None:
    if not events:
        return
    try:
        results = _publisher().publish(events)
    except XeroBridgeError as exc:  # e.g. no EVENT_BUS_NAME: an operator's problem
        results = [False] * len(events)
        logger.error("lifecycle events not published", extra={"error_code": exc.code})
    lost: list[dict[str, Any]] = [
        {"type": e.detail_type, "payment_id": e.detail.get("payment_id")}
        for e, ok in zip(events, results, strict=True)
        if not ok
    ]
    if lost:
        logger.error("lifecycle events lost", extra={"events": lost})
