"""Configuration from environment variables, validated once with pydantic.

Every function gets only the variables it needs (see template.yaml), so most fields are
optional here and `Settings.required()` names the missing variable when a function asks
for one it was not given.
"""

from __future__ import annotations

import os
from decimal import Decimal
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

    # Xero webhooks: intake enqueues, the worker de-duplicates, fetches, stores, publishes.
    webhook_queue_url: str | None = Field(None, alias="WEBHOOK_QUEUE_URL")
    webhook_events_table: str | None = Field(None, alias="WEBHOOK_EVENTS_TABLE")
    snapshots_table: str | None = Field(None, alias="SNAPSHOTS_TABLE")
    domain_event_bus_name: str | None = Field(None, alias="EVENT_BUS_NAME")
    # How long a processed event's identity is remembered (Xero redelivers for 24 hours).
    webhook_dedup_ttl_hours: int = Field(72, alias="WEBHOOK_DEDUP_TTL_HOURS", ge=25)
    # A worker's claim on an event while it works on it: longer than the worker's timeout.
    webhook_claim_seconds: int = Field(120, alias="WEBHOOK_CLAIM_SECONDS", ge=1)
    # Retry delay after a failure that is not a 429: base * 4^(attempt-1), capped at 15 min.
    webhook_retry_base_seconds: int = Field(5, alias="WEBHOOK_RETRY_BASE_SECONDS", ge=0)
    # The queue's redrive maxReceiveCount: a 429 on the last attempt re-enqueues instead.
    webhook_max_receives: int = Field(5, alias="WEBHOOK_MAX_RECEIVES", ge=1)
    # GUIDs per `IDs` filter: Xero's URL length limit allows about 50.
    webhook_fetch_chunk: int = Field(50, alias="WEBHOOK_FETCH_CHUNK", ge=1, le=100)

    # Xero connections (the oauth and token refresh functions).
    connections_table: str | None = Field(None, alias="CONNECTIONS_TABLE")
    oauth_states_table: str | None = Field(None, alias="OAUTH_STATES_TABLE")
    # Space-separated scopes asked for at connect time (openid, profile, email and
    # offline_access are always added). Granular: what the features use (see
    # connections/needs.py); an app created before 2026-03-02 may use the broad ones.
    xero_scopes: str = Field(
        "openid profile email offline_access accounting.invoices accounting.payments"
        " accounting.banktransactions.read accounting.contacts accounting.settings"
        " accounting.attachments accounting.reports.profitandloss.read"
        " accounting.reports.balancesheet.read accounting.reports.banksummary.read",
        alias="XERO_SCOPES",
    )
    # Comma-separated frontend origins a connect may send the browser back to (return_to).
    allowed_return_origins: str = Field("", alias="ALLOWED_RETURN_ORIGINS")
    # The redirect URI registered with Xero; empty: https://<the API's domain>/xero/callback.
    xero_redirect_uri: str | None = Field(None, alias="XERO_REDIRECT_URI")
    oauth_state_ttl_seconds: int = Field(600, alias="OAUTH_STATE_TTL_SECONDS", ge=30, le=3600)
    # An access token is refreshed on demand when it expires within this margin.
    xero_refresh_margin_seconds: int = Field(
        300, alias="XERO_REFRESH_MARGIN_SECONDS", ge=60, le=1500
    )
    # The sweep refreshes sets due within this window (longer than the schedule's period).
    token_refresh_window_seconds: int = Field(
        600, alias="TOKEN_REFRESH_WINDOW_SECONDS", ge=60, le=1500
    )
    # A refresh token older than this is rotated even when idle (Xero drops it at 60 days).
    refresh_token_max_age_days: int = Field(45, alias="REFRESH_TOKEN_MAX_AGE_DAYS", ge=1, le=59)
    token_refresh_concurrency: int = Field(8, alias="TOKEN_REFRESH_CONCURRENCY", ge=1, le=64)
    # Token sets the sweep takes per run (the rest are picked up by the next run).
    token_refresh_batch_limit: int = Field(2000, alias="TOKEN_REFRESH_BATCH_LIMIT", ge=1, le=100000)
    # Timeouts of every call to Xero (identity and API), so a hung Xero cannot eat a Lambda.
    xero_connect_timeout_seconds: float = Field(3.0, alias="XERO_CONNECT_TIMEOUT_SECONDS", gt=0)
    xero_read_timeout_seconds: float = Field(10.0, alias="XERO_READ_TIMEOUT_SECONDS", gt=0)
    # Repeats of a call Xero refused for now (429, 502-504; see xero_bridge.xero.retries):
    # attempts in all, and the waiting one call may do between them (API Gateway gives a
    # request 30 s; the budget's own wait for a slot comes on top).
    xero_max_attempts: int = Field(4, alias="XERO_MAX_ATTEMPTS", ge=1, le=10)
    xero_retry_max_wait_seconds: float = Field(
        8.0, alias="XERO_RETRY_MAX_WAIT_SECONDS", ge=0, le=60
    )
    xero_retry_base_seconds: float = Field(0.5, alias="XERO_RETRY_BASE_SECONDS", ge=0, le=10)
    # Custom connections (client credentials): comma-separated tenant ids to provision.
    xero_custom_connection_tenants: str = Field("", alias="XERO_CUSTOM_CONNECTION_TENANTS")

    # Payments: our records, the audit trail, Powertools idempotency records.
    payments_table: str | None = Field(None, alias="PAYMENTS_TABLE")
    audit_table: str | None = Field(None, alias="AUDIT_TABLE")
    idempotency_table: str | None = Field(None, alias="IDEMPOTENCY_TABLE")
    # Payments above this amount wait for a second person (four-eyes). Per-tenant overrides:
    # PAYMENT_APPROVAL_THRESHOLDS="<tenant id>=5000.00,<tenant id>=250.00".
    payment_approval_threshold: Decimal = Field(
        Decimal("10000.00"), alias="PAYMENT_APPROVAL_THRESHOLD", gt=0
    )
    payment_approval_thresholds: str = Field("", alias="PAYMENT_APPROVAL_THRESHOLDS")
    # How long an Idempotency-Key replays its first answer (our records keep it for good).
    payments_idempotency_ttl_seconds: int = Field(
        86400, alias="PAYMENTS_IDEMPOTENCY_TTL_SECONDS", ge=60
    )
    # A request whose key is still being processed waits this long for the first answer.
    payments_in_progress_wait_seconds: float = Field(
        10.0, alias="PAYMENTS_IN_PROGRESS_WAIT_SECONDS", ge=0, le=60
    )
    payments_batch_max: int = Field(100, alias="PAYMENTS_BATCH_MAX", ge=1, le=100)

    # Money-moving rails: lifecycle events, the provider callbacks' queue, the
    # reconciler. A payment is "non-final too long" when its last change is this old: longer
    # than a Verification of Payee lives (5 minutes), so the reconciler's read of a transfer
    # whose answer was lost can never create one (see rails/solaris/rail.py).
    rail_callback_queue_url: str | None = Field(None, alias="RAIL_CALLBACK_QUEUE_URL")
    rail_reconcile_after_seconds: int = Field(600, alias="RAIL_RECONCILE_AFTER_SECONDS", ge=0)
    rail_reconcile_batch: int = Field(100, alias="RAIL_RECONCILE_BATCH", ge=1, le=1000)

    # Solaris (SEPA credit transfers). Credentials live in the app secret (solaris_* keys).
    solaris_auth_url: AnyHttpUrl = Field(
        AnyHttpUrl("https://auth.solaris-sandbox.de"), alias="SOLARIS_AUTH_URL"
    )
    solaris_api_url: AnyHttpUrl = Field(
        AnyHttpUrl("https://api.solaris-sandbox.de"), alias="SOLARIS_API_URL"
    )
    # How the TAN of a change request reaches the person: `static` is the sandbox's fixed
    # TAN, `mobile_number` an SMS to the person's phone.
    solaris_tan_delivery: Literal["static", "mobile_number"] = Field(
        "mobile_number", alias="SOLARIS_TAN_DELIVERY"
    )
    solaris_timeout_seconds: float = Field(10.0, alias="SOLARIS_TIMEOUT_SECONDS", gt=0)
    solaris_max_attempts: int = Field(3, alias="SOLARIS_MAX_ATTEMPTS", ge=1, le=6)
    solaris_retry_base_seconds: float = Field(0.3, alias="SOLARIS_RETRY_BASE_SECONDS", ge=0)
    # The Xero bank account (code) a payment made through Solaris is recorded against: the
    # Solaris account as the books know it (a EUR bank account). Per tenant:
    # SOLARIS_XERO_ACCOUNT_CODES="<tenant id>=<code>,…".
    solaris_xero_account_code: str = Field("", alias="SOLARIS_XERO_ACCOUNT_CODE")
    solaris_xero_account_codes: str = Field("", alias="SOLARIS_XERO_ACCOUNT_CODES")

    # Saferpay (card payment pages for sales invoices). Credentials live in the app secret
    # (saferpay_* keys); the links in the PaymentLinks table.
    payment_links_table: str | None = Field(None, alias="PAYMENT_LINKS_TABLE")
    saferpay_api_url: AnyHttpUrl = Field(
        AnyHttpUrl("https://test.saferpay.com/api"), alias="SAFERPAY_API_URL"
    )
    saferpay_timeout_seconds: float = Field(10.0, alias="SAFERPAY_TIMEOUT_SECONDS", gt=0)
    saferpay_max_attempts: int = Field(3, alias="SAFERPAY_MAX_ATTEMPTS", ge=1, le=6)
    saferpay_retry_base_seconds: float = Field(0.3, alias="SAFERPAY_RETRY_BASE_SECONDS", ge=0)
    # The Xero bank account (code) card payments are recorded against: Saferpay's clearing
    # account as the books know it, in the invoices' currency. Per tenant:
    # SAFERPAY_XERO_ACCOUNT_CODES="<tenant id>=<code>,…".
    saferpay_xero_account_code: str = Field("", alias="SAFERPAY_XERO_ACCOUNT_CODE")
    saferpay_xero_account_codes: str = Field("", alias="SAFERPAY_XERO_ACCOUNT_CODES")
    # Where the payer's browser goes after the payment page ("{link_id}" is replaced); empty:
    # this API's own thank-you page (GET /webhooks/saferpay/{linkId}/return).
    saferpay_return_url: str = Field("", alias="SAFERPAY_RETURN_URL")
    # This API's public URL for Saferpay's notifications when it sits behind a custom domain;
    # empty: the domain API Gateway reports for the request that made the link.
    saferpay_notify_base_url: str = Field("", alias="SAFERPAY_NOTIFY_BASE_URL")
    # OKX (crypto withdrawals). Credentials live in the app secret (okx_* keys).
    payout_addresses_table: str | None = Field(None, alias="PAYOUT_ADDRESSES_TABLE")
    okx_api_url: AnyHttpUrl = Field(AnyHttpUrl("https://www.okx.com"), alias="OKX_API_URL")
    okx_timeout_seconds: float = Field(10.0, alias="OKX_TIMEOUT_SECONDS", gt=0)
    okx_max_attempts: int = Field(3, alias="OKX_MAX_ATTEMPTS", ge=1, le=6)
    okx_retry_base_seconds: float = Field(0.3, alias="OKX_RETRY_BASE_SECONDS", ge=0)
    # OKX's limit on the endpoints the rail uses, per API key: each process keeps to it.
    okx_requests_per_second: int = Field(6, alias="OKX_REQUESTS_PER_SECOND", ge=1, le=20)
    # How long a quote (the bill's amount in crypto at OKX's price) may be approved.
    okx_quote_ttl_seconds: int = Field(180, alias="OKX_QUOTE_TTL_SECONDS", ge=30, le=900)
    # An open withdrawal is read by the reconciler once its payment is this old unchanged
    # (OKX calls nobody back; a read is always safe: it never makes a withdrawal).
    okx_poll_after_seconds: int = Field(60, alias="OKX_POLL_AFTER_SECONDS", ge=0)
    # The Xero bank account (code) OKX payments are recorded against — the OKX funding
    # account as the books know it, in the bills' currency — and the expense account its
    # network fees are booked to (empty: fees are kept on the payment only). Per tenant:
    # "<tenant id>=<code>,…".
    okx_xero_account_code: str = Field("", alias="OKX_XERO_ACCOUNT_CODE")
    okx_xero_account_codes: str = Field("", alias="OKX_XERO_ACCOUNT_CODES")
    okx_xero_fee_account_code: str = Field("", alias="OKX_XERO_FEE_ACCOUNT_CODE")
    okx_xero_fee_account_codes: str = Field("", alias="OKX_XERO_FEE_ACCOUNT_CODES")

    # GoCardless (direct debit). Credentials live in the app secret (gocardless_*
    # keys); mandates per contact in MANDATES_TABLE. The SDK drops a base URL's path.
    mandates_table: str | None = Field(None, alias="MANDATES_TABLE")
    gocardless_api_url: AnyHttpUrl = Field(
        AnyHttpUrl("https://api-sandbox.gocardless.com"), alias="GOCARDLESS_API_URL"
    )
    gocardless_connect_timeout_seconds: float = Field(
        3.0, alias="GOCARDLESS_CONNECT_TIMEOUT_SECONDS", gt=0
    )
    gocardless_read_timeout_seconds: float = Field(
        8.0, alias="GOCARDLESS_READ_TIMEOUT_SECONDS", gt=0
    )
    # The Xero bank account (code) collections are recorded against: GoCardless's balance as
    # the books know it (a EUR or GBP bank account; payouts to the real bank are transfers
    # from it). Per tenant: GOCARDLESS_XERO_ACCOUNT_CODES="<tenant id>=<code>,…".
    gocardless_xero_account_code: str = Field("", alias="GOCARDLESS_XERO_ACCOUNT_CODE")
    gocardless_xero_account_codes: str = Field("", alias="GOCARDLESS_XERO_ACCOUNT_CODES")

    # The records API. Largest attachment accepted or returned, in raw bytes: base64
    # in a JSON body must stay under Lambda's 6 MB payload limit (Xero's own limit is 25 MB).
    records_max_attachment_bytes: int = Field(
        4_000_000, alias="RECORDS_MAX_ATTACHMENT_BYTES", ge=1, le=4_400_000
    )
    # GET of one invoice or contact answered from the webhook worker's snapshot when it was
    # fetched from Xero at most this many seconds ago (0: always ask Xero). 60 s: an answer is
    # never more than a minute behind Xero (about what Xero's own webhook delivery lags), and
    # a record read over and over costs at most one of the tenant's 60 calls a minute.
    records_snapshot_max_age_seconds: int = Field(
        60, alias="RECORDS_SNAPSHOT_MAX_AGE_SECONDS", ge=0, le=3600
    )

    # Mirrors: invoices copied from one organisation into another as they change.
    mirrors_table: str | None = Field(None, alias="MIRRORS_TABLE")
    mirror_links_table: str | None = Field(None, alias="MIRROR_LINKS_TABLE")
    mirror_log_table: str | None = Field(None, alias="MIRROR_LOG_TABLE")
    mirror_queue_url: str | None = Field(None, alias="MIRROR_QUEUE_URL")
    # Attempts of a change whose Xero calls fail (5xx, timeouts) before it is parked; below
    # the queue's own maxReceiveCount, so a change is parked (logged, alerted), never lost.
    mirror_max_attempts: int = Field(5, alias="MIRROR_MAX_ATTEMPTS", ge=1, le=20)
    # Retry delay after such a failure: base * 4^(attempt-1), capped at 15 minutes.
    mirror_retry_base_seconds: int = Field(10, alias="MIRROR_RETRY_BASE_SECONDS", ge=0)
    # Documents per Xero write (Xero asks for at most 50 per PUT/POST of many).
    mirror_write_chunk: int = Field(50, alias="MIRROR_WRITE_CHUNK", ge=1, le=50)
    # A worker's claim on a document while it writes its copy: longer than its timeout.
    mirror_claim_seconds: int = Field(120, alias="MIRROR_CLAIM_SECONDS", ge=1)
    mirror_log_ttl_days: int = Field(90, alias="MIRROR_LOG_TTL_DAYS", ge=1, le=3650)

    # Webhook endpoints and alerts: tables, queues, the key of sealed fields.
    webhook_endpoints_table: str | None = Field(None, alias="WEBHOOK_ENDPOINTS_TABLE")
    webhook_deliveries_table: str | None = Field(None, alias="WEBHOOK_DELIVERIES_TABLE")
    notification_channels_table: str | None = Field(None, alias="NOTIFICATION_CHANNELS_TABLE")
    # Short-lived marks: the versions our writes produced, alerts sent, payment watches.
    notify_state_table: str | None = Field(None, alias="NOTIFY_STATE_TABLE")
    webhook_delivery_queue_url: str | None = Field(None, alias="WEBHOOK_DELIVERY_QUEUE_URL")
    alert_queue_url: str | None = Field(None, alias="ALERT_QUEUE_URL")
    # The dead-letter queues whose letters are an alert (`webhook.dead_letters`).
    webhook_dead_letter_queue_url: str | None = Field(None, alias="WEBHOOK_DEAD_LETTER_QUEUE_URL")
    delivery_dead_letter_queue_url: str | None = Field(
        None, alias="WEBHOOK_DELIVERY_DEAD_LETTER_QUEUE_URL"
    )
    # The stack's KMS key: endpoint secrets and channel URLs are encrypted with it, field by
    # field, on top of the tables' own encryption.
    data_key_arn: str | None = Field(None, alias="DATA_KEY_ARN")
    # http:// and loopback receivers: the local stack's receiver only (APP_ENV local/test).
    notify_allow_loopback: bool = Field(False, alias="NOTIFY_ALLOW_LOOPBACK")
    # Where alerts link to (the console); empty: alerts carry no link.
    console_url: str = Field("", alias="CONSOLE_URL")
    # The verified SES identity alert e-mails come from.
    alert_sender_email: str = Field("", alias="ALERT_SENDER_EMAIL")
    # A delivery counts only with a 2xx within this many seconds; at most this much is read.
    delivery_timeout_seconds: float = Field(10.0, alias="DELIVERY_TIMEOUT_SECONDS", gt=0, le=30)
    delivery_max_response_bytes: int = Field(
        65536, alias="DELIVERY_MAX_RESPONSE_BYTES", ge=1024, le=1_048_576
    )
    # Retries: base * 2^(n-1) capped at the max delay, jittered, for up to give-up seconds.
    delivery_retry_base_seconds: float = Field(30.0, alias="DELIVERY_RETRY_BASE_SECONDS", ge=0)
    delivery_retry_max_delay_seconds: float = Field(
        21600.0, alias="DELIVERY_RETRY_MAX_DELAY_SECONDS", ge=1
    )
    delivery_give_up_after_seconds: float = Field(
        259200.0, alias="DELIVERY_GIVE_UP_AFTER_SECONDS", ge=1
    )
    # Deliveries to one endpoint in flight at once: a slow endpoint holds no more than this.
    delivery_endpoint_concurrency: int = Field(4, alias="DELIVERY_ENDPOINT_CONCURRENCY", ge=1)
    webhook_endpoints_per_tenant: int = Field(20, alias="WEBHOOK_ENDPOINTS_PER_TENANT", ge=1)
    notification_channels_per_tenant: int = Field(
        20, alias="NOTIFICATION_CHANNELS_PER_TENANT", ge=1
    )
    # The same alert to the same channel at most once in this many seconds.
    alert_repeat_after_seconds: int = Field(3600, alias="ALERT_REPEAT_AFTER_SECONDS", ge=0)
    # A payment waiting for approval, or resting on its rail, longer than this is an alert.
    payment_approval_alert_after_seconds: int = Field(
        86400, alias="PAYMENT_APPROVAL_ALERT_AFTER_SECONDS", ge=0
    )
    payment_stuck_alert_after_seconds: int = Field(
        14400, alias="PAYMENT_STUCK_ALERT_AFTER_SECONDS", ge=0
    )

    @property
    def allows_loopback_receivers(self) -> bool:
        """The local stack's receiver on loopback: only where APP_ENV says local or test."""
        return self.notify_allow_loopback and self.app_env in ("local", "test")

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
