"""Transfers settle as simulated time passes; each outcome is a signed webhook, retried."""

from __future__ import annotations

import hashlib
import hmac
import json

from devstack.demo_data import SOLARIS_DECLINE_REASON, SOLARIS_WEBHOOK_SECRET
from tests.integration.simulators.solaris.conftest import (
    DECLINES,
    HTTP,
    MATCH,
    Api,
    Receiver,
    get_token,
    sim_get,
    sim_post,
)

OPENING = 25_000_000


def _signed_correctly(headers: dict[str, str], body: bytes) -> bool:
    expected = (
        "sha256=" + hmac.new(SOLARIS_WEBHOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()
    )
    return hmac.compare_digest(headers["Solaris-Webhook-Signature"], expected)


def _pay(api: Api, payee=MATCH, cents: int = 40_000) -> dict:
    answer = api.pay(api.transfer_body(payee, cents=cents))
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_the_clock_executes_a_transfer_books_it_and_sends_a_signed_booking(
    api: Api, receiver: Receiver
):
    transfer = _pay(api, cents=40_000)
    api.sim.clock.advance(59)
    assert sim_post(api.sim, "/webhooks/deliver")["settled"] == []
    assert receiver.requests == []
    advanced = sim_post(api.sim, "/clock/advance", {"seconds": 1})
    assert advanced["settled"] == [transfer["id"]]
    assert api.get(f"{api.person_path}/{transfer['id']}").json()["status"] == "executed"
    assert api.balance() == (OPENING - 40_000, OPENING - 40_000)

    bookings = api.get(f"/v1/accounts/{api.sim.config.account_id}/bookings").json()
    assert len(bookings) == 1
    booking = bookings[0]
    assert booking["booking_type"] == "SEPA_CREDIT_TRANSFER"
    assert booking["amount"] == {"value": -40_000, "unit": "cents", "currency": "EUR"}
    assert booking["transaction_id"] == transfer["id"]
    assert booking["recipient_iban"] == MATCH.iban

    assert len(receiver.requests) == 1
    delivered = receiver.requests[0]
    assert _signed_correctly(delivered.headers, delivered.body)
    assert delivered.headers["Solaris-Webhook-Event-Type"] == "BOOKING"
    assert delivered.headers["Solaris-Entity-Id"] == booking["id"]
    assert delivered.headers["Solaris-Webhook-Attempt"] == "1"
    assert delivered.headers["Solaris-Webhook-Id"]
    assert json.loads(delivered.body) == booking


def test_a_declined_transfer_gives_the_money_back_and_says_why(api: Api, receiver: Receiver):
    transfer = _pay(api, DECLINES, cents=70_000)
    assert api.balance() == (OPENING, OPENING - 70_000)
    sim_post(api.sim, "/clock/advance", {"seconds": 60})
    read = api.get(f"{api.account_path}/{transfer['id']}").json()
    assert read["status"] == "declined"
    assert read["rejection_reason"] == SOLARIS_DECLINE_REASON
    assert api.balance() == (OPENING, OPENING)
    assert api.get(f"/v1/accounts/{api.sim.config.account_id}/bookings").json() == []
    (delivered,) = receiver.requests
    assert delivered.headers["Solaris-Webhook-Event-Type"] == "SEPA_CREDIT_TRANSACTION_DECLINED"
    assert delivered.headers["Solaris-Entity-Id"] == transfer["id"]
    assert _signed_correctly(delivered.headers, delivered.body)
    assert json.loads(delivered.body)["rejection_reason"] == SOLARIS_DECLINE_REASON


def test_settle_now_does_not_wait_for_the_clock(api: Api, receiver: Receiver):
    first, second = _pay(api, cents=100), _pay(api, cents=200)
    settled = sim_post(api.sim, "/settle", {"transfer_id": first["id"]})["settled"]
    assert settled == [first["id"]]
    assert api.get(f"{api.account_path}/{second['id']}").json()["status"] == "accepted"
    assert len(receiver.requests) == 1


def test_a_failed_delivery_is_retried_with_backoff_on_the_clock(api: Api, receiver: Receiver):
    receiver.statuses = [500, 503]
    _pay(api)
    sim_post(api.sim, "/clock/advance", {"seconds": 60})
    assert len(receiver.requests) == 1
    sim_post(api.sim, "/clock/advance", {"seconds": 9})
    assert len(receiver.requests) == 1  # the first retry waits 10 s
    sim_post(api.sim, "/clock/advance", {"seconds": 1})
    assert len(receiver.requests) == 2
    sim_post(api.sim, "/clock/advance", {"seconds": 15})
    assert len(receiver.requests) == 2  # the second retry waits 10 * 1.561 s
    sim_post(api.sim, "/clock/advance", {"seconds": 1})
    attempts = [r.headers["Solaris-Webhook-Attempt"] for r in receiver.requests]
    assert attempts == ["1", "2", "3"]
    assert len({r.headers["Solaris-Webhook-Id"] for r in receiver.requests}) == 1
    (note,) = sim_get(api.sim, "/webhooks")["notifications"]
    assert note["state"] == "delivered"
    assert [a["status"] for a in note["attempts"]] == [500, 503, 200]


def test_422_is_not_retried_and_410_cancels_the_subscription(api: Api, receiver: Receiver):
    receiver.statuses = [422]
    _pay(api)
    sim_post(api.sim, "/clock/advance", {"seconds": 60})
    sim_post(api.sim, "/clock/advance", {"seconds": 86_400})
    assert len(receiver.requests) == 1
    assert sim_get(api.sim, "/webhooks")["notifications"][0]["state"] == "rejected"

    receiver.statuses = [410]
    api.token = get_token(api.sim).json()["access_token"]  # the day killed the old one
    _pay(api)
    sim_post(api.sim, "/clock/advance", {"seconds": 60})
    _pay(api)
    sim_post(api.sim, "/clock/advance", {"seconds": 86_400})
    assert len(receiver.requests) == 2  # nothing more of BOOKING after the 410
    states = [n["state"] for n in sim_get(api.sim, "/webhooks")["notifications"]]
    assert states == ["rejected", "cancelled", "cancelled"]


def test_retries_stop_after_the_last_attempt(api: Api, receiver: Receiver):
    HTTP.patch(f"{api.sim.url}/_sim/config", json={"webhook_max_attempts": 3})
    receiver.statuses = [500] * 10
    _pay(api)
    sim_post(api.sim, "/clock/advance", {"seconds": 60})
    sim_post(api.sim, "/clock/advance", {"seconds": 7 * 86_400})
    assert len(receiver.requests) == 3
    assert sim_get(api.sim, "/webhooks")["notifications"][0]["state"] == "failed"


def test_webhooks_wait_for_a_url_then_go(api: Api, receiver: Receiver):
    HTTP.patch(f"{api.sim.url}/_sim/config", json={"webhook_url": None})
    _pay(api)
    sim_post(api.sim, "/clock/advance", {"seconds": 60})
    assert receiver.requests == []
    HTTP.patch(f"{api.sim.url}/_sim/config", json={"webhook_url": receiver.url})
    sim_post(api.sim, "/webhooks/deliver")
    assert len(receiver.requests) == 1


def test_a_dropped_webhook_is_never_sent_and_a_redelivery_is_sent_again(
    api: Api, receiver: Receiver
):
    HTTP.patch(f"{api.sim.url}/_sim/config", json={"webhook_url": None})
    _pay(api)
    sim_post(api.sim, "/clock/advance", {"seconds": 60})
    (note,) = sim_get(api.sim, "/webhooks")["notifications"]
    assert sim_post(api.sim, f"/webhooks/{note['id']}/drop")["state"] == "dropped"
    HTTP.patch(f"{api.sim.url}/_sim/config", json={"webhook_url": receiver.url})
    sim_post(api.sim, "/clock/advance", {"seconds": 86_400})
    assert receiver.requests == []

    replay = sim_post(api.sim, f"/webhooks/{note['id']}/redeliver")
    assert replay["status"] == 200
    (delivered,) = receiver.requests
    assert delivered.headers["Solaris-Webhook-Id"] == note["id"]
    assert _signed_correctly(delivered.headers, delivered.body)


def test_bookings_list_pages_and_filters(api: Api):
    transfers = [_pay(api, cents=100 + n) for n in range(3)]
    sim_post(api.sim, "/settle")
    path = f"/v1/accounts/{api.sim.config.account_id}/bookings"
    page = api.get(path, params={"page[size]": "2", "page[number]": "2"})
    assert page.headers["Total"] == "3"
    assert len(page.json()) == 1
    wanted = transfers[1]["id"]
    found = api.get(path, params={"filter[transaction_id]": wanted}).json()
    assert [b["transaction_id"] for b in found] == [wanted]
    assert api.get(path, params={"page[size]": "1001"}).status_code == 400
