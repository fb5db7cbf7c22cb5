"""Write fences: a write of ours keeps the snapshots it may change from being served.

GETs of one invoice or contact may be answered from the webhook worker's snapshots
(`xero_bridge.records.snapshot_reads`). Every write of ours to Xero that may change such a
record — through the records API or a payment — runs inside `writing(tenant, targets)`:
before Xero is called the snapshot items get a pending-write entry that expires after
`WRITE_WINDOW_MS` (longer than any function runs), and afterwards `invalidated_ms` = the end
of the write. A snapshot fetched before either is never served, so neither a snapshot stored
before the write nor a fetch racing with it can answer after it. If the fence cannot be
written the write is refused (503) rather than risk a stale answer; if it cannot be closed,
the entry's expiry does the job.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from xero_bridge.errors import ServiceUnavailableError
from xero_bridge.observability import logger
from xero_bridge.persistence import snapshots
from xero_bridge.settings import get_settings

ALL = "*"  # a write target: every resource of a category
# A pending write fences its snapshots at most this long: longer than the longest function
# timeout that writes (29 s), so a write still running (or a function that died) is covered.
WRITE_WINDOW_MS = 60_000


def _now_ms() -> int:
    return int(time.time() * 1000)


@contextmanager
def writing(tenant_id: str, targets: Iterable[tuple[str, str | None]]) -> Iterator[None]:
    """Around a write of ours that may change `targets` ((category, resource id or ALL);
    None ids are skipped): their snapshots fetched before the write ends are never served."""
    keys = sorted(
        {
            snapshots.category_key(category)
            if rid == ALL
            else snapshots.resource_key(category, rid)
            for category, rid in targets
            if rid
        }
    )
    if not keys or not get_settings().snapshots_table:
        yield
        return
    writer = uuid.uuid4().hex
    expires_ms = _now_ms() + WRITE_WINDOW_MS
    try:
        snapshots.begin_write(tenant_id, keys, writer, expires_ms)
    except Exception:
        logger.exception("fencing snapshots before a write failed", extra={"tenant_id": tenant_id})
        raise ServiceUnavailableError("the write was not sent to Xero: try again shortly") from None
    try:
        yield
    finally:
        try:
            snapshots.end_write(tenant_id, keys, writer, expires_ms, _now_ms())
        except Exception:  # the pending entry keeps fencing until it expires
            logger.exception("closing a snapshot fence failed", extra={"tenant_id": tenant_id})
