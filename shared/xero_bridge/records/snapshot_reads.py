"""Single-invoice and single-contact GETs answered from the webhook worker's snapshots.

A GET of one invoice or contact spends one of the tenant's 60 Xero calls a minute. The
webhook worker already keeps the newest version of every changed invoice and contact in the
Snapshots table, so a GET is answered from there, without calling Xero, when the snapshot

- exists for (tenant, resource) — the tenant is the one the caller was just authorised for;
- was fetched from Xero at most RECORDS_SNAPSHOT_MAX_AGE_SECONDS ago (`fetched_ms`, the time
  the fetching request was sent; items stored before it was recorded are never served), and
  at most `max-age` seconds ago when the caller sends `Cache-Control: max-age=N`;
- is complete: it holds everything a GET of the one record would (`COMPLETE_FORMS`);
- was fetched after every write of ours that may have changed it (write fences, below).

Otherwise Xero answers, and that answer is recorded as the newest snapshot (`fetched_ms`,
form `single`), so the next GETs within the age limit are free. `Cache-Control: no-cache`
(or `Pragma: no-cache` without Cache-Control) asks Xero whatever the snapshot; `no-store`
also keeps the answer out of the table. Both paths build the answer the same way — Xero's
JSON through xero-python's deserializer and `records.mapping` — so they are identical.
`Sourced` says where an answer came from; the HTTP layer (`xero_bridge.http.caching`) reads
the request's Cache-Control and writes `X-Xero-Bridge-Source` and `Age`.

Completeness. The worker fetches with `GET /Invoices?IDs=…&page=1&unitdp=4`: Xero's
OpenAPI says a paged invoice list carries each invoice's line items, and `unitdp=4` keeps
unit prices at 4 decimals as our own GET asks (without it Xero rounds them to 2), so a list
snapshot of an invoice answers a GET. Contacts are another matter: the spec's single-contact
answer has elements its list answer lacks (Website, DefaultCurrency, PaymentTerms, Balances,
BatchPayments…) and promises them with paging for only a few fields, so a contact is served
only from a snapshot of a GET of that contact (a first read, or a refresh).

Write fences. A write of ours through the records API (update, void, delete, email, archive,
an upsert's updates, an attachment) runs inside `writing(...)`: before Xero is called the
snapshot items it may change get a pending-write entry that expires after `WRITE_WINDOW_MS`
(longer than the function can run), and afterwards `invalidated_ms` = the end of the write.
A snapshot fetched before either is not served, so neither a snapshot stored before the
write nor a fetch racing with it (the worker's or a reader's) can answer after it. If the
fence cannot be written the write is refused (503) rather than risk a stale answer; if it
cannot be closed, the entry's expiry does the job. Writes that change other records fence
them too: a contact write fences every invoice of the tenant (invoices carry the contact's
name), an invoice created or moved to a contact fences that contact (Xero marks it a
customer or supplier). Write responses are not stored as snapshots: Xero's write answers
lack elements its GETs have (HasAttachments, Payments, AmountCredited…; email has no body).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any, Literal

from xero_bridge.http.caching import CacheRequest
from xero_bridge.observability import logger
from xero_bridge.persistence import snapshots
from xero_bridge.settings import Settings, get_settings
from xero_bridge.snapshot_fences import ALL
from xero_bridge.xero.dates import parse_xero_time_ms

Source = Literal["snapshot", "xero"]
UNITDP = 4  # unit prices asked of Xero with 4 decimals, by the records API and the worker

# The forms of snapshot that hold everything a GET of the one record gives (and the unit
# price decimals they need): see the module docstring.
COMPLETE_FORMS: dict[str, frozenset[str]] = {
    "INVOICE": frozenset({snapshots.FORM_LIST, snapshots.FORM_SINGLE}),
    "CONTACT": frozenset({snapshots.FORM_SINGLE}),
}
NEEDS_UNITDP: dict[str, int] = {"INVOICE": UNITDP}
PLURALS = {"INVOICE": "Invoices", "CONTACT": "Contacts"}
# Route kinds (…/{kind}/{id}/attachments) whose records have snapshots.
_KINDS = {"invoices": "INVOICE", "contacts": "CONTACT"}
# What an arbitrary write (the admin's raw Xero request) may change.
EVERY_SNAPSHOT: list[tuple[str, str | None]] = [("INVOICE", ALL), ("CONTACT", ALL)]


def targets(kind: str, resource_id: str) -> list[tuple[str, str | None]]:
    """The snapshot a write to …/{kind}/{resource_id}/… may change (none for accounts…)."""
    category = _KINDS.get(kind)
    return [(category, resource_id)] if category else []


def _now_ms() -> int:
    return int(time.time() * 1000)


# ---------------------------------------------------------------------------- the request
@dataclass(frozen=True)
class ReadPolicy:
    """`max_age_ms`: serve a snapshot fetched at most this long ago (None: ask Xero);
    `store`: record Xero's answer as the newest snapshot."""

    max_age_ms: int | None
    store: bool = True


LIVE = ReadPolicy(max_age_ms=None, store=False)


