"""GoCardless direct debit: GoCardless and Xero calls per collected payment, for N sales
invoices of one customer collected at once, from the collect calls to every payment recorded
in Xero.

Everything goes through the real handlers (moto for AWS; the Xero and GoCardless simulators
over loopback; the tenant connected by the real connect flow): a mandate asked for and
authorised on GoCardless's page (not counted), then a collect per invoice, GoCardless's
clock moved on until the payments are paid out, its batched webhooks through the intake, and
the rail worker reads each payment named and records the settled ones in Xero (one look-up
and one PUT per tenant per worker batch). The figures are the simulators' own logs.

    .venv/bin/python bench/gocardless_collections.py [--payments 20]
"""

from __future__ import annotations

import argparse
import copy
import os
import sys
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "shared")]

import httpx  # noqa: E402
from moto import mock_aws  # noqa: E402

from bench import _stack as stack  # noqa: E402
from devstack.aws import make_moto_atomic  # noqa: E402
from devstack.events import http_api_event  # noqa: E402
from devstack.template import SamTemplate  # noqa: E402

STEP = 60.0  # simulated seconds between a scenario's steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--payments", type=int, default=20)
    args = parser.parse_args()
    from bench._environment import offline_aws_environment
    from devstack.xero_simulator.seed_direct_debit import A_GOCARDLESS_ACCOUNT_CODE

    offline_aws_environment(GOCARDLESS_XERO_ACCOUNT_CODE=A_GOCARDLESS_ACCOUNT_CODE)
    from devstack.gocardless_simulator import GoCardlessConfig, GoCardlessSimulator
    from devstack.xero_simulator.config import DEMO_TENANT_A

    make_moto_atomic()
    webhooks = stack.Webhooks()
    receiver = stack.serve(webhooks, quiet=False)
    xero = stack.xero_simulator()
    hook_url = f"http://127.0.0.1:{receiver.server_port}/webhooks/gocardless"
    gocardless = GoCardlessSimulator(
        GoCardlessConfig(webhook_url=hook_url, scenario_step=STEP, webhook_auto_deliver=False)
    )
    gocardless_calls = _count_api_calls(gocardless)
    gocardless.start("127.0.0.1", 0)
    os.environ.update(
        {"XERO_API_URL": xero.url, "XERO_IDENTITY_URL": xero.url,
         "GOCARDLESS_API_URL": gocardless.url}
    )  # fmt: skip
    invoices = _more_invoices(xero, DEMO_TENANT_A, args.payments)
    try:
        with mock_aws():
            secret = stack.xero_secret(
                gocardless_access_token=gocardless.config.access_token,
                gocardless_webhook_secret=gocardless.config.webhook_secret,
            )
            physical = stack.provision(SamTemplate(), secret)
            flow = _Flow(xero, gocardless, webhooks, physical, DEMO_TENANT_A)
            flow.connect()
            flow.active_mandate()
            xero_before, gocardless_before = len(xero.call_log), len(gocardless_calls)
            started_at = time.perf_counter()
            for invoice_id in invoices:
                flow.collect(invoice_id)
            gocardless.advance(4 * STEP)  # submitted, confirmed, paid out
            flow.webhooks_through()
            elapsed = time.perf_counter() - started_at
            xero_calls = stack.tenant_calls(xero, xero_before, DEMO_TENANT_A)
            calls = gocardless_calls[gocardless_before:]
            recorded = len([p for p in xero.created("Payments", DEMO_TENANT_A)
                            if p["Invoice"]["InvoiceID"] in invoices])  # fmt: skip
    finally:
        gocardless.stop()
        xero.stop()
        receiver.shutdown()
    report(len(invoices), recorded, calls, xero_calls, elapsed)


def _count_api_calls(sim: Any) -> list[str]:
    """GoCardless's API calls as the simulator serves them (not its page or /_sim/)."""
    from flask import request

    calls: list[str] = []

    def note() -> None:
        if not request.path.startswith(("/_sim", "/flow")) and request.method != "OPTIONS":
            parts = request.path.split("/")
            calls.append(f"{request.method} " + "/".join(_shape(p) for p in parts))

    sim.app.before_request(note)
    return calls


