"""Shared by the webhook integration tests: capturing domain events and metrics, connecting."""

from __future__ import annotations

import json
from typing import Any

import boto3

from xero_bridge.settings import get_settings


class EventCapture:
    """An EventBridge rule (source xero-bridge) on the product's bus, targeting an SQS queue:
    what other consumers would receive."""

    def __init__(self, name: str = "captured-domain-events") -> None:
        self.name = name
        self.sqs = boto3.client("sqs")
        self.url = self.sqs.create_queue(QueueName=name)["QueueUrl"]
        arn = self.sqs.get_queue_attributes(QueueUrl=self.url, AttributeNames=["QueueArn"])[
            "Attributes"
        ]["QueueArn"]
        events = boto3.client("events")
        bus = get_settings().required("domain_event_bus_name")
        events.put_rule(
            Name=f"{name}-rule",
            EventBusName=bus,
            EventPattern=json.dumps({"source": ["xero-bridge"]}),
        )
        events.put_targets(
            Rule=f"{name}-rule", EventBusName=bus, Targets=[{"Id": "capture", "Arn": arn}]
        )
        self.received: list[dict[str, Any]] = []

    def collect(self) -> list[dict[str, Any]]:
        """Everything the rule delivered so far (read from moto's queue directly: receiving
        900 messages ten at a time through moto's API takes most of a minute)."""
        from moto.sqs.models import sqs_backends

        from devstack.aws import ACCOUNT_ID, REGION

        queue = sqs_backends[ACCOUNT_ID][REGION].queues[self.name]
        messages = list(queue._messages)
        queue._messages.clear()
        self.received.extend(json.loads(message.body) for message in messages)
        return self.received


def emf_blobs(out: str) -> list[dict[str, Any]]:
    """The EMF documents (metrics) among a run's stdout lines."""
    return [json.loads(line) for line in out.splitlines() if line.startswith('{"_aws"')]


def scan_all(table_name: str) -> list[dict[str, Any]]:
    """Every item of a table (verification only; the product never scans)."""
    table = boto3.resource("dynamodb").Table(table_name)
    items: list[dict[str, Any]] = []
    arguments: dict[str, Any] = {"ConsistentRead": True}
    while True:
        page = table.scan(**arguments)
        items.extend(page.get("Items", []))
        if "LastEvaluatedKey" not in page:
            return items
        arguments["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def connect(tenant_ids: list[str], sub: str = "alice") -> None:
    """Connect Xero organisations through the real OAuth flow: POST /xero/connect (the oauth
    handler), the simulator's consent page (submitted with httpx), GET /xero/callback. Needs
    the product pointed at the simulator (the Xero client id/secret in the app secret and the
    XERO_* URLs, as tests/integration/connections/conftest.py's ``xero_env`` does)."""
    from tests.integration.connections.conftest import consent, context, oauth

    start = oauth("POST", "/xero/connect", ctx=context(sub))
    assert start["statusCode"] == 200, start
    params = consent(json.loads(start["body"])["authorize_url"], tenant_ids)
    answer = oauth("GET", "/xero/callback", query=params)
    assert answer["statusCode"] in (200, 302), answer