def read_policy(request: CacheRequest, settings: Settings | None = None) -> ReadPolicy:
    """What the caller's cache request allows, within RECORDS_SNAPSHOT_MAX_AGE_SECONDS
    (0: never served from a snapshot)."""
    settings = settings or get_settings()
    limit = settings.records_snapshot_max_age_seconds
    if not settings.snapshots_table or limit <= 0:
        return LIVE
    if request.fresh:
        return ReadPolicy(None, request.store)
    max_age_ms = limit * 1000
    if request.max_age_seconds is not None:
        max_age_ms = min(max_age_ms, request.max_age_seconds * 1000)
    return ReadPolicy(max_age_ms, request.store)


# ---------------------------------------------------------------------------- the answer
@dataclass(frozen=True)
class Sourced[T]:
    """An answer and where it came from (`age_seconds` for snapshot answers)."""

    value: T
    source: Source
    age_seconds: int | None = None


@lru_cache(maxsize=1)
def _model_finder() -> Any:
    import importlib

    from xero_python.api_client import ModelFinder

    return ModelFinder(importlib.import_module("xero_python.accounting.models"))


def xero_models(category: str, record: dict[str, Any]) -> Any:
    """xero-python's answer object (e.g. `Invoices`) for one record of Xero's JSON, built as
    xero-python builds a live answer: JSON text parsed with Decimal, then its deserializer.
    Snapshot data (numbers as Decimal) goes through JSON text too, so both paths see the same
    values."""
    from xero_python.api_client.deserializer import deserialize

    plural = PLURALS[category]
    text = snapshots.json_text({plural: [record]})
    return deserialize(plural, json.loads(text, parse_float=Decimal), _model_finder())


def read_one[T](
    tenant_id: str,
    category: str,
    resource_id: str,
    policy: ReadPolicy,
    fetch: Callable[[], dict[str, Any]],
    to_model: Callable[[dict[str, Any]], T],
) -> Sourced[T]:
    """The record from a fresh, complete snapshot, or from Xero (`fetch`: the record's JSON
    from a GET of it, numbers as Decimal) — then recorded as the newest snapshot."""
    if policy.max_age_ms is not None:
        served = _from_snapshot(tenant_id, category, resource_id, policy.max_age_ms, to_model)
        if served is not None:
            return served
    started_ms = _now_ms()
    record = fetch()
    value = to_model(record)
    if policy.store:
        _remember(tenant_id, category, resource_id, record, started_ms)
    return Sourced(value, "xero")


def _from_snapshot[T](
    tenant_id: str,
    category: str,
    resource_id: str,
    max_age_ms: int,
    to_model: Callable[[dict[str, Any]], T],
) -> Sourced[T] | None:
    try:
        item, shared = snapshots.get_for_read(tenant_id, category, resource_id)
    except Exception:  # a snapshot is a saving, never a reason to fail a read
        logger.exception("reading a snapshot failed", extra={"tenant_id": tenant_id})
        return None
    if item is None:
        return None
    now_ms = _now_ms()
    age_ms = servable_age_ms(item, shared, category, now_ms)
    if age_ms is None or age_ms > max_age_ms:
        return None
    data = item.get("data")
    if not isinstance(data, dict) or item.get("tenant_id") != tenant_id:
        return None
    try:
        value = to_model(data)
    except Exception:
        logger.exception("a snapshot could not be read", extra={"tenant_id": tenant_id})
        return None
    return Sourced(value, "snapshot", age_ms // 1000)


def servable_age_ms(
    item: Mapping[str, Any], shared: Mapping[str, Any] | None, category: str, now_ms: int
) -> int | None:
    """How old the item's data is, if it may answer a GET at all (else None): it records
    when it was fetched, in a complete form, after every write fence of ours."""
    fetched = item.get("fetched_ms")
    if fetched is None or "data" not in item or "updated_ms" not in item:
        return None  # stored before fetch times were recorded, or a fence without data
    fetched_ms = int(fetched)
    if item.get("fetch_form") not in COMPLETE_FORMS.get(category, ()):
        return None
    needed = NEEDS_UNITDP.get(category)
    if needed is not None and int(item.get("unitdp") or 0) < needed:
        return None
    for fences in (item, shared or {}):
        if fetched_ms < int(fences.get("invalidated_ms") or 0):
            return None
        for entry in fences.get("pending_writes") or ():
            expires_ms = int(str(entry).split("#", 1)[0])
            if now_ms < expires_ms or fetched_ms < expires_ms:
                return None  # a write may be running, or died before its end was recorded
    return max(0, now_ms - fetched_ms)


def _remember(
    tenant_id: str, category: str, resource_id: str, record: dict[str, Any], fetched_ms: int
) -> None:
    updated = parse_xero_time_ms(record.get("UpdatedDateUTC"))
    if updated is None:
        return  # no version to order it by: not stored
    snapshot = snapshots.Snapshot(
        tenant_id=tenant_id,
        category=category,
        resource_id=resource_id,
        updated_ms=updated,
        data=record,
        fetched_ms=fetched_ms,
        fetch_form=snapshots.FORM_SINGLE,
        unitdp=UNITDP if category in NEEDS_UNITDP else None,
    )
    try:
        snapshots.record_fetch(snapshot)
    except Exception:  # the answer stands; the next read asks Xero again
        logger.exception("recording a snapshot failed", extra={"tenant_id": tenant_id})


# ---------------------------------------------------------------------------- our writes
