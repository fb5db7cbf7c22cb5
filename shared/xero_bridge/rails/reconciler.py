"""The rail reconciler (a schedule): for when a provider's callback never came.

Every money-moving rail's open payments (index by_rail_open) that have not changed for
RAIL_RECONCILE_AFTER_SECONDS are read at their provider and moved as its truth says
(`payments.provider_truth`), settled ones recorded in Xero. Payments waiting for a person
(``pending_approval``) or never handed to the provider are left alone; one handed over whose
answer was lost is read by its reference (for Solaris a pure read by then: the payment's
verification has expired, so Solaris can make no transfer from it). OKX, which calls nobody
back, is polled the same way. At most RAIL_RECONCILE_BATCH payments per rail and run, the
longest-waiting first; the next run takes the rest.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from xero_bridge.observability import logger
from xero_bridge.payments.provider_truth import Outcome, bring_up_to_date
from xero_bridge.persistence import payments as store
from xero_bridge.persistence.payments import PaymentRecord
from xero_bridge.rails import RAILS, moves_money
from xero_bridge.settings import get_settings

ACTOR = "reconciler"
WITH_THE_PROVIDER = ("executing", "awaiting_confirmation", "settled")


def _stale(record: PaymentRecord, before: str) -> bool:
    if record.updated_at > before:
        return False
    if record.status in WITH_THE_PROVIDER:
        return True
    return record.status == "submitted" and bool(record.rail_sent_at)


def due(rail: str, now: datetime | None = None) -> list[PaymentRecord]:
    settings = get_settings()
    now = now or datetime.now(UTC)
    before = (now - timedelta(seconds=settings.rail_reconcile_after_seconds)).isoformat()
    stale = [r for r in store.open_on_rail(rail) if _stale(r, before)]
    stale.sort(key=lambda r: r.updated_at)
    return stale[: settings.rail_reconcile_batch]


def reconcile(now: datetime | None = None) -> dict[str, Outcome]:
    """One run over every money-moving rail; what it did, by rail."""
    done: dict[str, Outcome] = {}
    for rail in (name for name in RAILS if moves_money(name)):
        payments = due(rail, now)
        done[rail] = bring_up_to_date(payments, ACTOR)
        logger.info(
            "rail reconciled",
            extra={
                "rail": rail,
                "due": len(payments),
                "recorded": done[rail].count("recorded"),
                "failed_groups": len(done[rail].failed),
            },
        )
    return done
