"""Disconnecting a tenant: at Xero, then our tokens and grants.

Allowed to an administrator or the user who connected the tenant. The connection is removed
at Xero (DELETE /connections/{id}); the refresh token is revoked only when no other tenant
still uses it (a revocation removes every connection of the authorisation), and then the
token set is deleted; the connection record and every grant on the tenant go last.
"""

from __future__ import annotations

from xero_bridge.errors import ForbiddenError, NotFoundError, XeroBridgeError
from xero_bridge.observability import logger
from xero_bridge.persistence import connections as connection_store
from xero_bridge.persistence import grants, token_sets
from xero_bridge.xero.identity import XeroIdentity, app_identity
from xero_bridge.xero.tokens import ReconnectRequiredError, TokenManager, token_manager


def disconnect(
    user_sub: str,
    is_admin: bool,
    tenant_id: str,
    identity: XeroIdentity | None = None,
    manager: TokenManager | None = None,
) -> None:
    manager = manager or token_manager
    connection = connection_store.get_connection(tenant_id, consistent=True)
    if connection is None:
        raise NotFoundError("this organisation is not connected")
    if not is_admin and connection.connected_by != user_sub:
        # Someone who may not even see the tenant learns nothing more than "not allowed".
        raise ForbiddenError("only an administrator or whoever connected it may disconnect it")
    others = [
        c
        for c in connection_store.connections_for_token_set(connection.token_set_id)
        if c.tenant_id != tenant_id
    ]
    if connection.kind == "oauth":
        identity = identity or app_identity()
        _remove_at_xero(identity, manager, connection.token_set_id, connection.connection_id)
        if not others:
            stored = token_sets.get_token_set(connection.token_set_id)
            if stored is not None and stored.refresh_token is not None:
                try:
                    identity.revoke(stored.refresh_token.get_secret_value())
                except XeroBridgeError as exc:
                    logger.warning(
                        "revoking the refresh token failed", extra={"error_code": exc.code}
                    )
    if not others:
        token_sets.delete_token_set(connection.token_set_id)
        manager.forget(connection.token_set_id)
    connection_store.delete_connection(tenant_id, connection.token_set_id)
    removed = grants.revoke_tenant(tenant_id)
    logger.info(
        "xero disconnected",
        extra={
            "tenant_id": tenant_id,
            "by": user_sub,
            "token_set_id": connection.token_set_id,
            "grants_removed": removed,
            "token_set_kept_for": len(others),
        },
    )


def _remove_at_xero(
    identity: XeroIdentity, manager: TokenManager, token_set_id: str, connection_id: str | None
) -> None:
    """DELETE the connection at Xero; a dead connection has nothing left to delete there."""
    if not connection_id:
        return
    try:
        access = manager.token_set(token_set_id).access_token.get_secret_value()
    except (ReconnectRequiredError, NotFoundError):
        logger.info("connection already unusable at Xero", extra={"token_set_id": token_set_id})
        return
    identity.delete_connection(access, connection_id)
