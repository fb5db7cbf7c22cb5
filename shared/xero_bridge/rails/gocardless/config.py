"""GoCardless's credentials (the app secret) and endpoints (settings), read once per use.

App secret keys: ``gocardless_access_token`` (an access token of the creditor's GoCardless
account, read-write), ``gocardless_webhook_secret`` (the webhook endpoint's secret).
"""

from __future__ import annotations

from dataclasses import dataclass

from xero_bridge.rails.config import clearing_account_code as _clearing_account_code
from xero_bridge.secrets import app_secret
from xero_bridge.settings import get_settings


@dataclass(frozen=True)
class GoCardlessConfig:
    access_token: str
    base_url: str
    timeout: tuple[float, float]  # (connect, read) seconds, as requests takes them


def gocardless_config() -> GoCardlessConfig:
    settings = get_settings()
    return GoCardlessConfig(
        access_token=app_secret("gocardless_access_token"),
        base_url=str(settings.gocardless_api_url).rstrip("/"),
        timeout=(
            settings.gocardless_connect_timeout_seconds,
            settings.gocardless_read_timeout_seconds,
        ),
    )


def webhook_secret() -> str:
    return app_secret("gocardless_webhook_secret")


def clearing_account_code(tenant_id: str) -> str:
    """The Xero bank account (code) GoCardless collections of `tenant_id` are recorded
    against."""
    return _clearing_account_code("gocardless", tenant_id)
