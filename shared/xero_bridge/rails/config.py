"""What the rails' configurations share: the app secret's keys a rail cannot work without,
the settings of a rail's HTTP API, and the settings that may differ by tenant.

A rail's settings follow one naming scheme (`<rail>_api_url`, `<rail>_timeout_seconds`,
`<rail>_max_attempts`, `<rail>_retry_base_seconds`, `<rail>_xero_account_code` and
`<rail>_xero_account_codes`), which is what lets one loader read every rail's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Self

from xero_bridge.errors import ConfigurationError
from xero_bridge.secrets import app_secrets
from xero_bridge.settings import get_settings


@dataclass(frozen=True, kw_only=True)
class ApiConfig:
    """A rail's HTTP API: its credentials (the app secret's ``<rail>_<name>`` for each of
    `secret_names`, all required) and its endpoint, timeout and retries (settings)."""

    rail: ClassVar[str]  # the prefix of its secret keys and settings, e.g. "okx"
    secret_names: ClassVar[tuple[str, ...]]

    api_url: str
    timeout: float
    max_attempts: int
    retry_base: float

    @classmethod
    def load(cls, **more: Any) -> Self:
        """The configuration as the app secret and the settings say now; `more` are the
        rail's own fields (ConfigurationError naming every secret key missing)."""
        secret = app_secrets()
        keys = {name: f"{cls.rail}_{name}" for name in cls.secret_names}
        missing = [key for key in keys.values() if not secret.get(key)]
        if missing:
            raise ConfigurationError(f"the app secret has no value for {', '.join(missing)}")
        settings = get_settings()
        fields: dict[str, Any] = {name: str(secret[key]) for name, key in keys.items()}
        fields.update(
            api_url=str(getattr(settings, f"{cls.rail}_api_url")).rstrip("/"),
            timeout=getattr(settings, f"{cls.rail}_timeout_seconds"),
            max_attempts=getattr(settings, f"{cls.rail}_max_attempts"),
            retry_base=getattr(settings, f"{cls.rail}_retry_base_seconds"),
        )
        return cls(**fields, **more)


def per_tenant(default: str, overrides: str, tenant_id: str) -> str:
    """A setting's value for `tenant_id`: its entry in ``"<tenant id>=<value>,…"``, else the
    default ("" when neither is set)."""
    for part in overrides.split(","):
        tenant, sep, value = part.strip().partition("=")
        if sep and tenant.strip() == tenant_id and value.strip():
            return value.strip()
    return default.strip()


def clearing_account_code(rail: str, tenant_id: str, of: str = "") -> str:
    """The Xero bank account (code) `rail`'s payments of `tenant_id` are recorded against:
    ``<RAIL>_XERO_ACCOUNT_CODES``' entry for the tenant, else ``<RAIL>_XERO_ACCOUNT_CODE``
    (ConfigurationError when neither is set; `of` says whose clearing account it is)."""
    settings = get_settings()
    code = per_tenant(
        getattr(settings, f"{rail}_xero_account_code"),
        getattr(settings, f"{rail}_xero_account_codes"),
        tenant_id,
    )
    if not code:
        raise ConfigurationError(
            f"{rail.upper()}_XERO_ACCOUNT_CODE is not set: the Xero clearing account{of}"
        )
    return code
