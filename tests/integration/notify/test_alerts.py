"""Alerts end to end in moto: from the event (or the sweep) through the alert queue to Slack,
Discord (the local receiver) and e-mail (moto's SES), once per hour per channel."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import boto3
import pytest

from devstack.receiver import Behaviour, Receiver
from tests.events import call_handler
from tests.integration.connections.conftest import (  # noqa: F401  (fixtures)
    connect_user,
    start,
    xero_env,
)
from tests.integration.notify.conftest import TENANT, api, poller, publish, sent_emails
from xero_bridge.notify.alerting import AlertSender
from xero_bridge.notify.alerts import Alert
from xero_bridge.notify.sweep import Sweep
from xero_bridge.persistence import payments
from xero_bridge.persistence.connections import get_connection
from xero_bridge.settings import get_settings


def channel(kind: str, target: str, alerts: list[str], tenant: str = TENANT) -> dict[str, Any]:
    body = {"kind": kind, "target": target, "alerts": alerts}
    answer = api("POST", f"/tenants/{tenant}/notification_channels", body=body)
    assert answer.status == 201, answer.body
    return answer.body


def slack_texts(receiver: Receiver) -> list[str]:
    return [json.loads(c.body)["text"] for c in receiver.calls("/slack/") if c.answered == 200]


def test_a_revoked_refresh_token_alerts_slack_and_email_once(
    notify,
    receiver,
    xero_env,  # noqa: F811
    connect_user,  # noqa: F811
    monkeypatch,
) -> None:
    from devstack.xero_simulator import DEMO_TENANT_A

    assert connect_user("root", [DEMO_TENANT_A])["statusCode"] in (200, 302)
    channel("slack", receiver.slack_url(), ["connection.needs_reconnect"], DEMO_TENANT_A)
    channel("email", "ops@example.com", ["*"], DEMO_TENANT_A)
    channel("slack", receiver.slack_url("PAYMENTS"), ["payment.failed"], DEMO_TENANT_A)
    xero_env.clock.advance(61 * 86400)  # Xero no longer honours the refresh token
    monkeypatch.setenv("TOKEN_REFRESH_WINDOW_SECONDS", "1500")
    get_settings.cache_clear()
    scheduled = {"detail-type": "Scheduled Event", "source": "aws.events"}
    assert call_handler("token_refresh", scheduled)["needs_reconnect"] == 1
    run = poller(notify)
    assert run.drain(timeout=30)
    # The same news again (another refresh noticing it): no second alert within the hour.
    publish("xero.connection.needs_reconnect", {"tenant_ids": [DEMO_TENANT_A]})
    assert run.drain(timeout=30)
    [text] = slack_texts(receiver)
    assert "Xero connection needs reconnecting" in text
    name = get_connection(DEMO_TENANT_A).tenant_name
    assert name and f"needs reconnecting — {name}" in text  # the organisation's name
    assert "<https://console.example.com/connections|Open in the console>" in text
    assert receiver.calls("/slack/services/T0DEMO/BPAYMENTS") == []  # not its alert type
    [mail] = sent_emails()
    assert mail.destinations["ToAddresses"] == ["ops@example.com"]
    assert "needs reconnecting" in mail.subject


def _pending_payment(payment_id: str = "pay-0001", status: str = "pending_approval") -> Any:
    record = payments.new_record(
        tenant_id=TENANT,
        payment_id=payment_id,
        status=status,
        amount=Decimal("12500.00"),
        currency_code="EUR",
        invoice_number="INV-0042",
        date="2026-01-05",
        request_hash="h",
        submitted_by="alice",
        rail="xero",
    )
    assert payments.create(record) is not None
    return record


def _payment_event(record: Any, status: str, **extra: Any) -> None:
    detail = {
        "tenant_id": record.tenant_id,
        "payment_id": record.payment_id,
        "status": status,
        "rail": record.rail,
        "rail_status": None,
        "rail_reference": None,
        "amount": str(record.amount),
        "currency_code": record.currency_code,
        "invoice_id": None,
        "invoice_number": record.invoice_number,
        **extra,
    }
    publish(f"payment.{status}", detail)


def test_a_payment_waiting_for_approval_too_long_alerts_once_not_every_sweep(
    notify, receiver, monkeypatch
) -> None:
    monkeypatch.setenv("PAYMENT_APPROVAL_ALERT_AFTER_SECONDS", "0")  # the limit, already past
    get_settings.cache_clear()
    channel("slack", receiver.slack_url(), ["payment.approval_overdue"])
    waiting = _pending_payment("pay-waiting")
    approved = _pending_payment("pay-approved")
    _payment_event(waiting, "pending_approval")
    _payment_event(approved, "pending_approval")
    run = poller(notify)
    assert run.drain(timeout=30)  # the watches are set
    payments.transition(TENANT, approved.payment_id, "pending_approval", "submitted")
    for _ in range(3):  # three sweeps, a minute apart
        Sweep().run()
        assert run.drain(timeout=30)
    [text] = slack_texts(receiver)
    assert "Payment waiting for approval" in text and "12500.00 EUR" in text
    assert "INV-0042" in text
    assert "/tenants/tenant-notify-a/payments/pay-waiting" in text


def test_a_payment_that_failed_or_was_declined_alerts(notify, receiver) -> None:
    channel("discord", receiver.discord_url(), ["payment.failed"])
    failed = _pending_payment("pay-failed", "failed")
    declined = _pending_payment("pay-declined", "failed")
    _payment_event(failed, "failed", failure=[{"message": "Account is archived"}])
    _payment_event(declined, "failed", rail="solaris_sepa", rail_status="declined")
    _payment_event(failed, "recorded")  # no alert for good news
    assert poller(notify).drain(timeout=30)
    contents = sorted(json.loads(c.body)["content"] for c in receiver.calls("/discord/"))
    assert len(contents) == 2
    assert "Payment declined" in contents[0] and "solaris_sepa (declined)" in contents[0]
    assert "Payment failed" in contents[1] and "Account is archived" in contents[1]


def test_a_payment_stuck_on_its_rail_alerts_and_one_that_moved_on_does_not(
    notify, receiver, monkeypatch
) -> None:
    monkeypatch.setenv("PAYMENT_STUCK_ALERT_AFTER_SECONDS", "0")
    get_settings.cache_clear()
    channel("slack", receiver.slack_url(), ["payment.stuck"])
    stuck = _pending_payment("pay-stuck", "executing")
    _payment_event(stuck, "executing", rail="solaris_sepa", rail_status="accepted")
    run = poller(notify)
    assert run.drain(timeout=30)
    Sweep().run()
    assert run.drain(timeout=30)
    [text] = slack_texts(receiver)
    assert "Payment stuck on its rail (executing)" in text


def _dead_letter(aws: dict[str, Any], tenants: list[str]) -> None:
    events = [
        {"tenantId": t, "eventCategory": "INVOICE", "resourceId": "x", "eventType": "UPDATE"}
        for t in tenants
    ]
    boto3.client("sqs").send_message(
        QueueUrl=aws["WebhookDeadLetterQueue"].ref,
        MessageBody=json.dumps({"events": events, "firstEventSequence": 1}),
        MessageAttributes={"body-encoding": {"DataType": "String", "StringValue": "identity"}},
    )


def test_dead_letters_alert_the_tenants_they_name_once_an_hour(notify, receiver) -> None:
    channel("slack", receiver.slack_url(), ["webhook.dead_letters"])
    _dead_letter(notify, [TENANT, "another-tenant"])
    _dead_letter(notify, [TENANT])
    run = poller(notify)
    for _ in range(2):
        Sweep().run()
        assert run.drain(timeout=30)
    [text] = slack_texts(receiver)
    assert "Dead letters in the webhook queue" in text and "2 Xero webhooks" in text
    left = boto3.client("sqs").get_queue_attributes(
        QueueUrl=notify["WebhookDeadLetterQueue"].ref,
        AttributeNames=["ApproximateNumberOfMessages"],
    )
    assert left["Attributes"]["ApproximateNumberOfMessages"] == "2"  # looked at, not taken


def test_the_same_alert_goes_again_only_after_an_hour(notify, receiver) -> None:
    channel("slack", receiver.slack_url(), ["*"])
    now = [1_800_000_000.0]
    sender = AlertSender(clock=lambda: now[0])
    alert = Alert("payment.failed", TENANT, "payment.failed:p1", "Payment failed", ["12.00 EUR"])
    sender.deliver(alert)
    now[0] += 3599
    sender.deliver(alert)
    assert len(slack_texts(receiver)) == 1
    sender.deliver(Alert("payment.failed", TENANT, "payment.failed:p2", "Payment failed"))
    assert len(slack_texts(receiver)) == 2  # another alert is news
    now[0] += 2
    sender.deliver(alert)
    assert len(slack_texts(receiver)) == 3


def _give_back(queue_url: str) -> None:
    """What SQS does when a failed message's visibility timeout ends: visible again."""
    from moto.sqs.models import sqs_backends

    from devstack.aws import ACCOUNT_ID, REGION

    queue = sqs_backends[ACCOUNT_ID][REGION].queues[queue_url.rsplit("/", 1)[-1]]
    for message in queue._messages:
        message.change_visibility(0)


def test_an_alert_a_channel_refused_is_sent_on_the_retry(notify, receiver) -> None:
    channel("slack", receiver.slack_url(), ["*"])
    receiver.behave(Behaviour("/slack/", statuses=[500]))
    publish("xero.connection.needs_reconnect", {"tenant_ids": [TENANT]})
    run = poller(notify)
    assert not run.drain(timeout=3)  # the alert failed: its message waits to come back
    assert [c.answered for c in receiver.calls("/slack/")] == [500]
    _give_back(notify["AlertQueue"].ref)
    assert run.drain(timeout=30)
    assert [c.answered for c in receiver.calls("/slack/")] == [500, 200]


@pytest.mark.parametrize("alerts", [["payment.failed"], ["webhook.dead_letters"]])
def test_a_channel_hears_only_its_alert_types(notify, receiver, alerts) -> None:
    channel("slack", receiver.slack_url(), alerts)
    publish("xero.connection.needs_reconnect", {"tenant_ids": [TENANT]})
    assert poller(notify).drain(timeout=30)
    assert receiver.calls("/slack/") == []
