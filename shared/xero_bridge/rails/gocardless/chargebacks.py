"""A collected payment the customer's bank took back after we recorded it — GoCardless says
``charged_back`` (the customer disputed it) or ``failed`` (a late failure): the receipt is
undone in Xero and the finance team is told.

- Xero's payment is deleted (`payments.reverse.reverse_in_xero`: marked first, the delete
  keyed on the payment, safe to repeat), so the invoice is due again;
- our payment moves ``recorded`` → ``reversed`` (the audit entry says why, with GoCardless's
  cause) and publishes ``payment.reversed`` as every status does;
- and ``payment.charged_back`` goes on the bus for the people who must follow it up (the
  money is gone; the customer must be asked again), with the same ``event_id`` however often
  it is published, so consumers can drop a repeat.
"""

from __future__ import annotations

import hashlib
from typing import Any

from xero_bridge.observability import logger
from xero_bridge.payments import events
from xero_bridge.payments.answers import PaymentOut
from xero_bridge.payments.reverse import reverse_in_xero
from xero_bridge.persistence.payments import PaymentRecord

NEWS = "payment.charged_back"


def take_back(
    record: PaymentRecord, payment: dict[str, Any], cause: dict[str, Any] | None, actor: str
) -> PaymentRecord:
    """`record` (``recorded``) reversed in Xero because GoCardless took `payment` back."""
    status = str(payment.get("status"))
    reason = "charged_back" if status == "charged_back" else "late_failure"
    why = {k: (cause or {}).get(k) for k in ("origin", "cause", "reason_code", "description")}
    details = {"how": reason, "gocardless_payment": payment.get("id"), **why}
    moved = reverse_in_xero(record, actor, details, rail_status=status)
    logger.warning(
        "a collected payment was taken back: reversed in Xero",
        extra={"tenant_id": record.tenant_id, "payment_id": record.payment_id,
               "rail_status": status, "cause": why.get("cause")},
    )  # fmt: skip
    identity = f"{record.tenant_id}\n{record.payment_id}\n{NEWS}"
    detail = {
        **PaymentOut.of(moved).model_dump(mode="json"),
        "tenant_id": record.tenant_id,
        "event_id": hashlib.sha256(identity.encode()).hexdigest()[:32],
        "reason": reason,
        **{k: v for k, v in why.items() if v},
    }
    events.announce(NEWS, detail)
    return moved
