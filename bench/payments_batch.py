"""Payments: Xero calls for a batch of 100 payments against 100 single submissions.

Both runs go through the real payments handler (moto for AWS, the Xero simulator over
loopback, the tenant connected by the real connect flow); the figures are the simulator's own
call counter for the tenant. The batch validates with batched reads (invoices by IDs, 50 per
call; accounts once) and writes with one PUT /Payments?summarizeErrors=false. The simulator's
rate limits are lifted for the run (100 single submissions would otherwise wait on them).

    .venv/bin/python bench/payments_batch.py [--payments 100]
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
from devstack.template import SamTemplate  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--payments", type=int, default=100)
    args = parser.parse_args()
    from bench._environment import offline_aws_environment

    offline_aws_environment(PAYMENT_APPROVAL_THRESHOLD="1000000.00")
    from devstack.xero_simulator.config import DEMO_TENANT_A
    from devstack.xero_simulator.seed import A_INVOICE_AUTHORISED_ID

    make_moto_atomic()
    sim = stack.xero_simulator()
    os.environ.update({"XERO_API_URL": sim.url, "XERO_IDENTITY_URL": sim.url})
    template = SamTemplate()
    try:
        with mock_aws():
            stack.provision(template, stack.xero_secret())
            from xero_bridge.auth.principal import Principal

            stack.connect(sim, DEMO_TENANT_A)
            payments = stack.handler("payments")
            context = Principal(sub="bench", scopes=["payments:write"]).to_context()

            tenant = {"tenantId": DEMO_TENANT_A}

            def item(n: int) -> dict:
                return {
                    "invoice_id": A_INVOICE_AUTHORISED_ID,
                    "account_code": "090",
                    "amount": "0.01",
                    "date": "2024-05-01",
                    "reference": f"bench {n}",
                }

            def measure(run) -> tuple[int, Counter, float]:
                before = len(sim.call_log)
                started_at = time.perf_counter()
                run()
                elapsed = time.perf_counter() - started_at
                calls = stack.tenant_calls(sim, before, DEMO_TENANT_A)
                return len(calls), stack.xero_kinds(calls), elapsed

            n = args.payments

            def batch() -> None:
                answer = stack.call_route(
                    payments,
                    "POST /tenants/{tenantId}/payments/batch",
                    tenant,
                    {"payments": [item(i) for i in range(n)]},
                    context,
                )
                summary = json.loads(answer["body"])["summary"]
                assert summary == {"recorded": n}, summary

            def singles() -> None:
                for i in range(n):
                    route = "POST /tenants/{tenantId}/payments"
                    answer = stack.call_route(payments, route, tenant, item(i), context)
                    assert answer["statusCode"] == 201, answer["body"]

            created_before = len(sim.created("Payments"))
            batch_calls, batch_kinds, batch_time = measure(batch)
            single_calls, single_kinds, single_time = measure(singles)
            created = len(sim.created("Payments")) - created_before
    finally:
        sim.stop()
    print(f"payments per run: {n} (Xero payments created in total: {created})")
    print(f"batch  : {batch_calls:4d} Xero calls  {dict(batch_kinds)}  {batch_time:.2f}s")
    print(f"singles: {single_calls:4d} Xero calls  {dict(single_kinds)}  {single_time:.2f}s")
    print(
        f"calls saved by the batch: {single_calls - batch_calls} "
        f"({single_calls / max(batch_calls, 1):.0f}x fewer)"
    )


if __name__ == "__main__":
    main()
