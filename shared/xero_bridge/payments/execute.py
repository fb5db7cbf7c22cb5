"""Execute on a rail: send ``submitted`` payments to their rails (each rail's share in one go)
and turn what the rail says into the lifecycle move it means.

- the rail answers an outcome per payment: ``recorded`` (with Xero's payment), ``failed``
  (with the provider's reasons), or a money-moving rail's ``executing`` … ``settled``;
- the rail refusing the whole request (ValidationFailedError) fails its payments, and the
  error is raised; any other error leaves them ``submitted`` — the outcome is unknown — and
  propagates; the next attempt asks the rail first (`refresh`, `execute_one(look_first=True)`);
- `retry` makes a ``failed`` payment, or a ``submitted`` one whose outcome is unknown, ready to
  send again (one more attempt; a new generation after a refusal, so the provider does not
  replay its refusal);
- a money-moving rail's payments are marked ``rail_sent_at`` before they are handed over (so
  whoever finds one ``submitted`` knows to read it at the provider), and once the provider
  says ``settled`` they are recorded in Xero at once (`advance`, `record_settled`: looked up
  at Xero first, then one PUT for all) — if Xero cannot take it now, the payment stays
  ``settled`` and the reconciler records it later.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from xero_bridge.errors import (
    ConflictError,
    ServiceUnavailableError,
    ValidationFailedError,
    XeroBridgeError,
)
from xero_bridge.observability import logger
from xero_bridge.payments import keys, lifecycle
from xero_bridge.payments.xero_gateway import XeroPayments
from xero_bridge.persistence import payments as store
from xero_bridge.persistence.payments import PaymentRecord, StaleStatusError
from xero_bridge.rails import rail_for, title_of
from xero_bridge.rails.base import Rail, RailOutcome
from xero_bridge.rails.errors import failure_of, refusal_of
from xero_bridge.rails.xero_record import find_in_xero, record_in_xero


def refusal(record: PaymentRecord) -> ValidationFailedError:
    """The error of a ``failed`` payment: its rail's messages as details (a 422), with the
    code of a rail's own refusal (e.g. ``insufficient_funds``) when it has one."""
    return refusal_of(record.failure, f"{title_of(record.rail)} rejected the payment")


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
    if result.status == "submitted":
        raise ServiceUnavailableError(
            f"{title_of(record.rail)} did not answer: retry with the same Idempotency-Key"
            " (its reference makes a retry safe)"
        )
    return result


def apply(record: PaymentRecord, outcome: RailOutcome, actor: str) -> PaymentRecord:
    """The rail's word on one payment, as lifecycle moves; the payment as it now is (as
    someone else left it, when they moved it first)."""
    if outcome.state == "recorded":
        return _record(record, outcome, actor)
    if outcome.state == "failed":
        return _fail(record, outcome.failure or [], actor, outcome)
    names = lifecycle.path(record.status, outcome.state)
    fields = _rail_fields(record, outcome)
    for position, name in enumerate(names):
        last = position == len(names) - 1
        details = {"how": outcome.how, **(outcome.details or {})} if last else {}
        try:
            record = lifecycle.move(record, name, actor, details=details, **fields)
        except StaleStatusError as stale:
            return stale.current or record
    return record


def advance(
    record: PaymentRecord, outcome: RailOutcome, xero: XeroPayments, actor: str
) -> PaymentRecord:
    """`apply`, and a payment the provider says is settled recorded in Xero right away."""
    moved = apply(record, outcome, actor)
    if moved.status == "settled":
        return record_settled([moved], xero, actor).get(moved.payment_id, moved)
    return moved


def record_settled(
    records: Sequence[PaymentRecord], xero: XeroPayments, actor: str
) -> dict[str, PaymentRecord]:
    """Record settled payments (of one tenant) in Xero once: those Xero already holds (an
    answer we never got) are found by their tag first, the rest go in one PUT. A Xero
    failure leaves them settled for the next attempt (a refusal is noted in the audit)."""
    done: dict[str, PaymentRecord] = {}
    try:
        found = find_in_xero(records, xero)
        for record in records:
            if record.payment_id in found:
                done[record.payment_id] = apply(record, found[record.payment_id], actor)
        rest = [r for r in records if r.payment_id not in found]
        outcomes = record_in_xero(rest, xero)
    except ValidationFailedError as exc:
        for record in records:
            if record.payment_id not in done:
                done[record.payment_id] = _xero_refused(record, exc.details, actor)
        return done
    except XeroBridgeError as exc:
        logger.warning("settled payments not yet recorded", extra={"error_code": exc.code})
        return done
    for record, outcome in zip(rest, outcomes, strict=True):
        if outcome.state == "recorded":
            done[record.payment_id] = apply(record, outcome, actor)
        else:
            done[record.payment_id] = _xero_refused(record, outcome.failure or [], actor)
    return done


