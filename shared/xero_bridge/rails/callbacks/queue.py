"""The rail callback queue (SQS): one message per callback, as the provider sent it.

A message is JSON ``{provider, headers, body, body_encoding}``: the provider's headers that
matter (lower-case) and the raw body (UTF-8 text, or base64 when it is not text), so the
worker sees exactly what was signed.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from xero_bridge.settings import get_settings
from xero_bridge.webhooks.queue import sqs_client


@dataclass(frozen=True)
class Callback:
    provider: str
    headers: dict[str, str]
    body: bytes

    def to_message(self) -> str:
        try:
            text, encoding = self.body.decode("utf-8"), "identity"
        except UnicodeDecodeError:
            text, encoding = base64.b64encode(self.body).decode("ascii"), "base64"
        return json.dumps(
            {"provider": self.provider, "headers": self.headers, "body": text,
             "body_encoding": encoding},
            separators=(",", ":"),
        )  # fmt: skip

    @classmethod
    def from_message(cls, text: str) -> Callback:
        data: dict[str, Any] = json.loads(text)
        body = str(data.get("body") or "")
        raw = base64.b64decode(body) if data.get("body_encoding") == "base64" else body.encode()
        headers = data.get("headers") or {}
        return cls(str(data["provider"]), {str(k): str(v) for k, v in headers.items()}, raw)


def kept_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """The provider's own headers (theirs start with the provider's name, or say the type)."""
    kept = {}
    for name, value in headers.items():
        lower = name.lower()
        if lower.startswith(("solaris-", "webhook-")) or lower == "content-type":
            kept[lower] = str(value)
    return kept


def send(callback: Callback) -> str:
    url = get_settings().required("rail_callback_queue_url")
    answer = sqs_client().send_message(QueueUrl=url, MessageBody=callback.to_message())
    return str(answer["MessageId"])
