"""The OpenAPI check itself: it must reject what Xero's spec rejects, or it proves nothing."""

from __future__ import annotations

import json

from tests.integration.simulator.conftest import Api


def _check(spec, path: str, status: int, body: dict, method: str = "GET") -> list[str]:
    return spec.violations(method, path, "", status, "application/json", json.dumps(body).encode())


def test_validator_rejects_invalid_shapes(xero_openapi):
    assert _check(xero_openapi, "/api.xro/2.0/Invoices", 200, {"Invoices": [{"InvoiceID": "x"}]})
    assert _check(
        xero_openapi, "/api.xro/2.0/Invoices", 200, {"Invoices": [{"Status": "NOT-A-STATUS"}]}
    )
    assert _check(xero_openapi, "/api.xro/2.0/Invoices", 400, {"ErrorNumber": "ten"})
    assert _check(xero_openapi, "/connections", 200, [{"tenantId": "not-a-uuid"}])
    assert _check(xero_openapi, "/connect/token", 200, {"access_token": "a"})
    assert _check(xero_openapi, "/api.xro/2.0/Invoices", 401, {"oops": True})
    assert xero_openapi.webhook_violations({"events": [], "entropy": "X"})
    assert _check(xero_openapi, "/api.xro/2.0/Invoices", 200, {"Invoices": []}) == []


def test_the_fixture_checks_every_json_answer(api: Api):
    checker = api.sim.on_response
    before = checker.checked
    api.get("/Invoices")
    api.get("/Contacts")
    assert checker.checked == before + 2
    assert checker.problems == []
    assert api.sim.call_log[-1][:3] == ("GET", "/api.xro/2.0/Contacts", api.tenant_id)
