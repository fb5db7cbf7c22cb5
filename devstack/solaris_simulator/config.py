"""Simulator settings; the instance on ``SolarisSimulator.config`` is read on every request."""

from __future__ import annotations

from dataclasses import dataclass

from devstack.demo_data import (
    SOLARIS_ACCOUNT_IBAN,
    SOLARIS_ACCOUNT_ID,
    SOLARIS_CLIENT_ID,
    SOLARIS_CLIENT_SECRET,
    SOLARIS_DECLINE_REASON,
    SOLARIS_OPENING_BALANCE_CENTS,
    SOLARIS_PAYEES,
    SOLARIS_PERSON_ID,
    SOLARIS_STATIC_TAN,
    SOLARIS_WEBHOOK_SECRET,
    SepaPayee,
)


@dataclass
class SolarisConfig:
    """Times are seconds on the simulator clock unless named otherwise."""

    # The product's `POST /webhooks/solaris`; None: notifications wait until one is set.
    webhook_url: str | None = None
    webhook_secret: str = SOLARIS_WEBHOOK_SECRET
    client_id: str = SOLARIS_CLIENT_ID
    client_secret: str = SOLARIS_CLIENT_SECRET
    person_id: str = SOLARIS_PERSON_ID
    account_id: str = SOLARIS_ACCOUNT_ID
    account_iban: str = SOLARIS_ACCOUNT_IBAN
    account_bic: str = "SOBKDEBBXXX"  # Solaris's own BIC
    account_holder: str = "Xero Bridge Demo GmbH"
    opening_balance_cents: int = SOLARIS_OPENING_BALANCE_CENTS
    static_tan: str = SOLARIS_STATIC_TAN
    payees: tuple[SepaPayee, ...] = SOLARIS_PAYEES
    decline_reason: str = SOLARIS_DECLINE_REASON
    token_ttl: int = 3600  # an access token lives one hour
    verification_ttl: int = 300  # a Verification of Payee is valid five minutes
    tan_ttl: int = 300  # a change request's TAN cycle lasts five minutes
    max_tan_attempts: int = 3  # wrong TANs before the change request fails
    execution_delay: float = 60.0  # accepted -> executed (or declined)
    webhook_timeout: float = 5.0  # real seconds to wait for the receiver
    # Solaris retries with exponential backoff (rate 1.561, 25 attempts, about five days).
    webhook_backoff: float = 10.0
    webhook_backoff_factor: float = 1.561
    webhook_max_attempts: int = 25
    tick_interval: float = 0.2  # real seconds between background settle/deliver passes
