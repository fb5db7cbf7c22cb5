"""A mirror's log (the MirrorLog table): one entry per document per outcome, newest first.

Key (``mirror_id``, ``entry_key`` = "<epoch ms, 13 digits>#<random>"), so a Query backwards
reads the newest first. Entries expire after MIRROR_LOG_TTL_DAYS (``expires_at``); what was
copied stays in the links table for good.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from typing import Any

from boto3.dynamodb.conditions import Attr, Key
from pydantic import BaseModel, ConfigDict, Field

from xero_bridge.persistence.cursors import decode_cursor, encode_cursor
from xero_bridge.persistence.dynamodb import query_page, table
from xero_bridge.settings import get_settings


class LogEntry(BaseModel):
    model_config = ConfigDict(extra="ignore")

    mirror_id: str
    entry_key: str = ""
    at: str
    outcome: str  # copied | updated | skipped | waiting | failed | parked
    kind: str  # invoice | credit_note | allocation
    source_id: str | None = None
    source_number: str | None = None
    target_id: str | None = None
    target_number: str | None = None
    reason: str | None = None
    messages: list[str] = Field(default_factory=list)
    attempt: int | None = None
    details: dict[str, str] = Field(default_factory=dict)


def _table() -> Any:
    return table(get_settings().required("mirror_log_table"))


def new_key(at_ms: int | None = None) -> str:
    stamp = int(time.time() * 1000) if at_ms is None else at_ms
    return f"{stamp:013d}#{uuid.uuid4().hex[:12]}"


def append(entries: Sequence[LogEntry]) -> None:
    """Write entries (25 per call); each without a key gets one of now."""
    ttl = int(time.time()) + get_settings().mirror_log_ttl_days * 86400
    with _table().batch_writer(overwrite_by_pkeys=["mirror_id", "entry_key"]) as batch:
        for entry in entries:
            item = entry.model_dump(mode="python")
            item["entry_key"] = entry.entry_key or new_key()
            item["expires_at"] = ttl
            batch.put_item(Item={k: v for k, v in item.items() if v not in (None, [], {})})


def _encode(mirror_id: str, key: dict[str, Any]) -> str:
    return encode_cursor({"m": mirror_id, "k": key["entry_key"]})


def _decode(mirror_id: str, cursor: str) -> dict[str, Any]:
    data = decode_cursor(
        cursor, lambda data: data.get("m") == mirror_id and isinstance(data.get("k"), str)
    )
    return {"mirror_id": mirror_id, "entry_key": data["k"]}


def newest_first(
    mirror_id: str, *, page_size: int, cursor: str | None = None, outcome: str | None = None
) -> tuple[list[LogEntry], str | None]:
    """One page of entries, newest first, and the cursor of the next page (None: the last)."""
    arguments: dict[str, Any] = {
        "KeyConditionExpression": Key("mirror_id").eq(mirror_id),
        "ScanIndexForward": False,
        "Limit": page_size if outcome is None else max(page_size, 50),
    }
    if outcome is not None:
        arguments["FilterExpression"] = Attr("outcome").eq(outcome)
    start = _decode(mirror_id, cursor) if cursor else None
    entries: list[LogEntry] = []
    while True:
        page = query_page(_table(), start, **arguments)
        for item in page.items:
            entries.append(LogEntry.model_validate(item))
            if len(entries) == page_size:
                last = {"entry_key": entries[-1].entry_key}
                more = page.next_start is not None or item is not page.items[-1]
                return entries, _encode(mirror_id, last) if more else None
        if page.next_start is None:
            return entries, None
        start = page.next_start
