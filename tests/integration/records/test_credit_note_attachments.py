"""Credit note attachments: the same three routes as the invoice ones, against the simulator."""

from __future__ import annotations

import pytest

from devstack.xero_simulator import seed
from tests.integration.records.conftest import OTHER_TENANT, TENANT, api
from tests.integration.records.helpers import (
    UNKNOWN_ID,
    assert_other_tenants_attachments_refused,
    assert_upload_list_download,
    raw_put,
    upload_body,
)
from xero_bridge.auth.route_policy import is_allowed, rule_for

T = f"/tenants/{TENANT}"


def _upload_body(file_name: str = "credit.pdf") -> dict[str, str]:
    return upload_body(file_name)


def _credit_note(tenant: str = TENANT, contact_id: str = seed.A_CUSTOMER_ID) -> str:
    """A credit note in Xero (the simulator seeds none), made through the admin raw route."""
    answer = raw_put(
        "CreditNotes",
        {"Type": "ACCRECCREDIT", "Contact": {"ContactID": contact_id}},
        {"Description": "Refund", "Quantity": 1, "UnitAmount": 50, "AccountCode": "200"},
        tenant,
    )
    assert answer.body["status"] == 200, answer.body
    return answer.body["body"]["CreditNotes"][0]["CreditNoteID"]


def test_credit_note_attachment_upload_list_download(records):
    assert_upload_list_download(f"{T}/credit_notes/{_credit_note()}/attachments", "credit.pdf")


def test_unknown_credit_note_is_404(records):
    path = f"{T}/credit_notes/{UNKNOWN_ID}/attachments"
    assert api("GET", path).status == 404
    assert api("POST", path, body=_upload_body()).status == 404
    assert api("GET", f"{path}/{UNKNOWN_ID}").status == 404


def test_unknown_attachment_of_a_credit_note_is_404(records):
    path = f"{T}/credit_notes/{_credit_note()}/attachments"
    assert api("GET", f"{path}/{UNKNOWN_ID}").status == 404


def test_another_tenants_credit_note_attachments_are_403_and_xero_is_not_called(records):
    path = f"/tenants/{OTHER_TENANT}/credit_notes/{UNKNOWN_ID}/attachments"
    assert_other_tenants_attachments_refused(records, path, "credit.pdf")


@pytest.mark.parametrize(
    ("route_key", "scope"),
    [
        ("GET /tenants/{tenantId}/credit_notes/{id}/attachments", "records:read"),
        ("POST /tenants/{tenantId}/credit_notes/{id}/attachments", "records:write"),
        ("GET /tenants/{tenantId}/credit_notes/{id}/attachments/{attachmentId}", "records:read"),
    ],
)
def test_credit_note_attachment_routes_need_the_invoice_attachment_scopes(route_key, scope):
    invoice_route = route_key.replace("/credit_notes/", "/invoices/")
    assert rule_for(route_key) == rule_for(invoice_route)
    assert is_allowed(route_key, [scope], [])
    other = "records:write" if scope == "records:read" else "records:read"
    assert not is_allowed(route_key, [other], [])
