"""Each route's happy path and its errors, against the simulator."""

from __future__ import annotations

from decimal import Decimal

from devstack.xero_simulator import seed
from tests.integration.records.conftest import OTHER_TENANT, TENANT, api
from tests.integration.records.helpers import PDF, raw_put, upload_body

T = f"/tenants/{TENANT}"


def _invoice_body(**extra):
    return {
        "type": "ACCREC",
        "contact_id": seed.A_CUSTOMER_ID,
        "line_items": [
            {
                "description": "Consulting",
                "quantity": "2",
                "unit_amount": "100.00",
                "account_code": "200",
                "tax_type": "OUTPUT2",
            }
        ],
        **extra,
    }


# ---------------------------------------------------------------------------- invoices
def test_list_invoices_filters_and_pages(records):
    # PowerDirect's two bills (the organisation holds EUR bills of other suppliers too).
    bills = {"type": "ACCPAY", "contact_id": seed.A_SUPPLIER_ID, "page_size": "1"}
    answer = api("GET", f"{T}/invoices", query=bills)
    assert answer.status == 200, answer.body
    assert [i["type"] for i in answer.body["invoices"]] == ["ACCPAY"]
    assert answer.body["page"] == 1 and answer.body["next_page"] == 2
    second = api("GET", f"{T}/invoices", query={**bills, "page": "2"})
    assert second.body["next_page"] is None
    assert second.body["invoices"][0]["invoice_id"] != answer.body["invoices"][0]["invoice_id"]


def test_overdue_invoices_are_authorised_past_due_with_money_owed(records):
    answer = api("GET", f"{T}/invoices", query={"overdue": "true", "type": "ACCREC"})
    assert answer.status == 200, answer.body
    ids = {i["invoice_id"] for i in answer.body["invoices"]}
    assert ids == {seed.A_INVOICE_OVERDUE_ID}


def test_invoice_list_by_contact_and_status(records):
    answer = api(
        "GET",
        f"{T}/invoices",
        query={"contact_id": seed.A_CUSTOMER_ID, "status": "AUTHORISED,PAID"},
    )
    assert answer.status == 200
    assert answer.body["invoices"]
    assert {i["contact"]["contact_id"] for i in answer.body["invoices"]} == {seed.A_CUSTOMER_ID}
    assert {i["status"] for i in answer.body["invoices"]} <= {"AUTHORISED", "PAID"}


def test_invoice_list_refuses_a_bad_filter(records):
    answer = api("GET", f"{T}/invoices", query={"type": "SALES"})
    assert answer.status == 400
    assert answer.body["error"]["code"] == "bad_request"


def test_get_invoice_and_404(records):
    answer = api("GET", f"{T}/invoices/{seed.A_INVOICE_AUTHORISED_ID}")
    assert answer.status == 200
    assert answer.body["total"] == "1150.00"
    assert answer.body["invoice_number"] == seed.A_INVOICE_AUTHORISED_NUMBER
    assert answer.body["date"].count("-") == 2  # ISO date, not /Date(…)/
    missing = api("GET", f"{T}/invoices/00000000-0000-4000-8000-000000000000")
    assert missing.status == 404
    assert missing.body["error"]["code"] == "not_found"


def test_create_update_void_invoice(records):
    created = api(
        "POST",
        f"{T}/invoices",
        body=_invoice_body(status="AUTHORISED"),
        headers={"Idempotency-Key": "invoice-create-1"},
    )
    assert created.status == 201, created.body
    invoice_id = created.body["invoice_id"]
    assert created.body["total"] == "230.00"  # 200 + 15% GST
    updated = api("PUT", f"{T}/invoices/{invoice_id}", body={"reference": "PO-42"})
    assert updated.status == 200, updated.body
    assert updated.body["reference"] == "PO-42"
    voided = api("POST", f"{T}/invoices/{invoice_id}/void")
    assert voided.status == 200 and voided.body["status"] == "VOIDED"


