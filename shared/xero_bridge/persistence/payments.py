"""Our payment records (the Payments table): what makes a payment happen once.

Key (``tenant_id``, ``payment_id``). ``payment_id`` is derived from the tenant and the
caller's Idempotency-Key, so a retry — even days later, long after Xero has forgotten its own
idempotency key — finds the record of the first attempt. The ``by_tenant_created`` index
(``tenant_id``, ``created_key`` = ``<created_at ISO>#<payment_id>``) lists a tenant's payments
newest first.

Each status change is a conditional write on the expected status (`transition`); which
changes exist is `xero_bridge.payments.lifecycle`'s table, the one caller of `transition`.
``submitted`` means "sent, or about to be sent, to its rail; outcome not yet known": whoever
finds a record in that state asks the rail (for Xero: looks the payment up) before sending it
again.

Amounts are Decimal (DynamoDB numbers); never floats.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from boto3.dynamodb.conditions import Attr, Key
from pydantic import BaseModel, ConfigDict, Field

from xero_bridge.persistence.cursors import decode_cursor, encode_cursor
from xero_bridge.persistence.dynamodb import (
    batch_get,
    compact,
    conditional_write,
    get_item,
    query_all,
    query_page,
    query_pages,
    table,
    update_arguments,
)
from xero_bridge.settings import get_settings

BY_TENANT_CREATED_INDEX = "by_tenant_created"
BY_RAIL_OPEN_INDEX = "by_rail_open"


class PaymentRecord(BaseModel):
    model_config = ConfigDict(extra="ignore")

    tenant_id: str = Field(min_length=1)
    payment_id: str = Field(min_length=1)
    status: str
    kind: str | None = None  # receive (ACCREC) | pay (ACCPAY)
    invoice_id: str | None = None
    invoice_number: str | None = None
    invoice_type: str | None = None
    account_id: str | None = None
    account_code: str | None = None
    amount: Decimal
    currency_code: str | None = None
    currency_rate: Decimal | None = None
    date: str  # ISO 8601 date
    reference: str | None = None  # the caller's
    rail: str = "xero"  # where the payment is executed (xero_bridge.rails)
    rail_status: str | None = None  # the provider's own status (None for the xero rail)
    rail_reference: str | None = None  # the provider's id (None for the xero rail)
    # A money-moving rail's payments: our reference at the provider (derived from the payment,
    # known before anything is sent), the rail's name while the payment is not final (the
    # sparse by_rail_open index: callbacks and the reconciler find open payments by it), and
    # the rail's own state (e.g. Solaris's change request).
    rail_key: str | None = None
    rail_open: str | None = None
    rail_data: dict[str, Any] | None = None
    rail_sent_at: str | None = None  # when it was last handed to the provider
    payee: dict[str, Any] | None = None  # {name, iban, bic, source, contact_id}
    payee_verification: dict[str, Any] | None = None  # Verification of Payee, as last made
    accepted_payee_name: str | None = None  # a CLOSE_MATCH's suggested name, as accepted
    settled_on: str | None = None  # the day the provider booked the money
    xero_reference: str | None = None  # what Xero holds: reference + " xb:<tag>"
    xero_payment_id: str | None = None
    # until when one worker is recording this settled payment in Xero (`claim_xero_record`)
    xero_claimed_until: str | None = None
    xero_status: str | None = None
    request_hash: str
    batch_id: str | None = None
    batch_index: int | None = None
    submitted_by: str
    submitted_at: str
    approved_by: str | None = None
    approved_at: str | None = None
    rejected_by: str | None = None
    rejected_at: str | None = None
    reverse_requested_by: str | None = None
    reversed_by: str | None = None
    reversed_at: str | None = None
    failure: list[dict[str, Any]] | None = None
    attempts: int = 1  # sends (and resends) so far
    generation: int = 1  # bumped by a retry after a definitive refusal (a new Xero key)
    created_at: str
    created_key: str
    updated_at: str


class StaleStatusError(Exception):
    """The record was not in the expected status (someone else moved it first)."""

    def __init__(self, current: PaymentRecord | None) -> None:
        super().__init__("payment status changed")
        self.current = current


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _table() -> Any:
    return table(get_settings().required("payments_table"))


def _record(item: dict[str, Any]) -> PaymentRecord:
    return PaymentRecord.model_validate(item)


def new_record(**fields: Any) -> PaymentRecord:
    stamp = now_iso()
    fields.setdefault("created_at", stamp)
    fields.setdefault("updated_at", stamp)
    fields.setdefault("submitted_at", stamp)
    fields["created_key"] = f"{fields['created_at']}#{fields['payment_id']}"
    return PaymentRecord(**fields)


def create(record: PaymentRecord) -> PaymentRecord | None:
    """Store a new record; None when one already exists under its key (nothing written)."""
    outcome = conditional_write(
        _table().put_item,
        Item=compact(record.model_dump(mode="python")),
        ConditionExpression="attribute_not_exists(payment_id)",
    )
    return record if outcome.written else None


def create_many(records: Iterable[PaymentRecord]) -> list[bool]:
    """`create` for each record (True where written); conditional, so one write each."""
    return [create(record) is not None for record in records]


def get(tenant_id: str, payment_id: str) -> PaymentRecord | None:
    if not tenant_id or not payment_id:
        return None
    item = get_item(_table(), {"tenant_id": tenant_id, "payment_id": payment_id})
    return _record(item) if item else None


def get_many(tenant_id: str, payment_ids: list[str]) -> dict[str, PaymentRecord]:
    """Records by id (BatchGetItem, consistent), missing ones left out."""
    keys = [{"tenant_id": tenant_id, "payment_id": pid} for pid in dict.fromkeys(payment_ids)]
    records = map(_record, batch_get(_table(), keys, ConsistentRead=True))
    return {record.payment_id: record for record in records}


def transition(
    tenant_id: str,
    payment_id: str,
    expected: str | tuple[str, ...],
    new_status: str,
    *,
    expected_attempts: int | None = None,
    remove: tuple[str, ...] = (),
    **fields: Any,
) -> PaymentRecord:
    """Move a record from an expected status to `new_status`, setting `fields`, atomically.

    With `expected_attempts`, the record must also still count that many attempts (so two
    retries of one attempt cannot both go ahead). Raises StaleStatusError (with the current
    record) when it is not as expected.
    """
    allowed = (expected,) if isinstance(expected, str) else expected
    check = Attr("status").is_in(list(allowed)) & Attr("payment_id").exists()
    if expected_attempts is not None:
        check = check & Attr("attempts").eq(expected_attempts)
    change = {"set": {"status": new_status, "updated_at": now_iso(), **fields}, "remove": remove}
    updated = _update_if(tenant_id, payment_id, check, **change)
    if updated is None:
        raise StaleStatusError(get(tenant_id, payment_id))
    return updated


def claim_xero_record(record: PaymentRecord, until: str) -> PaymentRecord | None:
    """Claim the settled `record` for recording in Xero until `until` (ISO, UTC): the
    claimed record, or None when it is no longer settled or another worker's claim has not
    lapsed. So two workers never look at Xero and send the same payment at once (their
    batches differ, so Xero's idempotency key could not tell them apart)."""
    claim = Attr("xero_claimed_until")
    check = Attr("status").eq("settled") & (claim.not_exists() | claim.lt(now_iso()))
    return _update_if(record.tenant_id, record.payment_id, check, set={"xero_claimed_until": until})


def release_xero_claim(record: PaymentRecord) -> None:
    """Give back our claim on `record` (a no-op when it is no longer ours)."""
    check = Attr("xero_claimed_until").eq(record.xero_claimed_until)
    _update_if(record.tenant_id, record.payment_id, check, remove=("xero_claimed_until",))


def _update_if(tenant_id: str, payment_id: str, check: Any, **change: Any) -> PaymentRecord | None:
    """Apply `change` (`update_arguments`' set/remove) if `check` holds: the record as it
    now is, or None. boto3 merges the names and values of its condition builder (#n…/:v…)
    with ours."""
    outcome = conditional_write(
        _table().update_item,
        Key={"tenant_id": tenant_id, "payment_id": payment_id},
        ConditionExpression=check,
        ReturnValues="ALL_NEW",
        **update_arguments(**change),
    )
    return _record(outcome.attributes or {}) if outcome.written else None


# ---------------------------------------------------------------------------- listing
_CURSOR_KEY = {"tenant_id", "payment_id", "created_key"}


def _encode_cursor(tenant_id: str, key: dict[str, Any]) -> str:
    return encode_cursor({"t": tenant_id, "k": key})


def _decode_cursor(tenant_id: str, cursor: str) -> dict[str, Any]:
    def valid(data: Any) -> bool:
        key = data["k"]
        return (
            data.get("t") == tenant_id
            and isinstance(key, dict)
            and key.get("tenant_id") == tenant_id
            and set(key) == _CURSOR_KEY
            and all(isinstance(v, str) for v in key.values())
        )

    return dict(decode_cursor(cursor, valid)["k"])


def list_newest_first(
    tenant_id: str,
    *,
    page_size: int,
    cursor: str | None = None,
    statuses: Iterable[str] | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> tuple[list[PaymentRecord], str | None]:
    """One page of a tenant's records, newest first, and the cursor of the next page."""
    key_condition = Key("tenant_id").eq(tenant_id)
    filters: Any = None
    wanted = list(statuses or [])
    if wanted:
        filters = Attr("status").is_in(wanted)
    if date_from is not None:
        cond: Any = Attr("date").gte(date_from.isoformat())
        filters = cond if filters is None else filters & cond
    if date_to is not None:
        cond = Attr("date").lte(date_to.isoformat())
        filters = cond if filters is None else filters & cond
    arguments: dict[str, Any] = {
        "IndexName": BY_TENANT_CREATED_INDEX,
        "KeyConditionExpression": key_condition,
        "ScanIndexForward": False,
    }
    if filters is not None:
        arguments["FilterExpression"] = filters
    arguments["Limit"] = page_size + 1 if filters is None else max(page_size, 25)
    start = _decode_cursor(tenant_id, cursor) if cursor else None
    records: list[PaymentRecord] = []
    while True:
        page = query_page(_table(), start, **arguments)
        items, start = page.items, page.next_start
        for position, item in enumerate(items):
            if len(records) == page_size:
                # One more matching record exists: the next page starts after our last one.
                return records, _cursor_of(tenant_id, records[-1])
            records.append(_record(item))
            if len(records) == page_size and position + 1 == len(items):
                more = start is not None and _peek_more(arguments, start)
                return records, _cursor_of(tenant_id, records[-1]) if more else None
        if not start:
            return records, None


def _cursor_of(tenant_id: str, record: PaymentRecord) -> str:
    return _encode_cursor(
        tenant_id,
        {
            "tenant_id": record.tenant_id,
            "payment_id": record.payment_id,
            "created_key": record.created_key,
        },
    )


def _peek_more(arguments: dict[str, Any], start: dict[str, Any]) -> bool:
    """Whether anything (matching the filters) follows `start`."""
    probe = {**arguments, "Limit": 50}
    return any(page.items for page in query_pages(_table(), start, **probe))


# ---------------------------------------------------------------------------- open rail payments
def open_on_rail(rail: str, rail_key: str | None = None) -> list[PaymentRecord]:
    """The payments not yet final on a money-moving rail (index by_rail_open: eventually
    consistent, so callers read a record again, or move it conditionally, before acting);
    with `rail_key`, only the one with that reference at the provider."""
    condition: Any = Key("rail_open").eq(rail)
    if rail_key is not None:
        condition = condition & Key("rail_key").eq(rail_key)
    items = query_all(_table(), IndexName=BY_RAIL_OPEN_INDEX, KeyConditionExpression=condition)
    return [_record(item) for item in items]
