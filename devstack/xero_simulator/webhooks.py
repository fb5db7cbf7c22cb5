"""Xero webhooks: queued change events, delivered batched and signed; Intent-To-Receive."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import string
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from .clock import SimClock
from .config import SimulatorConfig
from .wire import iso_utc

RESOURCE_PATHS = {"INVOICE": "Invoices", "CONTACT": "Contacts", "CREDITNOTE": "CreditNotes"}


@dataclass
class Delivery:
    status: int | None  # None: no answer (connection failed / timed out)
    payload: dict[str, Any]
    body: bytes
    signature: str
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == 200


def sign(body: bytes, key: str) -> str:
    return base64.b64encode(hmac.new(key.encode(), body, hashlib.sha256).digest()).decode()


def _entropy() -> str:
    return "".join(secrets.choice(string.ascii_uppercase) for _ in range(20))


class WebhookSender:
    def __init__(
        self,
        clock: SimClock,
        config_getter: Callable[[], SimulatorConfig],
        api_base: Callable[[], str],
    ) -> None:
        self.clock = clock
        self.config_getter = config_getter
        self.api_base = api_base
        self._lock = threading.Lock()
        self._send_lock = threading.Lock()  # one delivery at a time keeps sequences ordered
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._pending: list[dict[str, Any]] = []
            self._first_queued_at: float | None = None
            self._sequence = 0
            self.deliveries: list[Delivery] = []

    # --- events --------------------------------------------------------------------------

    def enqueue(self, tenant_id: str, category: str, resource_id: str, event_type: str) -> None:
        resource = RESOURCE_PATHS[category]
        event = {
            "resourceUrl": f"{self.api_base()}/api.xro/2.0/{resource}/{resource_id}",
            "resourceId": resource_id,
            "eventDateUtc": iso_utc(self.clock.now_dt()),
            "eventType": event_type,
            "eventCategory": category,
            "tenantId": tenant_id,
            "tenantType": "ORGANISATION",
        }
        with self._lock:
            self._pending.append(event)
            if self._first_queued_at is None:
                self._first_queued_at = time.monotonic()
        self._wake.set()

    def pending(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._pending)

    # --- delivery ------------------------------------------------------------------------

    def flush(self) -> list[Delivery]:
        """Sends everything pending now, as one batch; failed batches stay queued (Xero retries)."""
        config = self.config_getter()
        if not config.webhook_url:
            return []
        with self._send_lock:
            with self._lock:
                events, self._pending = self._pending, []
                self._first_queued_at = None
                if not events:
                    return []
                first = self._sequence + 1
                self._sequence += len(events)
            payload = {
                "events": events,
                "firstEventSequence": first,
                "lastEventSequence": first + len(events) - 1,
                "entropy": _entropy(),
            }
            delivery = self._post(config, payload, config.webhook_key)
            with self._lock:
                self.deliveries.append(delivery)
                if not delivery.ok:
                    self._pending = events + self._pending
                    self._first_queued_at = self._first_queued_at or time.monotonic()
            return [delivery]

    def intent_to_receive(self) -> bool:
        """Xero's check: a rightly signed empty batch must get 200, a wrongly signed one 401."""
        config = self.config_getter()
        if not config.webhook_url:
            return False

        def empty() -> dict[str, Any]:
            return {
                "events": [],
                "firstEventSequence": 0,
                "lastEventSequence": 0,
                "entropy": _entropy(),
            }

        right = self._post(config, empty(), config.webhook_key)
        wrong = self._post(config, empty(), config.webhook_key + "-wrong")
        return right.status == 200 and wrong.status == 401

    def _post(self, config: SimulatorConfig, payload: dict[str, Any], key: str) -> Delivery:
        body = json.dumps(payload, separators=(",", ":")).encode()
        signature = sign(body, key)
        url = config.webhook_url or ""
        try:
            response = httpx.post(
                url,
                content=body,
                headers={"Content-Type": "application/json", "x-xero-signature": signature},
                timeout=config.webhook_timeout,
            )
        except httpx.HTTPError as exc:
            return Delivery(None, payload, body, signature, error=f"{type(exc).__name__}: {exc}")
        return Delivery(response.status_code, payload, body, signature)

    # --- background sender ---------------------------------------------------------------

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="xero-sim-webhooks", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread:
            self._thread.join(timeout=5)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(timeout=0.2)
            self._wake.clear()
            config = self.config_getter()
            with self._lock:
                queued_at = self._first_queued_at
            if not config.webhook_url or queued_at is None:
                continue
            if time.monotonic() - queued_at >= config.webhook_batch_delay:
                try:
                    self.flush()
                except Exception:
                    time.sleep(0.5)
