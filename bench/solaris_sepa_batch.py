"""Solaris SEPA: Solaris and Xero calls per payment for a batch of 20 SEPA payments, from the
batch to every payment recorded in Xero.

Everything goes through the real handlers (moto for AWS; the Xero and Solaris simulators over
loopback; the tenant connected by the real connect flow): the batch (books, payees, a
Verification of Payee each, the balance once, a change request each, authorised at once),
a TAN confirmed per payment, Solaris books the transfers and sends its webhooks, the intake
queues them and the rail worker reads each transfer, its booking, and records the settled
payments in Xero (one look-up and one PUT per worker batch of 10). The figures are the
simulators' own call logs.

    .venv/bin/python bench/solaris_sepa_batch.py [--payments 20]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "shared")]

from moto import mock_aws  # noqa: E402

from bench import _stack as stack  # noqa: E402
from devstack.aws import make_moto_atomic  # noqa: E402
from devstack.demo_data import SOLARIS_STATIC_TAN  # noqa: E402
from devstack.events import http_api_event  # noqa: E402
from devstack.template import SamTemplate  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--payments", type=int, default=20)
    args = parser.parse_args()
    from bench._environment import offline_aws_environment

    offline_aws_environment(SOLARIS_TAN_DELIVERY="static", SOLARIS_XERO_ACCOUNT_CODE="095")
    from devstack.solaris_simulator import SolarisConfig, SolarisSimulator
    from devstack.xero_simulator.config import DEMO_TENANT_A
    from devstack.xero_simulator.seed_rails import EUR_BILLS

    make_moto_atomic()
    webhooks = stack.Webhooks()
    receiver = stack.serve(webhooks)
    xero = stack.xero_simulator()
    hook_url = f"http://127.0.0.1:{receiver.server_port}/webhooks/solaris"
    solaris = SolarisSimulator(SolarisConfig(webhook_url=hook_url))
    solaris.start("127.0.0.1", 0)
    os.environ.update(
        {
            "XERO_API_URL": xero.url,
            "XERO_IDENTITY_URL": xero.url,
            "SOLARIS_AUTH_URL": solaris.url,
            "SOLARIS_API_URL": solaris.url,
        }
    )
    template = SamTemplate()
    n = args.payments
    try:
        with mock_aws():
            config = solaris.config
            secret = stack.xero_secret(
                solaris_client_id=config.client_id,
                solaris_client_secret=config.client_secret,
                solaris_account_id=config.account_id,
                solaris_person_id=config.person_id,
                solaris_webhook_secret=config.webhook_secret,
            )
            physical = stack.provision(template, secret)
            from xero_bridge.auth.principal import Principal

            stack.connect(xero, DEMO_TENANT_A)
            payments, intake, worker = stack.rail_handlers()
            context = Principal(
                sub="bench", scopes=["payments:write", "payments:approve"]
            ).to_context()

            tenant = {"tenantId": DEMO_TENANT_A}

            bill_id = EUR_BILLS["match"][0]
            items = [
                {
                    "invoice_id": bill_id,
                    "amount": "50.00",
                    "date": "2024-05-01",
                    "rail": "solaris_sepa",
                    "reference": f"bench {i}",
                }
                for i in range(n)
            ]
            xero_before, solaris_before = len(xero.call_log), len(solaris.calls)
            started_at = time.perf_counter()
            answer = stack.call_route(
                payments,
                "POST /tenants/{tenantId}/payments/batch",
                tenant,
                {"payments": items},
                context,
            )
            results = json.loads(answer["body"])["results"]
            assert all(r["status"] == "awaiting_confirmation" for r in results), results
            for result in results:
                payment_id = result["payment"]["payment_id"]
                confirmed = stack.call_route(
                    payments,
                    "POST /tenants/{tenantId}/payments/{paymentId}/confirm",
                    {**tenant, "paymentId": payment_id},
                    {"tan": SOLARIS_STATIC_TAN},
                    context,
                )
                assert confirmed["statusCode"] == 200, confirmed["body"]
            solaris.settle()
            for headers, body in webhooks.received:
                event = http_api_event(
                    "POST",
                    "/webhooks/solaris",
                    route_key="POST /webhooks/solaris",
                    headers=headers,
                    body=body.decode(),
                )
                assert intake(event)["statusCode"] == 200
            stack.work(worker, physical)
            elapsed = time.perf_counter() - started_at
            xero_calls = stack.tenant_calls(xero, xero_before, DEMO_TENANT_A)
            solaris_calls = solaris.calls[solaris_before:]
            recorded = len(xero.created("Payments"))
    finally:
        solaris.stop()
        xero.stop()
        receiver.shutdown()
    report(n, recorded, solaris_calls, xero_calls, elapsed)


def report(n: int, recorded: int, solaris_calls: list, xero_calls: list, elapsed: float) -> None:
    def shape(path: str) -> str:
        parts = path.split("/")
        return "/".join("{id}" if len(p) >= 32 else p for p in parts)

    solaris_kinds = Counter(f"{c['method']} {shape(c['path'])}" for c in solaris_calls)
    print(f"SEPA payments: {n} (recorded in Xero: {recorded}) in {elapsed:.2f}s")
    stack.print_calls("Solaris calls", len(solaris_calls), n, solaris_kinds)
    stack.print_calls("Xero calls   ", len(xero_calls), n, stack.xero_kinds(xero_calls))


if __name__ == "__main__":
    main()
