"""The payments function's API description: every route of template.yaml, its request body and
answers as models, every error status with the one error body."""

from __future__ import annotations

import json
from typing import Any

import pytest

from devstack.template import SamTemplate
from tests.events import load_function

ERRORS = ["400", "403", "404", "409", "422", "429", "503"]


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return json.loads(load_function("payments").app.get_openapi_json_schema())


def schema_of(content: dict[str, Any]) -> str:
    return content["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]


def test_every_template_route_is_described(document):
    described = {(m.upper(), p) for p, ops in document["paths"].items() for m in ops}
    routes = {
        (r.method, r.path) for r in SamTemplate().routes() if r.function_id == "PaymentsFunction"
    }
    assert len(routes) == 8
    assert routes <= described


def test_a_submission_documents_its_body_answers_and_errors(document):
    operation = document["paths"]["/tenants/{tenantId}/payments"]["post"]
    assert schema_of(operation["requestBody"]["content"]) == "PaymentRequest"
    answers = operation["responses"]
    assert (
        schema_of(answers["201"]["content"]) == schema_of(answers["202"]["content"]) == "PaymentOut"
    )
    for status in ERRORS:
        assert schema_of(answers[status]["content"]) == "ErrorBody", status
    assert "Retry-After" in answers["429"]["headers"]

    schemas = document["components"]["schemas"]
    assert schemas["PaymentRequest"]["properties"]["rail"]["enum"] == ["xero", "solaris_sepa"]
    payment = schemas["PaymentOut"]["properties"]
    for field in ("payment_id", "status", "rail", "rail_status", "rail_reference", "amount"):
        assert field in payment, field
    # What the console shows for a SEPA payment: the payee check and whether a TAN is awaited.
    for field in ("payee", "payee_verification", "accepted_payee_name", "tan_awaited"):
        assert field in payment, field
    verification = json.dumps(schemas["PayeeVerificationOut"])
    assert "suggested_name" in verification and "CLOSE_MATCH" in verification
    assert payment["amount"]["type"] == "string"  # money is a decimal string
    assert "awaiting_confirmation" in json.dumps(payment["status"])
    assert schemas["ErrorBody"]["properties"]["error"]["$ref"].endswith("/ErrorOut")


def test_a_batch_documents_its_items_as_payments(document):
    operation = document["paths"]["/tenants/{tenantId}/payments/batch"]["post"]
    assert schema_of(operation["requestBody"]["content"]) == "BatchRequest"
    assert schema_of(operation["responses"]["200"]["content"]) == "BatchOut"
    items = document["components"]["schemas"]["BatchRequest"]["properties"]["payments"]["items"]
    assert {"invoice_id", "amount", "date", "rail"} <= set(items["properties"])


def test_confirm_takes_the_tan_and_approve_the_accepted_payee_name(document):
    confirm = document["paths"]["/tenants/{tenantId}/payments/{paymentId}/confirm"]["post"]
    assert schema_of(confirm["requestBody"]["content"]) == "ConfirmRequest"
    assert schema_of(confirm["responses"]["200"]["content"]) == "PaymentOut"
    assert schema_of(confirm["responses"]["422"]["content"]) == "ErrorBody"
    schemas = document["components"]["schemas"]
    assert schemas["ConfirmRequest"]["required"] == ["tan"]
    approve = document["paths"]["/tenants/{tenantId}/payments/{paymentId}/approve"]["post"]
    assert "ApproveRequest" in json.dumps(approve["requestBody"])
    assert "accepted_payee_name" in schemas["ApproveRequest"]["properties"]
