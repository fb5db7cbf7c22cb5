"""The worker's logic against moto's tables and in-memory Xero, EventBridge and queue."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.fixtures.virtual_time import ManualClock
from tests.integration.webhooks.fakes import (
    TENANT_A,
    TENANT_B,
    TENANT_GONE,
    Crash,
    FakeBus,
    FakeQueue,
    FakeXero,
    event,
    guid,
    message,
)
from xero_bridge.persistence import snapshots, webhook_events
from xero_bridge.settings import get_settings
from xero_bridge.webhooks.models import WebhookEvent
from xero_bridge.webhooks.worker import WebhookWorker

T0 = 1_750_000_000_000  # an UpdatedDateUTC, epoch ms


@pytest.fixture
def world(aws: dict[str, Any]):
    xero, bus, queue, clock = FakeXero(), FakeBus(), FakeQueue(), ManualClock(1_800_000_000.0)

    def worker() -> WebhookWorker:
        return WebhookWorker(xero, bus, queue, clock=clock, settings=get_settings())

    return xero, bus, queue, clock, worker


def identity(raw: dict[str, Any]) -> str:
    return WebhookEvent.model_validate(raw).identity


def test_100_invoice_events_cost_two_calls_and_each_is_stored_and_published_once(world):
    xero, bus, _queue, _clock, worker = world
    raws = []
    for n in range(100):
        xero.put(TENANT_A, "INVOICE", guid(n), T0 + n, Total=Decimal("10.10"))
        raws.append(event(TENANT_A, guid(n)))
    # Spread over 10 messages, as Xero's deliveries would be.
    messages = [message(*raws[i : i + 10]) for i in range(0, 100, 10)]
    result = worker().process(messages)
    assert result.failed == set()
    assert len(xero.calls) == 2
    assert [len(ids) for _, _, ids in xero.calls] == [50, 50]
    assert len(snapshots.list_snapshots(TENANT_A)) == 100
    assert len(bus.published) == 100
    assert {e.detail_type for e in bus.published} == {"xero.invoice.updated"}
    assert all(webhook_events.get_event(identity(r))["status"] == "done" for r in raws)


def test_redelivered_events_are_skipped_without_calls_stores_or_publications(world):
    xero, bus, _queue, _clock, worker = world
    xero.put(TENANT_A, "INVOICE", guid(1), T0)
    raw = event(TENANT_A, guid(1))
    worker().process([message(raw), message(raw)])  # a duplicate inside one batch too
    assert (len(xero.calls), len(bus.published)) == (1, 1)
    result = worker().process([message(raw)])  # Xero redelivers later
    assert result.failed == set()
    assert result.counts["events_already_done"] == 1
    assert (len(xero.calls), len(bus.published)) == (1, 1)


def test_events_for_an_unconnected_tenant_are_recorded_as_dropped_without_error(world):
    xero, bus, _queue, _clock, worker = world
    raw = event(TENANT_GONE, guid(5))
    result = worker().process([message(raw)])
    assert result.failed == set()
    assert xero.calls == [] and bus.published == []
    record = webhook_events.get_event(identity(raw))
    assert (record["status"], record["note"]) == ("dropped", "no_connection")
    assert worker().process([message(raw)]).counts["events_already_done"] == 1


def test_a_429_sends_the_message_back_after_retry_after_without_marking_anything(world):
    xero, bus, queue, _clock, worker = world
    xero.put(TENANT_A, "INVOICE", guid(1), T0)
    xero.failures = [xero.rate_limited(42)]
    raw = event(TENANT_A, guid(1))
    waiting = message(raw)
    result = worker().process([waiting])
    assert result.failed == {waiting.message_id}
    assert queue.delays == {waiting.receipt_handle: 42}
    assert webhook_events.get_event(identity(raw)) is None  # claim released, not done
    assert snapshots.list_snapshots(TENANT_A) == [] and bus.published == []
    # The retry (after the wait) goes through, once.
    again = message(raw, receive_count=2, message_id=waiting.message_id)
    assert worker().process([again]).failed == set()
    assert len(bus.published) == 1
    assert webhook_events.get_event(identity(raw))["status"] == "done"


def test_a_429_on_the_last_allowed_receive_is_requeued_rather_than_dead_lettered(world):
    xero, _bus, queue, _clock, worker = world
    xero.put(TENANT_A, "INVOICE", guid(1), T0)
    xero.failures = [xero.rate_limited(30)]
    last = message(event(TENANT_A, guid(1)), receive_count=get_settings().webhook_max_receives)
    result = worker().process([last])
    assert result.failed == set()  # deleted: its fresh copy waits instead
    assert [(m.body, delay) for m, delay in queue.requeued] == [(last.body, 30)]


def test_a_429_for_one_tenant_does_not_hold_up_another(world):
    xero, bus, _queue, _clock, worker = world
    xero.put(TENANT_A, "INVOICE", guid(1), T0)
    xero.put(TENANT_B, "INVOICE", guid(2), T0)
    xero.failures = [xero.rate_limited(5)]  # the first tenant's call
    only_a, only_b = message(event(TENANT_A, guid(1))), message(event(TENANT_B, guid(2)))
    result = worker().process([only_a, only_b])
    assert result.failed == {only_a.message_id}
    assert [e.detail["tenant_id"] for e in bus.published] == [TENANT_B]


def test_a_5xx_backs_off_and_a_retry_after_partial_success_redoes_only_what_failed(world):
    xero, bus, queue, _clock, worker = world
    xero.put(TENANT_A, "INVOICE", guid(1), T0)
    xero.put(TENANT_B, "CONTACT", guid(2), T0, Name="Acme")
    mixed = message(event(TENANT_A, guid(1)), event(TENANT_B, guid(2), "CONTACT"))
    xero.failures = [xero.unavailable()]  # tenant A's call fails, tenant B's works
    result = worker().process([mixed])
    assert result.failed == {mixed.message_id}
    assert queue.delays[mixed.receipt_handle] == get_settings().webhook_retry_base_seconds
    assert [e.detail_type for e in bus.published] == ["xero.contact.updated"]
    retry = message(
        event(TENANT_A, guid(1)),
        event(TENANT_B, guid(2), "CONTACT"),
        receive_count=2,
        message_id=mixed.message_id,
    )
    assert worker().process([retry]).failed == set()
    assert sorted(e.detail_type for e in bus.published) == [
        "xero.contact.updated",
        "xero.invoice.updated",
    ]
    assert [call[0] for call in xero.calls] == [TENANT_A, TENANT_B, TENANT_A]


def test_an_older_version_never_replaces_a_newer_snapshot(world):
    xero, bus, _queue, _clock, worker = world
    xero.put(TENANT_A, "INVOICE", guid(1), T0 + 1000, Status="PAID")
    worker().process([message(event(TENANT_A, guid(1), date="2024-06-21T01:00:02"))])
    # A late worker got the older state from Xero (the fetch happened before the payment).
    xero.put(TENANT_A, "INVOICE", guid(1), T0, Status="AUTHORISED")
    result = worker().process([message(event(TENANT_A, guid(1), date="2024-06-21T01:00:01"))])
    assert result.failed == set()
    stored = snapshots.get_snapshot(TENANT_A, "INVOICE", guid(1))
    assert (stored["data"]["Status"], stored["updated_ms"]) == ("PAID", T0 + 1000)
    assert len(bus.published) == 1


def test_a_new_version_is_stored_and_published_again(world):
    xero, bus, _queue, _clock, worker = world
    xero.put(TENANT_A, "INVOICE", guid(1), T0, Status="AUTHORISED")
    worker().process([message(event(TENANT_A, guid(1), date="2024-06-21T01:00:01"))])
    xero.put(TENANT_A, "INVOICE", guid(1), T0 + 5, Status="PAID")
    worker().process([message(event(TENANT_A, guid(1), date="2024-06-21T01:00:02"))])
    assert [e.detail["summary"]["status"] for e in bus.published] == ["AUTHORISED", "PAID"]
    assert len({e.detail["change_id"] for e in bus.published}) == 2


def test_money_stays_decimal_in_the_snapshot_and_a_string_in_the_event(world):
    xero, bus, _queue, _clock, worker = world
    xero.put(
        TENANT_A,
        "INVOICE",
        guid(1),
        T0,
        Total=Decimal("1234.57"),
        AmountDue=Decimal("0.10"),
        LineItems=[{"UnitAmount": Decimal("0.3333"), "Quantity": Decimal("3")}],
    )
    worker().process([message(event(TENANT_A, guid(1), event_type="CREATE"))])
    data = snapshots.get_snapshot(TENANT_A, "INVOICE", guid(1))["data"]
    assert data["Total"] == Decimal("1234.57") and isinstance(data["Total"], Decimal)
    assert data["LineItems"][0]["UnitAmount"] == Decimal("0.3333")
    [published] = bus.published
    assert published.detail_type == "xero.invoice.created"
    assert published.detail["summary"]["total"] == "1234.57"
    assert published.detail["summary"]["amount_due"] == "0.10"


def test_a_crash_after_storing_before_publishing_is_published_once_by_the_retry(world):
    xero, bus, _queue, clock, worker = world
    xero.put(TENANT_A, "INVOICE", guid(1), T0)
    raw = event(TENANT_A, guid(1))
    bus.crash_after_put = True
    bus.refuse = 1  # the entry never made it: the Lambda died during PutEvents
    with pytest.raises(Crash):
        worker().process([message(raw)])
    assert bus.published == []
    assert webhook_events.get_event(identity(raw))["status"] == "in_progress"
    bus.crash_after_put = False
    # Before the claim lapses a redelivery leaves it alone (another worker may be on it).
    early = worker().process([message(raw)])
    assert early.counts["events_busy"] == 1 and bus.published == []
    clock.now += get_settings().webhook_claim_seconds + 1
    assert worker().process([message(raw)]).failed == set()
    assert len(bus.published) == 1
    assert webhook_events.get_event(identity(raw))["status"] == "done"
    stored = snapshots.get_snapshot(TENANT_A, "INVOICE", guid(1))
    assert stored["published_ms"] == T0 and "publish_pending" not in stored


def test_a_crash_after_publishing_before_marking_done_does_not_publish_twice(world, monkeypatch):
    xero, bus, _queue, clock, worker = world
    xero.put(TENANT_A, "INVOICE", guid(1), T0)
    raw = event(TENANT_A, guid(1))

    def die(*args: Any, **kwargs: Any) -> None:
        raise Crash("killed before completing the events")

    monkeypatch.setattr(webhook_events, "complete", die)
    with pytest.raises(Crash):
        worker().process([message(raw)])
    monkeypatch.undo()
    assert len(bus.published) == 1
    clock.now += get_settings().webhook_claim_seconds + 1
    result = worker().process([message(raw)])
    assert result.failed == set()
    assert len(bus.published) == 1  # the stored version was already published
    assert result.counts["snapshots_not_newer"] == 1
    assert webhook_events.get_event(identity(raw))["status"] == "done"


def test_a_refused_publication_is_retried_at_once_by_the_next_attempt(world):
    xero, bus, _queue, _clock, worker = world
    xero.put(TENANT_A, "INVOICE", guid(1), T0)
    raw = event(TENANT_A, guid(1))
    bus.refuse = 1
    first = message(raw)
    assert worker().process([first]).failed == {first.message_id}
    assert webhook_events.get_event(identity(raw)) is None
    # No waiting for a lease: the failed worker let go of the publication.
    result = worker().process([message(raw, receive_count=2, message_id=first.message_id)])
    assert result.failed == set()
    assert result.counts["publications_taken_over"] == 1
    assert len(bus.published) == 1


def test_subscription_events_are_published_without_a_xero_call(world):
    xero, bus, _queue, _clock, worker = world
    raw = event("app-id-0001", guid(9), "SUBSCRIPTION", event_type="CREATE")
    assert worker().process([message(raw)]).failed == set()
    assert xero.calls == []
    [published] = bus.published
    assert published.detail_type == "xero.subscription.created"


def test_an_unreadable_message_fails_alone(world):
    xero, bus, _queue, _clock, worker = world
    xero.put(TENANT_A, "INVOICE", guid(1), T0)
    broken = message(event(TENANT_A, guid(1)))
    broken = broken.model_copy(update={"body": '{"events": [{"resourceId": 1}]}'})
    fine = message(event(TENANT_A, guid(1)))
    result = worker().process([broken, fine])
    assert result.failed == {broken.message_id}
    assert len(bus.published) == 1


def test_a_resource_xero_does_not_return_is_completed_not_retried_forever(world):
    _xero, _bus, _queue, _clock, worker = world
    raw = event(TENANT_A, guid(77))
    assert worker().process([message(raw)]).failed == set()
    assert webhook_events.get_event(identity(raw))["note"] == "not_found"


def test_xero_refusing_the_organisation_drops_its_events_instead_of_retrying(world):
    xero, bus, _queue, _clock, worker = world
    from xero_bridge.errors import ForbiddenError

    xero.failures = [ForbiddenError("Xero refused access")]
    raw = event(TENANT_A, guid(1))
    assert worker().process([message(raw)]).failed == set()
    assert webhook_events.get_event(identity(raw))["note"] == "forbidden"
    assert bus.published == []
