"""GoCardless's webhooks: ``Webhook-Signature: <hex HMAC-SHA256 of the raw body with the
endpoint's secret>``; a bad one is answered 498, as GoCardless asks.

A body is a batch of events about payments, mandates and billing requests, and they are
handled whole (`handle`: `rails.gocardless.webhooks`), not as payment notices: what a
GoCardless event is about is found by reading the resource and the ids of ours in its
metadata — which also finds a payment that is no longer open (a charge-back after it was
recorded), and mandates, which are not payments at all.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping, Sequence

from xero_bridge.rails.callbacks.base import Handled, Notice, header, signature_matches
from xero_bridge.rails.callbacks.queue import Callback
from xero_bridge.rails.gocardless.config import webhook_secret

SIGNATURE_HEADER = "webhook-signature"


def sign(body: bytes, secret: str) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def matches(body: bytes, signature: str | None, secret: str) -> bool:
    return bool(secret) and signature_matches(sign(body, secret), signature, any_case=True)


class GoCardlessCallbacks:
    name = "gocardless"
    rejected_status = 498  # GoCardless: "Invalid Token"

    def verify(self, headers: Mapping[str, str], body: bytes) -> bool:
        return matches(body, header(headers, SIGNATURE_HEADER), webhook_secret())

    def notices(self, headers: Mapping[str, str], body: bytes) -> list[Notice]:
        return []  # handled whole, below

    def handle(self, callbacks: Sequence[tuple[str, Callback]]) -> Handled:
        from xero_bridge.rails.gocardless import webhooks

        return webhooks.handle([(message_id, c.body) for message_id, c in callbacks])
