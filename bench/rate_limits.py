"""Xero's rate limits under a burst: what the shared call budget saves, and what it costs.

100 reads of one invoice by 25 concurrent callers (4 each) through the records handler,
against the simulator enforcing Xero's limits (60 calls a minute, sliding; 5 in flight).
Callers come back after the Retry-After they are answered with. Every read asks Xero
(`Cache-Control: no-cache`: no snapshot answers), so the budget is what is measured. Time
is virtual (the simulator's clock; waits move it on), so Xero's minutes pass in
milliseconds and the figures are the same on any machine. Run with the shared budget
(DynamoDB, moto) and without it (the client then only learns from Xero's 429s). Then the
budget's cost per read: real handler latency and DynamoDB requests, sequential reads with
and without it.

    .venv/bin/python bench/rate_limits.py [--reads 100] [--callers 25] [--samples 50]
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "shared")]


def _without_budget(monkeypatch: Any) -> None:
    from xero_bridge.settings import get_settings

    monkeypatch.delenv("RATE_BUDGET_TABLE")
    get_settings.cache_clear()


def _read_path() -> str:
    from devstack.xero_simulator import DEMO_TENANT_A, seed

    return f"/tenants/{DEMO_TENANT_A}/invoices/{seed.A_INVOICE_AUTHORISED_ID}"


def burst(reads: int, callers: int, budget: bool) -> dict[str, Any]:
    import pytest

    from bench._records_stack import records_stack
    from devstack.xero_simulator import DEMO_TENANT_A
    from tests.fixtures.virtual_time import PatientCallers, VirtualTime
    from tests.integration.records.conftest import api

    path = _read_path()

    def read() -> tuple[int, dict[str, str]]:
        answer = api("GET", path, headers={"Cache-Control": "no-cache"})
        return answer.status, answer.headers

    with records_stack() as sim, pytest.MonkeyPatch.context() as monkeypatch:
        if not budget:
            _without_budget(monkeypatch)
        virtual = VirtualTime(sim.clock)
        virtual.install(monkeypatch)
        patient = PatientCallers(read, virtual.sleep, max_attempts=50)
        statuses: list[int] = []
        lock = threading.Lock()

        def work() -> None:
            for _ in range(reads // callers):
                status = patient()
                with lock:
                    statuses.append(status)

        start, began, offset = len(sim.call_log), virtual.now(), sim.clock.offset
        virtual.run(callers, work)
        answered = Counter(c[3] for c in sim.call_log[start:] if c[2] == DEMO_TENANT_A)
        return {
            "served": statuses.count(200),
            "xero_calls": sum(answered.values()),
            "xero_429": answered[429],
            "our_429": len(patient.retry_afters),
            "virtual_s": virtual.now() - began,
            "waited_s": sim.clock.offset - offset,
        }


def overhead(samples: int) -> dict[str, tuple[float, float]]:
    """Median handler latency (ms) and DynamoDB requests per read, with and without."""
    import pytest
    from botocore.client import BaseClient

    from bench._records_stack import records_stack
    from tests.integration.records.conftest import api

    path = _read_path()
    dynamodb_requests = [0]
    real_call = BaseClient._make_api_call

    def counting_call(self: Any, operation: str, params: Any) -> Any:
        if self.meta.service_model.service_name == "dynamodb":
            dynamodb_requests[0] += 1
        return real_call(self, operation, params)

    results = {}
    # The simulator's limits stay out of the way: this measures our side only.
    with records_stack(XERO_MINUTE_LIMIT="100000") as sim, pytest.MonkeyPatch.context() as mp:
        sim.config.minute_limit = 100_000
        mp.setattr(BaseClient, "_make_api_call", counting_call)
        for label in ("with budget", "without budget"):
            if label == "without budget":
                _without_budget(mp)
            api("GET", path, headers={"Cache-Control": "no-cache"})  # warm: caches, connections
            latencies, dynamodb_requests[0] = [], 0
            for _ in range(samples):
                started = time.perf_counter()
                assert api("GET", path, headers={"Cache-Control": "no-cache"}).status == 200
                latencies.append((time.perf_counter() - started) * 1000)
            results[label] = (statistics.median(latencies), dynamodb_requests[0] / samples)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reads", type=int, default=100)
    parser.add_argument("--callers", type=int, default=25)
    parser.add_argument("--samples", type=int, default=50)
    args = parser.parse_args()
    logging.disable(logging.INFO)  # the refusals are the point here, not their log lines
    print(
        f"{args.reads} reads of one invoice by {args.callers} concurrent callers, "
        "Xero's limits (60/minute, 5 in flight), virtual time"
    )
    for budget in (True, False):
        row = burst(args.reads, args.callers, budget)
        label = "shared budget" if budget else "no budget"
        print(
            f"  {label:14} served {row['served']:3d}/{args.reads}  "
            f"Xero calls {row['xero_calls']:3d} (429s from Xero {row['xero_429']:3d})  "
            f"our 429s {row['our_429']:3d}  took {row['virtual_s']:.0f} s "
            f"({row['waited_s']:.0f} s of it waiting, the rest this machine's real time)"
        )
    print(f"cost of the budget per read (median of {args.samples}, moto in-process)")
    for label, (latency, requests) in overhead(args.samples).items():
        print(f"  {label:14} {latency:6.1f} ms handler latency  {requests:.1f} DynamoDB requests")


if __name__ == "__main__":
    main()
