"""POST /webhooks/gocardless: signed (498 when not), queued at once, worked on by the rail
worker — each event once, each resource read at GoCardless before anything happens."""

from __future__ import annotations

import json

import boto3

from xero_bridge.rails.callbacks.gocardless import sign
from xero_bridge.rails.gocardless.api import GoCardlessApi

from .conftest import HTTP, STEP


def queued(dd) -> int:
    attributes = boto3.client("sqs").get_queue_attributes(
        QueueUrl=dd.aws["RailCallbackQueue"].ref, AttributeNames=["ApproximateNumberOfMessages"]
    )
    return int(attributes["Attributes"]["ApproximateNumberOfMessages"])


def body_of(events: list[dict]) -> bytes:
    return json.dumps({"events": events, "meta": {"webhook_id": "WB0000TEST"}}).encode()


def test_a_bad_or_missing_signature_is_answered_498_and_nothing_is_queued(dd):
    body = body_of([{"id": "EV0001", "resource_type": "payments", "action": "confirmed",
                     "links": {"payment": "PM0001"}, "details": {}}])  # fmt: skip
    secret = dd.sim.config.webhook_secret
    good = sign(body, secret)
    assert dd.post_webhook({"webhook-signature": sign(body, "another secret")}, body) == 498
    assert dd.post_webhook({"webhook-signature": good[:-1] + "0"}, body[:-1] + b" ") == 498
    assert dd.post_webhook({}, body) == 498
    assert dd.post_webhook({"webhook-signature": "é" * 64}, body) == 498
    assert dd.post_webhook({"webhook-signature": good}, body + b" ") == 498  # body changed
    assert queued(dd) == 0
    assert dd.post_webhook({"webhook-signature": good}, body) == 200
    assert queued(dd) == 1


def test_the_simulators_own_webhooks_are_accepted(dd):
    dd.ask_mandate("Successful")
    [sent] = dd.send()
    [status] = dd.deliver()
    assert status == 200 and sent["status"] == 204  # (the recorder's answer to GoCardless)


def test_events_seen_before_are_not_worked_on_again(dd, monkeypatch):
    dd.active_mandate("Successful")
    dd.collect("successful")
    dd.advance(4 * STEP)
    [webhook] = dd.send()
    reads: list[str] = []
    original = GoCardlessApi.payment

    def counted(self, payment_id):
        reads.append(payment_id)
        return original(self, payment_id)

    monkeypatch.setattr(GoCardlessApi, "payment", counted)
    dd.deliver()
    first = dd.work()
    assert len(reads) == 1  # four events about one payment: one read
    dd.redeliver(webhook["id"])
    dd.deliver()
    dd.work()
    assert len(reads) == 1  # every event of it done already: nothing read
    assert first["failed"] == []


def test_a_webhook_about_someone_elses_payment_changes_nothing(dd):
    import gocardless_pro

    from tests.integration.simulators.gocardless.conftest import ADDRESS

    client = gocardless_pro.Client(access_token=dd.sim.config.access_token, base_url=dd.sim.url)
    request = client.billing_requests.create(params={"mandate_request": {"currency": "EUR"}})
    flow = client.billing_request_flows.create(params={"links": {"billing_request": request.id}})
    dd.authorise(flow.authorisation_url, given_name="Successful", family_name="Other",
                 email="other@example.com", **ADDRESS)  # fmt: skip
    mandate_id = client.billing_requests.get(request.id).links.mandate_request_mandate
    client.payments.create(params={"amount": 100, "currency": "EUR",
                                   "links": {"mandate": mandate_id}})  # fmt: skip
    dd.advance(5 * STEP)
    assert dd.flush()["failed"] == []
    assert dd.connected.sim.created("Payments", dd.tenant) == []


def test_gocardless_unavailable_sends_the_webhook_back_until_it_answers(dd):
    dd.active_mandate("Successful")
    payment = dd.collect("successful").body
    dd.advance(4 * STEP)
    dd.send()
    dd.deliver()
    fault = {"kind": "error", "status": 503, "path_prefix": "/payments/", "method": "GET"}
    assert HTTP.post(f"{dd.sim.url}/_sim/faults", json=fault).status_code == 201
    first = dd.work()
    assert len(first["failed"]) == 1  # back to the queue, its events not marked done
    assert dd.payment(payment["payment_id"])["status"] == "executing"
    again = dd.work()
    assert again["failed"] == []
    assert dd.payment(payment["payment_id"])["status"] == "recorded"
    assert len(dd.xero_payments("successful")) == 1


def test_a_signed_body_that_is_not_a_batch_of_events_is_queued_and_ignored(dd):
    for body in (b"not json", b"[]", b'{"events": "none"}', b'{"events": [{"id": 1}]}'):
        assert dd.post_webhook({"webhook-signature": sign(body, dd.sim.config.webhook_secret)},
                               body) == 200  # fmt: skip
    assert dd.work()["failed"] == []
