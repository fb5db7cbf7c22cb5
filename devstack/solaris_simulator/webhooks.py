"""Webhook notifications: signed, retried with backoff on the simulated clock, logged.

Solaris keeps one subscription per event type; here every type goes to the one configured
URL and is signed with the one secret. 2xx delivers; 422 rejects (no retry); 410 cancels the
subscription (nothing more of that type is sent until a reset); anything else, or no answer,
is retried at the nominal times of the backoff, so advancing the clock by a day runs every
attempt that fell in that day.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from devstack.sim_kit.clock import SimClock

from .config import SolarisConfig
from .wire import dumps, iso, new_id

EVENT_TYPES = ("BOOKING", "SEPA_CREDIT_TRANSACTION_DECLINED")


def sign(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@dataclass
class Attempt:
    notification_id: str
    event_type: str
    attempt: int
    at: float
    status: int | None  # None: no answer (refused, timed out)
    error: str | None = None

    def render(self) -> dict[str, Any]:
        return {
            "notification_id": self.notification_id,
            "event_type": self.event_type,
            "attempt": self.attempt,
            "at": iso(self.at),
            "status": self.status,
            "error": self.error,
        }


@dataclass
class Notification:
    id: str
    event_type: str
    entity_id: str
    body: bytes
    created_at: float
    next_attempt_at: float
    state: str = "pending"  # delivered | rejected | failed | dropped | cancelled
    attempts: list[Attempt] = field(default_factory=list)

    def render(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "event_type": self.event_type,
            "entity_id": self.entity_id,
            "state": self.state,
            "created_at": iso(self.created_at),
            "next_attempt_at": iso(self.next_attempt_at) if self.state == "pending" else None,
            "attempts": [a.render() for a in self.attempts],
            "body": self.body.decode(),
        }


class WebhookOutbox:
    def __init__(self, clock: SimClock, config: Callable[[], SolarisConfig]) -> None:
        self.clock = clock
        self.config = config
        self._lock = threading.Lock()
        self._send_lock = threading.Lock()  # one sender at a time keeps the order
        # One client, used under _send_lock: a new one per post rebuilds its SSL context.
        self._http = httpx.Client()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self.notifications: dict[str, Notification] = {}
            self.subscriptions = {kind: new_id() for kind in EVENT_TYPES}
            self.cancelled: set[str] = set()

    def enqueue(
        self, event_type: str, entity_id: str, payload: dict[str, Any], at: float
    ) -> Notification:
        """Queues a notification whose first attempt is due when the event happened (`at`)."""
        note = Notification(new_id(), event_type, entity_id, dumps(payload).encode(), at, at)
        with self._lock:
            if event_type in self.cancelled:
                note.state = "cancelled"
            self.notifications[note.id] = note
        return note

    def get(self, notification_id: str) -> Notification | None:
        with self._lock:
            return self.notifications.get(notification_id)

    def all(self) -> list[Notification]:
        with self._lock:
            return sorted(self.notifications.values(), key=lambda n: n.created_at)

    def drop(self, notification_id: str) -> Notification | None:
        """Never delivered: the product has to find out by reading the API."""
        with self._lock:
            note = self.notifications.get(notification_id)
            if note is not None and note.state == "pending":
                note.state = "dropped"
            return note

    # --- delivery ------------------------------------------------------------------------

    def deliver_due(self, now: float) -> list[Attempt]:
        """Every attempt due by `now`, earliest first; nothing without a webhook URL."""
        made: list[Attempt] = []
        if not self.config().webhook_url:
            return made
        with self._send_lock:
            while (note := self._next_due(now)) is not None:
                made.append(self._attempt(note, note.next_attempt_at))
        return made

    def redeliver(self, notification_id: str) -> Attempt | None:
        """One more attempt now, whatever the notification's state (a replay)."""
        note = self.get(notification_id)
        if note is None or not self.config().webhook_url:
            return None
        with self._send_lock:
            return self._attempt(note, self.clock.now(), replay=True)

    def _next_due(self, now: float) -> Notification | None:
        with self._lock:
            due = [
                n for n in self.notifications.values()
                if n.state == "pending" and n.next_attempt_at <= now
            ]  # fmt: skip
            return min(due, key=lambda n: n.next_attempt_at) if due else None

    def _attempt(self, note: Notification, at: float, replay: bool = False) -> Attempt:
        config = self.config()
        number = len(note.attempts) + 1
        status, error = self._post(config, note, number, at)
        attempt = Attempt(note.id, note.event_type, number, at, status, error)
        with self._lock:
            note.attempts.append(attempt)
            self._outcome(config, note, status, at, replay)
        return attempt

    def _outcome(
        self, config: SolarisConfig, note: Notification, status: int | None, at: float, replay: bool
    ) -> None:
        if status is not None and 200 <= status < 300:
            note.state = "delivered"
        elif status == 422:
            note.state = "rejected"
        elif status == 410:
            note.state = "cancelled"
            self.cancelled.add(note.event_type)
            for other in self.notifications.values():
                if other.event_type == note.event_type and other.state == "pending":
                    other.state = "cancelled"
        elif replay:
            pass  # a failed replay leaves the schedule as it was
        elif len(note.attempts) >= config.webhook_max_attempts:
            note.state = "failed"
        else:
            retries = len(note.attempts) - 1
            delay = config.webhook_backoff * config.webhook_backoff_factor**retries
            note.next_attempt_at = at + delay

    def _post(
        self, config: SolarisConfig, note: Notification, number: int, at: float
    ) -> tuple[int | None, str | None]:
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Solaris-Webhooks (simulator)",
            "Solaris-Webhook-Signature": sign(note.body, config.webhook_secret),
            "Solaris-Webhook-Event-Type": note.event_type,
            "Solaris-Entity-Id": note.entity_id,
            "Solaris-Webhook-Id": note.id,
            "Solaris-Webhook-Attempt": str(number),
            "Solaris-Webhook-Subscription-Id": self.subscriptions[note.event_type],
            "Solaris-Webhook-Callout-Timestamp": iso(at),
        }
        try:
            response = self._http.post(
                config.webhook_url or "",
                content=note.body,
                headers=headers,
                timeout=config.webhook_timeout,
            )
        except httpx.HTTPError as exc:
            return None, type(exc).__name__
        return response.status_code, None
