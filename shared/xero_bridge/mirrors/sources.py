"""The changed documents of the source organisation, as Xero's JSON (numbers as Decimal).

For a change event, the webhook worker has already fetched the document and stored it as a
snapshot before publishing the event (it stores only newer versions, so the snapshot is at
least as new as the event): reading it costs no Xero call. A document without a snapshot is
fetched (~50 per call, unit prices with 4 decimals, as the worker does). A backfill reads a
page of the source's documents dated from a day on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from xero_bridge.mirrors import xero_io
from xero_bridge.persistence import snapshots
from xero_bridge.webhooks.source import UNITDP, XeroChangeSource
from xero_bridge.webhooks.source import id_field as _id_field
from xero_bridge.xero.dates import parse_xero_time_ms

BACKFILL_PAGE_SIZE = 50  # one page, one write
_PLURAL = {"INVOICE": "Invoices", "CREDITNOTE": "CreditNotes"}


def id_field(category: str) -> str:
    return _id_field(category)


@dataclass
class SourceDoc:
    """One source document and the queue messages that asked for it."""

    category: str  # INVOICE | CREDITNOTE
    resource_id: str  # lower case
    data: dict[str, Any]
    message_ids: set[str] = field(default_factory=set)
    attempts: int = 1  # the most any of its messages was received

    @property
    def version(self) -> int:
        return parse_xero_time_ms(self.data.get("UpdatedDateUTC")) or 0

    @property
    def number(self) -> str | None:
        value = self.data.get("InvoiceNumber" if self.category == "INVOICE" else "CreditNoteNumber")
        return str(value) if value else None


@dataclass
class Wanted:
    """A document some messages asked for."""

    category: str
    resource_id: str
    message_ids: set[str] = field(default_factory=set)
    attempts: int = 1


def load(tenant_id: str, wanted: Iterable[Wanted]) -> tuple[list[SourceDoc], list[Wanted]]:
    """The documents asked for (snapshots, else one fetch per ~50); and those Xero no longer
    has (deleted for good, or never ours)."""
    by_category: dict[str, dict[str, Wanted]] = defaultdict(dict)
    for item in wanted:
        by_category[item.category][item.resource_id.lower()] = item
    docs: list[SourceDoc] = []
    gone: list[Wanted] = []
    for category, items in by_category.items():
        stored = snapshots.get_snapshots(tenant_id, category, list(items))
        missing = [rid for rid in items if rid not in stored]
        fetched = _fetch(tenant_id, category, missing) if missing else {}
        for rid, item in items.items():
            data = stored[rid]["data"] if rid in stored else fetched.get(rid)
            if data is None:
                gone.append(item)
                continue
            docs.append(SourceDoc(category, rid, dict(data), set(item.message_ids), item.attempts))
    return docs, gone


def _fetch(tenant_id: str, category: str, ids: list[str]) -> dict[str, dict[str, Any]]:
    source = XeroChangeSource()
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(ids), 50):
        xero_io.calls[(tenant_id, "GET")] += 1
        for record in source.fetch(tenant_id, category, ids[start : start + 50]):
            found[str(record.get(id_field(category), "")).lower()] = record
    return found


def backfill_page(
    tenant_id: str, category: str, types: Iterable[str], from_date: date, page: int
) -> list[dict[str, Any]]:
    """One page of the source's invoices (or credit notes) of `types`, dated from
    `from_date`, oldest first."""
    day = f"DateTime({from_date.year},{from_date.month:02d},{from_date.day:02d})"
    kinds = list(types) if category == "INVOICE" else [f"{t}CREDIT" for t in types]
    type_clause = " OR ".join(f'Type=="{kind}"' for kind in kinds)
    query = {
        "where": f"Date>={day} AND ({type_clause})",
        "order": "Date ASC",
        "page": str(page),
        "pageSize": str(BACKFILL_PAGE_SIZE),
        "unitdp": str(UNITDP),
    }
    plural = _PLURAL[category]
    answer = xero_io.request(tenant_id, "GET", f"/{plural}", query=query)
    return list(answer.get(plural) or [])
