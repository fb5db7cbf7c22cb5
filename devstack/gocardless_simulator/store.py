"""The simulator's state: one table per resource kind, the idempotency keys, one lock.

A record is the resource as GoCardless renders it; keys starting with "_" are the
simulator's own bookkeeping (the scenario, the IBAN, planned steps) and never leave it.
"""

from __future__ import annotations

from typing import Any

from devstack.sim_kit.locked_state import LockedState

from .errors import resource_not_found

Record = dict[str, Any]
KINDS = (
    "customers",
    "customer_bank_accounts",
    "mandates",
    "payments",
    "refunds",
    "billing_requests",
    "billing_request_flows",
    "events",
)


class Store(LockedState):
    def _empty(self) -> None:
        self.tables: dict[str, dict[str, Record]] = {kind: {} for kind in KINDS}
        # (resource kind, Idempotency-Key) -> (resource id, expires at)
        self.idempotency: dict[tuple[str, str], tuple[str, float]] = {}

    def add(self, kind: str, record: Record) -> Record:
        self.tables[kind][record["id"]] = record
        return record

    def get(self, kind: str, record_id: str | None) -> Record | None:
        if not record_id:
            return None
        return self.tables[kind].get(record_id)

    def require(self, kind: str, record_id: str | None) -> Record:
        record = self.get(kind, record_id)
        if record is None:
            raise resource_not_found()
        return record

    def all(self, kind: str) -> list[Record]:
        """Oldest first (the order they were created in)."""
        return list(self.tables[kind].values())

    def created_with_key(self, kind: str, key: str, now: float) -> str | None:
        entry = self.idempotency.get((kind, key))
        if entry is None:
            return None
        resource_id, expires_at = entry
        if expires_at <= now:
            del self.idempotency[(kind, key)]
            return None
        return resource_id

    def remember_key(self, kind: str, key: str, resource_id: str, expires_at: float) -> None:
        self.idempotency[(kind, key)] = (resource_id, expires_at)
