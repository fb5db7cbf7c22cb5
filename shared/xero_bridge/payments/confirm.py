"""Confirm a payment waiting for its second factor (POST …/payments/{id}/confirm {tan}).

- Only a payment ``awaiting_confirmation`` is confirmed; one already past it (``executing``,
  ``settled``, ``recorded``) answers as it is — confirming twice is harmless, because the
  provider answers a confirmed change request's result again. No Idempotency-Key is needed
  (the change request is the key), and the TAN is never stored or logged.
- Four eyes: a payment that needed a second person (above the threshold, or a payee the bank
  could not verify) is not confirmed by its submitter (403).
- A wrong TAN is a 422 ``invalid_tan`` and the payment waits (the refusal is in the audit
  trail); an expired change request is authorised again — a new TAN goes out — and the answer
  is 422 ``tan_expired``: confirm again with the new TAN. Too many wrong TANs and the provider
  cancels the change request: the payment fails, nothing was sent.
- A right TAN makes the transfer: the payment is ``executing`` (or, if the provider has
  booked it already, ``settled`` and then ``recorded`` in Xero).
"""

from __future__ import annotations

import contextlib
from typing import Any

from xero_bridge.payments import lifecycle, policy
from xero_bridge.payments.answers import PaymentResult
from xero_bridge.payments.execute import advance, refusal
from xero_bridge.payments.payment_records import require
from xero_bridge.payments.xero_gateway import XeroPayments
from xero_bridge.persistence.payments import StaleStatusError
from xero_bridge.rails import rail_for
from xero_bridge.rails.errors import refusal_of

PAST_CONFIRMATION = ("executing", "settled", "recorded")


def confirm_payment(tenant_id: str, actor: str, payment_id: str, tan: str) -> PaymentResult:
    record = require(tenant_id, payment_id)
    if record.status in PAST_CONFIRMATION:
        return PaymentResult.as_found(record)
    lifecycle.check("confirm", record.status)
    policy.check_confirmer(record.submitted_by, record.approved_by, actor)
    xero = XeroPayments(tenant_id)
    outcome = rail_for(record.rail, xero).confirm(record, tan)
    if outcome.state == "awaiting_confirmation" and outcome.failure:
        fields: dict[str, Any] = {"rail_data": {**(record.rail_data or {}), **(outcome.data or {})}}
        if outcome.rail_status:
            fields["rail_status"] = outcome.rail_status
        # Confirmed meanwhile by someone else: the refusal still stands for this TAN.
        with contextlib.suppress(StaleStatusError):
            lifecycle.move(record, outcome.how or "tan_refused", actor, **fields)
        raise refusal_of(outcome.failure, "the TAN was refused")
    result = advance(record, outcome, xero, actor)
    if result.status == "failed":
        raise refusal(result)
    return PaymentResult.as_found(result)
