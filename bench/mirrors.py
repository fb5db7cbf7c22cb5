"""Mirrors: Xero calls spent per mirrored invoice over a batch of 50 changes, on each side,
beside the naive one-by-one copy.

Everything real but AWS (moto in-process): the Xero simulator's two demo organisations on
loopback, both connected by the OAuth handler and the simulator's consent form, a mirror
A → B created through the mirrors handler, the simulator's signed webhooks through the local
gateway, the local SQS poller running the webhook worker and the mirror worker (moto's
EventBridge delivers the worker's events to the mirror queue by the template's rule).

1. 50 new invoices in A (10 customers, half with an item B lacks), in one API call;
2. each of them edited in A (50 updates, as edits in Xero's web app);
3. the same 50 copied the naive way: per invoice, read it from A, look its contact up in B
   by name, write it to B (for an update, find the copy in B by its number first).

Calls are the simulator's own counters per organisation (reads: GET; writes: PUT/POST),
split into the webhook worker's fetches (which every consumer of the events shares) and
the mirror worker's own calls (`xero_bridge.mirrors.xero_io.calls`). Xero's limits are
raised in the simulator so the naive copy's 429s do not stretch the run.

    .venv/bin/python bench/mirrors.py
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "shared")]


from bench._environment import offline_aws_environment  # noqa: E402
from bench._stack import webhook_stack  # noqa: E402
from bench._webhooks_sim import _connect  # noqa: E402
from devstack.aws import make_moto_atomic  # noqa: E402
from devstack.events import http_api_event  # noqa: E402
from devstack.lambda_runtime import LocalFunction  # noqa: E402
from devstack.sqs_poller import SqsPoller  # noqa: E402
from devstack.template import SamTemplate  # noqa: E402

CHANGES = 50
CUSTOMERS = 10
ADMIN = {"sub": "bench", "email": "", "groups": "admin", "scopes": "admin xero:connect"}


class Counters:
    """Calls per organisation and kind, since the last `take`."""

    def __init__(self, sim: Any, tenants: dict[str, str]) -> None:
        self.sim, self.tenants = sim, tenants
        self._seen = 0

    def take(self) -> dict[tuple[str, str], int]:
        log = self.sim.call_log[self._seen :]
        self._seen += len(log)
        counts: Counter[tuple[str, str]] = Counter()
        for method, _path, tenant, _status in log:
            if tenant in self.tenants:
                counts[(self.tenants[tenant], "reads" if method == "GET" else "writes")] += 1
        return dict(counts)


def _create_customers_and_invoices(tenant: str) -> list[str]:
    from xero_bridge.xero.raw import accounting_request

    names = [f"Bench Customer {n:02d}" for n in range(CUSTOMERS)]
    made = accounting_request(
        tenant, "PUT", "/Contacts", body={"Contacts": [{"Name": name} for name in names]}
    ).json()
    contacts = [c["ContactID"] for c in made["Contacts"]]
    invoices = []
    for n in range(CHANGES):
        line: dict[str, Any] = {
            "Description": f"Bench work {n}",
            "Quantity": Decimal("1.5000"),
            "UnitAmount": Decimal("100.1234"),
            "AccountCode": "200",
        }
        if n % 2:
            line = {"ItemCode": "DEV-HOUR", "Quantity": Decimal(n % 5 + 1)}
        invoices.append(
            {
                "Type": "ACCREC",
                "Status": "AUTHORISED",
                "Contact": {"ContactID": contacts[n % CUSTOMERS]},
                "Date": "2025-01-02",
                "DueDate": "2025-02-01",
                "LineItems": [line],
            }
        )
    answer = accounting_request(tenant, "PUT", "/Invoices", body={"Invoices": invoices}).json()
    return [i["InvoiceID"] for i in answer["Invoices"]]


def _settle(sim: Any, poller: SqsPoller) -> None:
    for _ in range(6):
        sim.webhooks.flush()
        assert poller.drain(timeout=300), "the queues did not drain"
        if not sim.webhooks.pending():
            return


def _naive_copy(source: str, target: str, invoice_ids: list[str], update: bool) -> None:
    """What a script calling "create invoice" per change does (without its duplicates'
    clean-up): read, look the contact up, write — one invoice at a time."""
    from xero_bridge.xero.raw import accounting_request

    for invoice_id in invoice_ids:
        invoice = accounting_request(source, "GET", f"/Invoices/{invoice_id}").json()["Invoices"][0]
        name = invoice["Contact"]["Name"].replace('"', '\\"')
        where = {"where": f'Name=="{name}"'}
        found = accounting_request(target, "GET", "/Contacts", query=where).json()["Contacts"]
        body = {
            "Type": invoice["Type"],
            "Contact": {"ContactID": found[0]["ContactID"]} if found else {"Name": name},
            "Date": "2025-01-02",
            "LineItems": [
                {k: v for k, v in line.items() if k in ("Description", "Quantity", "UnitAmount")}
                | {"AccountCode": "200"}
                for line in invoice["LineItems"]
            ],
        }
        number = f"NAIVE-{invoice['InvoiceNumber']}"
        body["InvoiceNumber"] = number
        if not update:
            accounting_request(target, "PUT", "/Invoices", body={"Invoices": [body]})
            continue
        query = {"InvoiceNumbers": number}
        [copy] = accounting_request(target, "GET", "/Invoices", query=query).json()["Invoices"]
        path = f"/Invoices/{copy['InvoiceID']}"
        accounting_request(target, "POST", path, body={"Invoices": [body]})


def measure() -> dict[str, Any]:
    from devstack.xero_simulator import DEMO_TENANT_A, DEMO_TENANT_B, XeroSimulator

    make_moto_atomic()
    simulator = XeroSimulator()
    simulator.start(host="127.0.0.1", port=0)
    simulator.config.minute_limit, simulator.config.day_limit = 100000, 1000000
    try:
        limits = {"XERO_MINUTE_LIMIT": "100000", "XERO_DAY_LIMIT": "1000000"}
        with webhook_stack(simulator, **limits) as (template, physical, functions):
            return _run(simulator, functions, template, physical, DEMO_TENANT_A, DEMO_TENANT_B)
    finally:
        simulator.stop()


def _run(
    sim: Any,
    functions: dict[str, LocalFunction],
    template: SamTemplate,
    physical: dict[str, Any],
    a: str,
    b: str,
) -> dict[str, Any]:
    from xero_bridge.mirrors import xero_io
    from xero_bridge.persistence import grants

    _connect(functions, [a, b])
    grants.grant("bench", a, granted_by="bench", via="admin")
    grants.grant("bench", b, granted_by="bench", via="admin")
    body = {
        "target_tenant_id": b,
        "types": ["ACCREC"],
        "create_missing_contacts": True,
        "create_missing_items": True,
        "number_prefix": "NZ-",
    }
    created = functions["MirrorsFunction"].invoke(
        http_api_event("POST", f"/tenants/{a}/mirrors", body=body, authorizer_context=ADMIN)
    )
    assert created["statusCode"] == 201, created["body"]
    poller = SqsPoller(template, functions, physical)
    counters = Counters(sim, {a: "A", b: "B"})
    invoice_ids = _create_customers_and_invoices(a)
    counters.take()  # the setup's own calls
    results: dict[str, Any] = {}
    for phase in ("new", "updates"):
        if phase == "updates":
            for invoice_id in invoice_ids:
                sim.touch(a, "Invoices", invoice_id, {"Reference": "edited in Xero"})
        xero_io.calls.clear()
        _settle(sim, poller)
        total = counters.take()
        mirror = {
            (side, "reads" if kind == "GET" else "writes"): n
            for (tenant, kind), n in xero_io.calls.items()
            for side in ("A" if tenant == a else "B",)
        }
        results[phase] = {"total": total, "mirror": mirror}
    copies = [i for i in sim.created("Invoices", b) if "InvoiceID=" in str(i.get("Url"))]
    results["copies"] = len(copies)
    mirror_id = json.loads(created["body"])["mirror_id"]
    shown = functions["MirrorsFunction"].invoke(
        http_api_event("GET", f"/tenants/{a}/mirrors/{mirror_id}", authorizer_context=ADMIN)
    )
    results["outcomes"] = json.loads(shown["body"])["health"]["counts"]
    for phase, update in (("naive new", False), ("naive updates", True)):
        _naive_copy(a, b, invoice_ids, update)
        results[phase] = {"total": counters.take(), "mirror": {}}
    return results


def _line(label: str, counts: dict[tuple[str, str], int]) -> str:
    cells = [counts.get((side, kind), 0) for side in ("A", "B") for kind in ("reads", "writes")]
    spent = sum(cells)
    return (
        f"  {label:34} A reads {cells[0]:4}  A writes {cells[1]:3}  B reads {cells[2]:4}  "
        f"B writes {cells[3]:4}   = {spent:4} calls, {spent / CHANGES:5.2f} per invoice"
    )


def main() -> None:
    offline_aws_environment()
    results = measure()
    print(f"xero calls for a batch of {CHANGES} changed invoices mirrored A -> B:")
    for phase in ("new", "updates"):
        total, mirror = results[phase]["total"], results[phase]["mirror"]
        worker = {k: total.get(k, 0) - mirror.get(k, 0) for k in total}
        print(f" {phase} ({CHANGES} invoices):")
        print(_line("mirror worker", mirror))
        print(_line("webhook worker (shared by all)", worker))
        print(_line("all", total))
        print(_line("naive one-by-one copy", results[f"naive {phase}"]["total"]))
    print(f" copies made in B: {results['copies']} (one per invoice, updated in place)")
    print(f" the mirror's log: {results['outcomes']}")


if __name__ == "__main__":
    main()
