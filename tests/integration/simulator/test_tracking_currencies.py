"""Tracking categories on line items, foreign currencies, and what a credit-note allocation
needs: the simulator refuses what Xero refuses."""

from __future__ import annotations

from typing import Any

from devstack.xero_simulator import DEMO_TENANT_B
from devstack.xero_simulator.seed import (
    A_CUSTOMER_2_ID,
    A_CUSTOMER_ID,
    A_INVOICE_AUTHORISED_ID,
    A_REGION_ID,
)
from tests.integration.simulator.conftest import Api


def _invoice(tracking: Any = None, currency: str | None = None, **extra: Any) -> dict[str, Any]:
    line: dict[str, Any] = {
        "Description": "Tracked work",
        "Quantity": 1,
        "UnitAmount": "10.00",
        "AccountCode": "200",
    }
    if tracking is not None:
        line["Tracking"] = tracking
    invoice: dict[str, Any] = {
        "Type": "ACCREC",
        "Contact": {"ContactID": A_CUSTOMER_ID},
        "LineItems": [line],
        **extra,
    }
    if currency:
        invoice["CurrencyCode"] = currency
    return {"Invoices": [invoice]}


def _messages(response: Any) -> list[str]:
    return [
        error["Message"]
        for element in response.json()["Elements"]
        for error in element["ValidationErrors"]
    ]


def test_tracking_categories_are_listed_with_their_active_options(api: Api):
    [region] = api.get("/TrackingCategories").json()["TrackingCategories"]
    assert region["TrackingCategoryID"] == A_REGION_ID
    assert [o["Name"] for o in region["Options"]] == ["North", "South"]
    api.tenant_id = DEMO_TENANT_B
    [theirs] = api.get("/TrackingCategories").json()["TrackingCategories"]
    assert [o["Name"] for o in theirs["Options"]] == ["North", "West"]


def test_line_tracking_by_name_is_stored_with_both_ids(api: Api):
    response = api.put("/Invoices", json=_invoice([{"Name": "region", "Option": "south"}]))
    assert response.status_code == 200, response.text
    [tracking] = response.json()["Invoices"][0]["LineItems"][0]["Tracking"]
    assert tracking["Name"] == "Region" and tracking["Option"] == "South"
    assert tracking["TrackingCategoryID"] == A_REGION_ID
    assert tracking["TrackingOptionID"].startswith(A_REGION_ID[:-2])


def test_unknown_tracking_categories_and_options_are_refused(api: Api):
    unknown_option = api.put("/Invoices", json=_invoice([{"Name": "Region", "Option": "West"}]))
    assert unknown_option.status_code == 400
    assert "TrackingOption 'West'" in _messages(unknown_option)[0]
    unknown_category = api.put("/Invoices", json=_invoice([{"Name": "Project", "Option": "X"}]))
    assert unknown_category.status_code == 400
    assert "TrackingCategory 'Project'" in _messages(unknown_category)[0]
    twice = [{"Name": "Region", "Option": "North"}, {"Name": "Region", "Option": "South"}]
    assert api.put("/Invoices", json=_invoice(twice)).status_code == 400


def test_an_added_currency_is_accepted_at_the_days_rate_and_others_are_refused(api: Api):
    response = api.put("/Invoices", json=_invoice(currency="AUD"))
    assert response.status_code == 200, response.text
    invoice = response.json()["Invoices"][0]
    assert invoice["CurrencyCode"] == "AUD" and invoice["CurrencyRate"] == 0.9155
    given = api.put("/Invoices", json=_invoice(currency="AUD", CurrencyRate="0.9"))
    assert given.json()["Invoices"][0]["CurrencyRate"] == 0.9
    refused = api.put("/Invoices", json=_invoice(currency="GBP"))
    assert refused.status_code == 400
    assert _messages(refused) == ["The currency GBP is not enabled for this organisation"]
    codes = [c["Code"] for c in api.get("/Currencies").json()["Currencies"]]
    assert codes == ["NZD", "AUD", "EUR", "USD"]  # AUD for the mirrors, EUR and USD the rails


def _credit_note(contact_id: str, currency: str | None = None) -> dict[str, Any]:
    note: dict[str, Any] = {
        "Type": "ACCRECCREDIT",
        "Status": "AUTHORISED",
        "Contact": {"ContactID": contact_id},
        "LineItems": [
            {"Description": "Refund", "Quantity": 1, "UnitAmount": 10, "AccountCode": "200"}
        ],
    }
    if currency:
        note["CurrencyCode"] = currency
    return {"CreditNotes": [note]}


def test_a_credit_note_is_allocated_only_to_an_invoice_of_its_contact_and_currency(api: Api):
    for contact_id, currency, problem in (
        (A_CUSTOMER_2_ID, None, "The credit note and invoice must be for the same contact"),
        (A_CUSTOMER_ID, "AUD", "The credit note and invoice must be in the same currency"),
    ):
        note = api.put("/CreditNotes", json=_credit_note(contact_id, currency))
        note_id = note.json()["CreditNotes"][0]["CreditNoteID"]
        allocation = {"Invoice": {"InvoiceID": A_INVOICE_AUTHORISED_ID}, "Amount": 1}
        refused = api.put(f"/CreditNotes/{note_id}/Allocations", json={"Allocations": [allocation]})
        assert refused.status_code == 400
        assert _messages(refused) == [problem]
