"""OKX's REST signature, as OKX documents it:

    OK-ACCESS-SIGN = base64(HMAC-SHA256(secret, timestamp + METHOD + requestPath + body))

`requestPath` is the path with its query string (``/api/v5/asset/withdrawal-history?clientId=…``)
exactly as sent, `body` the raw JSON body exactly as sent ("" for a GET), the timestamp
OK-ACCESS-TIMESTAMP's ISO 8601 UTC with milliseconds (``2020-12-08T09:08:57.715Z``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime


def timestamp(seconds: float) -> str:
    """OK-ACCESS-TIMESTAMP for a Unix time: ISO 8601 UTC, milliseconds, ``Z``."""
    moment = datetime.fromtimestamp(seconds, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def sign(secret: str, stamp: str, method: str, request_path: str, body: str) -> str:
    message = f"{stamp}{method.upper()}{request_path}{body}".encode()
    return base64.b64encode(hmac.new(secret.encode(), message, hashlib.sha256).digest()).decode()


def headers(
    api_key: str,
    secret: str,
    passphrase: str,
    stamp: str,
    method: str,
    request_path: str,
    body: str,
) -> dict[str, str]:
    """The four OK-ACCESS-* headers of a private request (never the demo-trading header:
    this rail moves real money, and demo trading has no withdrawals)."""
    return {
        "OK-ACCESS-KEY": api_key,
        "OK-ACCESS-SIGN": sign(secret, stamp, method, request_path, body),
        "OK-ACCESS-TIMESTAMP": stamp,
        "OK-ACCESS-PASSPHRASE": passphrase,
    }
