"""The one API description: built from the functions, true to template.yaml, and current.

Frontends generate their clients from it and the fuzzer drives the local stack with it, so
a route missing from it, or documented without its template route, is a bug."""

from __future__ import annotations

import json
from typing import Any

import pytest
from openapi_spec_validator import validate

from devstack.openapi import DOCUMENT_PATH, build_document, reaches_xero, render
from devstack.template import SamTemplate
from xero_bridge.auth.route_policy import rule_for

METHODS = ("get", "put", "post", "delete", "patch")


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return build_document()


def _operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method.upper(), path): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    }


def test_the_committed_description_is_current(document: dict[str, Any]) -> None:
    assert DOCUMENT_PATH.read_text() == render(document), "stale: run `make openapi`"


def test_it_is_a_valid_openapi_3_1_document(document: dict[str, Any]) -> None:
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_every_template_route_is_documented_and_nothing_else(document: dict[str, Any]) -> None:
    routes = {(r.method, r.path) for r in SamTemplate().routes()}
    documented = set(_operations(document))
    assert routes - documented == set()
    assert documented - routes == set()
    assert len(routes) >= 50


def test_each_operation_carries_its_scopes_and_its_error_answers(
    document: dict[str, Any],
) -> None:
    responses = document["components"]["responses"]
    template = SamTemplate()
    functions = {(r.method, r.path): r.function_id for r in template.routes()}
    assert not reaches_xero("NotifyApiFunction", template)
    assert reaches_xero("RecordsFunction", template)
    for (method, path), operation in _operations(document).items():
        rule = rule_for(f"{method} {path}")
        assert rule is not None, f"{method} {path} is not in the route policy"
        statuses = set(operation["responses"])
        if rule.behind_authorizer:
            scopes = sorted(s for r in operation["security"] for s in r["okta"])
            assert scopes == sorted(rule.any_of), (method, path)
            assert {"401", "403"} <= statuses, (method, path)
        else:
            assert "security" not in operation, (method, path)
        if path.startswith("/tenants/{tenantId}"):
            assert "403" in statuses, (method, path)
            if reaches_xero(functions[(method, path)], template):
                assert {"429", "502", "503"} <= statuses, (method, path)
            else:  # what only Xero makes it answer is not promised where Xero is not called
                assert not {"422", "429", "502", "504"} & statuses, (method, path)
        if operation.get("parameters") or operation.get("requestBody"):
            assert "400" in statuses, (method, path)
        for status, answer in operation["responses"].items():
            if int(status) >= 400 and "$ref" in answer:
                name = answer["$ref"].rsplit("/", 1)[1]
                assert "ErrorBody" in json.dumps(responses[name]), (method, path, status)
        # Powertools' own 422 (its validation error shape) never reaches a caller.
        assert "HTTPValidationError" not in json.dumps(operation), (method, path)


def test_request_bodies_are_described_by_their_models(document: dict[str, Any]) -> None:
    create = _operations(document)[("POST", "/tenants/{tenantId}/invoices")]
    schema = create["requestBody"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/InvoiceCreate"}
