"""The Xero calls a mirror makes in each organisation, and so the scopes each connection
must hold (checked when the mirror is created, and shown by its health).

Source (read only): the changed invoices and credit notes (webhook snapshots first; Xero for
a backfill or a missing snapshot), its ShortCode (Organisation) for the copies' links back,
its items when one must be created in the target.
Target: the same reads, then writes of invoices, credit notes and their allocations;
contacts by name (and created, with `create_missing_contacts`); items by code (and created,
with `create_missing_items`); tracking categories; accounts and tax rates to check the maps.
"""

from __future__ import annotations

from xero_bridge.connections.needs import Call, unmet
from xero_bridge.errors import ForbiddenError, XeroScopeMissingError
from xero_bridge.mirrors.calls import (
    ALL_CALLS,
    CREATES_CONTACTS,
    CREATES_ITEMS,
    SOURCE_CALLS,
    TARGET_CALLS,
)
from xero_bridge.persistence import connections as connection_store
from xero_bridge.persistence.mirrors import MirrorRecord
from xero_bridge.xero.scopes import Requirement

__all__ = ["ALL_CALLS", "SOURCE_CALLS", "gaps", "require", "scopes_needed", "target_calls"]


def target_calls(create_missing_contacts: bool, create_missing_items: bool) -> tuple[Call, ...]:
    calls = TARGET_CALLS
    if create_missing_contacts:
        calls += CREATES_CONTACTS
    if create_missing_items:
        calls += CREATES_ITEMS
    return calls


def scopes_needed(mirror: MirrorRecord) -> dict[str, list[str]]:
    """The least scopes of each side, by role ("source", "target")."""
    calls = {
        "source": SOURCE_CALLS,
        "target": target_calls(mirror.create_missing_contacts, mirror.create_missing_items),
    }
    return {role: sorted({n.scope for n in unmet([], found)}) for role, found in calls.items()}


def gaps(tenant_id: str, calls: tuple[Call, ...]) -> list[Requirement] | None:
    """What the tenant's connection lacks for `calls`: None when it is not connected (or
    needs re-consent), [] when it holds them all or Xero named no scopes for it."""
    connection = connection_store.get_connection(tenant_id)
    if connection is None or connection.status != "active":
        return None
    if not connection.scopes:
        return []
    return unmet(connection.scopes, calls)


def require(tenant_id: str, calls: tuple[Call, ...], role: str) -> None:
    """403 before anything is created when a side is not connected or lacks a scope."""
    missing = gaps(tenant_id, calls)
    if missing is None:
        raise ForbiddenError(
            f"the {role} organisation is not connected (or needs to be connected again)",
            [{"tenant_id": tenant_id, "role": role}],
        )
    if missing:
        scopes = ", ".join(need.scope for need in missing)
        raise XeroScopeMissingError(
            f"the {role} organisation's Xero connection was not granted {scopes}, which a "
            f"mirror needs; connect it again with POST /xero/connect and scopes including "
            f"{scopes}",
            [{"scope": n.scope, "resource": n.resource, "role": role} for n in missing],
        )
