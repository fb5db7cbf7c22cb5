"""Webhooks: events batched into `{"events": [...], "meta": {"webhook_id"}}` bodies, signed
with `Webhook-Signature` (hex HMAC-SHA256 of the raw body with the endpoint's secret), and
retried on anything but a 2xx, up to `len(webhook_retry_delays)` times on the sim clock."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from devstack.sim_kit.clock import SimClock
from devstack.sim_kit.locked_state import ClockedState
from devstack.sim_kit.simulator import Ticker
from devstack.sim_kit.webhook_post import WebhookPoster

from .config import GoCardlessConfig
from .ids import new_id
from .store import Record
from .wire import iso, public


def sign(body: bytes, secret: str) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@dataclass
class Attempt:
    at: float
    status: int | None  # None: no answer (refused, timed out)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


@dataclass
class Webhook:
    id: str
    created_at: float
    body: bytes
    signature: str
    event_ids: list[str]
    attempts: list[Attempt] = field(default_factory=list)
    next_attempt_at: float | None = None  # a retry is due (sim clock)
    tries: int = 0  # GoCardless's own attempts (not the redeliveries asked for by a test)

    @property
    def delivered(self) -> bool:
        return any(a.ok for a in self.attempts)

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "created_at": iso(self.created_at),
            "events": self.event_ids,
            "delivered": self.delivered,
            "next_attempt_at": iso(self.next_attempt_at) if self.next_attempt_at else None,
            "attempts": [
                {"at": iso(a.at), "status": a.status, "error": a.error} for a in self.attempts
            ],
            "body": json.loads(self.body),
            "signature": self.signature,
        }


class WebhookSender(ClockedState[GoCardlessConfig]):
    def __init__(
        self, clock: SimClock, config: Callable[[], GoCardlessConfig], origin: Callable[[], str]
    ) -> None:
        self.origin = origin
        self._send_lock = threading.Lock()  # one delivery at a time keeps the order
        self._poster = WebhookPoster()
        self._ticker = Ticker(
            self._send_due, lambda: 0.1, "gocardless-webhooks", lambda: time.sleep(0.5)
        )
        super().__init__(clock, config)

    def _empty(self) -> None:
        self._pending: list[Record] = []
        self._first_queued: float | None = None  # real time, for batching
        self.webhooks: dict[str, Webhook] = {}

    def enqueue(self, event: Record) -> None:
        with self.lock:
            self._pending.append(public(event))
            if self._first_queued is None:
                self._first_queued = time.monotonic()

    def pending(self) -> list[Record]:
        with self.lock:
            return list(self._pending)

    def sent(self) -> list[Webhook]:
        with self.lock:
            return list(self.webhooks.values())

    # --- delivery ------------------------------------------------------------------------

    def deliver(self, order: str = "created", separate: bool = False) -> list[Webhook]:
        """Sends every pending event now: batched, newest last (`order="reverse"`: newest
        first), or one webhook per event (`separate`)."""
        config = self.config()
        if not config.webhook_url:
            return []
        with self._send_lock:
            with self.lock:
                events, self._pending, self._first_queued = self._pending, [], None
            if order == "reverse":
                events.reverse()
            size = 1 if separate else max(1, config.webhook_batch_size)
            sent = []
            for start in range(0, len(events), size):
                webhook = self._build(events[start : start + size], config)
                self._attempt(webhook, config)
                sent.append(webhook)
            return sent

    def redeliver(self, webhook_id: str) -> Webhook | None:
        """The same body and signature once more, as a duplicate delivery would be."""
        config = self.config()
        with self.lock:
            webhook = self.webhooks.get(webhook_id)
        if webhook is None or not config.webhook_url:
            return webhook
        with self._send_lock:
            self._attempt(webhook, config, retrying=False)
        return webhook

    def retry_due(self) -> list[Webhook]:
        config = self.config()
        now = self.clock.now()
        with self.lock:
            due = [
                w for w in self.webhooks.values() if w.next_attempt_at and w.next_attempt_at <= now
            ]
        if not config.webhook_url:
            return []
        with self._send_lock:
            for webhook in due:
                self._attempt(webhook, config)
        return due

    def _build(self, events: list[Record], config: GoCardlessConfig) -> Webhook:
        webhook_id = new_id("webhooks")
        payload = {"events": events, "meta": {"webhook_id": webhook_id}}
        body = json.dumps(payload, separators=(",", ":")).encode()
        webhook = Webhook(
            webhook_id,
            self.clock.now(),
            body,
            sign(body, config.webhook_secret),
            [e["id"] for e in events],
        )
        with self.lock:
            self.webhooks[webhook_id] = webhook
        return webhook

    def _attempt(self, webhook: Webhook, config: GoCardlessConfig, retrying: bool = True) -> None:
        headers = {
            "Content-Type": "application/json",
            "Webhook-Signature": webhook.signature,
            "User-Agent": "gocardless-webhook-service/1.1",
            "Origin": self.origin(),
        }
        status, failure = self._poster.post(
            config.webhook_url or "", webhook.body, headers, config.webhook_timeout
        )
        error = f"{type(failure).__name__}: {failure}" if failure else None
        attempt = Attempt(self.clock.now(), status, error)
        webhook.attempts.append(attempt)
        if not retrying:
            return
        webhook.tries += 1
        retries_done = webhook.tries - 1
        delays = config.webhook_retry_delays
        if attempt.ok or retries_done >= len(delays):
            webhook.next_attempt_at = None
        else:
            webhook.next_attempt_at = attempt.at + delays[retries_done]

    # --- background sender ---------------------------------------------------------------

    def start(self) -> None:
        self._ticker.start()

    def stop(self) -> None:
        self._ticker.stop()
        self._poster.close()

    def _send_due(self) -> None:
        """The background sender's round: the batch once it has gathered, then due retries."""
        config = self.config()
        if not config.webhook_auto_deliver:
            return
        with self.lock:
            queued = self._first_queued
        if queued is not None and time.monotonic() - queued >= config.webhook_batch_delay:
            self.deliver()
        self.retry_due()
