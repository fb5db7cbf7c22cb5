"""Approval policy: which payments need a second person, and who may be that person.

- A payment whose amount is *above* the tenant's threshold waits (``pending_approval``); at or
  below it, it is recorded in Xero straight away.
- The threshold is PAYMENT_APPROVAL_THRESHOLD (default 10000.00), overridden per tenant by
  PAYMENT_APPROVAL_THRESHOLDS (``"<tenant id>=<amount>,…"``).
- Four eyes: the approver must not be the submitter (compared on the Okta ``sub``).

Which status a payment may move to from which is `lifecycle.TRANSITIONS`.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from xero_bridge.errors import ConfigurationError, ForbiddenError
from xero_bridge.settings import Settings, get_settings


def tenant_thresholds(settings: Settings | None = None) -> dict[str, Decimal]:
    settings = settings or get_settings()
    result: dict[str, Decimal] = {}
    for part in settings.payment_approval_thresholds.split(","):
        part = part.strip()
        if not part:
            continue
        tenant, sep, amount = part.partition("=")
        try:
            value = Decimal(amount.strip())
        except InvalidOperation:
            value = Decimal(0)
        if not sep or not tenant.strip() or not value.is_finite() or value <= 0:
            raise ConfigurationError(
                "PAYMENT_APPROVAL_THRESHOLDS must be '<tenant id>=<positive amount>,…'"
            )
        result[tenant.strip()] = value
    return result


def approval_threshold(tenant_id: str, settings: Settings | None = None) -> Decimal:
    settings = settings or get_settings()
    return tenant_thresholds(settings).get(tenant_id, settings.payment_approval_threshold)


def needs_approval(tenant_id: str, amount: Decimal, settings: Settings | None = None) -> bool:
    return amount > approval_threshold(tenant_id, settings)


def check_four_eyes(submitted_by: str, approver: str) -> None:
    if not approver or approver == submitted_by:
        raise ForbiddenError("a payment must be approved by someone other than its submitter")


def approval_reason(tenant_id: str, amount: Decimal, rail_reason: str | None = None) -> str | None:
    """Why a payment waits for a second person (None: it does not): its amount above the
    tenant's threshold, or its rail's reason (e.g. a payee the bank could not verify)."""
    if needs_approval(tenant_id, amount):
        return f"above the approval threshold of {approval_threshold(tenant_id):.2f}"
    return rail_reason


def check_confirmer(submitted_by: str, approved_by: str | None, confirmer: str) -> None:
    """The second factor of a payment that needed a second person (above the threshold, or
    an unverified payee) is not given by the person who submitted it."""
    if approved_by and confirmer == submitted_by:
        raise ForbiddenError(
            "a payment that needed approval must be confirmed by someone other than its submitter"
        )
