"""In-memory stand-ins for the worker's collaborators: Xero (a ChangeSource), EventBridge
(an EventPublisher) and the queue's retry operations."""

from __future__ import annotations

import json
import random
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from xero_bridge.errors import RateLimitedError, ServiceUnavailableError
from xero_bridge.webhooks.models import QueuedMessage
from xero_bridge.webhooks.publisher import DomainEvent
from xero_bridge.webhooks.source import id_field

TENANT_A = "11111111-1111-4111-8111-111111111111"
TENANT_B = "22222222-2222-4222-8222-222222222222"
TENANT_GONE = "99999999-9999-4999-8999-999999999999"  # no connection


def wire_json(value: Any) -> str:
    """JSON as Xero writes it: decimal amounts as exact numbers (0.10 stays 0.10)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(k)}:{wire_json(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(wire_json(v) for v in value) + "]"
    return json.dumps(value)


def xero_date(ms: int) -> str:
    return f"/Date({ms}+0000)/"


@dataclass
class FakeXero:
    """Resources by tenant and category; scripted failures; a log of every call."""

    connected: set[str] = field(default_factory=lambda: {TENANT_A, TENANT_B})
    resources: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)
    calls: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)
    failures: list[Exception] = field(default_factory=list)  # raised by the next calls, in order
    limited: dict[str, float] = field(default_factory=dict)  # tenant: every call a 429 this long
    # Random faults: (random source, share of calls answered 5xx, share answered 429).
    chaos: tuple[random.Random, float, float] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    faults: list[str] = field(default_factory=list)

    def put(self, tenant: str, category: str, resource_id: str, updated_ms: int, **fields: Any):
        record = {id_field(category): resource_id, "UpdatedDateUTC": xero_date(updated_ms)}
        record.update(fields)
        self.resources[(tenant, category, resource_id.lower())] = record
        return record

    def is_connected(self, tenant_id: str) -> bool:
        return tenant_id in self.connected

    def fetch(self, tenant_id: str, category: str, ids: Sequence[str]) -> list[dict[str, Any]]:
        with self.lock:
            self.calls.append((tenant_id, category, tuple(ids)))
            failure = self.failures.pop(0) if self.failures else None
            if failure is None and tenant_id in self.limited:
                failure = self.rate_limited(self.limited[tenant_id])
            if failure is None and self.chaos is not None:
                dice, unavailable, limited = self.chaos
                roll = dice.random()
                if roll < unavailable:
                    failure = self.unavailable()
                elif roll < unavailable + limited:
                    failure = self.rate_limited(1)
        if failure is not None:
            self.faults.append(type(failure).__name__)
            raise failure
        # As the real API: JSON over the wire, numbers parsed back as Decimal.
        found = [
            self.resources[(tenant_id, category, i.lower())]
            for i in ids
            if (tenant_id, category, i.lower()) in self.resources
        ]
        return json.loads(wire_json(found), parse_float=Decimal)

    @staticmethod
    def rate_limited(seconds: float = 7) -> RateLimitedError:
        return RateLimitedError("minute limit", retry_after=seconds)

    @staticmethod
    def unavailable() -> ServiceUnavailableError:
        return ServiceUnavailableError("Xero answered 503")


@dataclass
class FakeBus:
    published: list[DomainEvent] = field(default_factory=list)
    refuse: int = 0  # refuse this many of the next entries
    crash_after_put: bool = False

    def publish(self, events: Sequence[DomainEvent]) -> list[bool]:
        results = []
        for event in events:
            if self.refuse:
                self.refuse -= 1
                results.append(False)
                continue
            self.published.append(event)
            results.append(True)
        if self.crash_after_put:
            raise Crash("the Lambda died right after PutEvents")
        return results


class Crash(BaseException):
    """Stands for the Lambda being killed: nothing after it runs, no cleanup."""


@dataclass
class FakeQueue:
    delays: dict[str, int] = field(default_factory=dict)
    requeued: list[tuple[QueuedMessage, int]] = field(default_factory=list)

    def delay(self, receipt_handle: str, seconds: int) -> None:
        self.delays[receipt_handle] = seconds

    def requeue(self, message: QueuedMessage, delay_seconds: int) -> None:
        self.requeued.append((message, delay_seconds))


def event(
    tenant: str,
    resource_id: str,
    category: str = "INVOICE",
    event_type: str = "UPDATE",
    date: str = "2024-06-21T01:15:39.902",
) -> dict[str, Any]:
    path = {"INVOICE": "Invoices", "CONTACT": "Contacts"}.get(category, "Things")
    return {
        "resourceUrl": f"https://api.xero.com/api.xro/2.0/{path}/{resource_id}",
        "resourceId": resource_id,
        "eventDateUtc": date,
        "eventType": event_type,
        "eventCategory": category,
        "tenantId": tenant,
        "tenantType": "APPLICATION" if category == "SUBSCRIPTION" else "ORGANISATION",
    }


def message(*events: dict[str, Any], receive_count: int = 1, message_id: str | None = None):
    body = json.dumps(
        {"events": list(events), "firstEventSequence": 1, "lastEventSequence": 1, "entropy": "x"}
    )
    return QueuedMessage(
        message_id=message_id or uuid.uuid4().hex,
        receipt_handle=uuid.uuid4().hex,
        body=body,
        receive_count=receive_count,
    )


def guid(n: int) -> str:
    return str(uuid.UUID(int=n, version=4))
