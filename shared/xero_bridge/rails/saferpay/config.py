"""Saferpay's credentials (the app secret) and endpoint (settings), read once per use; and the
Xero clearing account card payments are recorded against.

App secret keys: ``saferpay_customer_id``, ``saferpay_terminal_id`` (the Payment Page
terminal), ``saferpay_api_user`` and ``saferpay_api_password`` (the JSON API basic-auth user).
"""

from __future__ import annotations

from dataclasses import dataclass

from xero_bridge.errors import ConfigurationError
from xero_bridge.secrets import app_secrets
from xero_bridge.settings import get_settings

REQUIRED_KEYS = (
    "saferpay_customer_id",
    "saferpay_terminal_id",
    "saferpay_api_user",
    "saferpay_api_password",
)
SPEC_VERSION = "1.53"  # the JSON API version our bodies are written for


@dataclass(frozen=True)
class SaferpayConfig:
    customer_id: str
    terminal_id: str
    api_user: str
    api_password: str
    api_url: str  # e.g. https://test.saferpay.com/api
    timeout: float
    max_attempts: int
    retry_base: float


def saferpay_config() -> SaferpayConfig:
    secret = app_secrets()
    missing = [key for key in REQUIRED_KEYS if not secret.get(key)]
    if missing:
        raise ConfigurationError(f"the app secret has no value for {', '.join(missing)}")
    settings = get_settings()
    return SaferpayConfig(
        customer_id=str(secret["saferpay_customer_id"]),
        terminal_id=str(secret["saferpay_terminal_id"]),
        api_user=str(secret["saferpay_api_user"]),
        api_password=str(secret["saferpay_api_password"]),
        api_url=str(settings.saferpay_api_url).rstrip("/"),
        timeout=settings.saferpay_timeout_seconds,
        max_attempts=settings.saferpay_max_attempts,
        retry_base=settings.saferpay_retry_base_seconds,
    )


def clearing_account_code(tenant_id: str) -> str:
    """The Xero bank account (code) card payments of `tenant_id` are recorded against."""
    settings = get_settings()
    for part in settings.saferpay_xero_account_codes.split(","):
        tenant, sep, code = part.strip().partition("=")
        if sep and tenant.strip() == tenant_id and code.strip():
            return code.strip()
    if not settings.saferpay_xero_account_code:
        raise ConfigurationError(
            "SAFERPAY_XERO_ACCOUNT_CODE is not set: the Xero clearing account of card payments"
        )
    return settings.saferpay_xero_account_code
