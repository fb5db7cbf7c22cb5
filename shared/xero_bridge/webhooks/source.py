"""Where the worker gets changed resources from: an interface, and its Xero implementation.

`ChangeSource` is all the worker knows: whether we are connected to a tenant, and the
current state of up to ~50 resources of one category in one call. `XeroChangeSource` does
that with the shared Xero client (token refresh, call budget, error mapping) and the
Accounting API's `IDs` filter; responses are parsed raw with Decimal numbers, so no amount
passes through a binary float (xero-python's models would make floats of them).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from xero_bridge.xero.answer_json import answer_object

# category → (list operation, response key, id field)
FETCHABLE: dict[str, tuple[str, str, str]] = {
    "INVOICE": ("get_invoices", "Invoices", "InvoiceID"),
    "CONTACT": ("get_contacts", "Contacts", "ContactID"),
    "CREDITNOTE": ("get_credit_notes", "CreditNotes", "CreditNoteID"),
}
# Unit prices with 4 decimals (Xero rounds them to 2 unless asked), as the records API's own
# GETs ask: a snapshot holds the same unit prices a GET of the one record would.
UNITDP = 4
_WITH_UNIT_PRICES = ("INVOICE", "CREDITNOTE")


def id_field(category: str) -> str:
    return FETCHABLE[category][2]


class ChangeSource(Protocol):
    def is_connected(self, tenant_id: str) -> bool:
        """Whether we hold a working connection to this tenant (if not: events are dropped)."""
        ...

    def fetch(self, tenant_id: str, category: str, ids: Sequence[str]) -> list[dict[str, Any]]:
        """The current state of `ids` (one call); raises the shared client's errors
        (RateLimitedError with retry_after, UpstreamError, ServiceUnavailableError…)."""
        ...


def _decode(result: Any) -> dict[str, Any]:
    decoded = answer_object(result)
    if decoded is not None:
        return decoded
    raise TypeError(f"unexpected Xero response {type(result).__name__}")


def fetch_arguments(category: str, ids: Sequence[str]) -> dict[str, Any]:
    """Keyword arguments of the list operation that fetches exactly `ids` in one call."""
    if category == "CREDITNOTE":  # no IDs filter on CreditNotes: a where clause instead
        where = " OR ".join(f'CreditNoteID==guid("{i}")' for i in ids)
        arguments: dict[str, Any] = {"where": where, "page": 1}
    else:
        arguments = {"i_ds": list(ids), "page": 1}  # page: full records, with line items
    if category == "CONTACT":
        arguments["include_archived"] = True  # archiving a contact is an update too
    unitdp = fetch_unitdp(category)
    if unitdp is not None:
        arguments["unitdp"] = unitdp
    return arguments


def fetch_unitdp(category: str) -> int | None:
    """The unit-price decimals `fetch_arguments` asks of Xero for `category` (None: Xero's 2),
    recorded with each snapshot so readers know what its data holds."""
    return UNITDP if category in _WITH_UNIT_PRICES else None


class XeroChangeSource:
    """ChangeSource over the shared Xero client and the connections table."""

    def __init__(
        self,
        api_for: Callable[[str], Any] | None = None,
        call: Callable[[Callable[[], Any]], Any] | None = None,
        connection_of: Callable[[str], Any] | None = None,
    ) -> None:
        self._api_for = api_for
        self._call = call
        self._connection_of = connection_of

    def is_connected(self, tenant_id: str) -> bool:
        connection_of = self._connection_of
        if connection_of is None:
            from xero_bridge.persistence.connections import get_connection

            connection_of = get_connection
        connection = connection_of(tenant_id)
        # A connection that needs re-consent cannot fetch anything until someone reconnects
        # (and a reconnect is a fresh start anyway): its events are dropped like the rest.
        return connection is not None and getattr(connection, "status", "active") == "active"

    def fetch(self, tenant_id: str, category: str, ids: Sequence[str]) -> list[dict[str, Any]]:
        api_for, call = self._api_for, self._call
        if api_for is None or call is None:
            from xero_bridge.xero.client import accounting_api, xero_call

            api_for, call = api_for or accounting_api, call or xero_call
        operation, key, _ = FETCHABLE[category]
        method = getattr(api_for(tenant_id), operation)
        arguments = fetch_arguments(category, ids)
        result = call(lambda: method(tenant_id, _preload_content=False, **arguments))
        return list(_decode(result).get(key) or [])
