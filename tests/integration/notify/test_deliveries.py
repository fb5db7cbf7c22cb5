"""Deliveries end to end in moto: a domain event on the bus, the rule's queue, the fan-out,
the delivery queue and the signed POST to the local receiver, retries, replays, failing
endpoints, and endpoints kept apart from each other."""

from __future__ import annotations

import json
import time
from itertools import pairwise

import pytest

from devstack.receiver import Behaviour, Receiver
from tests.integration.notify.conftest import OTHER_TENANT, TENANT, api, poller, publish
from xero_bridge.notify import signing
from xero_bridge.settings import get_settings

CONTACT = "5b6e5f7c-1d2e-4f3a-8b9c-0a1b2c3d4e5f"
UPDATED_MS = 1_767_225_600_123


def contact_changed(tenant: str = TENANT, contact: str = CONTACT, ms: int = UPDATED_MS) -> None:
    """What the webhook worker publishes for a stored version of a contact."""
    publish(
        "xero.contact.updated",
        {
            "tenant_id": tenant,
            "category": "CONTACT",
            "resource_id": contact,
            "change_id": f"{tenant}:CONTACT#{contact}:{ms}",
            "updated_date_utc": "2026-01-01T00:00:00.123000Z",
            "event_types": ["UPDATE"],
            "summary": {"name": "Ridgeway Supplies", "status": "ACTIVE"},
        },
    )


def endpoint(url: str, events: list[str] | None = None, tenant: str = TENANT) -> dict:
    body = {"url": url, "events": events or ["contact.*"]}
    answer = api("POST", f"/tenants/{tenant}/webhook_endpoints", body=body)
    assert answer.status == 201, answer.body
    return answer.body


def deliveries_of(created: dict, tenant: str = TENANT) -> list[dict]:
    path = f"/tenants/{tenant}/webhook_endpoints/{created['webhook_endpoint_id']}/deliveries"
    answer = api("GET", path)
    assert answer.status == 200, answer.body
    return answer.body["deliveries"]


def test_a_change_reaches_the_endpoint_signed_with_its_secret(notify, receiver: Receiver) -> None:
    created = endpoint(f"{receiver.url}/hooks/erp")
    endpoint(f"{receiver.url}/hooks/payments-only", ["payment.*"])
    contact_changed()
    assert poller(notify).drain(timeout=30)
    [call] = receiver.calls("/hooks/")
    assert call.path == "/hooks/erp"  # the payments-only endpoint wants no contacts
    header = call.headers["Xerobridge-Signature"]
    assert signing.verify(created["secret"], call.body.encode(), header)
    assert not signing.verify("whsec_" + "x" * 43, call.body.encode(), header)
    event = json.loads(call.body)
    assert event["type"] == "contact.updated" and event["tenant_id"] == TENANT
    assert event["id"].startswith("evt_") and call.headers["Xerobridge-Event-Id"] == event["id"]
    assert event["resource"] == {
        "type": "contact",
        "id": CONTACT,
        "updated_at": "2026-01-01T00:00:00.123Z",
    }
    assert event["origin"] == {"source": "xero"}  # not a write of ours
    assert event["data"]["name"] == "Ridgeway Supplies"
    [delivery] = deliveries_of(created)
    assert delivery["status"] == "delivered" and delivery["attempts"] == 1
    assert delivery["request_body"] == call.body
    assert delivery["attempt_log"][0]["status_code"] == 200


def test_the_same_change_published_twice_is_delivered_once(notify, receiver) -> None:
    created = endpoint(f"{receiver.url}/hooks/erp")
    contact_changed()
    contact_changed()  # EventBridge delivered twice, or the worker republished the version
    assert poller(notify).drain(timeout=30)
    assert len(receiver.calls("/hooks/erp")) == 1
    assert len(deliveries_of(created)) == 1


