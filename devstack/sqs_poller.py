"""Runs the template's SQS event sources locally (moto's SQS invokes no Lambda).

For every function with an `SQS` event, a background thread receives from the queue the
event names (resolved through what the local stack created), invokes the handler with the
event Lambda's event source mapping sends (Records with messageId, receiptHandle, body,
attributes.ApproximateReceiveCount, messageAttributes, eventSourceARN…), and then does what
the mapping does: with `ReportBatchItemFailures`, deletes every message except those in
`batchItemFailures`; without it, deletes all on success; when the handler raises, deletes
none (they come back after their visibility timeout, and the redrive policy applies).
A mapping with `ScalingConfig.MaximumConcurrency` gets that many polling threads, at most
LOCAL_MAX_CONCURRENCY (this machine is not Lambda): enough that one slow invocation does not
hold up the queue behind it.

    poller = SqsPoller(template, functions, physical)
    poller.start()      # background threads
    poller.drain()      # tests: until the queues are empty (or a timeout)
    poller.stop()
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from typing import Any

import boto3

from devstack.lambda_runtime import LocalFunction
from devstack.sim_kit.workers import Workers
from devstack.template import Physical, Resolver, SamTemplate

REGION = "eu-west-1"
_SQS_MAX_RECEIVE = 10
LOCAL_MAX_CONCURRENCY = 2


@dataclass(frozen=True)
class QueueMapping:
    function_id: str
    queue_url: str
    queue_arn: str
    batch_size: int
    batching_window: float
    report_failures: bool
    concurrency: int = 1  # invocations at once (ScalingConfig.MaximumConcurrency)


def queue_mappings(template: SamTemplate, physical: dict[str, Physical]) -> list[QueueMapping]:
    """The template's SQS event sources, with the local queues' URLs and ARNs."""
    resolver = Resolver(template, physical, {}, {})
    by_arn = {p.attributes.get("Arn"): p.ref for p in physical.values()}
    mappings = []
    for function_id in template.functions():
        for event in template.events(function_id, "SQS"):
            arn = str(resolver.resolve(event["Queue"]))
            if arn not in by_arn:
                raise KeyError(f"{function_id}: the local stack has no queue {arn}")
            mappings.append(
                QueueMapping(
                    function_id=function_id,
                    queue_url=by_arn[arn],
                    queue_arn=arn,
                    batch_size=int(event.get("BatchSize", 10)),
                    batching_window=float(event.get("MaximumBatchingWindowInSeconds", 0)),
                    report_failures="ReportBatchItemFailures"
                    in (event.get("FunctionResponseTypes") or []),
                    concurrency=int(
                        (event.get("ScalingConfig") or {}).get("MaximumConcurrency", 1)
                    ),
                )
            )
    return mappings


def sqs_record(message: dict[str, Any], queue_arn: str) -> dict[str, Any]:
    """One Record of the event Lambda's SQS event source mapping sends."""
    attributes = dict(message.get("Attributes") or {})
    attributes.setdefault("ApproximateReceiveCount", "1")
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message.get("Body", ""),
        "attributes": attributes,
        "messageAttributes": {
            name: {
                "stringValue": value.get("StringValue"),
                "binaryValue": value.get("BinaryValue"),
                "stringListValues": [],
                "binaryListValues": [],
                "dataType": value.get("DataType", "String"),
            }
            for name, value in (message.get("MessageAttributes") or {}).items()
        },
        "md5OfBody": message.get("MD5OfBody")
        or hashlib.md5(message.get("Body", "").encode(), usedforsecurity=False).hexdigest(),
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": REGION,
    }


