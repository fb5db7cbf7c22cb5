"""Webhook deliveries through the local stack: deliveries per second, and the latency a change
gains between its domain event and its delivery.

moto runs in server mode (as in `make dev`), provisioned from template.yaml with the
EventBridge rule to the notify queue; the template's SQS event sources are polled by the local
poller's threads (as in `make dev`: 0.2 s between empty polls, up to 2 threads per mapping);
the fan-out and the delivery functions are the real handlers; endpoints are the local
receiver. Each delivery is signed, stored with its attempt, and POSTed over loopback.

1. Throughput: N endpoints of one tenant, M contact changes published on the bus in
   PutEvents batches of 10; deliveries per second from the first publication to the last
   delivery (M x N deliveries).
2. Latency: one change at a time, K times: from PutEvents returning to every endpoint
   holding its signed POST (bus -> rule -> queue -> fan-out -> queue -> delivery -> receiver).

    .venv/bin/python bench/notify.py [--endpoints 5] [--changes 100] [--samples 20]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "shared")]

from devstack.aws import Provisioner, aws_environment, start_moto  # noqa: E402
from devstack.events import http_api_event  # noqa: E402
from devstack.lambda_runtime import LocalContext, LocalFunction, load_handler_module  # noqa: E402
from devstack.receiver import Receiver  # noqa: E402
from devstack.sqs_poller import SqsPoller  # noqa: E402
from devstack.template import SamTemplate  # noqa: E402

TENANT = "bench-tenant"
FUNCTIONS = ("NotifyFanoutFunction", "WebhookDeliveryFunction")


def _stack(template: SamTemplate) -> tuple[Any, dict[str, Any]]:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's line per request
    server, url = start_moto(0)
    os.environ.update(aws_environment(url))
    physical = Provisioner(template, {}).provision()
    for function_id in template.functions():
        os.environ.update(template.function_environment(function_id, physical, {}, {}))
    os.environ.pop("POWERTOOLS_SERVICE_NAME", None)
    os.environ.update(
        {
            "APP_ENV": "local",
            "NOTIFY_ALLOW_LOOPBACK": "true",
            "POWERTOOLS_LOG_LEVEL": "WARNING",  # a log line per batch is not the bench
            "POWERTOOLS_METRICS_NAMESPACE": "XeroBridgeBench",
        }
    )
    return server, physical


def _endpoints(receiver: Receiver, count: int) -> None:
    from xero_bridge.auth.principal import Principal
    from xero_bridge.persistence import grants

    grants.grant("bench-admin", TENANT, "bench", via="admin")
    module, _ = load_handler_module(
        ROOT / "functions" / "notify_api", "app.lambda_handler", "b_api"
    )
    context = Principal(sub="bench-admin", groups=["admin"]).to_context()
    for n in range(count):
        body = {"url": f"{receiver.url}/hooks/bench-{n}", "events": ["contact.*"]}
        event = http_api_event(
            "POST", f"/tenants/{TENANT}/webhook_endpoints", body=body, authorizer_context=context
        )
        answer = module.lambda_handler(event, LocalContext(function_name="notify_api"))
        assert answer["statusCode"] == 201, answer


def _entry(bus: str, serial: int) -> dict[str, Any]:
    contact = f"00000000-0000-4000-8000-{serial:012d}"
    detail = {
        "tenant_id": TENANT,
        "category": "CONTACT",
        "resource_id": contact,
        "change_id": f"{TENANT}:CONTACT#{contact}:{1_767_225_600_000 + serial}",
        "summary": {"name": f"Contact {serial}"},
    }
    return {
        "EventBusName": bus,
        "Source": "xero-bridge",
        "DetailType": "xero.contact.updated",
        "Detail": json.dumps(detail),
    }


def _wait(receiver: Receiver, count: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if len(receiver.calls("/hooks/")) >= count:
            return True
        time.sleep(0.005)
    return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoints", type=int, default=5)
    parser.add_argument("--changes", type=int, default=100)
    parser.add_argument("--samples", type=int, default=20)
    args = parser.parse_args(argv)
    import boto3

    template = SamTemplate()
    server, physical = _stack(template)
    receiver = Receiver()
    receiver.start()
    functions = {}
    for function_id in FUNCTIONS:
        code_dir, handler = template.function_code(function_id)
        functions[function_id] = LocalFunction(function_id, code_dir, handler, 60)
    poller = SqsPoller(template, functions, physical)
    poller.mappings = [m for m in poller.mappings if m.function_id in FUNCTIONS]
    events = boto3.client("events")
    bus = physical["EventBus"].ref
    try:
        _endpoints(receiver, args.endpoints)
        poller.start()
        # warm-up: the handlers' first (cold) invocations are not the figure
        events.put_events(Entries=[_entry(bus, 10**9)])
        assert _wait(receiver, args.endpoints, 60), "the warm-up was not delivered"
        receiver.reset()

        expected = args.changes * args.endpoints
        started = time.monotonic()
        for first in range(0, args.changes, 10):
            batch = range(first, min(args.changes, first + 10))
            events.put_events(Entries=[_entry(bus, n) for n in batch])
        delivered = _wait(receiver, expected, 300)
        elapsed = time.monotonic() - started
        got = len(receiver.calls("/hooks/"))

        receiver.reset()
        latencies = []
        for n in range(args.samples):
            sent = time.monotonic()
            events.put_events(Entries=[_entry(bus, 10**6 + n)])
            if _wait(receiver, (n + 1) * args.endpoints, 60):
                first_call = min(
                    c.received_at for c in receiver.calls("/hooks/")[-args.endpoints :]
                )
                latencies.append(first_call - (time.time() - (time.monotonic() - sent)))
    finally:
        poller.stop()
        receiver.stop()
        server.stop()

    print(f"endpoints: {args.endpoints}, changes: {args.changes}, deliveries: {got}/{expected}")
    rate = got / elapsed
    print(f"throughput: {rate:.1f} deliveries/s ({elapsed:.1f} s, all delivered: {delivered})")
    if latencies:
        ordered = sorted(latencies)
        median = statistics.median(ordered) * 1000
        p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000
        print(
            f"added latency, domain event -> delivery: median {median:.0f} ms, p95 {p95:.0f} ms"
            f" over {len(ordered)} changes"
        )
    print("(moto serialises AWS calls, ~11 ms each here; a delivery makes 5 of them)")
    print(f"poller errors: {len(poller.errors)}")
    return 0 if delivered else 1


if __name__ == "__main__":
    sys.exit(main())
