"""Solaris's credentials (the app secret) and endpoints (settings), read once per use.

App secret keys: ``solaris_client_id``, ``solaris_client_secret``, ``solaris_account_id``,
``solaris_person_id`` (optional: without it, transfers go from a billing account, which
Solaris does not ask a second factor for), ``solaris_webhook_secret``.
"""

from __future__ import annotations

from dataclasses import dataclass

from xero_bridge.errors import ConfigurationError
from xero_bridge.secrets import app_secrets
from xero_bridge.settings import get_settings

REQUIRED_KEYS = ("solaris_client_id", "solaris_client_secret", "solaris_account_id")


@dataclass(frozen=True)
class SolarisConfig:
    client_id: str
    client_secret: str
    account_id: str
    person_id: str | None
    auth_url: str
    api_url: str
    tan_delivery: str
    timeout: float
    max_attempts: int
    retry_base: float

    @property
    def transfers_path(self) -> str:
        """Where SEPA credit transfers are made: the person's account (with change requests,
        Solaris's strong customer authentication) or the billing account."""
        suffix = "transactions/sepa_credit_transfer"
        if self.person_id:
            return f"/v1/persons/{self.person_id}/accounts/{self.account_id}/{suffix}"
        return f"/v1/accounts/{self.account_id}/{suffix}"


def solaris_config() -> SolarisConfig:
    secret = app_secrets()
    missing = [key for key in REQUIRED_KEYS if not secret.get(key)]
    if missing:
        raise ConfigurationError(f"the app secret has no value for {', '.join(missing)}")
    settings = get_settings()
    return SolarisConfig(
        client_id=str(secret["solaris_client_id"]),
        client_secret=str(secret["solaris_client_secret"]),
        account_id=str(secret["solaris_account_id"]),
        person_id=str(secret.get("solaris_person_id") or "") or None,
        auth_url=str(settings.solaris_auth_url).rstrip("/"),
        api_url=str(settings.solaris_api_url).rstrip("/"),
        tan_delivery=settings.solaris_tan_delivery,
        timeout=settings.solaris_timeout_seconds,
        max_attempts=settings.solaris_max_attempts,
        retry_base=settings.solaris_retry_base_seconds,
    )


def webhook_secret() -> str:
    value = app_secrets().get("solaris_webhook_secret")
    if not value:
        raise ConfigurationError("the app secret has no value for 'solaris_webhook_secret'")
    return str(value)
