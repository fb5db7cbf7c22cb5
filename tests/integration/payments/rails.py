"""What the payment rails' fixtures (solaris/, gocardless/, saferpay/, okx/) share: the recorder
standing in for our callback endpoint, the rail worker run on its queue as its SQS mapping
would, the lifecycle events kept instead of sent, and the requests to the payments handler."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import boto3
import pytest
from werkzeug.wrappers import Request, Response

from devstack.lambda_runtime import LocalFunction
from devstack.sqs_poller import sqs_record
from devstack.template import ROOT
from tests.events import call_handler, http_api_event
from tests.fixtures.connected import Connected
from tests.fixtures.loopback import serving
from tests.integration.payments.conftest import Answer
from xero_bridge.webhooks.publisher import DomainEvent


@dataclass
class Recorder[T]:
    """Stands in for our callback endpoint: keeps what the rail sends, answers `status`."""

    status: int = 200
    url: str = ""
    kept: list[T] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def keep(self, request: Request) -> T:
        raise NotImplementedError

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        with self.lock:
            self.kept.append(self.keep(request))
        return Response("", status=self.status)(environ, start_response)

    def take(self) -> list[T]:
        with self.lock:
            taken, self.kept = self.kept, []
        return taken


class WebhookRecorder(Recorder[tuple[dict[str, str], bytes]]):
    """Keeps each webhook's headers and raw body."""

    def keep(self, request: Request) -> tuple[dict[str, str], bytes]:
        return dict(request.headers), request.get_data()


class PathRecorder(Recorder[str]):
    """Keeps the path each notification asked for."""

    def keep(self, request: Request) -> str:
        return request.path


def recording[R: Recorder[Any]](recorder: R, path: str = "") -> Iterator[R]:
    """`recorder` served on loopback for the session, its `url` the base URL + `path`:
    `yield from recording(WebhookRecorder(), "/webhooks/solaris")`."""
    with serving(recorder) as base:
        recorder.url = base + path
        yield recorder


def set_environment(monkeypatch: pytest.MonkeyPatch, values: dict[str, str]) -> None:
    for name, value in values.items():
        monkeypatch.setenv(name, value)


def work_queue(aws: Any, *, release_failed: bool = False) -> dict[str, Any]:
    """Run the rail worker on everything the intake queued (as its SQS mapping would), a
    batch of up to 10 at a time, until the queue is empty or a batch reports failures:
    {"batches": n, "failed": [message ids]}. A failed message stays in flight, or with
    `release_failed` is visible again at once (the next run is "later")."""
    sqs = boto3.client("sqs")
    url = aws["RailCallbackQueue"].ref
    arn = aws["RailCallbackQueue"].attributes["Arn"]
    results: dict[str, Any] = {"batches": 0, "failed": []}
    while True:
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        if not messages:
            return results
        answer = call_handler("rail_worker", {"Records": [sqs_record(m, arn) for m in messages]})
        results["batches"] += 1
        failed = {f["itemIdentifier"] for f in answer.get("batchItemFailures", [])}
        results["failed"].extend(sorted(failed))
        for message in messages:
            receipt = message["ReceiptHandle"]
            if message["MessageId"] not in failed:
                sqs.delete_message(QueueUrl=url, ReceiptHandle=receipt)
            elif release_failed:
                sqs.change_message_visibility(
                    QueueUrl=url, ReceiptHandle=receipt, VisibilityTimeout=0
                )
        if failed:
            return results


def work_queue_in_parallel(aws: Any) -> list[dict[str, Any]]:
    """Each queued message to a rail worker of its own, all at the same moment (the worker
    runs two at a time in AWS): their answers. Each worker is an instance of its own, as
    Lambda's would be; the messages they took are deleted."""
    sqs = boto3.client("sqs")
    url = aws["RailCallbackQueue"].ref
    arn = aws["RailCallbackQueue"].attributes["Arn"]
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    worker = LocalFunction("rail_worker", ROOT / "functions" / "rail_worker", "app.lambda_handler")
    worker.provision(len(messages))
    start = threading.Barrier(len(messages), timeout=30)
    answers: list[dict[str, Any]] = [{} for _ in messages]

    def run(index: int) -> None:
        start.wait()
        answers[index] = worker.invoke({"Records": [sqs_record(messages[index], arn)]})

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(messages))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    for message in messages:
        sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    return answers


class EventLog:
    """Records the lifecycle events instead of EventBridge."""

    def __init__(self) -> None:
        self.events: list[DomainEvent] = []

    def publish(self, batch: Any) -> list[bool]:
        self.events.extend(batch)
        return [True] * len(batch)

    def types_for(self, payment_id: str) -> list[str]:
        return [e.detail_type for e in self.events if e.detail.get("payment_id") == payment_id]


def idempotency_headers(method: str, key: str | None) -> dict[str, str]:
    """The Idempotency-Key header a POST carries: `key`, a fresh one for "auto", none for
    None; GETs carry none."""
    if key == "auto" and method == "POST":
        key = str(uuid.uuid4())
    return {"idempotency-key": key} if key and method == "POST" else {}


def get_payment(tenant: str, payment_id: str) -> Answer:
    """GET /tenants/{tenant}/payments/{payment_id} as alice (payments:write)."""
    event = http_api_event(
        "GET", f"/tenants/{tenant}/payments/{payment_id}",
        route_key="GET /tenants/{tenantId}/payments/{paymentId}",
        path_parameters={"tenantId": tenant, "paymentId": payment_id},
        authorizer_context=Connected.context("alice", "payments:write"),
    )  # fmt: skip
    return Answer(call_handler("payments", event))
