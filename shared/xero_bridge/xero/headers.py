"""Xero's response headers, read the same way by the client, its repeats and the budget."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def headers_of(response: Any) -> dict[str, str]:
    """The headers of a urllib3 / xero-python response (or of none: empty)."""
    getheaders = getattr(response, "getheaders", None)
    if getheaders is None:
        return dict(getattr(response, "headers", None) or {})
    return dict(getheaders() or {})


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """Xero's Retry-After in seconds; None when absent; 60 when unreadable."""
    lowered = {key.lower(): value for key, value in headers.items()}
    value = lowered.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return 60.0