def _xero_refused(record: PaymentRecord, messages: list[Any], actor: str) -> PaymentRecord:
    """The money moved but Xero would not take its record: noted, kept settled, alerted."""
    logger.error(
        "xero refused the record of a settled payment",
        extra={"tenant_id": record.tenant_id, "payment_id": record.payment_id},
    )
    try:
        return lifecycle.move(
            record, "record_refused", actor, details={"xero": messages}, failure=messages
        )
    except StaleStatusError as stale:
        return stale.current or record


def _by_rail(records: Sequence[PaymentRecord]) -> dict[str, list[PaymentRecord]]:
    groups: dict[str, list[PaymentRecord]] = {}
    for record in records:
        groups.setdefault(record.rail, []).append(record)
    return groups


def _execute_on(rail: Rail, records: list[PaymentRecord], actor: str) -> dict[str, PaymentRecord]:
    if rail.moves_money:  # from here on, whoever finds it submitted reads it at the provider
        records = [_mark_sent(record, actor) for record in records]
    try:
        outcomes = rail.execute(records)
    except ValidationFailedError as exc:
        failure = exc.details or [{"message": exc.message}]
        if type(exc) is not ValidationFailedError:  # a rail's own refusal keeps its code
            failure = failure_of(exc)
        for record in records:
            _fail(record, failure, actor)
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
    xero = getattr(rail, "xero", None)
    results: dict[str, PaymentRecord] = {}
    for record, outcome in zip(records, outcomes, strict=True):
        if xero is not None and rail.moves_money:
            results[record.payment_id] = advance(record, outcome, xero, actor)
        else:
            results[record.payment_id] = apply(record, outcome, actor)
    return results


def _mark_sent(record: PaymentRecord, actor: str) -> PaymentRecord:
    try:
        return lifecycle.move(record, "send", actor, rail_sent_at=store.now_iso())
    except StaleStatusError:
        raise ConflictError("the payment changed meanwhile: retry") from None


def _rail_fields(record: PaymentRecord, outcome: RailOutcome) -> dict[str, Any]:
    """What the provider said, kept on the payment: its status and id, the rail's own state,
    a new payee verification, the day it booked the money — and once it has, the Reference
    Xero will hold gets the provider's id (between the caller's reference and our tag)."""
    fields: dict[str, Any] = {
        "rail_status": outcome.rail_status,
        "rail_reference": outcome.rail_reference,
        "payee_verification": outcome.verification,
        "settled_on": outcome.settled_on,
    }
    if outcome.data:
        fields["rail_data"] = {**(record.rail_data or {}), **outcome.data}
    if outcome.state == "settled" and outcome.rail_reference:
        text = " ".join(p for p in (record.reference, outcome.rail_reference) if p)
        tag = keys.reference_tag(record.tenant_id, record.payment_id)
        fields["xero_reference"] = keys.xero_reference(text, tag)
    return {name: value for name, value in fields.items() if value is not None}


def _record(record: PaymentRecord, outcome: RailOutcome, actor: str) -> PaymentRecord:
    assert outcome.xero is not None
    try:
        return lifecycle.move(
            record,
            "record",
            actor,
            details={"how": outcome.how, "xero_reference": record.xero_reference},
            xero_payment_id=outcome.xero.payment_id,
            xero_status=outcome.xero.status,
            remove=("failure",),
            **_rail_fields(record, outcome),
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
    fields = _rail_fields(record, outcome) if outcome is not None else {}
    try:
        return lifecycle.move(
            record, "fail", actor, details={"failure": failure}, failure=failure, **fields
        )
    except StaleStatusError as stale:
        return stale.current or record
