"""Execute on a rail: send ``submitted`` payments to their rails (each rail's share in one go)
and turn what the rail says into the lifecycle move it means.

- the rail answers an outcome per payment: ``recorded`` (with Xero's payment), ``failed``
  (with the provider's reasons), or a money-moving rail's ``executing`` … ``settled``;
- the rail refusing the whole request (ValidationFailedError) fails its payments, and the
  error is raised; any other error leaves them ``submitted`` — the outcome is unknown — and
  propagates; the next attempt asks the rail first (`refresh`, `execute_one(look_first=True)`);
- `retry` makes a ``failed`` payment, or a ``submitted`` one whose outcome is unknown, ready to
  send again (one more attempt; a new generation after a refusal, so the provider does not
  replay its refusal).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from xero_bridge.errors import ConflictError, ValidationFailedError, XeroBridgeError
from xero_bridge.observability import logger
from xero_bridge.payments import lifecycle
from xero_bridge.payments.xero_gateway import XeroPayments
from xero_bridge.persistence.payments import PaymentRecord, StaleStatusError
from xero_bridge.rails import rail_for, title_of
from xero_bridge.rails.base import Rail, RailOutcome


def refusal(record: PaymentRecord) -> ValidationFailedError:
    """The error of a ``failed`` payment: its rail's messages as details (a 422)."""
    return ValidationFailedError(
        f"{title_of(record.rail)} rejected the payment", record.failure or []
    )


def retry(record: PaymentRecord, actor: str) -> PaymentRecord:
    """`record` (``failed``, or ``submitted`` with an unknown outcome) ready to send again."""
    try:
        return lifecycle.move(
            record,
            "retry",
            actor,
            expected_attempts=record.attempts,
            attempts=record.attempts + 1,
            generation=record.generation + (1 if record.status == "failed" else 0),
            remove=("failure",),
        )
    except StaleStatusError:
        raise ConflictError("the payment changed meanwhile: retry") from None


def execute(
    records: Sequence[PaymentRecord], xero: XeroPayments, actor: str
) -> dict[str, PaymentRecord]:
    """Send `records` (all ``submitted``) to their rails; their new records by payment id."""
    results: dict[str, PaymentRecord] = {}
    for name, group in _by_rail(records).items():
        results.update(_execute_on(rail_for(name, xero), group, actor))
    return results


def refresh(records: Sequence[PaymentRecord], xero: XeroPayments) -> dict[str, RailOutcome]:
    """What the rails know of `records` (outcomes unknown to us), by payment id."""
    found: dict[str, RailOutcome] = {}
    for name, group in _by_rail(records).items():
        found.update(rail_for(name, xero).refresh(group))
    return found


def execute_one(
    record: PaymentRecord, xero: XeroPayments, actor: str, *, look_first: bool = False
) -> PaymentRecord:
    """Execute one ``submitted`` payment exactly once; ValidationFailedError when refused.

    `look_first`: an earlier attempt's outcome is unknown, so ask the rail before sending.
    """
    if look_first:
        found = refresh([record], xero)
        if record.payment_id in found:
            return apply(record, found[record.payment_id], actor)
    result = execute([record], xero, actor)[record.payment_id]
    if result.status == "failed":
        raise refusal(result)
    return result


def apply(record: PaymentRecord, outcome: RailOutcome, actor: str) -> PaymentRecord:
    """The rail's word on one payment, as a lifecycle move; the payment as it now is."""
    if outcome.state == "recorded":
        return _record(record, outcome, actor)
    if outcome.state == "failed":
        return _fail(record, outcome.failure or [], actor, outcome)
    name = lifecycle.between(record.status, outcome.state)
    return lifecycle.move(record, name, actor, **_rail_fields(outcome))


def _by_rail(records: Sequence[PaymentRecord]) -> dict[str, list[PaymentRecord]]:
    groups: dict[str, list[PaymentRecord]] = {}
    for record in records:
        groups.setdefault(record.rail, []).append(record)
    return groups


def _execute_on(rail: Rail, records: list[PaymentRecord], actor: str) -> dict[str, PaymentRecord]:
    try:
        outcomes = rail.execute(records)
    except ValidationFailedError as exc:
        for record in records:
            _fail(record, exc.details or [{"message": exc.message}], actor)
        raise
    except XeroBridgeError as exc:
        logger.warning(
            "payment outcome unknown; the records stay submitted",
            extra={
                "rail": rail.name,
                "tenant_id": records[0].tenant_id,
                "payments": len(records),
                "error_code": exc.code,
            },
        )
        raise
    return {
        record.payment_id: apply(record, outcome, actor)
        for record, outcome in zip(records, outcomes, strict=True)
    }


def _rail_fields(outcome: RailOutcome) -> dict[str, Any]:
    """The provider's status and id, where the rail has them (Xero has neither)."""
    fields = {"rail_status": outcome.rail_status, "rail_reference": outcome.rail_reference}
    return {name: value for name, value in fields.items() if value is not None}


def _record(record: PaymentRecord, outcome: RailOutcome, actor: str) -> PaymentRecord:
    assert outcome.xero is not None
    try:
        return lifecycle.move(
            record,
            "record",
            actor,
            details={"how": outcome.how},
            xero_payment_id=outcome.xero.payment_id,
            xero_status=outcome.xero.status,
            remove=("failure",),
            **_rail_fields(outcome),
        )
    except StaleStatusError as stale:
        if stale.current is not None and stale.current.status == "recorded":
            return stale.current  # someone else recorded it first
        raise ConflictError("the payment changed while it was being recorded") from None


def _fail(
    record: PaymentRecord,
    failure: list[Any],
    actor: str,
    outcome: RailOutcome | None = None,
) -> PaymentRecord:
    fields = _rail_fields(outcome) if outcome is not None else {}
    try:
        return lifecycle.move(
            record, "fail", actor, details={"failure": failure}, failure=failure, **fields
        )
    except StaleStatusError as stale:
        return stale.current or record
