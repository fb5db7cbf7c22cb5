"""Bring money-moving payments up to date with their provider: the one step the rail
callbacks' worker and the reconciler share.

For the payments given (each still open), grouped by tenant and rail: the provider's truth
(`Rail.refresh`: one read per payment, never a callback's word), the lifecycle moves it means
(`execute.apply`), and every payment that is now ``settled`` — or was already, its Xero
record not yet made — recorded in Xero in one go per tenant (`execute.record_settled`). A
group whose provider or Xero fails raises; the others are done. Moving is conditional on the
status, so two workers (a webhook and the reconciler, a replayed webhook) change a payment
once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from xero_bridge.errors import XeroBridgeError
from xero_bridge.observability import logger
from xero_bridge.payments.execute import apply, record_settled
from xero_bridge.payments.xero_gateway import XeroPayments
from xero_bridge.persistence import payments as store
from xero_bridge.persistence.payments import PaymentRecord
from xero_bridge.rails import rail_for

Group = tuple[str, str]  # (tenant, rail)


@dataclass
class Outcome:
    payments: dict[str, PaymentRecord] = field(default_factory=dict)  # by payment id
    failed: dict[Group, str] = field(default_factory=dict)  # the groups that raised: why

    def count(self, status: str) -> int:
        return sum(1 for p in self.payments.values() if p.status == status)


def current(records: Iterable[PaymentRecord]) -> list[PaymentRecord]:
    """The records as stored now (an index is eventually consistent), the open ones only."""
    fresh = []
    for record in records:
        now = store.get(record.tenant_id, record.payment_id)
        if now is not None and now.rail_open:
            fresh.append(now)
    return fresh


def bring_up_to_date(records: Sequence[PaymentRecord], actor: str) -> Outcome:
    outcome = Outcome()
    groups: dict[Group, list[PaymentRecord]] = {}
    for record in {r.payment_id: r for r in records}.values():
        groups.setdefault((record.tenant_id, record.rail), []).append(record)
    for (tenant_id, rail_name), group in groups.items():
        try:
            outcome.payments.update(_one_group(tenant_id, rail_name, group, actor))
        except XeroBridgeError as exc:
            logger.warning(
                "payments not brought up to date",
                extra={"tenant_id": tenant_id, "rail": rail_name, "error_code": exc.code},
            )
            outcome.failed[(tenant_id, rail_name)] = exc.code
    return outcome


def _one_group(
    tenant_id: str, rail_name: str, records: list[PaymentRecord], actor: str
) -> dict[str, PaymentRecord]:
    xero = XeroPayments(tenant_id)
    rail = rail_for(rail_name, xero)
    to_read = [r for r in records if r.status != "settled"]  # settled: the money moved
    found = rail.refresh(to_read) if to_read else {}
    moved = {r.payment_id: r for r in records}
    for record in to_read:
        if record.payment_id in found:
            moved[record.payment_id] = apply(record, found[record.payment_id], actor)
    settled = [r for r in moved.values() if r.status == "settled"]
    if settled:
        moved.update(record_settled(settled, xero, actor))
    return moved
