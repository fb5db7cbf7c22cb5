"""Submit many payments at once (POST …/payments/batch): a result per item, as few Xero calls
as the batch allows, once per Idempotency-Key.

Item `i` gets the payment id derived from (tenant, key, i), so a repeat of the batch finds each
item's record. For all items together: one read of their records, one look at the books
(invoices 50 per call, accounts once) for new and failed items, one look-up at the rail for
items whose last attempt's outcome is unknown, and one execution on the rail (for Xero one
PUT /Payments?summarizeErrors=false) for everything to send. A malformed item is ``invalid``
(its own 400), an item the books refuse ``failed`` (its own 422); the others are recorded,
or wait for approval above the threshold.
"""

from __future__ import annotations

from typing import Any

from xero_bridge.errors import (
    BadRequestError,
    ConflictError,
    ValidationFailedError,
    XeroBridgeError,
    error_body,
)
from xero_bridge.payments import keys, lifecycle, policy
from xero_bridge.payments.answers import BatchItemOut, BatchOut, ItemErrorOut, PaymentOut
from xero_bridge.payments.execute import apply, execute, refresh, refusal, retry
from xero_bridge.payments.idempotency import Once, run_once
from xero_bridge.payments.models import (
    BatchRequest,
    PaymentRequest,
    fingerprint,
    parse_payment_request,
)
from xero_bridge.payments.payment_records import new_record
from xero_bridge.payments.submit import with_rail_account
from xero_bridge.payments.validation import Books, CheckedPayment
from xero_bridge.payments.xero_gateway import XeroPayments
from xero_bridge.persistence import payments as store
from xero_bridge.persistence.payments import PaymentRecord
from xero_bridge.rails import rail_for
from xero_bridge.rails.base import RailOutcome
from xero_bridge.settings import get_settings


def submit_payments(tenant_id: str, actor: str, key: str, batch: BatchRequest) -> Once[BatchOut]:
    items: list[dict[str, Any]] = list(batch.payments)  # type: ignore[arg-type]  # raw JSON
    limit = get_settings().payments_batch_max
    if len(items) > limit:
        raise BadRequestError(f"a batch holds at most {limit} payments")
    return run_once(
        operation="batch",
        tenant_id=tenant_id,
        key=key,
        actor=actor,
        request={"payments": fingerprint(items)},
        fn=lambda: _Batch(tenant_id, actor, key, len(items)).run(items),
        answer=BatchOut,
    )


def _item_error(error: XeroBridgeError) -> ItemErrorOut:
    return ItemErrorOut(status=error.status, **error_body(error)["error"])


def _item(index: int, record: PaymentRecord) -> BatchItemOut:
    error = _item_error(refusal(record)) if record.status == "failed" else None
    return BatchItemOut(
        index=index, status=record.status, payment=PaymentOut.of(record), error=error
    )


