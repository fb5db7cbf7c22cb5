"""Payment records and the audit trail against moto."""

from __future__ import annotations

from decimal import Decimal

import pytest
from botocore.exceptions import ClientError

from xero_bridge.persistence import audit
from xero_bridge.persistence import payments as store


def record(n: int, status: str = "recorded", tenant: str = "t1", date: str = "2024-05-01"):
    return store.new_record(
        tenant_id=tenant,
        payment_id=f"p{n:03d}",
        status=status,
        amount=Decimal("10.05"),
        date=date,
        request_hash="h",
        submitted_by="alice",
        created_at=f"2024-05-01T00:00:{n:02d}.000+00:00",
    )


def test_create_is_once_and_amounts_stay_decimal(aws):
    assert store.create(record(1)) is not None
    assert store.create(record(1)) is None
    loaded = store.get("t1", "p001")
    assert loaded.amount == Decimal("10.05") and isinstance(loaded.amount, Decimal)


def test_transitions_are_conditional(aws):
    store.create(record(1, status="pending_approval"))
    moved = store.transition("t1", "p001", "pending_approval", "rejected", rejected_by="bob")
    assert moved.status == "rejected" and moved.rejected_by == "bob"
    with pytest.raises(store.StaleStatusError) as stale:
        store.transition("t1", "p001", "pending_approval", "submitted")
    assert stale.value.current.status == "rejected"


def test_listing_is_newest_first_with_cursors_and_filters(aws):
    for n in range(7):
        store.create(
            record(n, status="recorded" if n % 2 else "reversed", date=f"2024-05-0{n + 1}")
        )
    store.create(record(50, tenant="t2"))
    seen, cursor = [], None
    while True:
        page, cursor = store.list_newest_first("t1", page_size=3, cursor=cursor)
        seen += [r.payment_id for r in page]
        if not cursor:
            break
    assert seen == [f"p{n:03d}" for n in range(6, -1, -1)]
    reversed_, _ = store.list_newest_first("t1", page_size=10, statuses=["reversed"])
    assert [r.payment_id for r in reversed_] == ["p006", "p004", "p002", "p000"]
    from datetime import date

    window, _ = store.list_newest_first(
        "t1", page_size=10, date_from=date(2024, 5, 3), date_to=date(2024, 5, 4)
    )
    assert [r.payment_id for r in window] == ["p003", "p002"]
    page, cursor = store.list_newest_first("t1", page_size=2, statuses=["recorded"])
    with pytest.raises(Exception):
        store.list_newest_first("t2", page_size=2, cursor=cursor)  # another tenant's cursor


def test_audit_is_append_only(aws):
    first = audit.append(
        tenant_id="t1", action="submitted", actor="alice", payment_id="p1", amount=Decimal("1.00")
    )
    audit.append(
        tenant_id="t1", action="recorded", actor="alice", payment_id="p1", xero_payment_id="x1"
    )
    entries = audit.entries_for_payment("t1", "p1")
    assert [e.action for e in entries] == ["submitted", "recorded"]
    assert entries[0].amount == Decimal("1.00")
    table = audit._table()
    with pytest.raises(ClientError):
        table.put_item(
            Item={"subject": first.subject, "entry_id": first.entry_id, "action": "edited"},
            ConditionExpression="attribute_not_exists(subject) AND attribute_not_exists(entry_id)",
        )
    assert not hasattr(audit, "delete") and not hasattr(audit, "update")
