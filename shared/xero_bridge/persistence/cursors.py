"""Page cursors: the key a listing's next page starts after, as an opaque URL-safe token.

A cursor is the compact JSON of what the listing needs (its owner and the start key),
base64url without padding. One that does not decode, or that the listing's `valid` refuses
(another tenant's, a tampered key), is the caller's mistake: a 400 naming `page`.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from typing import Any

from xero_bridge.errors import BadRequestError


def encode_cursor(data: Any) -> str:
    text = json.dumps(data, separators=(",", ":"), default=str)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(
    cursor: str, valid: Callable[[Any], bool], message: str = "the page cursor is not valid"
) -> Any:
    """The data of `cursor`, if `valid(data)` says it is one (else BadRequestError, with
    `message`)."""
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        ok = valid(data)
    except (ValueError, KeyError, TypeError, AttributeError, binascii.Error):
        ok = False
    if not ok:
        raise BadRequestError(message, [{"field": "page"}])
    return data