def _shape(part: str) -> str:
    return "{id}" if any(c.isdigit() for c in part) and len(part) > 6 else part


def _more_invoices(xero: Any, tenant_id: str, n: int) -> list[str]:
    """`n` sales invoices like the demo's "successful" one, to the same customer."""
    from devstack.xero_simulator.seed_direct_debit import EUR_INVOICES

    book = xero.store.book(tenant_id)
    model = book.table("Invoices")[EUR_INVOICES["successful"][0]]
    ids = []
    for i in range(n):
        invoice = copy.deepcopy(model)
        invoice.update(InvoiceID=str(uuid.uuid4()), InvoiceNumber=f"DD-B{i:03d}")
        book.add("Invoices", invoice)
        ids.append(invoice["InvoiceID"])
    return ids


class _Flow:
    """The product's side as the deployed pieces drive it (handlers, queue, worker)."""

    def __init__(self, xero: Any, gocardless: Any, webhooks: Any, physical: Any, tenant: str):
        self.xero, self.gocardless, self.webhooks = xero, gocardless, webhooks
        self.physical, self.tenant = physical, tenant
        self.payments = stack.handler("payments")
        self.intake, self.worker = (
            stack.handler("rail_callback_intake"),
            stack.handler("rail_worker"),
        )
        self.http = httpx.Client(timeout=10)

    def connect(self) -> None:
        stack.connect(self.xero, self.tenant)

    def call(self, route: str, path: str, record_id: str, key: str | None = None) -> Any:
        from xero_bridge.auth.principal import Principal

        context = Principal(sub="bench", scopes=["payments:write"])
        method = route.split()[0]
        event = http_api_event(
            method, path, route_key=route,
            path_parameters={"tenantId": self.tenant, "id": record_id},
            headers={"idempotency-key": key} if key else {},
            authorizer_context=context.to_context(),
        )  # fmt: skip
        return self.payments(event)

    def active_mandate(self) -> None:
        import json
        import re

        from devstack.xero_simulator.seed_direct_debit import CUSTOMERS

        contact = CUSTOMERS["Successful"].contact_id
        path = f"/tenants/{self.tenant}/contacts/{contact}/mandate"
        asked = self.call("POST /tenants/{tenantId}/contacts/{id}/mandate", path, contact)
        assert asked["statusCode"] == 201, asked
        url = json.loads(asked["body"])["authorisation_url"]
        page = self.http.get(url)
        form = dict(re.findall(r'name="(\w+)"(?: value="([^"]*)")?', page.text))
        assert self.http.post(url.split("?")[0], data=form).status_code in (200, 303)
        self.gocardless.advance(3 * STEP)
        self.webhooks_through()
        mandate = self.call("GET /tenants/{tenantId}/contacts/{id}/mandate", path, contact)
        assert json.loads(mandate["body"])["status"] == "active", mandate

    def collect(self, invoice_id: str) -> None:
        path = f"/tenants/{self.tenant}/invoices/{invoice_id}/collect"
        route = "POST /tenants/{tenantId}/invoices/{id}/collect"
        answer = self.call(route, path, invoice_id, key=str(uuid.uuid4()))
        assert answer["statusCode"] == 200, answer

    def webhooks_through(self) -> None:
        """GoCardless sends what is pending; the intake takes it; the worker works it."""
        sent = self.http.post(f"{self.gocardless.url}/_sim/webhooks/deliver", json={})
        assert sent.status_code == 200, sent.text
        taken, self.webhooks.received = self.webhooks.received, []
        for headers, body in taken:
            event = http_api_event("POST", "/webhooks/gocardless",
                                   route_key="POST /webhooks/gocardless", headers=headers,
                                   body=body.decode())  # fmt: skip
            assert self.intake(event)["statusCode"] == 200
        stack.work(self.worker, self.physical)


def report(n: int, recorded: int, calls: list[str], xero_calls: list, elapsed: float) -> None:
    print(f"Direct debits collected: {n} (recorded in Xero: {recorded}) in {elapsed:.2f}s")
    stack.print_calls("GoCardless calls", len(calls), n, Counter(calls))
    stack.print_calls("Xero calls      ", len(xero_calls), n, stack.xero_kinds(xero_calls))


if __name__ == "__main__":
    main()
