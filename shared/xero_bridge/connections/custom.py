"""Custom connections: a Xero "custom connection" app reaches one organisation through the
client credentials grant — no browser, no refresh token.

Configured, not connected: XERO_CUSTOM_CONNECTION_TENANTS lists the tenant ids, and the
credentials are `xero_custom_client_id`/`xero_custom_client_secret` in the app secret (the
main app's when absent). `ensure_custom_connections` (run by the token refresh function
before each sweep) provisions any configured tenant that has no connection yet: one
client-credentials token set (kind `client_credentials`) and a connection (kind `custom`)
per tenant it reaches. From then on the token manager fetches a new client-credentials
token whenever the old one is about to expire. Access is granted by an administrator
(xero_bridge.persistence.grants), since nobody "connected" it.
"""

from __future__ import annotations

import uuid

from xero_bridge.errors import XeroBridgeError
from xero_bridge.observability import logger
from xero_bridge.persistence import connections as connection_store
from xero_bridge.persistence import token_sets
from xero_bridge.persistence.connections import Connection
from xero_bridge.settings import get_settings
from xero_bridge.xero.identity import XeroIdentity, custom_identity
from xero_bridge.xero.tokens import token_manager

CONNECTED_BY = "custom-connection"


def configured_tenants() -> list[str]:
    raw = get_settings().xero_custom_connection_tenants
    return [tenant.strip() for tenant in raw.split(",") if tenant.strip()]


def ensure_custom_connections(identity: XeroIdentity | None = None) -> list[str]:
    """Provision configured custom-connection tenants that are missing; their ids."""
    wanted = configured_tenants()
    missing = [t for t in wanted if connection_store.get_connection(t, consistent=True) is None]
    if not missing:
        return []
    try:
        identity = identity or custom_identity()
        tokens = identity.client_credentials()
        reached = identity.connections(tokens.access_token.get_secret_value())
    except XeroBridgeError as exc:
        logger.warning("custom connection could not be provisioned", extra={"error_code": exc.code})
        return []
    usable = [item for item in reached if item.tenant_id in missing]
    for tenant_id in set(missing) - {item.tenant_id for item in usable}:
        logger.warning("custom connection does not reach tenant", extra={"tenant_id": tenant_id})
    if not usable:
        return []
    token_set_id = uuid.uuid4().hex
    token_sets.save_token_set(
        token_manager.new_token_set(
            token_set_id,
            "client_credentials",
            tokens.access_token,
            None,
            tokens.expires_at,
            tokens.scopes,
            CONNECTED_BY,
        ),
        expected_version=None,
    )
    for item in usable:
        connection_store.put_connection(
            Connection(
                tenant_id=item.tenant_id,
                tenant_name=item.tenant_name or "",
                tenant_type=item.tenant_type,
                connection_id=item.id,
                token_set_id=token_set_id,
                connected_by=CONNECTED_BY,
                kind="custom",
                scopes=tokens.scopes,
            )
        )
    provisioned = [item.tenant_id for item in usable]
    logger.info("custom connections provisioned", extra={"tenant_ids": provisioned})
    return provisioned
