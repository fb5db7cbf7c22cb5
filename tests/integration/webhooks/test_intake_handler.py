"""POST /webhooks/xero in-process: the handler as Lambda runs it, moto's SQS and secret."""

from __future__ import annotations

import base64
import io
import json
from typing import Any

import boto3
import pytest

from tests.events import call_handler, http_api_event
from tests.fixtures.aws import TEST_SECRET
from xero_bridge.webhooks.signature import sign

KEY = TEST_SECRET["xero_webhook_key"]
ROUTE = "POST /webhooks/xero"


def delivery(*events: dict[str, Any]) -> bytes:
    document = {
        "events": list(events),
        "firstEventSequence": 1,
        "lastEventSequence": max(1, len(events)),
        "entropy": "S0m3r4Nd0mt3xt",
    }
    return json.dumps(document).encode()


def invoice_event(resource_id: str = "0e64a623-c2a1-446a-93ed-eb897f118cbc") -> dict[str, Any]:
    return {
        "resourceUrl": f"https://api.xero.com/api.xro/2.0/Invoices/{resource_id}",
        "resourceId": resource_id,
        "eventDateUtc": "2024-06-21T01:15:39.902",
        "eventType": "UPDATE",
        "eventCategory": "INVOICE",
        "tenantId": "c2cc9b6e-9458-4c7d-93cc-f02b81b0594f",
        "tenantType": "ORGANISATION",
    }


def post(body: bytes, signature: str | None, content_type: str = "application/json") -> Any:
    headers = {"content-type": content_type}
    if signature is not None:
        headers["x-xero-signature"] = signature
    event = http_api_event("POST", "/webhooks/xero", route_key=ROUTE, headers=headers, body=body)
    return call_handler("webhook_intake", event)


def queued(aws: dict[str, Any]) -> list[dict[str, Any]]:
    sqs = boto3.client("sqs")
    url = aws["WebhookQueue"].ref
    found = []
    while True:
        batch = sqs.receive_message(
            QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"]
        ).get("Messages", [])
        if not batch:
            return found
        found.extend(batch)


def test_a_valid_delivery_is_queued_unchanged_and_answered_200_empty(aws):
    body = delivery(invoice_event())
    answer = post(body, sign(body, KEY))
    assert answer["statusCode"] == 200
    assert answer["body"] == ""
    messages = queued(aws)
    assert len(messages) == 1
    assert messages[0]["Body"].encode() == body  # byte for byte what Xero signed
    assert messages[0]["MessageAttributes"]["body-encoding"]["StringValue"] == "identity"


def test_a_base64_encoded_event_body_is_verified_over_the_decoded_raw_bytes(aws):
    body = delivery(invoice_event())
    event = http_api_event(
        "POST",
        "/webhooks/xero",
        route_key=ROUTE,
        headers={"content-type": "application/octet-stream", "x-xero-signature": sign(body, KEY)},
        body=body,
    )
    assert event["isBase64Encoded"] is True
    assert call_handler("webhook_intake", event)["statusCode"] == 200
    assert queued(aws)[0]["Body"].encode() == body


@pytest.mark.parametrize(
    "case", ["one_byte_altered", "missing_header", "other_key", "garbage", "empty_header"]
)
def test_wrong_signatures_are_401_with_an_empty_body_and_nothing_queued(aws, case):
    body = delivery(invoice_event())
    good = sign(body, KEY)
    if case == "one_byte_altered":
        altered = bytearray(body)
        altered[10] ^= 0x01
        answer = post(bytes(altered), good)
    elif case == "missing_header":
        answer = post(body, None)
    elif case == "other_key":
        answer = post(body, sign(body, "someone-elses-key"))
    elif case == "garbage":
        answer = post(body, "bm90IGEgc2lnbmF0dXJl")
    else:
        answer = post(body, "")
    assert answer["statusCode"] == 401
    assert answer["body"] == ""
    assert queued(aws) == []


def test_intent_to_receive_right_signature_is_200_and_not_queued(aws):
    body = delivery()
    answer = post(body, sign(body, KEY))
    assert (answer["statusCode"], answer["body"]) == (200, "")
    assert queued(aws) == []


def test_intent_to_receive_wrong_signature_is_401(aws):
    body = delivery()
    answer = post(body, sign(body, "wrong-key"))
    assert (answer["statusCode"], answer["body"]) == (401, "")


def test_a_signed_body_we_cannot_parse_is_still_queued_never_lost(aws):
    body = b"\xff\xfe not json"
    answer = post(body, sign(body, KEY), content_type="application/octet-stream")
    assert answer["statusCode"] == 200
    [message] = queued(aws)
    assert message["MessageAttributes"]["body-encoding"]["StringValue"] == "base64"
    assert base64.b64decode(message["Body"]) == body


def test_when_the_queue_is_unreachable_xero_is_told_to_retry(aws, monkeypatch):
    from xero_bridge.webhooks import queue

    def broken(*args: Any, **kwargs: Any) -> str:
        raise RuntimeError("sqs down")

    monkeypatch.setattr(queue, "send", broken)
    body = delivery(invoice_event())
    answer = post(body, sign(body, KEY))
    assert answer["statusCode"] == 503
    assert answer["body"] == ""


def test_the_signature_and_key_never_reach_the_log(aws):
    from xero_bridge.observability import logger

    stream = io.StringIO()
    previous = logger.logger_handler.setStream(stream)
    try:
        body = delivery(invoice_event())
        signature = sign(body, KEY)
        post(body, signature)
        post(body, sign(body, "x"))
    finally:
        logger.logger_handler.setStream(previous)
    logged = stream.getvalue()
    assert "webhook delivery" in logged
    assert signature not in logged
    assert KEY not in logged