def test_create_invoice_with_item_code_and_tracking(records):
    item = records.record(TENANT, "Items", seed.A_ITEM_ID)
    body = _invoice_body()
    body["line_items"] = [
        {
            "item_code": item["Code"],
            "quantity": "3",
            "tracking": [{"name": "Region", "option": "North"}],
        }
    ]
    created = api("POST", f"{T}/invoices", body=body)
    assert created.status == 201, created.body
    line = created.body["line_items"][0]
    assert line["item_code"] == item["Code"]
    assert line["tracking"][0]["option"] == "North"


def test_xero_validation_errors_come_back_as_422_with_messages(records):
    body = _invoice_body(status="AUTHORISED")
    body["line_items"][0]["account_code"] = "999999"
    answer = api("POST", f"{T}/invoices", body=body)
    assert answer.status == 422
    assert answer.body["error"]["code"] == "validation_failed"
    assert any("999999" in d["message"] for d in answer.body["error"]["details"])


def test_our_own_validation_refuses_three_decimal_amounts(records):
    body = _invoice_body()
    body["line_items"][0]["unit_amount"] = "1.23456"
    answer = api("POST", f"{T}/invoices", body=body)
    assert answer.status == 400
    assert records.created("Invoices") == []


def test_delete_draft_and_refuse_deleting_an_authorised_one(records):
    deleted = api("DELETE", f"{T}/invoices/{seed.A_INVOICE_DRAFT_ID}")
    assert deleted.status == 200 and deleted.body["status"] == "DELETED"
    refused = api("DELETE", f"{T}/invoices/{seed.A_INVOICE_AUTHORISED_ID}")
    assert refused.status == 422


def test_email_invoice(records):
    answer = api("POST", f"{T}/invoices/{seed.A_INVOICE_AUTHORISED_ID}/email")
    assert answer.status == 204
    assert records.record(TENANT, "Invoices", seed.A_INVOICE_AUTHORISED_ID)["SentToContact"]
    draft = api("POST", f"{T}/invoices/{seed.A_INVOICE_DRAFT_ID}/email")
    assert draft.status == 422


def test_invoice_history_and_notes(records):
    note = api(
        "POST",
        f"{T}/invoices/{seed.A_INVOICE_AUTHORISED_ID}/history",
        body={"details": "Called the customer"},
    )
    assert note.status == 201, note.body
    history = api("GET", f"{T}/invoices/{seed.A_INVOICE_AUTHORISED_ID}/history")
    assert history.status == 200
    assert any(h["details"] == "Called the customer" for h in history.body["history"])
    empty = api(
        "POST", f"{T}/invoices/{seed.A_INVOICE_AUTHORISED_ID}/history", body={"details": ""}
    )
    assert empty.status == 400


# ---------------------------------------------------------------------------- contacts
def test_contacts_list_search_get_create_update_archive(records):
    found = api("GET", f"{T}/contacts", query={"search": "ridgeway"})
    assert found.status == 200
    assert [c["contact_id"] for c in found.body["contacts"]] == [seed.A_CUSTOMER_ID]
    got = api("GET", f"{T}/contacts/{seed.A_CUSTOMER_ID}")
    assert got.body["name"] == seed.A_CUSTOMER_NAME
    created = api("POST", f"{T}/contacts", body={"name": "Nova Ltd", "contact_number": "N-1"})
    assert created.status == 201, created.body
    contact_id = created.body["contact_id"]
    updated = api("PUT", f"{T}/contacts/{contact_id}", body={"email_address": "a@nova.example"})
    assert updated.body["email_address"] == "a@nova.example"
    assert updated.body["name"] == "Nova Ltd"  # untouched fields stay
    archived = api("POST", f"{T}/contacts/{contact_id}/archive")
    assert archived.body["status"] == "ARCHIVED"
    duplicate = api("POST", f"{T}/contacts", body={"name": seed.A_CUSTOMER_NAME})
    assert duplicate.status == 422
    history = api("GET", f"{T}/contacts/{contact_id}/history")
    assert history.status == 200 and history.body["history"]


