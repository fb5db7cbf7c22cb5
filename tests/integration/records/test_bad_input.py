"""What a fuzzer found to be 500s are 400s (or 415s) that name the problem, and nothing
reaches Xero: bodies that are not UTF-8, currencies Xero does not know, text that no UTF-8
can carry, bodies that are not JSON."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.integration.records.conftest import TENANT, api

T = f"/tenants/{TENANT}"
CONTACT = "a1000000-0000-4000-8000-000000000002"
JSON = {"content-type": "application/json"}


def _xero_calls(xero_env: Any) -> int:
    return len(httpx.get(f"{xero_env.url}/_sim/calls", timeout=5).json())


@pytest.mark.parametrize(
    "path",
    [f"{T}/invoices", f"{T}/items", f"{T}/contacts/upsert", f"{T}/invoices/{CONTACT}/attachments"],
)
def test_a_body_that_is_not_utf8_is_a_400(records: Any, path: str) -> None:
    answer = api("POST", path, body=b'{"name": "M\xfcller"}', headers=JSON)
    assert answer.status == 400, answer.body
    assert answer.body["error"]["message"] == "the body is not UTF-8 text"
    assert "invalid UTF-8 at byte" in answer.body["error"]["details"][0]["problem"]


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        (
            "POST",
            f"{T}/accounts",
            {"code": "999", "name": "X", "type": "BANK", "currency_code": "AAA"},
            "currency_code",
        ),
        ("POST", f"{T}/contacts", {"name": "Acme", "default_currency": "AAA"}, "default_currency"),
        ("PUT", f"{T}/contacts/{CONTACT}", {"default_currency": "AAA"}, "default_currency"),
        (
            "POST",
            f"{T}/contacts/upsert",
            {"contacts": [{"name": "Acme", "default_currency": "AAA"}]},
            "contacts.0.default_currency",
        ),
    ],
)
def test_an_unknown_currency_is_a_400_naming_the_field(
    records: Any, xero_env: Any, method: str, path: str, body: dict[str, Any], field: str
) -> None:
    before = _xero_calls(xero_env)
    answer = api(method, path, body=body)
    assert answer.status == 400, answer.body
    [detail] = answer.body["error"]["details"]
    assert detail["field"] == field
    assert "not a currency code Xero knows" in detail["problem"]
    assert _xero_calls(xero_env) == before


def test_a_lone_surrogate_is_a_400_naming_the_field(records: Any, xero_env: Any) -> None:
    before = _xero_calls(xero_env)
    body = '{"contacts": [{"name": "Acme", "phones": [{"phone_type": "MOBILE", '
    body += '"phone_number": "555 \\ud83d"}]}]}'
    answer = api("POST", f"{T}/contacts/upsert", body=body, headers=JSON)
    assert answer.status == 400, answer.body
    assert answer.body["error"]["details"][0]["field"] == "contacts.0.phones.0.phone_number"
    assert _xero_calls(xero_env) == before


def test_a_body_that_is_not_json_is_a_415(records: Any) -> None:
    answer = api(
        "POST",
        f"{T}/contacts",
        body="name=Acme",
        headers={"content-type": "multipart/form-data; boundary=x"},
    )
    assert answer.status == 415, answer.body
    assert answer.body["error"]["code"] == "unsupported_media_type"


def test_a_lone_surrogate_in_free_form_json_is_a_400_before_xero(
    records: Any, xero_env: Any
) -> None:
    """The raw route's body is free-form JSON (no model to refuse the text), so the body
    parser itself refuses what no UTF-8 request to Xero could carry."""
    before = _xero_calls(xero_env)
    body = '{"method": "POST", "path": "Contacts", "body": {"Contacts": [{"Name": "A\\udc00"}]}}'
    answer = api("POST", f"{T}/xero/raw", body=body, headers=JSON, scopes="admin", groups=["admin"])
    assert answer.status == 400, answer.body
    assert answer.body["error"]["details"][0]["field"] == "body.Contacts.0.Name"
    assert _xero_calls(xero_env) == before


def test_an_address_type_xero_does_not_take_on_a_contact_is_a_400(records: Any) -> None:
    body = {"name": "Acme Deliveries", "addresses": [{"address_type": "DELIVERY", "city": ""}]}
    answer = api("POST", f"{T}/contacts", body=body)
    assert answer.status == 400, answer.body
    assert answer.body["error"]["details"][0]["field"] == "addresses.0.address_type"
