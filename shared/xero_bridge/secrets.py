"""The app secret (one Secrets Manager JSON document) through Powertools parameters.

Keys: `xero_client_id`, `xero_client_secret`, `xero_webhook_key`, `openai_api_key`.
Powertools caches the document for `SECRETS_MAX_AGE_SECONDS`, so a warm Lambda reads
Secrets Manager at most once per window, and a rotated secret is picked up after it.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities import parameters

from xero_bridge.errors import ConfigurationError, ServiceUnavailableError
from xero_bridge.redaction import register_secret
from xero_bridge.settings import get_settings


def app_secrets(force_fetch: bool = False) -> dict[str, Any]:
    """The whole app secret document, cached."""
    settings = get_settings()
    name = settings.required("app_secret_name")
    try:
        value = parameters.get_secret(
            name,
            transform="json",
            max_age=settings.secrets_max_age_seconds,
            force_fetch=force_fetch,
        )
    except parameters.exceptions.TransformParameterError:
        raise ConfigurationError(f"secret {name} is not a JSON object") from None
    except parameters.exceptions.GetParameterError:
        raise ServiceUnavailableError("the app secret could not be read") from None
    if not isinstance(value, dict):
        raise ConfigurationError(f"secret {name} is not a JSON object")
    register_secret(*(str(item) for item in value.values() if isinstance(item, str)))
    return value


def app_secret(key: str) -> str:
    """One key of the app secret; a clear error when it is missing or empty."""
    value = app_secrets().get(key)
    if not value:
        raise ConfigurationError(f"the app secret has no value for {key!r}")
    return str(value)