def test_upsert_twice_creates_nothing_the_second_time(records):
    body = {
        "contacts": [
            {"name": "Upsert One", "contact_number": "U-1", "email_address": "one@u.example"},
            {"name": "Upsert Two"},
            {"name": seed.A_CUSTOMER_NAME, "email_address": "new@ridgeway.example.com"},
        ]
    }
    first = api("POST", f"{T}/contacts/upsert", body=body)
    assert first.status == 200, first.body
    assert len(first.body["created"]) == 2 and len(first.body["updated"]) == 1
    created_after_first = len(records.created("Contacts", TENANT))
    calls = len(records.call_log)
    second = api("POST", f"{T}/contacts/upsert", body=body)
    assert second.status == 200
    assert second.body["created"] == [] and second.body["updated"] == []
    assert len(second.body["unchanged"]) == 3
    assert len(records.created("Contacts", TENANT)) == created_after_first
    writes = [c for c in records.call_log[calls:] if c[0] != "GET" and c[2] == TENANT]
    assert writes == []
    # Matching by contact number wins over the name: a rename is an update, not a create.
    renamed = api(
        "POST",
        f"{T}/contacts/upsert",
        body={"contacts": [{"name": "Upsert Uno", "contact_number": "U-1"}]},
    )
    assert len(renamed.body["updated"]) == 1 and renamed.body["created"] == []


# ---------------------------------------------------------------------------- accounts
def test_accounts_list_filter_get_create_update_archive(records):
    banks = api("GET", f"{T}/accounts", query={"type": "BANK"})
    assert banks.status == 200
    assert {a["type"] for a in banks.body["accounts"]} == {"BANK"}
    assert any(a["code"] == "090" for a in banks.body["accounts"])
    got = api("GET", f"{T}/accounts/{seed.A_BANK_ACCOUNT_ID}")
    assert got.body["code"] == "090"
    created = api(
        "POST", f"{T}/accounts", body={"code": "4999", "name": "Side income", "type": "OTHERINCOME"}
    )
    assert created.status == 201, created.body
    account_id = created.body["account_id"]
    updated = api("PUT", f"{T}/accounts/{account_id}", body={"description": "Odd jobs"})
    assert updated.body["description"] == "Odd jobs"
    archived = api("POST", f"{T}/accounts/{account_id}/archive")
    assert archived.body["status"] == "ARCHIVED"
    clash = api("POST", f"{T}/accounts", body={"code": "090", "name": "X", "type": "BANK"})
    assert clash.status == 422


# ---------------------------------------------------------------------------- items
def test_items_crud_and_history(records):
    listed = api("GET", f"{T}/items")
    assert listed.status == 200 and listed.body["items"]
    created = api(
        "POST",
        f"{T}/items",
        body={
            "code": "WIDGET",
            "name": "Widget",
            "sales_details": {"unit_price": "12.3456", "account_code": "200"},
        },
    )
    assert created.status == 201, created.body
    item_id = created.body["item_id"]
    assert created.body["sales_details"]["unit_price"] == "12.3456"
    updated = api("PUT", f"{T}/items/{item_id}", body={"name": "Widget v2"})
    assert updated.status == 200, updated.body
    assert updated.body["code"] == "WIDGET" and updated.body["name"] == "Widget v2"
    history = api("GET", f"{T}/items/{item_id}/history")
    assert history.status == 200
    deleted = api("DELETE", f"{T}/items/{item_id}")
    assert deleted.status == 204
    assert api("GET", f"{T}/items/{item_id}").status == 404


