"""Webhooks as GoCardless sends them: batched events, signed bodies, retries until a 2xx,
and the duplicates and disorder a receiver must survive."""

from __future__ import annotations

import json

import gocardless_pro
from gocardless_pro import webhooks

from devstack.gocardless_simulator import GoCardlessSimulator

from .conftest import STEP, Receiver, http, mandate_for


def deliver(sim: GoCardlessSimulator, **options: object) -> list[dict]:
    answer = http.post(f"{sim.url}/_sim/webhooks/deliver", json=options)
    assert answer.status_code == 200
    return answer.json()["deliveries"]


def events_of(body: bytes) -> list[tuple[str, str]]:
    return [(e["resource_type"], e["action"]) for e in json.loads(body)["events"]]


def test_events_arrive_batched_and_signed(
    client: gocardless_pro.Client, sim: GoCardlessSimulator, receiver: Receiver
):
    payment = client.payments.create(
        params={
            "amount": 990,
            "currency": "EUR",
            "links": {"mandate": mandate_for(client, sim, "Successful")},
        }
    )
    sim.advance(3 * STEP)
    sent = deliver(sim)
    assert len(sent) == 1 and sent[0]["status"] == 204
    (delivery,) = receiver.deliveries
    assert delivery.signature_ok
    assert delivery.headers["Content-Type"] == "application/json"
    parsed = webhooks.parse_with_meta(
        delivery.body, sim.config.webhook_secret, delivery.headers["Webhook-Signature"]
    )
    assert parsed.webhook_id.startswith("WB")
    kinds = [(e.resource_type, e.action) for e in parsed.events]
    assert [action for _, action in kinds[:3]] == ["created", "flow_created", "flow_visited"]
    assert kinds[-4:] == [
        ("payments", "created"),
        ("payments", "submitted"),
        ("payments", "confirmed"),
        ("payments", "paid_out"),
    ]
    paid_out = parsed.events[-1]
    assert paid_out.links.payment == payment.id and paid_out.details.cause == "payment_paid_out"
    assert paid_out.id.startswith("EV") and paid_out.created_at.endswith("Z")
    assert deliver(sim) == []  # nothing left


def test_the_background_sender_batches_without_being_asked(
    client: gocardless_pro.Client, sim: GoCardlessSimulator, receiver: Receiver
):
    sim.config.webhook_auto_deliver = True
    for name in ("Ada", "Bea"):
        client.customers.create(params={"given_name": name, "family_name": "X"})
        client.billing_requests.create(params={"mandate_request": {"currency": "EUR"}})
    (delivery,) = receiver.wait_for(1)
    assert events_of(delivery.body) == [("billing_requests", "created")] * 2


def test_a_refused_delivery_is_retried_later_with_the_same_body(
    client: gocardless_pro.Client, sim: GoCardlessSimulator, receiver: Receiver
):
    client.billing_requests.create(params={"mandate_request": {"currency": "EUR"}})
    receiver.answers.extend([500, 503])
    (sent,) = deliver(sim)
    assert sent["status"] == 500
    assert http.post(f"{sim.url}/_sim/webhooks/retry").json()["deliveries"] == []  # not yet
    sim.advance(60)
    assert http.post(f"{sim.url}/_sim/webhooks/retry").json()["deliveries"][0]["status"] == 503
    sim.advance(300)
    assert http.post(f"{sim.url}/_sim/webhooks/retry").json()["deliveries"][0]["status"] == 204
    bodies = {d.body for d in receiver.deliveries}
    assert len(receiver.deliveries) == 3 and len(bodies) == 1
    (webhook,) = http.get(f"{sim.url}/_sim/webhooks").json()["webhooks"]
    assert webhook["delivered"] and [a["status"] for a in webhook["attempts"]] == [500, 503, 204]


def test_gocardless_gives_up_after_eight_retries(
    client: gocardless_pro.Client, sim: GoCardlessSimulator, receiver: Receiver
):
    client.billing_requests.create(params={"mandate_request": {"currency": "EUR"}})
    receiver.answers.extend([500] * 20)
    deliver(sim)
    for _ in range(12):
        sim.advance(86400)
        http.post(f"{sim.url}/_sim/webhooks/retry")
    assert len(receiver.deliveries) == 1 + 8
    (webhook,) = http.get(f"{sim.url}/_sim/webhooks").json()["webhooks"]
    assert not webhook["delivered"] and webhook["next_attempt_at"] is None


def test_a_wrong_secret_gets_498_and_is_retried(
    client: gocardless_pro.Client, sim: GoCardlessSimulator, receiver: Receiver
):
    sim.config.webhook_secret = "not-the-receivers-secret"
    client.billing_requests.create(params={"mandate_request": {"currency": "EUR"}})
    (sent,) = deliver(sim)
    assert sent["status"] == 498 and not receiver.deliveries[0].signature_ok
    (webhook,) = http.get(f"{sim.url}/_sim/webhooks").json()["webhooks"]
    assert webhook["next_attempt_at"] is not None


def test_redelivery_sends_the_very_same_webhook_again(
    client: gocardless_pro.Client, sim: GoCardlessSimulator, receiver: Receiver
):
    client.billing_requests.create(params={"mandate_request": {"currency": "EUR"}})
    (sent,) = deliver(sim)
    again = http.post(f"{sim.url}/_sim/webhooks/{sent['id']}/redeliver").json()["deliveries"]
    assert again[0]["status"] == 204
    first, second = receiver.deliveries
    assert first.body == second.body
    assert first.headers["Webhook-Signature"] == second.headers["Webhook-Signature"]
    # A duplicate the receiver refuses is not GoCardless's to retry: it was delivered.
    receiver.answers.append(500)
    http.post(f"{sim.url}/_sim/webhooks/{sent['id']}/redeliver")
    (webhook,) = http.get(f"{sim.url}/_sim/webhooks").json()["webhooks"]
    assert [a["status"] for a in webhook["attempts"]] == [204, 204, 500]
    assert webhook["next_attempt_at"] is None


def test_events_can_arrive_newest_first(
    client: gocardless_pro.Client, sim: GoCardlessSimulator, receiver: Receiver
):
    request = client.billing_requests.create(params={"mandate_request": {"currency": "EUR"}})
    client.billing_request_flows.create(params={"links": {"billing_request": request.id}})
    client.billing_requests.cancel(request.id)
    sent = deliver(sim, order="reverse", separate=True)
    assert len(sent) == 3
    actions = [events_of(d.body)[0][1] for d in receiver.deliveries]
    assert actions == ["cancelled", "flow_created", "created"]
    assert all(d.signature_ok for d in receiver.deliveries)
