"""The one tenant check: every ``/tenants/{tenantId}/…`` handler calls `require_tenant_access`
before it touches Xero or any of the tenant's data.

Policy (strict): a user reaches a tenant only with a grant in the Grants table — from
connecting it, or from an administrator. Being an administrator does *not* open every
tenant; an admin grants themselves access like anyone else (and that grant is on record).
The only exception is a route that is itself an administration route (the route policy
requires ``admin`` for it, e.g. ``POST /tenants/{tenantId}/xero/raw``, or the handler has
checked admin itself): such a handler passes ``admin_override=True``, and then an
administrator passes without a grant. Everyone else still needs one.

A denial is a 403 that says no more than "no access to this organisation", whether or not
the tenant exists.
"""

from __future__ import annotations

import re

from xero_bridge.auth.principal import Principal
from xero_bridge.errors import ForbiddenError
from xero_bridge.observability import logger
from xero_bridge.persistence import grants

# Xero tenant ids are GUIDs; the demo ones are slugs. Anything else cannot have a grant.
_TENANT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")

NO_ACCESS = "you have no access to this organisation"


def require_tenant_access(
    principal: Principal, tenant_id: str, *, admin_override: bool = False
) -> None:
    """Return if `principal` may reach `tenant_id`; raise ForbiddenError (403) otherwise."""
    sub = getattr(principal, "sub", None)
    if not isinstance(sub, str) or not sub:
        raise ForbiddenError(NO_ACCESS)
    if not isinstance(tenant_id, str) or not _TENANT_ID.match(tenant_id):
        logger.info("tenant access denied", extra={"sub": sub, "reason": "malformed_tenant_id"})
        raise ForbiddenError(NO_ACCESS)
    if admin_override and principal.is_admin:
        logger.info("tenant access by administrator", extra={"sub": sub, "tenant_id": tenant_id})
        return
    if not grants.has_grant(sub, tenant_id):
        logger.info(
            "tenant access denied", extra={"sub": sub, "tenant_id": tenant_id, "reason": "no_grant"}
        )
        raise ForbiddenError(NO_ACCESS)


def may_access(principal: Principal, tenant_id: str) -> bool:
    """`require_tenant_access` as a yes/no (for filtering lists)."""
    try:
        require_tenant_access(principal, tenant_id)
    except ForbiddenError:
        return False
    return True
