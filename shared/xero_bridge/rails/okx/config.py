"""OKX's credentials (the app secret) and endpoints (settings), read once per use.

App secret keys: ``okx_api_key``, ``okx_secret_key``, ``okx_passphrase`` — a live (not a
demo-trading) API key with the Withdraw permission, bound to the deployment's egress IPs.
"""

from __future__ import annotations

from dataclasses import dataclass

from xero_bridge.errors import ConfigurationError
from xero_bridge.secrets import app_secrets
from xero_bridge.settings import get_settings

REQUIRED_KEYS = ("okx_api_key", "okx_secret_key", "okx_passphrase")


@dataclass(frozen=True)
class OkxConfig:
    api_key: str
    secret_key: str
    passphrase: str
    api_url: str
    timeout: float
    max_attempts: int
    retry_base: float
    requests_per_second: int


def okx_config() -> OkxConfig:
    secret = app_secrets()
    missing = [key for key in REQUIRED_KEYS if not secret.get(key)]
    if missing:
        raise ConfigurationError(f"the app secret has no value for {', '.join(missing)}")
    settings = get_settings()
    return OkxConfig(
        api_key=str(secret["okx_api_key"]),
        secret_key=str(secret["okx_secret_key"]),
        passphrase=str(secret["okx_passphrase"]),
        api_url=str(settings.okx_api_url).rstrip("/"),
        timeout=settings.okx_timeout_seconds,
        max_attempts=settings.okx_max_attempts,
        retry_base=settings.okx_retry_base_seconds,
        requests_per_second=settings.okx_requests_per_second,
    )


def per_tenant(default: str, overrides: str, tenant_id: str) -> str:
    """A setting's value for `tenant_id`: its entry in ``"<tenant id>=<value>,…"``, else the
    default ("" when neither is set)."""
    for part in overrides.split(","):
        tenant, sep, value = part.strip().partition("=")
        if sep and tenant.strip() == tenant_id and value.strip():
            return value.strip()
    return default.strip()
