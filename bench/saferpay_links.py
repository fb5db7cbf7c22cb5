"""Saferpay card links: Saferpay and Xero calls per card payment, from the link to the receipt
recorded in Xero, with every notification arriving three times; and the intake's answer time
per notification (Saferpay waits for it: it only has to verify the link and queue a check).

Everything goes through the real handlers (moto for AWS; the Xero and Saferpay simulators over
loopback; the tenant connected by the real connect flow): POST …/payment_link, the payer's
payment page form with the test card, Saferpay's notification GETs through the intake
(three each), the rail worker's Assert, Capture and one Xero look-up and PUT per batch. The
figures are the simulators' own call logs.

    .venv/bin/python bench/saferpay_links.py [--links 10]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "shared")]

import httpx  # noqa: E402
from moto import mock_aws  # noqa: E402

from bench import _stack as stack  # noqa: E402
from devstack.aws import make_moto_atomic  # noqa: E402
from devstack.demo_data import SAFERPAY_CARD_SUCCESS  # noqa: E402
from devstack.events import http_api_event  # noqa: E402
from devstack.template import SamTemplate  # noqa: E402

ROUTE = "/tenants/{tenantId}/invoices/{id}/payment_link"


class Notifications:
    """Stands in for the gateway: keeps the paths Saferpay's notifications GET."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        from werkzeug.wrappers import Request, Response

        with self.lock:
            self.paths.append(Request(environ).path)
        return Response("", 200)(environ, start_response)


def pay(browser: httpx.Client, page_url: str) -> None:
    """The payer's form, as the simulator's page asks for it."""
    page = browser.get(page_url)
    assert page.status_code == 200, page.text
    fields = {"CardNumber": SAFERPAY_CARD_SUCCESS, "ExpMonth": "12", "ExpYear": "2031",
              "VerificationCode": "123", "action": "pay"}  # fmt: skip
    assert browser.post(page_url, data=fields).status_code == 303


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--links", type=int, default=10)
    args = parser.parse_args()
    from bench._environment import offline_aws_environment

    offline_aws_environment(
        SAFERPAY_XERO_ACCOUNT_CODE="098",
        SAFERPAY_RETRY_BASE_SECONDS="0",
        POWERTOOLS_METRICS_DISABLED="true",  # the EMF lines are not the bench
    )
    from devstack.saferpay_simulator import SaferpayConfig, SaferpaySimulator
    from devstack.xero_simulator.config import DEMO_TENANT_A
    from devstack.xero_simulator.seed_cards import CARD_INVOICES

    make_moto_atomic()
    notifications = Notifications()
    receiver = stack.serve(notifications)
    xero = stack.xero_simulator()
    saferpay = SaferpaySimulator(SaferpayConfig(notify_retry_delay_real_seconds=0.01))
    saferpay.start("127.0.0.1", 0)
    os.environ.update(
        {
            "XERO_API_URL": xero.url,
            "XERO_IDENTITY_URL": xero.url,
            "SAFERPAY_API_URL": f"{saferpay.url}/api",
            "SAFERPAY_NOTIFY_BASE_URL": f"http://127.0.0.1:{receiver.server_port}",
        }
    )
    template = SamTemplate()
    n = args.links
    config = saferpay.config
    try:
        with mock_aws(), httpx.Client(timeout=10) as browser:
            secret = stack.xero_secret(
                saferpay_customer_id=config.customer_id,
                saferpay_terminal_id=config.terminal_ids[0],
                saferpay_api_user=config.api_user,
                saferpay_api_password=config.api_password,
            )
            physical = stack.provision(template, secret)
            from xero_bridge.auth.principal import Principal

            stack.connect(xero, DEMO_TENANT_A)
            payments, intake, worker = stack.rail_handlers()
            context = Principal(sub="bench", scopes=["payments:write"]).to_context()
            invoice = CARD_INVOICES["parts"][0]
            xero_before = len(xero.call_log)
            started_at = time.perf_counter()
            for _ in range(n):
                answer = stack.call_route(
                    payments,
                    f"POST {ROUTE}",
                    {"tenantId": DEMO_TENANT_A, "id": invoice},
                    {"amount": "10.00"},
                    context,
                )
                assert answer["statusCode"] == 201, answer["body"]
                pay(browser, json.loads(answer["body"])["redirect_url"])
            saferpay.wait_for_notifications()
            timings = []
            for path in notifications.paths * 3:  # each notification three times
                link_id = path.rsplit("/", 1)[-1]
                event = http_api_event(
                    "GET",
                    path,
                    route_key="GET /webhooks/saferpay/{linkId}",
                    path_parameters={"linkId": link_id},
                )
                begun = time.perf_counter()
                assert intake(event)["statusCode"] == 200
                timings.append(time.perf_counter() - begun)
            stack.work(worker, physical)
            elapsed = time.perf_counter() - started_at
            xero_calls = stack.tenant_calls(xero, xero_before, DEMO_TENANT_A)
            recorded = len(xero.created("Payments"))
            with saferpay.store.lock:
                saferpay_calls = [c.path for c in saferpay.store.calls]
    finally:
        saferpay.stop()
        xero.stop()
        receiver.shutdown()
    assert recorded == n, f"{recorded} of {n} card payments recorded in Xero"
    report(n, recorded, saferpay_calls, xero_calls, timings, elapsed)


def report(n: int, recorded: int, saferpay_calls: list[str], xero_calls: list, timings: list,
           elapsed: float) -> None:  # fmt: skip
    print(f"card links paid: {n} (recorded in Xero: {recorded}), each notified 3 times,"
          f" in {elapsed:.2f}s")  # fmt: skip
    saferpay_kinds = Counter(c.removeprefix("/api/Payment/v1/") for c in saferpay_calls)
    stack.print_calls("Saferpay calls", len(saferpay_calls), n, saferpay_kinds)
    stack.print_calls("Xero calls    ", len(xero_calls), n, stack.xero_kinds(xero_calls))
    ms = sorted(t * 1000 for t in timings)
    p95 = ms[max(0, int(len(ms) * 0.95) - 1)]
    print(f"notification intake: median {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms"
          f" ({len(ms)} notifications: verify the link, queue the check)")  # fmt: skip


if __name__ == "__main__":
    main()
