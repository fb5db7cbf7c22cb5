"""Configuration from environment variables, validated once with pydantic.

Every function gets only the variables it needs (see template.yaml), so most fields are
optional here and `Settings.required()` names the missing variable when a function asks
for one it was not given.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Literal

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, ValidationError

from xero_bridge.errors import ConfigurationError


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)

    app_env: Literal["local", "dev", "prod", "test"] = Field("dev", alias="APP_ENV")
    app_secret_name: str | None = Field(None, alias="APP_SECRET_NAME")
    secrets_max_age_seconds: int = Field(300, alias="SECRETS_MAX_AGE_SECONDS", ge=0)

    # DynamoDB tables (one data-access module each, under xero_bridge.persistence)
    tokens_table: str | None = Field(None, alias="TOKENS_TABLE")
    grants_table: str | None = Field(None, alias="GRANTS_TABLE")
    rate_budget_table: str | None = Field(None, alias="RATE_BUDGET_TABLE")

    # Xero's published limits; the budget also lowers them from Xero's response headers.
    xero_minute_limit: int = Field(60, alias="XERO_MINUTE_LIMIT", ge=1)
    xero_day_limit: int = Field(5000, alias="XERO_DAY_LIMIT", ge=1)
    xero_concurrent_limit: int = Field(5, alias="XERO_CONCURRENT_LIMIT", ge=1)
    xero_app_minute_limit: int = Field(10000, alias="XERO_APP_MINUTE_LIMIT", ge=1)

    # Okta (the authorizer)
    okta_issuer: str | None = Field(None, alias="OKTA_ISSUER")
    okta_audience: str | None = Field(None, alias="OKTA_AUDIENCE")

    # Xero endpoints: real Xero by default, the simulator in `make dev` and the tests.
    xero_identity_url: AnyHttpUrl = Field(
        AnyHttpUrl("https://identity.xero.com"), alias="XERO_IDENTITY_URL"
    )
    xero_api_url: AnyHttpUrl = Field(AnyHttpUrl("https://api.xero.com"), alias="XERO_API_URL")

    # Asking about the books (the ask function): any OpenAI-compatible endpoint and model.
    conversations_table: str | None = Field(None, alias="CONVERSATIONS_TABLE")
    openai_base_url: str = Field("https://api.openai.com/v1", alias="OPENAI_BASE_URL")
    openai_model: str = Field("gpt-4o-mini", alias="OPENAI_MODEL", min_length=1)
    openai_timeout_seconds: float = Field(20.0, alias="OPENAI_TIMEOUT_SECONDS", gt=0)
    ask_max_tool_rounds: int = Field(4, alias="ASK_MAX_TOOL_ROUNDS", ge=0, le=10)
    ask_max_tokens: int = Field(24000, alias="ASK_MAX_TOKENS", ge=1000)
    ask_max_completion_tokens: int = Field(800, alias="ASK_MAX_COMPLETION_TOKENS", ge=50)
    ask_time_budget_seconds: float = Field(45.0, alias="ASK_TIME_BUDGET_SECONDS", gt=0)
    conversation_ttl_days: int = Field(7, alias="CONVERSATION_TTL_DAYS", ge=1, le=90)

    def required(self, field: str) -> str:
        """The value of `field`, or a ConfigurationError naming its environment variable."""
        value = getattr(self, field)
        if value in (None, ""):
            alias = type(self).model_fields[field].alias or field.upper()
            raise ConfigurationError(f"environment variable {alias} is not set")
        return str(value)


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Validate the environment; a bad value raises ConfigurationError naming the variable."""
    env = dict(os.environ if environ is None else environ)
    try:
        return Settings.model_validate(env)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            names = ".".join(str(part) for part in error["loc"])
            problems.append(f"{names}: {error['msg']}")
        raise ConfigurationError("invalid configuration: " + "; ".join(problems)) from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (Lambda environments do not change while warm)."""
    return load_settings()