class _Batch:
    """One run of a batch: each item's record, the reads they share, the items to send."""

    def __init__(self, tenant_id: str, actor: str, key: str, count: int) -> None:
        self.tenant_id, self.actor, self.count = tenant_id, actor, count
        self.batch_id = keys.batch_id_for(tenant_id, key)
        self.ids = [keys.payment_id_for(tenant_id, key, index) for index in range(count)]
        self.existing = store.get_many(tenant_id, self.ids)
        self.results: dict[int, BatchItemOut] = {}
        self.to_send: list[tuple[int, PaymentRecord]] = []
        self.xero: XeroPayments | None = None
        self.books: Books | None = None
        self.found: dict[str, RailOutcome] = {}

    def run(self, items: list[dict[str, Any]]) -> BatchOut:
        requests = self._parse(items)
        self._look_up(requests)
        for index, request in requests.items():
            self._place(index, request)
        self._send()
        ordered = [self.results[index] for index in range(self.count)]
        summary: dict[str, int] = {}
        for result in ordered:
            summary[result.status] = summary.get(result.status, 0) + 1
        return BatchOut(batch_id=self.batch_id, results=ordered, summary=summary)

    def _record(self, index: int) -> PaymentRecord | None:
        return self.existing.get(self.ids[index])

    def _parse(self, items: list[dict[str, Any]]) -> dict[int, PaymentRequest]:
        """The valid items' requests (the others answered ``invalid``); 409 when an item is
        not what this key's first batch held there."""
        requests: dict[int, PaymentRequest] = {}
        for index, item in enumerate(items):
            try:
                requests[index] = with_rail_account(self.tenant_id, parse_payment_request(item))
            except BadRequestError as error:
                self.results[index] = BatchItemOut(
                    index=index, status="invalid", error=_item_error(error)
                )
        for index, request in requests.items():
            record = self._record(index)
            if record is not None and record.request_hash != request.fingerprint():
                raise ConflictError("this Idempotency-Key was already used for a different batch")
        return requests

    def _look_up(self, requests: dict[int, PaymentRequest]) -> None:
        """The reads the items share: the books for new and failed items, the rail for items
        whose outcome is unknown (submitted, not by an approval)."""
        need_books: list[PaymentRequest] = []
        unknown: list[PaymentRecord] = []
        for index, request in requests.items():
            record = self._record(index)
            if record is None or record.status == "failed":
                need_books.append(request)
            elif record.status == "submitted" and not record.approved_by:
                unknown.append(record)
        if need_books or unknown:
            self.xero = XeroPayments(self.tenant_id)
        if need_books:
            self.books = Books(self.xero, need_books)
        if unknown:
            assert self.xero is not None
            self.found = refresh(unknown, self.xero)

    def _place(self, index: int, request: PaymentRequest) -> None:
        """One item: answered as it stands, sent (again), refused by the books, or new."""
        payment_id = self.ids[index]
        record = self._record(index)
        if record is not None and record.status == "submitted" and payment_id in self.found:
            record = apply(record, self.found[payment_id], self.actor)
        elif record is not None and record.status == "submitted" and not record.approved_by:
            self.to_send.append((index, retry(record, self.actor)))  # not at the rail: resend
            return
        if record is not None and record.status != "failed":
            self.results[index] = _item(index, record)
            return
        assert self.books is not None
        try:
            checked = self.books.check(request)
        except ValidationFailedError as error:
            self.results[index] = BatchItemOut(
                index=index, status="failed", error=_item_error(error)
            )
            return
        if record is not None:  # failed before: try again
            self.to_send.append((index, retry(record, self.actor)))
        else:
            self._create(index, payment_id, checked)

    def _create(self, index: int, payment_id: str, checked: CheckedPayment) -> None:
        assert self.xero is not None
        request = checked.request
        try:
            checks = rail_for(request.rail, self.xero).check(checked)
        except ValidationFailedError as error:  # e.g. a payee the bank says is not theirs
            self.results[index] = BatchItemOut(
                index=index, status="failed", error=_item_error(error)
            )
            return
        reason = policy.approval_reason(self.tenant_id, request.amount, checks.approval_reason)
        pending = reason is not None
        status = "pending_approval" if pending else "submitted"
        record = new_record(
            self.tenant_id,
            payment_id,
            checked,
            self.actor,
            status,
            batch_id=self.batch_id,
            batch_index=index,
            **checks.fields,
        )
        started = lifecycle.start(
            record, self.actor, batch_id=self.batch_id, approval_reason=reason, **checks.details
        )
        if started is None:
            raise ConflictError("the batch is being processed by another request: retry")
        if pending:
            self.results[index] = _item(index, record)
        else:
            self.to_send.append((index, record))

    def _send(self) -> None:
        if not self.to_send:
            return
        assert self.xero is not None
        sent = execute([record for _, record in self.to_send], self.xero, self.actor)
        for index, record in self.to_send:
            self.results[index] = _item(index, sent[record.payment_id])
