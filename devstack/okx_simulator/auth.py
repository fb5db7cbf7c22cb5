"""OKX's REST request signing and the checks OKX makes on a private request's headers.

OK-ACCESS-SIGN = base64(HMAC-SHA256(secret, timestamp + METHOD + requestPath + body)), where
requestPath carries the query string and body is the raw request body ("" for a GET). The
timestamp is ISO 8601 UTC with milliseconds (2020-12-08T09:08:57.715Z) and must be within
OKX's window of its own clock.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Protocol

from .config import Credential
from .errors import OkxError

DEMO_HEADER = "x-simulated-trading"
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
# (header, the code OKX gives when it is missing or empty), in the order OKX checks them.
_REQUIRED = (
    ("OK-ACCESS-KEY", "50103"),
    ("OK-ACCESS-PASSPHRASE", "50104"),
    ("OK-ACCESS-SIGN", "50106"),
    ("OK-ACCESS-TIMESTAMP", "50107"),
)


class HeaderLookup(Protocol):
    """Case-insensitive request headers (werkzeug's Headers)."""

    def get(self, key: str, default: str) -> str: ...


def sign(secret: str, timestamp: str, method: str, request_path: str, body: str) -> str:
    message = f"{timestamp}{method.upper()}{request_path}{body}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def parse_timestamp(value: str) -> float:
    """Seconds since the epoch; OKX's format only (a refusal is 50112)."""
    if not _TIMESTAMP.match(value):
        raise OkxError("50112")
    try:
        parsed = datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    except ValueError:
        raise OkxError("50112") from None
    return parsed.timestamp()


def is_demo_request(headers: HeaderLookup) -> bool:
    return headers.get(DEMO_HEADER, "").strip() == "1"


def authenticate(
    headers: HeaderLookup,
    method: str,
    request_path: str,
    body: str,
    credentials: Mapping[str, Credential],
    now: float,
    window: float,
) -> Credential:
    """The credential that signed this request, or the OkxError OKX would answer."""
    values: dict[str, str] = {}
    for name, code in _REQUIRED:
        value = headers.get(name, "").strip()
        if not value:
            raise OkxError(code)
        values[name] = value
    if abs(now - parse_timestamp(values["OK-ACCESS-TIMESTAMP"])) > window:
        raise OkxError("50102")
    credential = credentials.get(values["OK-ACCESS-KEY"])
    if credential is None:
        raise OkxError("50111")
    # A live key with the demo header, or a demo-trading key without it.
    if credential.demo_trading != is_demo_request(headers):
        raise OkxError("50101")
    if not _same(values["OK-ACCESS-PASSPHRASE"], credential.passphrase):
        raise OkxError("50105")
    expected = sign(
        credential.secret_key, values["OK-ACCESS-TIMESTAMP"], method, request_path, body
    )
    if not _same(values["OK-ACCESS-SIGN"], expected):
        raise OkxError("50113")
    return credential


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())
