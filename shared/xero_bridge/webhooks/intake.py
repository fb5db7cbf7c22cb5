"""Webhook intake: verify the signature, enqueue the delivery unchanged, answer fast.

One SQS message per delivery, not per event: one SendMessage whatever the number of
events (intake latency stays flat), the body stays byte-for-byte what Xero signed (the
worker could verify it again; nothing is re-serialised), and the worker groups events
across messages anyway, so nothing is gained by splitting here. Xero's deliveries are far
below SQS's 256 KiB message limit.

Intent-To-Receive: a correctly signed delivery with no events is answered 200 and not
enqueued (there is nothing for the worker to do); a wrongly signed one is a 401 like any
other. A signed body that is not the JSON we expect is enqueued all the same: Xero sent
it, and the worker (and then the dead-letter queue) is where a person can look at it.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Literal

from xero_bridge.webhooks import queue, signature

Verdict = Literal["accepted", "empty", "rejected"]

# Message attribute saying how the body is encoded in SQS (SQS bodies must be text).
ENCODING_ATTRIBUTE = "body-encoding"


@dataclass(frozen=True)
class IntakeResult:
    verdict: Verdict
    message_id: str | None = None


def _has_no_events(body: bytes) -> bool:
    try:
        document = json.loads(body)
    except ValueError:
        return False
    return isinstance(document, dict) and document.get("events") == []


def receive(body: bytes, signature_header: str | None) -> IntakeResult:
    """Verify and enqueue one delivery. Raises if the queue cannot take it (Xero retries)."""
    if not signature.verify(body, signature_header):
        return IntakeResult("rejected")
    if _has_no_events(body):
        return IntakeResult("empty")
    try:
        text, encoding = body.decode("utf-8"), "identity"
    except UnicodeDecodeError:
        text, encoding = base64.b64encode(body).decode("ascii"), "base64"
    message_id = queue.send(text, {ENCODING_ATTRIBUTE: encoding})
    return IntakeResult("accepted", message_id)
