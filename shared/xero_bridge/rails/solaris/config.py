"""Solaris's credentials (the app secret) and endpoints (settings), read once per use.

App secret keys: ``solaris_client_id``, ``solaris_client_secret``, ``solaris_account_id``,
``solaris_person_id`` (optional: without it, transfers go from a billing account, which
Solaris does not ask a second factor for), ``solaris_webhook_secret``.
"""

from __future__ import annotations

from dataclasses import dataclass

from xero_bridge.rails.config import ApiConfig
from xero_bridge.rails.config import clearing_account_code as _clearing_account_code
from xero_bridge.secrets import app_secret, app_secrets
from xero_bridge.settings import get_settings


@dataclass(frozen=True, kw_only=True)
class SolarisConfig(ApiConfig):
    rail = "solaris"
    secret_names = ("client_id", "client_secret", "account_id")

    client_id: str
    client_secret: str
    account_id: str
    person_id: str | None
    auth_url: str
    tan_delivery: str

    @property
    def transfers_path(self) -> str:
        """Where SEPA credit transfers are made: the person's account (with change requests,
        Solaris's strong customer authentication) or the billing account."""
        suffix = "transactions/sepa_credit_transfer"
        if self.person_id:
            return f"/v1/persons/{self.person_id}/accounts/{self.account_id}/{suffix}"
        return f"/v1/accounts/{self.account_id}/{suffix}"


def solaris_config() -> SolarisConfig:
    settings = get_settings()
    return SolarisConfig.load(
        person_id=str(app_secrets().get("solaris_person_id") or "") or None,
        auth_url=str(settings.solaris_auth_url).rstrip("/"),
        tan_delivery=settings.solaris_tan_delivery,
    )


def webhook_secret() -> str:
    return app_secret("solaris_webhook_secret")


def clearing_account_code(tenant_id: str) -> str:
    """The Xero bank account (code) Solaris payments of `tenant_id` are recorded against."""
    return _clearing_account_code("solaris", tenant_id)
