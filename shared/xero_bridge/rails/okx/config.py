"""OKX's credentials (the app secret) and endpoints (settings), read once per use.

App secret keys: ``okx_api_key``, ``okx_secret_key``, ``okx_passphrase`` — a live (not a
demo-trading) API key with the Withdraw permission, bound to the deployment's egress IPs.
"""

from __future__ import annotations

from dataclasses import dataclass

from xero_bridge.rails.config import ApiConfig, per_tenant
from xero_bridge.rails.config import clearing_account_code as _clearing_account_code
from xero_bridge.settings import get_settings

__all__ = ["OkxConfig", "clearing_account_code", "okx_config", "per_tenant"]


@dataclass(frozen=True, kw_only=True)
class OkxConfig(ApiConfig):
    rail = "okx"
    secret_names = ("api_key", "secret_key", "passphrase")

    api_key: str
    secret_key: str
    passphrase: str
    requests_per_second: int


def okx_config() -> OkxConfig:
    return OkxConfig.load(requests_per_second=get_settings().okx_requests_per_second)


def clearing_account_code(tenant_id: str) -> str:
    """The Xero bank account (code) OKX payments of `tenant_id` are recorded against."""
    return _clearing_account_code("okx", tenant_id)


def poll_after_seconds() -> int:
    """How long an OKX payment stays unchanged before the reconciler reads it (OKX calls
    nobody back, and a read never makes a withdrawal)."""
    return get_settings().okx_poll_after_seconds
