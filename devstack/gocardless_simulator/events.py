"""Events: every state change is recorded as GoCardless's event resource and handed to the
webhook sender."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .catalog import describe
from .store import Record, Store
from .wire import new_resource

LINK_NAMES = {
    "customers": "customer",
    "customer_bank_accounts": "customer_bank_account",
    "mandates": "mandate",
    "payments": "payment",
    "refunds": "refund",
    "billing_requests": "billing_request",
}


class EventLog:
    def __init__(self, store: Store, on_event: Callable[[Record], None]) -> None:
        self.store = store
        self.on_event = on_event

    def record(
        self,
        resource_type: str,
        action: str,
        resource: Record,
        at: float,
        origin: str = "gocardless",
        bank: tuple[str, str, str] | None = None,
        because: tuple[str, str] | None = None,
        links: dict[str, str] | None = None,
        metadata: dict[str, str] | None = None,
        **details: Any,
    ) -> Record:
        """`bank` is (cause, reason_code, description) of a bank's answer under the
        resource's scheme; `because` is another (cause, description) than the catalog's
        for (action, origin)."""
        if bank is not None:
            cause, reason_code, description = bank
            detail: Record = {
                "origin": "bank",
                "cause": cause,
                "description": description,
                "scheme": resource.get("scheme"),
                "reason_code": reason_code,
            }
        else:
            cause, description = because or describe(resource_type, action, origin)
            detail = {"origin": origin, "cause": cause, "description": description}
        detail.update(details)
        event = new_resource(
            "events",
            at,
            {
                "resource_type": resource_type,
                "action": action,
                "links": {LINK_NAMES[resource_type]: resource["id"], **(links or {})},
                "details": detail,
                "metadata": dict(metadata or {}),
                "resource_metadata": dict(resource.get("metadata") or {}),
            },
        )
        self.store.add("events", event)
        self.on_event(event)
        return event
