"""Where a change came from: the versions of Xero resources our own writes produced.

Every write of ours to the Accounting API goes through one client
(`xero.client.BridgeApiClient`), which hands each successful write's answer here. Xero
answers a write of contacts, invoices or credit notes with the records as they now are,
each with its `UpdatedDateUTC`; that (tenant, resource, version) is stored with who wrote it
and the Idempotency-Key (`write_context`). When Xero's webhook about the change comes back
and the worker publishes that very version, the outward event carries
`origin: {"source": "xero-bridge", "actor", "idempotency_key"}`; any other version is
`{"source": "xero"}` — made in Xero by someone or something else.

How reliable: an exact match on the version, so no clock is compared and no guess is made.
A version someone else produced after ours is never taken for ours. What it cannot see: a
change our write causes to *another* record that the answer does not show (a payment
changes its invoice's amount due; Xero's payment answer names the invoice without its
version), and writes whose answer was lost (a timeout): their echoes say `xero`.
"""

from __future__ import annotations

import json
import time
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from xero_bridge import write_context
from xero_bridge.observability import logger
from xero_bridge.settings import get_settings

SOURCE_PRODUCT = "xero-bridge"
SOURCE_XERO = "xero"

# Accounting API collection -> (webhook category, id field) of the records a write answers.
ANSWERED: dict[str, tuple[str, str]] = {
    "Contacts": ("CONTACT", "ContactID"),
    "Invoices": ("INVOICE", "InvoiceID"),
    "CreditNotes": ("CREDITNOTE", "CreditNoteID"),
}


def _versions(body: Any) -> list[tuple[str, str, int]]:
    """(category, resource id, updated ms) of every record in a write's answer."""
    from xero_bridge.xero.dates import parse_xero_time_ms

    found: list[tuple[str, str, int]] = []
    if not isinstance(body, dict):
        return found
    for collection, (category, id_field) in ANSWERED.items():
        for record in body.get(collection) or []:
            if not isinstance(record, dict) or not record.get(id_field):
                continue
            if record.get("HasErrors") or record.get("ValidationErrors"):
                continue  # an element Xero refused (summarizeErrors=false): nothing changed
            updated = parse_xero_time_ms(record.get("UpdatedDateUTC"))
            if updated is not None:
                found.append((category, str(record[id_field]), updated))
    return found


def observe_write(tenant_id: str, method: str, resource_path: str, response: Any) -> None:
    """Remember the versions a successful write produced (best effort: never raises)."""
    if str(method).upper() == "GET" or not get_settings().notify_state_table:
        return
    # xero-python passes the whole URL: …/api.xro/2.0/Contacts/{ContactID}
    if not ANSWERED.keys() & set(urlsplit(resource_path).path.split("/")):
        return
    try:
        data = getattr(response, "data", None)  # read once; urllib3 keeps it for the caller
        if not data:
            return
        versions = _versions(json.loads(data, parse_float=Decimal))
        if not versions:
            return
        from xero_bridge.persistence import notify_state
        from xero_bridge.persistence.snapshots import resource_key

        now = int(time.time())
        for category, resource_id, updated_ms in versions:
            notify_state.put_origin(
                tenant_id,
                resource_key(category, resource_id),
                updated_ms,
                write_context.actor(),
                write_context.idempotency_key(),
                now,
            )
    except Exception:  # the write happened; only its echo will say `xero`
        logger.exception("recording a write's origin failed", extra={"tenant_id": tenant_id})


def origin_of(tenant_id: str, category: str, resource_id: str, updated_ms: int) -> dict[str, Any]:
    """The `origin` of a published version of a resource."""
    from xero_bridge.persistence import notify_state
    from xero_bridge.persistence.snapshots import resource_key

    found = notify_state.get_origin(tenant_id, resource_key(category, resource_id), updated_ms)
    if found is None:
        return {"source": SOURCE_XERO}
    origin: dict[str, Any] = {"source": SOURCE_PRODUCT}
    if found.actor:
        origin["actor"] = found.actor
    if found.idempotency_key:
        origin["idempotency_key"] = found.idempotency_key
    return origin
