"""Xero webhooks: Xero calls spent per 100 invoice events, and intake latency per delivery.

1. Calls: 100 invoice changes (the simulator's own events, delivered by its signed webhook
   sender through the local gateway to the real intake handler), the SQS poller runs the
   worker; the figure is the simulator's call counter for the tenant, beside what one call
   per event would cost. Duplicate deliveries are added to show they cost nothing.
2. Intake latency: the intake handler invoked in-process (moto's SQS and Secrets Manager)
   for N signed deliveries, median and p95, beside a bare baseline in the same run: HMAC
   of the body, constant-time compare, one SQS SendMessage with the same client.

    .venv/bin/python bench/webhooks.py [--deliveries 500]
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "shared")]

from moto import mock_aws  # noqa: E402

from devstack.aws import REGION, Provisioner, make_moto_atomic  # noqa: E402
from devstack.events import http_api_event  # noqa: E402
from devstack.lambda_runtime import LocalContext, load_handler_module  # noqa: E402
from devstack.template import SamTemplate  # noqa: E402

KEY = "bench-webhook-key"
SECRET = {"xero_webhook_key": KEY, "xero_client_id": "bench", "xero_client_secret": "bench"}


def _fresh_aws_environment() -> None:
    from bench._environment import offline_aws_environment

    offline_aws_environment()


def _provision(template: SamTemplate, secret: dict[str, str]) -> dict[str, Any]:
    physical = Provisioner(template, secret).provision()
    for function_id in template.functions():
        os.environ.update(template.function_environment(function_id, physical, {}, {}))
    os.environ.pop("POWERTOOLS_SERVICE_NAME", None)
    os.environ["POWERTOOLS_LOG_LEVEL"] = "WARNING"  # a log line per delivery is not the bench
    from aws_lambda_powertools.utilities import parameters

    from xero_bridge.persistence.dynamodb import reset_clients
    from xero_bridge.settings import get_settings
    from xero_bridge.webhooks.queue import reset_client

    get_settings.cache_clear()
    reset_clients()
    reset_client()
    parameters.clear_caches()
    return physical


def _delivery(events: int = 3) -> bytes:
    tenant = str(uuid.uuid4())
    return json.dumps(
        {
            "events": [
                {
                    "resourceUrl": f"https://api.xero.com/api.xro/2.0/Invoices/{uuid.uuid4()}",
                    "resourceId": str(uuid.uuid4()),
                    "eventDateUtc": "2024-06-21T01:15:39.902",
                    "eventType": "UPDATE",
                    "eventCategory": "INVOICE",
                    "tenantId": tenant,
                    "tenantType": "ORGANISATION",
                }
                for _ in range(events)
            ],
            "firstEventSequence": 1,
            "lastEventSequence": events,
            "entropy": uuid.uuid4().hex[:20].upper(),
        }
    ).encode()


def _empty_moto_queue(name: str) -> None:
    """Drop moto's in-memory messages (PurgeQueue allows one call a minute)."""
    from moto.sqs.models import sqs_backends

    from devstack.aws import ACCOUNT_ID

    sqs_backends[ACCOUNT_ID][REGION].queues[name]._messages.clear()


def _stats(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * len(ordered)) - 1)]
    return statistics.median(ordered), p95


def intake_latency(deliveries: int) -> dict[str, tuple[float, float]]:
    _fresh_aws_environment()
    make_moto_atomic()
    template = SamTemplate()
    with mock_aws():
        physical = _provision(template, SECRET)
        code_dir, handler = template.function_code("WebhookIntakeFunction")
        module, name = load_handler_module(code_dir, handler, "bench_webhook_intake")
        intake = getattr(module, name)
        from xero_bridge.webhooks.queue import sqs_client

        queue_url = physical["WebhookQueue"].ref
        client = sqs_client()

        def handler_once(body: bytes) -> None:
            signature = base64.b64encode(hmac.new(KEY.encode(), body, hashlib.sha256).digest())
            event = http_api_event(
                "POST",
                "/webhooks/xero",
                headers={
                    "content-type": "application/json",
                    "x-xero-signature": signature.decode(),
                },
                body=body,
            )
            answer = intake(event, LocalContext(function_name="webhook_intake"))
            assert answer["statusCode"] == 200, answer

        def baseline_once(body: bytes) -> None:
            expected = base64.b64encode(hmac.new(KEY.encode(), body, hashlib.sha256).digest())
            given = base64.b64encode(hmac.new(KEY.encode(), body, hashlib.sha256).digest())
            assert hmac.compare_digest(expected, given)
            client.send_message(QueueUrl=queue_url, MessageBody=body.decode())

        bodies = [_delivery() for _ in range(deliveries)]
        for body in bodies[:20]:  # warm: secret cached, clients created, code paths hot
            handler_once(body)
            baseline_once(body)
        timings: dict[str, list[float]] = {"intake handler": [], "baseline": []}
        # Interleaved, so both see the same queue; emptied every 50 (outside the timings):
        # moto's SendMessage slows as its in-memory queue grows, SQS's does not.
        for index, body in enumerate(bodies):
            if index % 50 == 0:
                _empty_moto_queue("WebhookQueue")
            started = time.perf_counter()
            handler_once(body)
            timings["intake handler"].append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            baseline_once(body)
            timings["baseline"].append((time.perf_counter() - started) * 1000)
    return {name: _stats(values) for name, values in timings.items()}


def xero_calls_per_100_events() -> dict[str, Any] | None:
    """The simulator-backed measurement (None when the simulator is not in this checkout)."""
    try:
        from bench._webhooks_sim import measure_calls
    except ImportError:
        return None
    return measure_calls()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deliveries", type=int, default=500)
    args = parser.parse_args()

    _fresh_aws_environment()
    calls = xero_calls_per_100_events()
    if calls is None:
        print("xero calls per 100 invoice events: (simulator not available in this checkout)")
    else:
        print(
            f"xero calls per 100 invoice events: {calls['calls']} "
            f"(one call per event would spend {calls['events']}; "
            f"{calls['deliveries']} signed deliveries incl. {calls['duplicates']} redelivered; "
            f"{calls['snapshots']} snapshots stored)"
        )

    latency = intake_latency(args.deliveries)
    print(f"intake latency per delivery, {args.deliveries} deliveries, in-process with moto:")
    for name, (median, p95) in latency.items():
        print(f"  {name:40} median {median:6.2f} ms   p95 {p95:6.2f} ms")
    overhead = latency["intake handler"][0] - latency["baseline"][0]
    print(f"  handler overhead over the bare HMAC-and-enqueue (median): {overhead:+.2f} ms")


if __name__ == "__main__":
    main()
