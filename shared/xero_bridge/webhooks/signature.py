"""Xero's webhook signature: base64(HMAC-SHA256(raw body bytes, webhook key)).

The signature covers the exact bytes Xero sent, so it is computed over the raw body, never
over a re-serialised JSON document, and compared in constant time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from xero_bridge.secrets import app_secret

HEADER = "x-xero-signature"
SECRET_KEY = "xero_webhook_key"


def sign(body: bytes, key: str) -> str:
    """The signature Xero sends for `body` under `key`."""
    digest = hmac.new(key.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def matches(body: bytes, signature: str | None, key: str) -> bool:
    """True only when `signature` is the signature of `body` under `key` (constant time)."""
    if not signature or not key:
        return False
    expected = sign(body, key).encode("ascii")
    try:
        given = signature.strip().encode("ascii")
    except UnicodeEncodeError:
        return False
    return hmac.compare_digest(expected, given)


def webhook_key() -> str:
    """The webhook key from the app secret (cached by Powertools parameters)."""
    return app_secret(SECRET_KEY)


def verify(body: bytes, signature: str | None) -> bool:
    return matches(body, signature, webhook_key())
