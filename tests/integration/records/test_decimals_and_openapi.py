"""No cent lost on the way to Xero; every template route is in our OpenAPI document."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from devstack.template import SamTemplate
from devstack.xero_simulator import seed
from tests.integration.records.conftest import TENANT, api


def test_amounts_and_4dp_unit_prices_arrive_in_xero_exactly(records):
    lines = [
        {"description": "ten cents", "quantity": "1", "unit_amount": "0.10", "account_code": "200"},
        {"description": "big", "quantity": "1", "unit_amount": "1234567.89", "account_code": "200"},
        {
            "description": "4dp",
            "quantity": "3.3333",
            "unit_amount": "19.9999",
            "account_code": "200",
        },
    ]
    body = {
        "type": "ACCREC",
        "contact_id": seed.A_CUSTOMER_ID,
        "line_items": lines,
        "line_amount_types": "NoTax",
    }
    answer = api("POST", f"/tenants/{TENANT}/invoices", body=body)
    assert answer.status == 201, answer.body
    stored = records.record(TENANT, "Invoices", answer.body["invoice_id"])
    units = [line["UnitAmount"] for line in stored["LineItems"]]
    assert units == [Decimal("0.10"), Decimal("1234567.89"), Decimal("19.9999")]
    assert stored["LineItems"][2]["Quantity"] == Decimal("3.3333")
    assert stored["Total"] == Decimal("0.10") + Decimal("1234567.89") + Decimal(
        "66.67"
    )  # 3.3333 x 19.9999
    # and back out as decimal strings
    assert [line["unit_amount"] for line in answer.body["line_items"]] == [
        "0.10",
        "1234567.89",
        "19.9999",
    ]
    assert answer.body["total"] == str(stored["Total"])


def test_json_numbers_in_the_request_are_read_exactly(records):
    body = {
        "type": "ACCPAY",
        "contact_id": seed.A_SUPPLIER_ID,
        "line_amount_types": "NoTax",
        "line_items": [{"description": "x", "unit_amount": 1234567.89, "account_code": "400"}],
    }
    answer = api("POST", f"/tenants/{TENANT}/invoices", body=body)
    assert answer.status == 201, answer.body
    stored = records.record(TENANT, "Invoices", answer.body["invoice_id"])
    assert stored["LineItems"][0]["UnitAmount"] == Decimal("1234567.89")


def _openapi() -> dict:
    from devstack.openapi import build_document

    return build_document()


def test_every_template_route_of_the_records_function_is_in_the_openapi_document(tmp_path: Path):
    document = _openapi()
    (tmp_path / "records-openapi.json").write_text(json.dumps(document, indent=2))
    documented = {
        (method.upper(), path)
        for path, operations in document["paths"].items()
        for method in operations
    }
    template = SamTemplate()
    routes = [r for r in template.routes() if r.function_id == "RecordsFunction"]
    assert len(routes) >= 40
    missing = [(r.method, r.path) for r in routes if (r.method, r.path) not in documented]
    assert missing == []
    # money is a decimal string in the document too
    invoice = document["components"]["schemas"]["Invoice"]["properties"]["total"]
    assert "number" not in json.dumps(invoice) or "string" in json.dumps(invoice)
