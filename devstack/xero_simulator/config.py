"""Simulator settings; the instance on ``XeroSimulator.config`` is read on every request."""

from __future__ import annotations

from dataclasses import dataclass, field

# The demo app is a new one (created after 2026-03-02): granular scopes only.
DEMO_CLIENT_ID = "SIMDEMOCLIENT00000000000000000001"
DEMO_CLIENT_SECRET = "sim-demo-client-secret-for-local-development-only"
# An app created before 2026-03-02: it may still ask for (and mix in) the broad scopes.
DEMO_LEGACY_CLIENT_ID = "SIMLEGACYCLIENT000000000000000001"
DEMO_LEGACY_CLIENT_SECRET = "sim-legacy-client-secret-for-local-development-only"
# A "custom connection" app: client_credentials, bound to one organisation.
DEMO_CUSTOM_CLIENT_ID = "SIMCUSTOMCONNECTION0000000000001"
DEMO_CUSTOM_CLIENT_SECRET = "sim-custom-connection-secret-for-local-development-only"
DEMO_WEBHOOK_KEY = "demo-webhook-key-for-local-development-only"
DEMO_USER_ID = "5f5c6e11-8d7f-4b57-9a1f-3c1b7d0e2a01"
DEMO_USER_EMAIL = "demo.user@example.com"
DEMO_TENANT_A = "7a1e2c3d-4b5f-4a60-8b71-0c2d3e4f5a6b"
DEMO_TENANT_B = "9b8c7d6e-5f4a-4b3c-9d2e-1f0a9b8c7d6e"


# The granular scopes the product's features use: what the demo custom connection (a new
# app too) was authorised for, and what `issue_authorization_code` consents to by default.
DEMO_GRANULAR_SCOPES = (
    "accounting.invoices accounting.payments accounting.banktransactions.read"
    " accounting.contacts accounting.settings accounting.attachments"
    " accounting.reports.profitandloss.read accounting.reports.balancesheet.read"
    " accounting.reports.banksummary.read"
)


def _default_clients() -> dict[str, str]:
    return {
        DEMO_CLIENT_ID: DEMO_CLIENT_SECRET,
        DEMO_LEGACY_CLIENT_ID: DEMO_LEGACY_CLIENT_SECRET,
        DEMO_CUSTOM_CLIENT_ID: DEMO_CUSTOM_CLIENT_SECRET,
    }


def _default_custom_connections() -> dict[str, str]:
    return {DEMO_CUSTOM_CLIENT_ID: DEMO_TENANT_A}


def _default_custom_connection_scopes() -> dict[str, str]:
    return {DEMO_CUSTOM_CLIENT_ID: DEMO_GRANULAR_SCOPES}


@dataclass
class SimulatorConfig:
    """All times are seconds on the simulator clock unless named otherwise."""

    access_token_ttl: int = 1800
    refresh_grace_seconds: int = 1800
    refresh_token_ttl_days: int = 60
    auth_code_ttl: int = 300
    # Xero's limits: per tenant (per app), and per app across all tenants.
    minute_limit: int = 60
    day_limit: int = 5000
    concurrent_limit: int = 5
    app_minute_limit: int = 10000
    webhook_url: str | None = None
    webhook_key: str = DEMO_WEBHOOK_KEY
    webhook_batch_delay: float = 0.5  # real seconds the background sender waits to batch
    webhook_timeout: float = 5.0
    # Empty: accept any loopback redirect URI (http://127.0.0.1|localhost:*/...).
    redirect_uris: list[str] = field(default_factory=list)
    clients: dict[str, str] = field(default_factory=_default_clients)
    # Apps created before 2026-03-02 (they may ask for the broad scopes); any other is new.
    legacy_clients: list[str] = field(default_factory=lambda: [DEMO_LEGACY_CLIENT_ID])
    # client_id -> tenant id, for client_credentials ("custom connections").
    custom_connections: dict[str, str] = field(default_factory=_default_custom_connections)
    # client_id -> the space-separated scopes its custom connection was authorised for.
    custom_connection_scopes: dict[str, str] = field(
        default_factory=_default_custom_connection_scopes
    )
    idempotency_ttl: int = 360  # Xero remembers an Idempotency-Key for 6 minutes
    max_page_size: int = 1000
