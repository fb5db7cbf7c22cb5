"""`XeroBridge-Signature`: how a delivery proves it came from us and when.

    XeroBridge-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">

The key is the endpoint's secret (`whsec_…`, shown once when the endpoint is created) as
UTF-8 bytes. Signing the time with the body lets a receiver refuse old deliveries (replays)
with a tolerance of its choice; `verify` is what the README shows receivers.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

HEADER = "XeroBridge-Signature"
SECRET_PREFIX = "whsec_"
DEFAULT_TOLERANCE_SECONDS = 300


def new_secret() -> str:
    """A fresh endpoint secret: 256 random bits, URL-safe."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def _mac(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secret: str, body: bytes, timestamp: int | None = None) -> str:
    """The header's value for `body` sent now (or at `timestamp`)."""
    when = int(time.time()) if timestamp is None else int(timestamp)
    return f"t={when},v1={_mac(secret, when, body)}"


def parse(header: str) -> tuple[int, list[str]]:
    """(timestamp, v1 signatures) of a header; ValueError when it has no t or no v1."""
    timestamp: int | None = None
    signatures: list[str] = []
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        if name == "t" and value.isdigit():
            timestamp = int(value)
        elif name == "v1" and value:
            signatures.append(value)
    if timestamp is None or not signatures:
        raise ValueError("not a XeroBridge-Signature header")
    return timestamp, signatures


def verify(
    secret: str,
    body: bytes,
    header: str,
    tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS,
    now: float | None = None,
) -> bool:
    """Whether `header` signs `body` with `secret`, at most `tolerance_seconds` old."""
    try:
        timestamp, signatures = parse(header)
    except ValueError:
        return False
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance_seconds:
        return False
    expected = _mac(secret, timestamp, body)
    return any(hmac.compare_digest(expected, candidate) for candidate in signatures)
