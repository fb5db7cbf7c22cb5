"""Xero calls spent to list 1,000 invoices through the records API, by page size; and the
records function's cold start.

Runs everything in-process: moto (provisioned from template.yaml), the Xero simulator on
loopback seeded with 1,000 extra invoices (in its state), a demo tenant connected through
the real OAuth flow, and the records handler as Lambda runs it. Walks `GET
/tenants/{id}/invoices?page_size=N` until `next_page` is null and counts the simulator's
Accounting API calls.

    .venv/bin/python bench/records_list.py [--invoices 1000] [--samples 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "shared")]

from bench.coldstart import _PROBE, HEAVY, _load_statement, _sample  # noqa: E402


def _walk(page_size: int | None, tenant: str, sim: object) -> tuple[int, int]:
    from tests.integration.records.conftest import api

    before = sim.calls(tenant)  # type: ignore[attr-defined]
    page, seen = 1, 0
    while page is not None:
        query = {"page": str(page)}
        if page_size:
            query["page_size"] = str(page_size)
        answer = api("GET", f"/tenants/{tenant}/invoices", query=query)
        assert answer.status == 200, answer.body
        seen += len(answer.body["invoices"])
        page = answer.body["next_page"]
    return seen, sim.calls(tenant) - before  # type: ignore[attr-defined]


def list_calls(invoices: int) -> list[tuple[str, int, int]]:
    from bench._records_stack import copy_invoices, records_stack
    from devstack.xero_simulator import DEMO_TENANT_A

    results = []
    # The bench counts calls; it does not wait for them.
    with records_stack(XERO_MINUTE_LIMIT="100000") as sim:
        sim.config.minute_limit = 100_000
        copy_invoices(sim, DEMO_TENANT_A, invoices, "BENCH")
        for label, size in (("default page size (100)", None), ("page_size=1000", 1000)):
            seen, calls = _walk(size, DEMO_TENANT_A, sim)
            results.append((label, seen, calls))
    return results


def cold_start(samples: int) -> float:
    from devstack.template import SamTemplate

    code_dir, handler = SamTemplate().function_code("RecordsFunction")
    code = _PROBE.format(load=_load_statement(code_dir, handler), heavy=HEAVY)
    _sample(code)
    return statistics.median(_sample(code)[1]["import_s"] * 1000 for _ in range(samples))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=1000)
    parser.add_argument("--samples", type=int, default=5)
    args = parser.parse_args()
    rows = list_calls(args.invoices)
    print(f"listing all invoices of a tenant with {args.invoices} extra invoices")
    for label, seen, calls in rows:
        print(f"  {label:26} {seen:5d} invoices  {calls:3d} Xero calls")
    print(
        f"records function cold start (import, median of {args.samples}): "
        f"{cold_start(args.samples):.0f} ms"
    )


if __name__ == "__main__":
    main()
