"""Saferpay's credentials (the app secret) and endpoint (settings), read once per use; and the
Xero clearing account card payments are recorded against.

App secret keys: ``saferpay_customer_id``, ``saferpay_terminal_id`` (the Payment Page
terminal), ``saferpay_api_user`` and ``saferpay_api_password`` (the JSON API basic-auth user).
"""

from __future__ import annotations

from dataclasses import dataclass

from xero_bridge.rails.config import ApiConfig
from xero_bridge.rails.config import clearing_account_code as _clearing_account_code

SPEC_VERSION = "1.53"  # the JSON API version our bodies are written for


@dataclass(frozen=True, kw_only=True)
class SaferpayConfig(ApiConfig):  # api_url: e.g. https://test.saferpay.com/api
    rail = "saferpay"
    secret_names = ("customer_id", "terminal_id", "api_user", "api_password")

    customer_id: str
    terminal_id: str
    api_user: str
    api_password: str


def saferpay_config() -> SaferpayConfig:
    return SaferpayConfig.load()


def clearing_account_code(tenant_id: str) -> str:
    """The Xero bank account (code) card payments of `tenant_id` are recorded against."""
    return _clearing_account_code("saferpay", tenant_id, " of card payments")
