"""The GoCardless rail's pure parts: money in minor units, the webhook signature, what each
GoCardless payment status means for ours, the payment we send, the page's prefill."""

from __future__ import annotations

import hashlib
import hmac
from decimal import Decimal

import pytest

from xero_bridge.errors import UpstreamError
from xero_bridge.payments import lifecycle
from xero_bridge.persistence.payments import new_record
from xero_bridge.rails.callbacks.gocardless import matches, sign
from xero_bridge.rails.gocardless.api import from_minor_units, idempotency_key, minor_units
from xero_bridge.rails.gocardless.collections import body_of, ours, outcome_of
from xero_bridge.rails.gocardless.mandates import prefilled_customer
from xero_bridge.rails.gocardless.webhooks import events_of

SECRET = "endpoint-secret"


@pytest.mark.parametrize(
    ("amount", "minor"),
    [("0.01", 1), ("1", 100), ("480.00", 48_000), ("199.90", 19_990),
     ("9999999999999.99", 999_999_999_999_999)],
)  # fmt: skip
def test_amounts_cross_to_gocardless_as_exact_minor_units(amount, minor):
    assert minor_units(Decimal(amount)) == minor
    assert from_minor_units(minor) == Decimal(amount)


def test_what_is_not_minor_units_is_refused():
    with pytest.raises(ValueError):
        minor_units(Decimal("1.005"))
    for value in (1.5, "100", True, None):
        with pytest.raises(UpstreamError):
            from_minor_units(value)


def test_the_signature_is_the_hex_hmac_of_the_raw_body():
    body = b'{"events":[]}'
    expected = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert sign(body, SECRET) == expected
    assert matches(body, expected, SECRET)
    assert matches(body, expected.upper(), SECRET)  # hex is hex
    assert not matches(body + b" ", expected, SECRET)
    assert not matches(body, expected, "another secret")
    for wrong in (None, "", "sha256=" + expected, expected[:-2], "é" * 64):
        assert not matches(body, wrong, SECRET), wrong
    assert not matches(body, expected, "")  # no secret configured: nothing verifies


def _payment(status: str, **extra) -> dict:
    return {"id": "PM0001", "status": status, "charge_date": "2026-12-04", **extra}


@pytest.mark.parametrize(
    ("status", "state"),
    [
        ("pending_customer_approval", "executing"),
        ("pending_submission", "executing"),
        ("submitted", "executing"),
        ("confirmed", "settled"),
        ("paid_out", "settled"),
        ("failed", "failed"),
        ("customer_approval_denied", "failed"),
        ("charged_back", "failed"),
        ("cancelled", "cancelled"),
    ],
)
def test_each_gocardless_status_means_one_of_ours(status, state):
    outcome = outcome_of(_payment(status))
    assert outcome.state == state
    assert (outcome.rail_status, outcome.rail_reference) == (status, "PM0001")
    if state == "settled":
        assert outcome.settled_on == "2026-12-04"
    if state == "failed":
        assert outcome.failure and outcome.failure[0]["code"] in (
            "collection_failed", "charged_back",
        )  # fmt: skip


def test_a_failure_says_what_the_bank_said():
    cause = {"origin": "bank", "cause": "insufficient_funds", "reason_code": "AM04",
             "description": "The customer's account had insufficient funds."}  # fmt: skip
    outcome = outcome_of(_payment("failed"), cause)
    assert outcome.failure is not None
    assert "insufficient funds" in outcome.failure[0]["message"]
    assert outcome.failure[1] == {"gocardless_status": "failed", "origin": "bank",
                                  "cause": "insufficient_funds", "reason_code": "AM04"}  # fmt: skip


def _record(**fields):
    values = {
        "tenant_id": "tenant-1", "payment_id": "pay-1", "status": "submitted", "amount":
        Decimal("480.00"), "currency_code": "EUR", "date": "2026-12-01", "invoice_id": "inv-1",
        "invoice_number": "DD-1001", "rail": "gocardless", "rail_key": "key-1",
        "rail_data": {"mandate_id": "MD0001"}, "request_hash": "h", "submitted_by": "alice",
    }  # fmt: skip
    values.update(fields)
    return new_record(**values)


def test_the_payment_we_send_carries_minor_units_the_mandate_and_our_ids():
    body = body_of(_record(), today="2026-12-01")
    assert body == {
        "amount": 48_000,
        "currency": "EUR",
        "description": "Invoice DD-1001",
        "metadata": {"xb_tenant_id": "tenant-1", "xb_payment_id": "pay-1",
                     "xb_invoice_id": "inv-1"},
        "links": {"mandate": "MD0001"},
    }  # fmt: skip
    assert all(len(k) <= 50 for k in body["metadata"]) and len(body["metadata"]) <= 3
    assert ours({"metadata": body["metadata"]}) == ("tenant-1", "pay-1")
    assert ours({"metadata": {"order": "42"}}) is None
    later = body_of(_record(date="2026-12-09", reference="x" * 300), today="2026-12-01")
    assert later["charge_date"] == "2026-12-09" and len(later["description"]) == 140


def test_the_idempotency_key_is_the_same_for_the_same_payment_and_fits():
    key = idempotency_key("payment", "rail-key-1")
    assert key == idempotency_key("payment", "rail-key-1") != idempotency_key("payment", "2")
    assert len(key) <= 128


def test_the_page_is_filled_in_from_the_xero_contact():
    contact = {
        "Name": "Successful Schmidt", "FirstName": "Successful", "LastName": "Schmidt",
        "EmailAddress": "s@example.de",
        "Addresses": [{"AddressType": "POBOX"},
                      {"AddressLine1": "Hauptstr. 1", "City": "Berlin", "PostalCode": "10115",
                       "Country": "DE"}],
    }  # fmt: skip
    assert prefilled_customer(contact) == {
        "email": "s@example.de", "given_name": "Successful", "family_name": "Schmidt",
        "address_line1": "Hauptstr. 1", "city": "Berlin", "postal_code": "10115",
        "country_code": "DE",
    }  # fmt: skip
    company = prefilled_customer({"Name": "Basket Case", "Addresses": [
        {"AddressLine1": "1 Queen St", "Country": "New Zealand"}]})  # fmt: skip
    assert company == {"company_name": "Basket Case", "address_line1": "1 Queen St"}


def test_a_webhook_body_is_read_defensively():
    assert events_of(b"not json") == []
    assert events_of(b'{"events": "x"}') == []
    [event] = events_of(
        b'{"events": [{"id": "EV1", "resource_type": "payments", "action": "confirmed",'
        b' "links": {"payment": "PM1"}}, {"action": "no id"}, "junk"]}'
    )
    assert (event.key, event.resource) == ("gocardless:EV1", ("payments", "PM1"))
    [unknown] = events_of(b'{"events": [{"id": "EV2", "resource_type": "payouts",'
                          b' "links": {"payout": "PO1"}}]}')  # fmt: skip
    assert unknown.resource is None  # nothing we follow


def test_the_lifecycle_takes_a_collection_back_before_and_after_its_record():
    assert lifecycle.between("settled", "failed") == "fail"
    assert lifecycle.between("recorded", "reversed") == "reverse"
    assert lifecycle.TRANSITIONS["progress"].sources == ("executing",)
