"""Solaris's webhooks: ``Solaris-Webhook-Signature: sha256=<hex HMAC-SHA256 of the raw body
with the subscription secret>``, the event type in ``Solaris-Webhook-Event-Type``.

- ``BOOKING`` (``booking_type`` ``SEPA_CREDIT_TRANSFER``): a transfer was booked; the booking
  carries the transfer's ``end_to_end_id``, which is ours (``XB<payment's rail key>``);
- ``SEPA_CREDIT_TRANSACTION_DECLINED``: the transfer (with its ``reference``, our rail key).

Anything else, or a booking of someone else's transfer, points at nothing of ours. What the
payload says is only where to look: the worker reads the transfer at Solaris before acting.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from collections.abc import Mapping
from typing import Any

from xero_bridge.payments.keys import rail_key_of_end_to_end_id
from xero_bridge.rails.callbacks.base import Notice, header, signature_matches
from xero_bridge.rails.solaris.config import webhook_secret

SIGNATURE_HEADER = "solaris-webhook-signature"
EVENT_HEADER = "solaris-webhook-event-type"
RAIL = "solaris_sepa"
EVENTS = ("BOOKING", "SEPA_CREDIT_TRANSACTION_DECLINED")


def sign(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def matches(body: bytes, signature: str | None, secret: str) -> bool:
    return bool(secret) and signature_matches(sign(body, secret), signature)


def _uuid(value: Any) -> str | None:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return None


class SolarisCallbacks:
    name = "solaris"

    def verify(self, headers: Mapping[str, str], body: bytes) -> bool:
        return matches(body, header(headers, SIGNATURE_HEADER), webhook_secret())

    def notices(self, headers: Mapping[str, str], body: bytes) -> list[Notice]:
        event = str(header(headers, EVENT_HEADER) or "")
        if event not in EVENTS:
            return []
        try:
            payload = json.loads(body)
        except ValueError:
            return []
        if not isinstance(payload, dict):
            return []
        if event == "BOOKING" and payload.get("booking_type") != "SEPA_CREDIT_TRANSFER":
            return []
        keys = {rail_key_of_end_to_end_id(str(payload.get("end_to_end_id") or ""))}
        if event == "SEPA_CREDIT_TRANSACTION_DECLINED":
            keys.add(_uuid(payload.get("reference")))
        return [Notice(RAIL, key, event) for key in sorted(k for k in keys if k)]
