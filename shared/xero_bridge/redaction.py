"""Scrubbing of secrets and tokens from anything that is about to be logged.

Three nets, because any one alone leaks: values under sensitive keys are replaced whatever
they look like; token-shaped strings (JWTs, bearer headers, key=value pairs) are replaced
wherever they appear; and every secret value this process has loaded (tokens from the
store, the app secret) is registered and replaced verbatim, since an opaque refresh token
has no shape to recognise.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

REDACTED = "[REDACTED]"

# Keys whose values are secret however they look (compared lower-cased, '-' as '_').
SENSITIVE_KEYS = frozenset(
    {
        "access_token",
        "refresh_token",
        "id_token",
        "token",
        "authorization",
        "client_secret",
        "xero_client_secret",
        "webhook_key",
        "xero_webhook_key",
        "openai_api_key",
        "api_key",
        "password",
        "secret",
        "code",
        "code_verifier",
        "cookie",
        "set_cookie",
        "x_xero_signature",
    }
)

_PATTERNS = [
    # JWTs (three base64url segments, the first starting with '{"' encoded as eyJ)
    re.compile(r"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*"),
    # Authorization header values
    re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}"),
    # key=value / "key": "value" pairs for sensitive names inside free text
    re.compile(
        r"(?i)(\"?(?:access_token|refresh_token|id_token|client_secret|api_key|code_verifier)\"?"
        r"\s*[:=]\s*\"?)([^\"&\s,}]{6,})"
    ),
    # OpenAI-style keys
    re.compile(r"\bsk-[A-Za-z0-9_-]{16,}"),
]


# Known secret values, most recent last; bounded so a long-lived process cannot grow it forever.
_KNOWN_SECRETS: OrderedDict[str, None] = OrderedDict()
_KNOWN_LIMIT = 2048
_MIN_SECRET_LENGTH = 8  # shorter values would redact ordinary words
_lock = threading.Lock()


def register_secret(*values: str | None) -> None:
    """Remember values that must never be logged (tokens, keys) so they are scrubbed verbatim."""
    with _lock:
        for value in values:
            if value and len(value) >= _MIN_SECRET_LENGTH:
                _KNOWN_SECRETS[value] = None
                _KNOWN_SECRETS.move_to_end(value)
        while len(_KNOWN_SECRETS) > _KNOWN_LIMIT:
            _KNOWN_SECRETS.popitem(last=False)


def _normalise(key: str) -> str:
    return key.lower().replace("-", "_")


def redact_text(text: str) -> str:
    """Replace every registered secret and token-shaped substring of `text`."""
    with _lock:
        known = [value for value in _KNOWN_SECRETS if value in text]
    for value in known:
        text = text.replace(value, REDACTED)
    for pattern in _PATTERNS:
        if pattern.groups >= 2:
            text = pattern.sub(lambda m: m.group(1) + REDACTED, text)
        else:
            text = pattern.sub(REDACTED, text)
    return text


def redact(value: Any, _depth: int = 0) -> Any:
    """A copy of `value` with sensitive keys and token-shaped strings replaced."""
    if _depth > 20:
        return REDACTED
    if isinstance(value, Mapping):
        return {
            key: REDACTED
            if isinstance(key, str) and _normalise(key) in SENSITIVE_KEYS
            else redact(item, _depth + 1)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple | set):
        return [redact(item, _depth + 1) for item in value]
    if isinstance(value, str):
        return redact_text(value)
    if value is None or isinstance(value, bool | int | float):
        return value
    # Anything else (an exception object, a model) would be str()-ed by the JSON encoder.
    return redact_text(str(value))