# ---------------------------------------------------------------------------- attachments
def test_attachment_upload_list_download(records):
    path = f"{T}/invoices/{seed.A_INVOICE_AUTHORISED_ID}/attachments"
    uploaded = api("POST", path, body=upload_body("receipt.pdf"))
    assert uploaded.status == 201, uploaded.body
    listed = api("GET", path)
    assert [a["file_name"] for a in listed.body["attachments"]] == ["receipt.pdf"]
    downloaded = api("GET", f"{path}/{uploaded.body['attachment_id']}")
    assert downloaded.status == 200
    assert downloaded.raw == PDF
    assert downloaded.headers["Content-Type"] == "application/pdf"


def test_attachment_type_and_size_are_checked_before_xero(records, monkeypatch):
    path = f"{T}/contacts/{seed.A_CUSTOMER_ID}/attachments"
    before = records.calls(TENANT)
    fake_pdf = api("POST", path, body=upload_body("x.pdf", b"MZ\x90\x00 not a pdf"))
    assert fake_pdf.status == 422
    exe = api("POST", path, body=upload_body("x.exe", b"MZ", "application/x-msdownload"))
    assert exe.status == 422
    monkeypatch.setenv("RECORDS_MAX_ATTACHMENT_BYTES", "10")
    from xero_bridge.settings import get_settings

    get_settings.cache_clear()
    big = api("POST", path, body=upload_body("big.pdf"))
    assert big.status == 422
    assert records.calls(TENANT) == before  # none of them reached Xero


# ---------------------------------------------------------------------------- isolation, scope
def test_another_tenant_is_403_and_xero_is_not_called(records):
    before = records.calls(OTHER_TENANT)
    for method, path in (
        ("GET", f"/tenants/{OTHER_TENANT}/invoices"),
        ("GET", f"/tenants/{OTHER_TENANT}/contacts/{seed.B_CUSTOMER_ID}"),
        ("POST", f"/tenants/{OTHER_TENANT}/invoices/{seed.B_INVOICE_AUTHORISED_ID}/void"),
    ):
        answer = api(method, path)
        assert answer.status == 403, (method, path, answer.body)
    assert records.calls(OTHER_TENANT) == before
    # a user without any grant to tenant A is refused there too
    assert api("GET", f"{T}/invoices", sub="mallory").status == 403


def test_xero_429_is_passed_on_with_retry_after(records):
    # Xero's own limit is lower than our budget thinks: Xero's 429 reaches the caller.
    records.config.minute_limit = records.calls(TENANT) + 1
    live = {"Cache-Control": "no-cache"}  # not from the snapshot the first GET leaves
    path = f"{T}/invoices/{seed.A_INVOICE_AUTHORISED_ID}"
    assert api("GET", path, headers=live).status == 200
    answer = api("GET", path, headers=live)
    assert answer.status == 429
    assert int(answer.headers["Retry-After"]) >= 1
    assert answer.body["error"]["code"] == "rate_limited"


# ---------------------------------------------------------------------------- raw
def test_raw_is_for_admins_with_a_grant(records):
    body = {"method": "GET", "path": "/Organisation"}
    refused = api("POST", f"{T}/xero/raw", body=body)
    assert refused.status == 403
    answer = api("POST", f"{T}/xero/raw", body=body, groups=["admin"])
    assert answer.status == 200, answer.body
    assert answer.body["status"] == 200
    assert answer.body["body"]["Organisations"]
    other = api("POST", f"/tenants/{OTHER_TENANT}/xero/raw", body=body, groups=["admin"])
    assert other.status == 403  # still the tenant check
    escape = api(
        "POST", f"{T}/xero/raw", body={"method": "GET", "path": "/../connections"}, groups=["admin"]
    )
    assert escape.status == 400


def test_raw_put_keeps_decimals_exact(records):
    raw_put(
        "Invoices",
        {"Type": "ACCPAY", "Contact": {"ContactID": seed.A_SUPPLIER_ID}},
        {"Description": "x", "Quantity": 1, "UnitAmount": 1234567.8901, "AccountCode": "400"},
    )
    [stored] = records.created("Invoices", TENANT)
    assert stored["LineItems"][0]["UnitAmount"] == Decimal("1234567.8901")
