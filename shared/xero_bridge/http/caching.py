"""HTTP caching on the records GETs answered from webhook snapshots: what the request's
`Cache-Control` asks, and how the answer says where it came from.

The records logic decides what may be served (`records.snapshot_reads`); this module only
reads and writes the headers, and describes both in the API description.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SOURCE_HEADER = "X-Xero-Bridge-Source"

CACHE_CONTROL_DESCRIPTION = (
    "`no-cache`: answer from Xero (one of the tenant's Xero calls), not from the webhook "
    "snapshot; `no-store`: the same, and Xero's answer is not kept as the newest snapshot; "
    "`max-age=N`: a snapshot fetched from Xero at most N seconds ago (the server's own limit, "
    "RECORDS_SNAPSHOT_MAX_AGE_SECONDS, still applies). Without Cache-Control, "
    "`Pragma: no-cache` counts as `no-cache`."
)
RESPONSE_HEADERS: dict[str, dict[str, Any]] = {
    SOURCE_HEADER: {
        "description": "Where the answer came from: `snapshot` (the webhook worker's copy, "
        "no Xero call) or `xero` (a GET from Xero, now kept as the newest snapshot).",
        "schema": {"type": "string", "enum": ["snapshot", "xero"]},
    },
    "Age": {
        "description": "Snapshot answers only: seconds since the snapshot was fetched from Xero.",
        "schema": {"type": "integer", "minimum": 0},
    },
}


@dataclass(frozen=True)
class CacheRequest:
    """What the caller asked: `fresh` (no-cache), `store` (not no-store), `max_age_seconds`."""

    fresh: bool = False
    store: bool = True
    max_age_seconds: int | None = None


def _directives(value: str | None) -> dict[str, str | None]:
    """Cache-Control directives by lowercased name (`max-age="5"` → {"max-age": "5"})."""
    found: dict[str, str | None] = {}
    for part in (value or "").split(","):
        name, sep, argument = part.strip().partition("=")
        if name:
            found.setdefault(name.strip().lower(), argument.strip().strip('"') if sep else None)
    return found


def cache_request(headers: Mapping[str, str] | None) -> CacheRequest:
    """The request's Cache-Control (and HTTP/1.0's `Pragma: no-cache` without it)."""
    lowered = {str(k).lower(): str(v) for k, v in (headers or {}).items()}
    directives = _directives(lowered.get("cache-control"))
    store = "no-store" not in directives
    fresh = "no-cache" in directives or not store
    if "cache-control" not in lowered and "no-cache" in lowered.get("pragma", "").lower():
        fresh = True
    max_age: int | None = None
    if "max-age" in directives:
        text = directives["max-age"] or ""
        # An unreadable max-age is taken as 0 (RFC 9111 says treat it as stale).
        max_age = int(text) if text.isdigit() else 0
    return CacheRequest(fresh=fresh, store=store, max_age_seconds=max_age)


def source_headers(source: str, age_seconds: int | None) -> dict[str, str]:
    """The headers that say where an answer came from."""
    headers = {SOURCE_HEADER: source}
    if age_seconds is not None:
        headers["Age"] = str(age_seconds)
    return headers