def test_an_endpoint_that_answers_500_twice_gets_the_event_on_the_third_try(
    notify, receiver
) -> None:
    created = endpoint(f"{receiver.url}/hooks/flaky")
    receiver.behave(Behaviour("/hooks/flaky", statuses=[500, 500]))
    contact_changed()
    assert poller(notify).drain(timeout=30)
    calls = receiver.calls("/hooks/flaky")
    assert [c.answered for c in calls] == [500, 500, 200]
    assert len({json.loads(c.body)["id"] for c in calls}) == 1  # one event, three attempts
    assert [c.headers["Xerobridge-Attempt"] for c in calls] == ["1", "2", "3"]
    for call in calls:  # each attempt signed afresh
        assert signing.verify(
            created["secret"], call.body.encode(), call.headers["Xerobridge-Signature"]
        )
    [delivery] = deliveries_of(created)
    assert delivery["status"] == "delivered" and delivery["attempts"] == 3
    assert [a["status_code"] for a in delivery["attempt_log"]] == [500, 500, 200]


def test_a_replay_sends_the_same_event_again(notify, receiver) -> None:
    created = endpoint(f"{receiver.url}/hooks/erp")
    contact_changed()
    run = poller(notify)
    assert run.drain(timeout=30)
    [original] = deliveries_of(created)
    path = (
        f"/tenants/{TENANT}/webhook_endpoints/{created['webhook_endpoint_id']}"
        f"/deliveries/{original['delivery_id']}/replay"
    )
    replay = api("POST", path)
    assert replay.status == 202, replay.body
    assert replay.body["replay_of"] == original["delivery_id"]
    assert replay.body["delivery_id"] != original["delivery_id"]
    assert run.drain(timeout=30)
    first, second = receiver.calls("/hooks/erp")
    assert json.loads(first.body)["id"] == json.loads(second.body)["id"]
    assert second.body == first.body
    newest, oldest = deliveries_of(created)
    assert newest["replay_of"] == oldest["delivery_id"] and newest["status"] == "delivered"
    elsewhere = path.replace(TENANT, OTHER_TENANT)
    assert api("POST", elsewhere).status == 404


def test_a_removed_endpoint_gets_nothing_more(notify, receiver) -> None:
    created = endpoint(f"{receiver.url}/hooks/erp")
    contact_changed()
    api("DELETE", f"/tenants/{TENANT}/webhook_endpoints/{created['webhook_endpoint_id']}")
    assert poller(notify).drain(timeout=30)
    assert receiver.calls("/hooks/") == []


def test_giving_up_marks_the_endpoint_failing_and_alerts_its_owner(
    notify, receiver, monkeypatch
) -> None:
    monkeypatch.setenv("DELIVERY_GIVE_UP_AFTER_SECONDS", "1")  # three days, shortened
    monkeypatch.setenv("DELIVERY_RETRY_BASE_SECONDS", "2")
    get_settings.cache_clear()
    created = endpoint(f"{receiver.url}/hooks/down")
    channel = {
        "kind": "slack",
        "target": receiver.slack_url(),
        "alerts": ["webhook_endpoint.failing"],
    }
    assert api("POST", f"/tenants/{TENANT}/notification_channels", body=channel).status == 201
    receiver.behave(Behaviour("/hooks/down", statuses=[503] * 10))
    contact_changed()
    assert poller(notify).drain(timeout=30)
    [delivery] = deliveries_of(created)
    assert delivery["status"] == "failed" and delivery["next_attempt_at"] is None
    [listed] = api("GET", f"/tenants/{TENANT}/webhook_endpoints").body["webhook_endpoints"]
    assert listed["status"] == "failing" and listed["failing_since"]
    [alert] = receiver.calls("/slack/")
    assert "Webhook endpoint failing" in json.loads(alert.body)["text"]
    from tests.integration.notify.conftest import sent_emails

    [mail] = sent_emails()  # the endpoint's creator hears of it too
    assert mail.destinations["ToAddresses"] == ["root@example.com"]
    # The next success makes it active again.
    monkeypatch.setenv("DELIVERY_GIVE_UP_AFTER_SECONDS", "259200")
    get_settings.cache_clear()
    receiver.reset()
    contact_changed(ms=UPDATED_MS + 1)
    assert poller(notify).drain(timeout=30)
    [listed] = api("GET", f"/tenants/{TENANT}/webhook_endpoints").body["webhook_endpoints"]
    assert listed["status"] == "active"


