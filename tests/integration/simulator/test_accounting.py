"""Accounting API behaviour: arithmetic, payments, errors, list options, history, attachments."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from devstack.xero_simulator.seed import (
    A_BANK_ACCOUNT_ID,
    A_CUSTOMER_ID,
    A_INVOICE_AUTHORISED_ID,
    A_INVOICE_AUTHORISED_NUMBER,
    A_INVOICE_DRAFT_ID,
    A_INVOICE_OVERDUE_ID,
    A_INVOICE_PAID_ID,
)
from tests.integration.simulator.conftest import Api


def _pay(invoice_id: str, amount: float, code: str = "090") -> dict:
    return {
        "Invoice": {"InvoiceID": invoice_id},
        "Account": {"Code": code},
        "Amount": amount,
        "Date": "2024-06-01",
    }


def test_payment_above_amount_due_is_a_validation_exception(api: Api):
    response = api.put("/Payments", json={"Payments": [_pay(A_INVOICE_AUTHORISED_ID, 1150.01)]})
    assert response.status_code == 400
    body = response.json()
    assert body["ErrorNumber"] == 10 and body["Type"] == "ValidationException"
    assert body["Message"] == "A validation exception occurred"
    messages = [e["Message"] for e in body["Elements"][0]["ValidationErrors"]]
    assert messages == ["Payment amount exceeds the amount outstanding on this document"]
    assert api.sim.created("Payments") == []


def test_many_payments_with_summarize_errors_false_report_each(api: Api):
    payments = [
        _pay(A_INVOICE_AUTHORISED_ID, 150.0),
        _pay(A_INVOICE_DRAFT_ID, 10.0),
        _pay(A_INVOICE_OVERDUE_ID, 5.0, code="200"),
    ]
    response = api.put(
        "/Payments", params={"summarizeErrors": "false"}, json={"Payments": payments}
    )
    assert response.status_code == 200
    rows = response.json()["Payments"]
    assert [r["StatusAttributeString"] for r in rows] == ["OK", "ERROR", "ERROR"]
    assert rows[1]["ValidationErrors"] == [
        {"Message": "Payments can only be made against Authorised documents"}
    ]
    assert rows[2]["ValidationErrors"] == [
        {"Message": "Account type is invalid for making a payment to/from"}
    ]
    invoice = api.get(f"/Invoices/{A_INVOICE_AUTHORISED_ID}").json()["Invoices"][0]
    assert invoice["AmountDue"] == 1000.0 and invoice["AmountPaid"] == 150.0
    assert invoice["Status"] == "AUTHORISED"


def test_void_delete_and_edit_rules(api: Api):
    voided = api.post(f"/Invoices/{A_INVOICE_AUTHORISED_ID}", json={"Status": "VOIDED"})
    assert voided.status_code == 200 and voided.json()["Invoices"][0]["Status"] == "VOIDED"
    deleted = api.post(
        f"/Invoices/{A_INVOICE_DRAFT_ID}", json={"Invoices": [{"Status": "DELETED"}]}
    )
    assert deleted.json()["Invoices"][0]["Status"] == "DELETED"
    paid = api.post(f"/Invoices/{A_INVOICE_PAID_ID}", json={"Status": "VOIDED"})
    assert paid.status_code == 400
    refused = api.post(f"/Invoices/{A_INVOICE_OVERDUE_ID}", json={"Status": "DELETED"})
    assert refused.json()["Elements"][0]["ValidationErrors"][0]["Message"] == (
        "Invoice not of valid status for modification"
    )


def test_invoice_by_number_email_history_and_notes(api: Api):
    invoice = api.get(f"/Invoices/{A_INVOICE_AUTHORISED_NUMBER}").json()["Invoices"][0]
    assert invoice["InvoiceID"] == A_INVOICE_AUTHORISED_ID and invoice["Total"] == 1150.0
    assert api.post(f"/Invoices/{A_INVOICE_AUTHORISED_ID}/Email", json={}).status_code == 204
    note = api.put(
        f"/Invoices/{A_INVOICE_AUTHORISED_ID}/History",
        json={"HistoryRecords": [{"Details": "Called the customer"}]},
    )
    assert note.status_code == 200
    history = api.get(f"/Invoices/{A_INVOICE_AUTHORISED_ID}/History").json()["HistoryRecords"]
    assert history[0]["Changes"] == "Note" and history[0]["Details"] == "Called the customer"
    assert any(h["Changes"] == "Emailed" for h in history)
    assert api.get(f"/Invoices/{A_INVOICE_AUTHORISED_ID}").json()["Invoices"][0]["SentToContact"]


def test_attachments_upload_list_download(api: Api):
    upload = api.put(
        f"/Invoices/{A_INVOICE_AUTHORISED_ID}/Attachments/receipt.pdf",
        content=b"%PDF-1.4 fake",
        headers={"Content-Type": "application/pdf"},
    )
    assert upload.status_code == 200
    attachment = upload.json()["Attachments"][0]
    assert attachment["ContentLength"] == 13 and attachment["MimeType"] == "application/pdf"
    listed = api.get(f"/Invoices/{A_INVOICE_AUTHORISED_ID}/Attachments").json()["Attachments"]
    assert [a["FileName"] for a in listed] == ["receipt.pdf"]
    by_id = api.get(f"/Invoices/{A_INVOICE_AUTHORISED_ID}/Attachments/{attachment['AttachmentID']}")
    by_name = api.get(f"/Invoices/{A_INVOICE_AUTHORISED_ID}/Attachments/receipt.pdf")
    assert by_id.content == by_name.content == b"%PDF-1.4 fake"
    contact = api.put(f"/Contacts/{A_CUSTOMER_ID}/Attachments/id.png", content=b"\x89PNG")
    assert contact.json()["Attachments"][0]["MimeType"] == "image/png"
    assert api.get(f"/Accounts/{A_BANK_ACCOUNT_ID}/Attachments").json() == {"Attachments": []}


def test_credit_note_allocation_reduces_amount_due(api: Api):
    note = api.put(
        "/CreditNotes",
        json={
            "CreditNotes": [
                {
                    "Type": "ACCRECCREDIT",
                    "Status": "AUTHORISED",
                    "Contact": {"ContactID": A_CUSTOMER_ID},
                    "LineItems": [
                        {
                            "Description": "Refund",
                            "Quantity": 1,
                            "UnitAmount": 100,
                            "AccountCode": "200",
                        }
                    ],
                }
            ]
        },
    ).json()["CreditNotes"][0]
    assert note["Total"] == 115.0 and note["RemainingCredit"] == 115.0
    allocation = api.put(
        f"/CreditNotes/{note['CreditNoteID']}/Allocations",
        json={
            "Allocations": [
                {
                    "Invoice": {"InvoiceID": A_INVOICE_AUTHORISED_ID},
                    "Amount": 115.0,
                    "Date": "2024-06-01",
                }
            ]
        },
    )
    assert allocation.status_code == 200, allocation.text
    invoice = api.get(f"/Invoices/{A_INVOICE_AUTHORISED_ID}").json()["Invoices"][0]
    assert invoice["AmountCredited"] == 115.0 and invoice["AmountDue"] == 1035.0
    assert (
        api.get(f"/CreditNotes/{note['CreditNoteID']}").json()["CreditNotes"][0]["Status"] == "PAID"
    )


def test_ids_filter_paging_where_order_and_modified_since(api: Api):
    ids = f"{A_INVOICE_DRAFT_ID},{A_INVOICE_PAID_ID}"
    listed = api.get("/Invoices", params={"IDs": ids}).json()["Invoices"]
    assert {i["InvoiceID"] for i in listed} == {A_INVOICE_DRAFT_ID, A_INVOICE_PAID_ID}

    page = api.get("/Invoices", params={"page": 2, "pageSize": 4, "order": "InvoiceNumber"}).json()
    # Six invoices and bills, and the five EUR bills of the rails' demo (seed_rails).
    assert page["pagination"] == {"page": 2, "pageSize": 4, "pageCount": 3, "itemCount": 11}
    assert len(page["Invoices"]) == 4

    where = 'Type=="ACCREC" AND Status=="AUTHORISED"'
    rows = api.get("/Invoices", params={"where": where, "order": "Date DESC"}).json()["Invoices"]
    assert [r["InvoiceID"] for r in rows] == [A_INVOICE_AUTHORISED_ID, A_INVOICE_OVERDUE_ID]
    by_contact = f'Contact.ContactID==guid("{A_CUSTOMER_ID.upper()}") && Status!="DRAFT"'
    rows = api.get("/Invoices", params={"where": by_contact}).json()["Invoices"]
    assert {r["InvoiceID"] for r in rows} == {A_INVOICE_AUTHORISED_ID, A_INVOICE_PAID_ID}
    names = api.get("/Contacts", params={"where": 'Name.Contains("Ridge")'}).json()["Contacts"]
    assert [c["Name"] for c in names] == ["Ridgeway University"]
    assert api.get("/Invoices", params={"where": "Type=="}).status_code == 400

    since = (datetime.now(UTC) + timedelta(seconds=5)).strftime("%Y-%m-%dT%H:%M:%S")
    assert api.get("/Invoices", headers={"If-Modified-Since": since}).json()["Invoices"] == []
    api.sim.clock.advance(60)
    api.post(f"/Invoices/{A_INVOICE_DRAFT_ID}", json={"Reference": "changed"})
    changed = api.get("/Invoices", headers={"If-Modified-Since": since}).json()["Invoices"]
    assert [i["InvoiceID"] for i in changed] == [A_INVOICE_DRAFT_ID]


def test_contact_names_are_unique_and_item_prices_keep_four_decimals(api: Api):
    clash = api.put("/Contacts", json={"Contacts": [{"Name": "Ridgeway University"}]})
    assert clash.status_code == 400
    assert "must be unique" in clash.json()["Elements"][0]["ValidationErrors"][0]["Message"]
    item = api.get("/Items/DEV-HOUR").json()["Items"][0]
    assert item["SalesDetails"]["UnitPrice"] == 123.4567
    invoice = api.get(f"/Invoices/{A_INVOICE_OVERDUE_ID}").json()["Invoices"][0]
    assert invoice["LineItems"][0]["LineAmount"] == 370.37  # 3 x 123.4567, rounded once
    assert invoice["TotalTax"] == 55.56 and invoice["Total"] == 425.93


def test_unknown_record_is_404_and_bad_token_is_401(api: Api):
    assert api.get("/Invoices/00000000-0000-4000-8000-000000000000").status_code == 404
    api.tokens = {"access_token": "not-a-token"}
    assert api.get("/Invoices").status_code == 401
