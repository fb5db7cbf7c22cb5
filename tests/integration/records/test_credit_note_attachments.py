"""Credit note attachments: the same three routes as the invoice ones, against the simulator."""

from __future__ import annotations

import base64

import pytest

from devstack.xero_simulator import seed
from tests.integration.records.conftest import OTHER_TENANT, TENANT, api
from xero_bridge.auth.route_policy import is_allowed, rule_for

T = f"/tenants/{TENANT}"
PDF = b"%PDF-1.4\n%test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
UNKNOWN_ID = "a5000000-0000-4000-8000-00000000dead"


def _upload_body(file_name: str = "credit.pdf") -> dict[str, str]:
    return {
        "file_name": file_name,
        "mime_type": "application/pdf",
        "content_base64": base64.b64encode(PDF).decode(),
    }


def _credit_note(tenant_path: str = T, contact_id: str = seed.A_CUSTOMER_ID) -> str:
    """A credit note in Xero (the simulator seeds none), made through the admin raw route."""
    body = {
        "method": "PUT",
        "path": "/CreditNotes",
        "body": {
            "CreditNotes": [
                {
                    "Type": "ACCRECCREDIT",
                    "Contact": {"ContactID": contact_id},
                    "LineItems": [
                        {
                            "Description": "Refund",
                            "Quantity": 1,
                            "UnitAmount": 50,
                            "AccountCode": "200",
                        }
                    ],
                }
            ]
        },
    }
    answer = api("POST", f"{tenant_path}/xero/raw", body=body, groups=["admin"])
    assert answer.status == 200, answer.body
    assert answer.body["status"] == 200, answer.body
    return answer.body["body"]["CreditNotes"][0]["CreditNoteID"]


def test_credit_note_attachment_upload_list_download(records):
    path = f"{T}/credit_notes/{_credit_note()}/attachments"
    assert api("GET", path).body["attachments"] == []
    uploaded = api("POST", path, body=_upload_body())
    assert uploaded.status == 201, uploaded.body
    assert uploaded.body["file_name"] == "credit.pdf"
    listed = api("GET", path)
    assert listed.status == 200, listed.body
    assert [a["file_name"] for a in listed.body["attachments"]] == ["credit.pdf"]
    assert [a["attachment_id"] for a in listed.body["attachments"]] == [
        uploaded.body["attachment_id"]
    ]
    downloaded = api("GET", f"{path}/{uploaded.body['attachment_id']}")
    assert downloaded.status == 200
    assert downloaded.raw == PDF
    assert downloaded.headers["Content-Type"] == "application/pdf"
    assert downloaded.headers["Content-Disposition"] == 'attachment; filename="credit.pdf"'


def test_unknown_credit_note_is_404(records):
    path = f"{T}/credit_notes/{UNKNOWN_ID}/attachments"
    assert api("GET", path).status == 404
    assert api("POST", path, body=_upload_body()).status == 404
    assert api("GET", f"{path}/{UNKNOWN_ID}").status == 404


def test_unknown_attachment_of_a_credit_note_is_404(records):
    path = f"{T}/credit_notes/{_credit_note()}/attachments"
    assert api("GET", f"{path}/{UNKNOWN_ID}").status == 404


def test_another_tenants_credit_note_attachments_are_403_and_xero_is_not_called(records):
    before = records.calls(OTHER_TENANT)
    path = f"/tenants/{OTHER_TENANT}/credit_notes/{UNKNOWN_ID}/attachments"
    for method, route, body in (
        ("GET", path, None),
        ("POST", path, _upload_body()),
        ("GET", f"{path}/{UNKNOWN_ID}", None),
    ):
        answer = api(method, route, body=body)
        assert answer.status == 403, (method, route, answer.body)
    assert records.calls(OTHER_TENANT) == before


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