def test_a_slow_endpoint_does_not_delay_another_tenants(notify, receiver, monkeypatch) -> None:
    monkeypatch.setenv("DELIVERY_TIMEOUT_SECONDS", "3")
    get_settings.cache_clear()
    endpoint(f"{receiver.url}/hooks/slow")
    endpoint(f"{receiver.url}/hooks/fast", tenant=OTHER_TENANT)
    receiver.behave(Behaviour("/hooks/slow", delay_seconds=5, times=1))
    contact_changed(TENANT)  # the slow endpoint's event comes first
    contact_changed(OTHER_TENANT)
    assert poller(notify).drain(timeout=60)
    slow, retried = receiver.calls("/hooks/slow")  # given up on after 3 s, then retried…
    [fast] = receiver.calls("/hooks/fast")
    # …while the other tenant's delivery went out beside it, not after it.
    assert abs(fast.received_at - slow.received_at) < 1.0
    assert retried.received_at - slow.received_at >= 3  # the slow one really was waited on


def test_an_endpoint_holds_at_most_its_slots(notify, receiver, monkeypatch) -> None:
    """Deliveries beyond an endpoint's concurrency wait their turn instead of piling up."""
    monkeypatch.setenv("DELIVERY_ENDPOINT_CONCURRENCY", "1")
    get_settings.cache_clear()
    endpoint(f"{receiver.url}/hooks/one-at-a-time")
    receiver.behave(Behaviour("/hooks/one-at-a-time", delay_seconds=0.5))
    for n in range(3):
        contact_changed(contact=f"5b6e5f7c-1d2e-4f3a-8b9c-0a1b2c3d4e5{n}")
    # A delivery that found the slot taken is deferred (a delayed message): drain until all
    # three arrived, or a minute passed.
    deadline = time.monotonic() + 60
    while len(receiver.calls("/hooks/one-at-a-time")) < 3 and time.monotonic() < deadline:
        assert poller(notify).drain(timeout=60)
    calls = receiver.calls("/hooks/one-at-a-time")
    assert len(calls) == 3
    starts = sorted(c.received_at for c in calls)
    assert all(b - a >= 0.45 for a, b in pairwise(starts)), starts


@pytest.mark.parametrize("types", [["contact.created"], ["invoice.*"]])
def test_an_endpoint_gets_only_the_types_it_chose(notify, receiver, types) -> None:
    endpoint(f"{receiver.url}/hooks/picky", types)
    contact_changed()
    assert poller(notify).drain(timeout=30)
    assert receiver.calls("/hooks/picky") == []


def test_deliveries_come_newest_first_a_page_at_a_time(notify, receiver) -> None:
    created = endpoint(f"{receiver.url}/hooks/erp")
    other = endpoint(f"{receiver.url}/hooks/other")
    for n in range(3):  # three stored versions of the contact: three events
        contact_changed(ms=UPDATED_MS + n)
    assert poller(notify).drain(timeout=30)
    path = f"/tenants/{TENANT}/webhook_endpoints/{created['webhook_endpoint_id']}/deliveries"
    first = api("GET", path, query={"page_size": "2"})
    assert first.status == 200, first.body
    assert len(first.body["deliveries"]) == 2 and first.body["next_page"]
    rest = api("GET", path, query={"page_size": "2", "page": first.body["next_page"]})
    assert rest.status == 200, rest.body
    assert rest.body["page"] == first.body["next_page"] and rest.body["next_page"] is None
    pages = first.body["deliveries"] + rest.body["deliveries"]
    assert len({d["delivery_id"] for d in pages}) == 3  # every delivery once, none twice
    created_at = [d["created_at"] for d in pages]
    assert created_at == sorted(created_at, reverse=True)
    assert pages == deliveries_of(created)  # the same list as one page of 25
    other_path = path.replace(created["webhook_endpoint_id"], other["webhook_endpoint_id"])
    for token, where in (("not-a-token", path), (first.body["next_page"], other_path)):
        refused = api("GET", where, query={"page": token})
        assert refused.status == 400, refused.body
        assert refused.body["error"]["message"] == "page is not a page token of this list"
