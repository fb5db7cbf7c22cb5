"""Simulator settings; the instance on ``SaferpaySimulator.config`` is read on every request.

Defaults are the demo merchant every part of the local stack agrees on (devstack/demo_data.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from devstack.demo_data import (
    SAFERPAY_API_PASSWORD,
    SAFERPAY_API_USER,
    SAFERPAY_CUSTOMER_ID,
    SAFERPAY_TERMINAL_ID,
)

CURRENT_SPEC_VERSION = "1.53"
# The SpecVersion values JSON API 1.53 lists as possible; anything else fails validation.
SPEC_VERSIONS: tuple[str, ...] = tuple(f"1.{minor}" for minor in range(54))

# ISO 4217 codes the demo terminal has contracts for, with their minor-unit exponent.
CURRENCY_EXPONENTS: dict[str, int] = {
    "EUR": 2,
    "CHF": 2,
    "USD": 2,
    "GBP": 2,
    "DKK": 2,
    "NOK": 2,
    "SEK": 2,
    "PLN": 2,
    "CZK": 2,
    "HUF": 2,
    "CAD": 2,
    "AUD": 2,
    "JPY": 0,
}


def _default_currencies() -> dict[str, int]:
    return dict(CURRENCY_EXPONENTS)


@dataclass
class SaferpayConfig:
    """Times named *_seconds are on the simulator clock; *_real_seconds are wall-clock."""

    customer_id: str = SAFERPAY_CUSTOMER_ID
    terminal_ids: tuple[str, ...] = (SAFERPAY_TERMINAL_ID,)
    api_user: str = SAFERPAY_API_USER
    api_password: str = SAFERPAY_API_PASSWORD
    spec_versions: tuple[str, ...] = SPEC_VERSIONS
    currencies: dict[str, int] = field(default_factory=_default_currencies)
    # "A normal [Payment Page] session does not take longer than 20 minutes": the RedirectUrl's
    # Expiration. Assert works up to 24 hours after Initialize.
    page_ttl_seconds: int = 20 * 60
    assert_ttl_seconds: int = 24 * 3600
    # How long a RequestId's successful answer is remembered for retries.
    retry_memory_seconds: int = 24 * 3600
    # Saferpay calls a notify URL up to three times in all, until it answers 200 (10 s timeout).
    notify_attempts: int = 3
    notify_timeout_real_seconds: float = 10.0
    notify_retry_delay_real_seconds: float = 5.0
