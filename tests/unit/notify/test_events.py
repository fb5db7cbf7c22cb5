"""The events receivers get, made from the product's domain events."""

from __future__ import annotations

import json

import pytest

from xero_bridge.notify import events, origins

BUS_EVENT = {
    "version": "0",
    "id": "eb-1",
    "source": "xero-bridge",
    "time": "2026-01-01T00:00:05Z",
    "detail-type": "xero.contact.updated",
    "detail": {
        "tenant_id": "t1",
        "category": "CONTACT",
        "resource_id": "c1",
        "change_id": "t1:CONTACT#c1:1767225600123",
        "updated_date_utc": "2026-01-01T00:00:00.123000Z",
        "summary": {"name": "Ridgeway"},
    },
}


@pytest.fixture(autouse=True)
def no_origins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(origins, "origin_of", lambda *a: {"source": "xero"})


def test_a_stored_contact_version_becomes_one_contact_event() -> None:
    [event] = events.outbound_events(BUS_EVENT)
    body = json.loads(event.body())
    assert list(body) == ["id", "type", "created_at", "tenant_id", "resource", "origin", "data"]
    assert body["type"] == "contact.updated" and body["tenant_id"] == "t1"
    assert body["resource"] == {
        "type": "contact",
        "id": "c1",
        "updated_at": "2026-01-01T00:00:00.123Z",
    }
    assert body["data"] == {
        "contact_id": "c1",
        "change_id": "t1:CONTACT#c1:1767225600123",
        "name": "Ridgeway",
    }
    assert body["created_at"] == "2026-01-01T00:00:05Z"


def test_the_same_version_published_again_is_the_same_event() -> None:
    again = {**BUS_EVENT, "id": "eb-2", "time": "2026-01-01T00:01:00Z"}
    assert events.outbound_events(BUS_EVENT)[0].id == events.outbound_events(again)[0].id
    newer = json.loads(json.dumps(BUS_EVENT))
    newer["detail"]["change_id"] = "t1:CONTACT#c1:1767225600999"
    assert events.outbound_events(newer)[0].id != events.outbound_events(BUS_EVENT)[0].id


def test_payments_connections_and_nothing_else() -> None:
    payment = {
        **BUS_EVENT,
        "detail-type": "payment.recorded",
        "detail": {"tenant_id": "t1", "payment_id": "p1", "status": "recorded", "amount": "10.00"},
    }
    [paid] = events.outbound_events(payment)
    assert paid.type == "payment.recorded" and paid.resource["id"] == "p1"
    assert "tenant_id" not in paid.data and paid.data["amount"] == "10.00"
    assert paid.origin == {"source": "xero-bridge"}
    reconnect = {
        **BUS_EVENT,
        "detail-type": "xero.connection.needs_reconnect",
        "detail": {"tenant_ids": ["t1", "t2"], "token_set_id": "secret-internal"},
    }
    found = events.outbound_events(reconnect)
    assert [e.tenant_id for e in found] == ["t1", "t2"]
    assert all("token_set_id" not in e.body() for e in found)
    for other in ("xero.subscription.updated", "payment.approved", "mirror.parked"):
        assert events.outbound_events({**BUS_EVENT, "detail-type": other}) == []
    assert events.outbound_events({**BUS_EVENT, "source": "someone-else"}) == []


@pytest.mark.parametrize(
    ("patterns", "event_type", "wanted"),
    [
        (["*"], "payment.failed", True),
        (["payment.*"], "payment.failed", True),
        (["payment.*"], "contact.updated", False),
        (["contact.updated"], "contact.created", False),
        (["contact.created", "contact.updated"], "contact.updated", True),
    ],
)
def test_an_endpoint_gets_what_it_names(patterns, event_type, wanted) -> None:
    assert events.matches(patterns, event_type) is wanted


def test_every_named_type_is_one_an_endpoint_may_ask_for() -> None:
    for name in (
        "invoice.updated",
        "contact.created",
        "credit_note.updated",
        "payment.recorded",
        "payment.failed",
        "payment.pending_approval",
        "connection.needs_reconnect",
        "*",
        "payment.*",
    ):
        assert events.is_pattern(name), name
    assert not events.is_pattern("contact.deleted") and not events.is_pattern("nothing.*")
