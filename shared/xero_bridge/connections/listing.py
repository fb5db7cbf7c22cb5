"""The connections a user may reach: their granted tenants, with status, token ages, the
scopes Xero granted and those the features need but lack (`missing_scopes`).

Never a token: the token sets are read with a projection that leaves the tokens out.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from xero_bridge.connections.needs import missing_scopes
from xero_bridge.persistence import connections as connection_store
from xero_bridge.persistence import grants, token_sets

DAY = 86400


def _iso(epoch: int | None) -> str | None:
    if not epoch:
        return None
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds")


def list_connections(user_sub: str, now: int | None = None) -> list[dict[str, Any]]:
    """One entry per connected tenant `user_sub` has a grant for, sorted by name."""
    now = int(time.time()) if now is None else now
    tenant_ids = grants.list_tenants_for_user(user_sub)
    found = connection_store.get_connections(tenant_ids)
    summaries = token_sets.token_set_summaries([c.token_set_id for c in found])
    listed = []
    for connection in found:
        summary = summaries.get(connection.token_set_id)
        status = connection.status
        if summary is not None and summary.status == "needs_reconnect":
            status = "needs_reconnect"
        refresh_age = None
        if summary is not None and summary.kind == "authorization_code":
            refresh_age = max(0, (now - summary.refresh_token_issued_at) // DAY)
        listed.append(
            {
                "tenant_id": connection.tenant_id,
                "tenant_name": connection.tenant_name,
                "tenant_type": connection.tenant_type,
                "kind": connection.kind,
                "status": status,
                "scopes": list(connection.scopes),
                "missing_scopes": missing_scopes(connection),
                "access_token_expires_at": _iso(summary.access_expires_at if summary else None),
                "refresh_token_age_days": refresh_age,
                "connected_by": connection.connected_by,
                "connected_at": connection.connected_at,
            }
        )
    return listed