class SqsPoller:
    def __init__(
        self,
        template: SamTemplate,
        functions: dict[str, LocalFunction],
        physical: dict[str, Physical],
        *,
        max_window: float = 0.5,
        idle_sleep: float = 0.2,
    ) -> None:
        self.functions = functions
        self.mappings = queue_mappings(template, physical)
        # The deployed window (seconds) would make `make dev` feel stuck: cap it locally.
        self.max_window = max_window
        self.idle_sleep = idle_sleep
        self._workers = Workers()
        self._sqs = boto3.client("sqs", region_name=REGION)
        self.invocations = 0
        self.errors: list[str] = []

    # ------------------------------------------------------------------ one poll
    def _receive(self, mapping: QueueMapping) -> list[dict[str, Any]]:
        messages: list[dict[str, Any]] = []
        deadline = time.monotonic() + min(mapping.batching_window, self.max_window)
        while len(messages) < mapping.batch_size:
            batch = self._sqs.receive_message(
                QueueUrl=mapping.queue_url,
                MaxNumberOfMessages=min(_SQS_MAX_RECEIVE, mapping.batch_size - len(messages)),
                AttributeNames=["All"],
                MessageAttributeNames=["All"],
                WaitTimeSeconds=0,
            ).get("Messages", [])
            messages.extend(batch)
            if not batch and (not messages or time.monotonic() >= deadline):
                break
            if not batch:
                time.sleep(0.05)
        return messages

    def poll(self, mapping: QueueMapping) -> int:
        """Receive one batch, invoke the function, delete what succeeded; the batch's size."""
        messages = self._receive(mapping)
        if not messages:
            return 0
        event = {"Records": [sqs_record(m, mapping.queue_arn) for m in messages]}
        self.invocations += 1
        try:
            result = self.functions[mapping.function_id].invoke(event)
        except Exception as exc:  # as Lambda: nothing deleted, all come back later
            self.errors.append(f"{mapping.function_id}: {type(exc).__name__}: {exc}")
            return len(messages)
        failed: set[str] = set()
        if mapping.report_failures and isinstance(result, dict):
            failed = {
                str(item.get("itemIdentifier")) for item in result.get("batchItemFailures") or []
            }
        done = [m for m in messages if m["MessageId"] not in failed]
        for start in range(0, len(done), _SQS_MAX_RECEIVE):
            chunk = done[start : start + _SQS_MAX_RECEIVE]
            self._sqs.delete_message_batch(
                QueueUrl=mapping.queue_url,
                Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(chunk)
                ],
            )
        return len(messages)

    def run_once(self) -> int:
        """Poll every mapped queue once; how many messages were handed to functions."""
        return sum(self.poll(mapping) for mapping in self.mappings)

    def pending(self) -> int:
        """Messages still in the mapped queues: visible, in flight, or delayed."""
        total = 0
        for mapping in self.mappings:
            found = self._sqs.get_queue_attributes(
                QueueUrl=mapping.queue_url,
                AttributeNames=[
                    "ApproximateNumberOfMessages",
                    "ApproximateNumberOfMessagesNotVisible",
                    "ApproximateNumberOfMessagesDelayed",
                ],
            )["Attributes"]
            total += int(found.get("ApproximateNumberOfMessages", 0))
            total += int(found.get("ApproximateNumberOfMessagesNotVisible", 0))
            total += int(found.get("ApproximateNumberOfMessagesDelayed", 0))
        return total

    def drain(self, timeout: float = 60.0) -> bool:
        """Poll until every mapped queue is empty (True) or `timeout` passes (False)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.run_once() == 0:
                if self.pending() == 0:
                    return True
                time.sleep(self.idle_sleep)  # messages waiting out a retry delay
        return self.pending() == 0

    # ------------------------------------------------------------------ threads
    def _loop(self, mapping: QueueMapping) -> None:
        while not self._workers.stopping.is_set():
            try:
                handled = self.poll(mapping)
            except Exception as exc:  # moto stopping, a transient error: keep polling
                self.errors.append(f"poller: {type(exc).__name__}: {exc}")
                handled = 0
            if not handled:
                self._workers.stopping.wait(self.idle_sleep)

    def start(self) -> None:
        for mapping in self.mappings:
            for n in range(max(1, min(mapping.concurrency, LOCAL_MAX_CONCURRENCY))):
                self._workers.spawn(self._loop, mapping, name=f"sqs-{mapping.function_id}-{n}")

    def stop(self) -> None:
        self._workers.stop()
