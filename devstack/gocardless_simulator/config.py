"""Simulator settings; the instance on ``GoCardlessSimulator.config`` is read on every request.

Times are seconds on the simulator clock unless named otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from devstack import demo_data

API_VERSION = "2015-07-06"  # the only GoCardless-Version the API knows
DAY = 86400.0


def _retry_delays() -> list[float]:
    # GoCardless retries a failed delivery up to 8 times, further apart each time.
    return [60.0, 300.0, 900.0, 3600.0, 3 * 3600.0, 6 * 3600.0, 12 * 3600.0, DAY]


@dataclass
class GoCardlessConfig:
    access_token: str = demo_data.GOCARDLESS_ACCESS_TOKEN
    webhook_secret: str = demo_data.GOCARDLESS_WEBHOOK_SECRET
    webhook_url: str | None = None  # the product's POST /webhooks/gocardless
    creditor_id: str = "CR00005DEMO001"
    organisation_id: str = "OR00005DEMO001"
    # Sandbox scenarios (customer given_name) move "almost instantly": one step each this long.
    scenario_step: float = 2.0
    # Everyone else follows the banks' calendar.
    mandate_submission_delay: float = 3600.0
    mandate_activation_delay: float = 2 * DAY
    payment_submission_delay: float = 3600.0
    payment_submit_days_before_charge: int = 2
    payment_paid_out_delay: float = DAY
    refund_paid_delay: float = DAY
    max_payment_retries: int = 3
    flow_ttl: float = 7 * DAY
    idempotency_ttl: float = 30 * DAY
    idempotency_key_max_length: int = 128
    rate_limit_per_minute: int = 1000
    page_limit_default: int = 50
    page_limit_max: int = 500
    # Webhooks: batched (real seconds the sender waits to gather events), signed, retried.
    webhook_auto_deliver: bool = True
    webhook_batch_delay: float = 0.3
    webhook_batch_size: int = 250
    webhook_timeout: float = 10.0
    webhook_retry_delays: list[float] = field(default_factory=_retry_delays)
