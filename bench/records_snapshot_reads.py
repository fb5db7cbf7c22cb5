"""Xero calls spent by 100 GETs of 20 recently changed invoices, snapshots on and off.

Runs everything in-process (`bench/_records_stack.py`): moto provisioned from template.yaml,
the Xero simulator on loopback, DEMO_TENANT_A connected through the real OAuth flow, the
records handler as Lambda runs it. 20 invoices are changed "in Xero" (the simulator), its
signed webhook goes through the intake handler and SQS to the webhook worker handler, which
fetches all 20 in one call and stores their snapshots. Then 100 GETs (each invoice 5 times,
round robin) and the simulator's own count of the tenant's Accounting API calls, for:

- snapshots off (RECORDS_SNAPSHOT_MAX_AGE_SECONDS=0): every GET asks Xero;
- on (the default, 60 s), after the webhook: answered from the worker's snapshots;
- on, without the webhook: the first GET of each invoice asks Xero and keeps its answer;
- on, every GET sending `Cache-Control: no-cache`.

    .venv/bin/python bench/records_snapshot_reads.py [--invoices 20] [--gets 100]
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "shared")]


def _seed(sim: Any, tenant: str, count: int) -> list[str]:
    """`count` authorised invoices like the seeded one, each then edited "in Xero"."""
    from bench._records_stack import copy_invoices

    ids = copy_invoices(sim, tenant, count, "SNAP")
    for invoice_id in ids:  # each queues a webhook event, as an edit in Xero's app would
        sim.touch(tenant, "Invoices", invoice_id, {"Reference": "changed in Xero"})
    return ids


def run(label: str, count: int, gets: int, *, max_age: str, webhook: bool, no_cache: bool):
    from bench._records_stack import records_stack
    from devstack.xero_simulator import DEMO_TENANT_A
    from tests.integration.records.conftest import api
    from tests.integration.records.test_snapshot_reads import Webhooks

    with records_stack(RECORDS_SNAPSHOT_MAX_AGE_SECONDS=max_age, XERO_MINUTE_LIMIT="100000") as sim:
        sim.config.minute_limit = 100_000  # the bench counts calls, it does not wait for them
        hooks = Webhooks(sim)
        try:
            ids = _seed(sim, DEMO_TENANT_A, count)
            worker_calls = 0
            if webhook:
                before = sim.calls(DEMO_TENANT_A)
                hooks.deliver()
                worker_calls = sim.calls(DEMO_TENANT_A) - before
        finally:
            hooks.close()
        headers = {"Cache-Control": "no-cache"} if no_cache else None
        sources: dict[str, int] = {}
        latencies: list[float] = []
        before = sim.calls(DEMO_TENANT_A)
        for n in range(gets):
            started = time.perf_counter()
            answer = api(
                "GET", f"/tenants/{DEMO_TENANT_A}/invoices/{ids[n % count]}", headers=headers
            )
            latencies.append((time.perf_counter() - started) * 1000)
            assert answer.status == 200, answer.body
            source = {k.lower(): v for k, v in answer.headers.items()}["x-xero-bridge-source"]
            sources[source] = sources.get(source, 0) + 1
        return {
            "label": label,
            "get_calls": sim.calls(DEMO_TENANT_A) - before,
            "worker_calls": worker_calls,
            "sources": sources,
            "median_ms": statistics.median(latencies),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=20)
    parser.add_argument("--gets", type=int, default=100)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    count, gets = args.invoices, args.gets
    rows = [
        run("snapshots off (max age 0)", count, gets, max_age="0", webhook=True, no_cache=False),
        run(
            "on (60 s), after the webhook", count, gets, max_age="60", webhook=True, no_cache=False
        ),
        run("on (60 s), no webhook", count, gets, max_age="60", webhook=False, no_cache=False),
        run("on, Cache-Control: no-cache", count, gets, max_age="60", webhook=True, no_cache=True),
    ]
    print(f"{gets} GETs of {count} recently changed invoices (each {gets // count} times)")
    for row in rows:
        sources = ", ".join(f"{k} {v}" for k, v in sorted(row["sources"].items()))
        worker = f"  (+{row['worker_calls']} by the worker)" if row["worker_calls"] else ""
        print(
            f"  {row['label']:30} {row['get_calls']:3d} Xero calls for the GETs{worker:22}"
            f" answers: {sources:22} median {row['median_ms']:5.1f} ms/GET (in-process)"
        )


if __name__ == "__main__":
    main()
