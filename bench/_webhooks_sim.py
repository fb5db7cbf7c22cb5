"""The simulator half of bench/webhooks.py: Xero calls the worker spends per 100 invoice events.

Everything real but AWS (moto in-process): the simulator on loopback, tenant A connected by
the OAuth handler and the simulator's consent form, 100 invoices created in one API call
(each emits a CREATE webhook event), the simulator's signed sender posting to the local
gateway, the local SQS poller running the worker. The figure is the simulator's own call
counter for the tenant, over the worker's run only.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from bench._stack import webhook_stack
from devstack.aws import make_moto_atomic
from devstack.events import http_api_event
from devstack.lambda_runtime import LocalFunction
from devstack.sqs_poller import SqsPoller


def _connect(functions: dict[str, LocalFunction], tenant_ids: list[str]) -> None:
    oauth = functions["OAuthFunction"]
    context = {"sub": "bench", "email": "", "groups": "", "scopes": "xero:connect"}
    started = oauth.invoke(
        http_api_event(
            "POST",
            "/xero/connect",
            route_key="POST /xero/connect",
            authorizer_context=context,
        )
    )
    authorize_url = json.loads(started["body"])["authorize_url"]
    with httpx.Client(follow_redirects=False, timeout=10) as browser:
        page = browser.get(authorize_url)
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
        fields = {k: v.replace("&amp;", "&") for k, v in fields.items()}
        found = re.search(r'<form method="post" action="([^"]+)"', page.text)
        assert found is not None
        parts = urlsplit(authorize_url)
        answer = browser.post(
            f"{parts.scheme}://{parts.netloc}{found.group(1)}",
            data={**fields, "tenant_ids": tenant_ids, "decision": "allow"},
        )
    params = {k: v[0] for k, v in parse_qs(urlsplit(answer.headers["location"]).query).items()}
    done = oauth.invoke(
        http_api_event("GET", "/xero/callback", route_key="GET /xero/callback", query=params)
    )
    assert done["statusCode"] in (200, 302), done


def _create_invoices(tenant_id: str, count: int) -> None:
    from xero_python.accounting import Contact, Invoice, Invoices, LineItem

    from xero_bridge.xero.client import accounting_api, xero_call

    api = accounting_api(tenant_id)
    contact_id = xero_call(lambda: api.get_contacts(tenant_id)).contacts[0].contact_id
    invoices = [
        Invoice(
            type="ACCREC",
            contact=Contact(contact_id=contact_id),
            date=date(2025, 1, 1),
            due_date=date(2025, 1, 31),
            line_items=[
                LineItem(description=f"bench {n}", quantity=1, unit_amount=10, account_code="200")
            ],
        )
        for n in range(count)
    ]
    xero_call(lambda: api.create_invoices(tenant_id, Invoices(invoices=invoices)))


def measure_calls(events: int = 100) -> dict[str, Any]:
    from devstack.xero_simulator import DEMO_TENANT_A, XeroSimulator

    make_moto_atomic()
    simulator = XeroSimulator()
    simulator.start(host="127.0.0.1", port=0)
    try:
        environment = {"POWERTOOLS_LOG_LEVEL": "WARNING", "APP_ENV": "test"}
        with webhook_stack(simulator, **environment) as (template, physical, functions):
            _connect(functions, [DEMO_TENANT_A])
            _create_invoices(DEMO_TENANT_A, events)
            pending = simulator.webhooks.pending()
            created = [e for e in pending if e["eventCategory"] == "INVOICE"]
            deliveries = [d for d in simulator.webhooks.flush() if d.ok]
            # Xero redelivers now and then: send the first delivery a second time.
            duplicate = deliveries[0]
            httpx.post(
                simulator.config.webhook_url,
                content=duplicate.body,
                headers={"x-xero-signature": duplicate.signature},
            ).raise_for_status()
            before = simulator.calls(DEMO_TENANT_A)
            poller = SqsPoller(template, functions, physical)
            assert poller.drain(timeout=120), "the webhook queue did not drain"
            spent = simulator.calls(DEMO_TENANT_A) - before
            from xero_bridge.persistence import snapshots

            stored = len(snapshots.list_snapshots(DEMO_TENANT_A))
        return {
            "events": len(created),
            "calls": spent,
            "deliveries": len(deliveries) + 1,
            "duplicates": 1,
            "snapshots": stored,
        }
    finally:
        simulator.stop()
