"""A mirror through the running local stack, as a person uses it: an administrator connects
both demo organisations, creates a mirror A → B over HTTP, raises an invoice in A through the
records API; the simulator's webhooks, the webhook worker and the mirror worker (the stack's
own SQS poller) put its copy in B, and the mirror's log says so."""

from __future__ import annotations

import time
from typing import Any

import httpx

from tests.e2e.drive import connect, make_token

CUSTOMER_IN_A = "a1000000-0000-4000-8000-000000000001"  # Ridgeway University


def _until(what: Any, timeout: float = 90.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = what()
        if found:
            return found
        time.sleep(1)
    raise AssertionError("timed out")


def test_an_invoice_raised_in_a_is_copied_into_b_by_a_mirror(local_stack):
    tenant_a, tenant_b = local_stack.settings["demo tenants"].split()[:2]
    token = make_token(
        local_stack, "mirror-admin", "admin records:read records:write xero:connect", "admin"
    )
    connect(local_stack, token, [tenant_a, tenant_b])
    client = httpx.Client(
        base_url=local_stack.api, headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    created = client.post(
        f"/tenants/{tenant_a}/mirrors",
        json={
            "target_tenant_id": tenant_b,
            "types": ["ACCREC"],
            "create_missing_contacts": True,
            "create_missing_items": False,
            "number_prefix": "E2E-",
        },
    )
    assert created.status_code == 201, created.text
    mirror = created.json()
    invoice = client.post(
        f"/tenants/{tenant_a}/invoices",
        json={
            "type": "ACCREC",
            "contact_id": CUSTOMER_IN_A,
            "status": "AUTHORISED",
            "line_items": [
                {
                    "description": "Mirrored",
                    "quantity": "2",
                    "unit_amount": "12.3456",
                    "account_code": "200",
                }
            ],
        },
    )
    assert invoice.status_code == 201, invoice.text
    number = invoice.json()["invoice_number"]
    # The customer's name in A as it is now (another test of this stack may have renamed it).
    customer = invoice.json()["contact"]["name"]
    assert customer.startswith("Ridgeway University")

    def copied() -> list[dict[str, Any]]:
        found = client.get(f"/tenants/{tenant_b}/invoices", params={"search": f"E2E-{number}"})
        return [i for i in found.json()["invoices"] if i["invoice_number"] == f"E2E-{number}"]

    [copy] = _until(copied)
    assert copy["contact"]["name"] == customer
    assert copy["line_items"][0]["unit_amount"] == "12.3456"
    log = client.get(f"/tenants/{tenant_a}/mirrors/{mirror['mirror_id']}/log").json()["entries"]
    assert log[0]["outcome"] == "copied" and log[0]["target_id"] == copy["invoice_id"]
    shown = client.get(f"/tenants/{tenant_a}/mirrors/{mirror['mirror_id']}").json()
    assert shown["health"]["state"] == "ok" and shown["health"]["counts"]["copied"] == 1
