"""The payer's journey: Initialize → the payment page's HTML form → redirect to the ReturnUrl
and a notification → Assert → Capture, for each of Saferpay's test cards."""

from __future__ import annotations

import httpx
import pytest

from devstack.demo_data import (
    SAFERPAY_CARD_AUTH_FAILS,
    SAFERPAY_CARD_MASTERCARD,
    SAFERPAY_CARD_SUCCESS,
)

from .conftest import Receiver, Saferpay, read_form, submit_card

DECLINED_CARD = "4111111111111111"  # a well-formed Visa number that is not a test card


@pytest.mark.parametrize(
    ("number", "brand", "masked"),
    [
        (SAFERPAY_CARD_SUCCESS, "VISA", "901010xxxxxx0004"),
        (SAFERPAY_CARD_MASTERCARD, "MASTERCARD", "903010xxxxxx0000"),
    ],
)
def test_a_paid_page_redirects_notifies_asserts_and_captures(
    saferpay: Saferpay, receiver: Receiver, number: str, brand: str, masked: str
) -> None:
    init = saferpay.initialize(receiver.url)
    assert init["RedirectUrl"].startswith(f"{saferpay.sim.url}/vt2/api/PaymentPage/")

    response, _ = submit_card(saferpay.http, init["RedirectUrl"], number)

    assert response.status_code == 303
    assert response.headers["location"] == f"{receiver.url}/return?link=L1"  # unchanged
    notes = saferpay.notifications(init["Token"])
    assert [(n["kind"], n["status"]) for n in notes] == [("success", 200)]
    assert receiver.hits == ["/success?link=L1"]  # a plain GET of the URL, nothing added

    asserted = saferpay.assert_(init["Token"])
    assert asserted.status_code == 200, asserted.text
    body = asserted.json()
    transaction = body["Transaction"]
    assert (transaction["Type"], transaction["Status"]) == ("PAYMENT", "AUTHORIZED")
    assert transaction["Amount"] == {"Value": "1050", "CurrencyCode": "EUR"}
    assert transaction["OrderId"] == "INV-0001"
    assert body["PaymentMeans"]["Brand"]["PaymentMethod"] == brand
    assert body["PaymentMeans"]["Card"]["MaskedNumber"] == masked
    assert body["PaymentMeans"]["Card"]["HolderName"] == "Anna Muster"
    assert body["Liability"]["LiabilityShift"] is True
    assert number not in asserted.text and "123" not in str(body["PaymentMeans"])

    captured = saferpay.capture(transaction["Id"])
    assert captured.status_code == 200, captured.text
    assert captured.json()["Status"] == "CAPTURED"
    assert captured.json()["CaptureId"]
    again = saferpay.assert_(init["Token"]).json()["Transaction"]
    assert again["Status"] == "CAPTURED"
    assert again["CaptureId"] == captured.json()["CaptureId"]


@pytest.mark.parametrize(
    ("number", "error_name"),
    [
        (SAFERPAY_CARD_AUTH_FAILS, "3DS_AUTHENTICATION_FAILED"),
        (DECLINED_CARD, "TRANSACTION_DECLINED"),
    ],
)
def test_a_failed_payment_notifies_the_fail_url_and_assert_says_why(
    saferpay: Saferpay, receiver: Receiver, number: str, error_name: str
) -> None:
    init = saferpay.initialize(receiver.url)

    response, _ = submit_card(saferpay.http, init["RedirectUrl"], number)

    assert response.status_code == 303
    assert response.headers["location"] == f"{receiver.url}/return?link=L1"
    notes = saferpay.notifications(init["Token"])
    assert [(n["kind"], n["status"]) for n in notes] == [("fail", 200)]
    assert receiver.hits == ["/fail?link=L1"]
    asserted = saferpay.assert_(init["Token"])
    assert asserted.status_code == 402
    error = asserted.json()
    assert error["ErrorName"] == error_name
    assert error["Behavior"] == "DO_NOT_RETRY"
    assert error["OrderId"] == "INV-0001"
    # The failed attempt has a transaction id, and it cannot be captured.
    captured = saferpay.capture(error["TransactionId"])
    assert captured.status_code == 402
    assert captured.json()["ErrorName"] == "TRANSACTION_IN_WRONG_STATE"


def test_the_payer_cancelling_aborts_the_transaction(
    saferpay: Saferpay, receiver: Receiver
) -> None:
    init = saferpay.initialize(receiver.url)

    response, _ = submit_card(saferpay.http, init["RedirectUrl"], "", button="cancel")

    assert response.status_code == 303
    assert saferpay.assert_(init["Token"]).json()["ErrorName"] == "TRANSACTION_ABORTED"
    assert [n["kind"] for n in saferpay.notifications(init["Token"])] == ["fail"]


def test_the_page_shows_the_amount_and_a_plain_form(saferpay: Saferpay) -> None:
    init = saferpay.initialize(Amount={"Value": "123456", "CurrencyCode": "EUR"})
    page = saferpay_page(saferpay.http, init["RedirectUrl"])
    form = read_form(page)
    assert {"CardNumber", "ExpMonth", "ExpYear", "VerificationCode", "HolderName"} <= set(
        form.inputs
    )
    assert set(form.buttons) == {"pay", "cancel"}
    assert "1234.56 EUR" in page
    assert "Invoice INV-0001" in page


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"CardNumber": "9010100052000005"}, "card number is invalid"),  # fails Luhn
        ({"ExpYear": "2001"}, "card has expired"),
        ({"ExpMonth": "13"}, "expiry date is invalid"),
        ({"VerificationCode": "12"}, "CVC must be 3 or 4 digits"),
    ],
)
def test_bad_card_input_is_shown_on_the_page_and_changes_nothing(
    saferpay: Saferpay, fields: dict[str, str], problem: str
) -> None:
    init = saferpay.initialize()
    number = fields.pop("CardNumber", SAFERPAY_CARD_SUCCESS)

    response, _ = submit_card(saferpay.http, init["RedirectUrl"], number, **fields)

    assert response.status_code == 400
    assert problem in response.text
    assert saferpay.assert_(init["Token"]).json()["ErrorName"] == "TRANSACTION_NOT_STARTED"
    # The payer may correct the input and pay.
    retried, _ = submit_card(saferpay.http, init["RedirectUrl"], SAFERPAY_CARD_SUCCESS)
    assert retried.status_code == 303


def test_a_token_takes_one_payment_only(saferpay: Saferpay) -> None:
    init = saferpay.initialize()
    first, _ = submit_card(saferpay.http, init["RedirectUrl"], SAFERPAY_CARD_SUCCESS)
    assert first.status_code == 303

    page = saferpay_page(saferpay.http, init["RedirectUrl"], status=409)
    assert "already been processed" in page
    second = saferpay.pay(init["Token"], SAFERPAY_CARD_MASTERCARD)
    assert second.status_code == 409
    transactions = saferpay.http.get(f"{saferpay.sim.url}/_sim/transactions").json()["transactions"]
    assert len(transactions) == 1


def test_payment_methods_restrict_the_brands_the_page_takes(saferpay: Saferpay) -> None:
    body = saferpay.initialize_body()
    body["PaymentMethods"] = ["MASTERCARD"]
    init = saferpay.call("PaymentPage/Initialize", body).json()

    refused, _ = submit_card(saferpay.http, init["RedirectUrl"], SAFERPAY_CARD_SUCCESS)
    assert refused.status_code == 400
    assert "not accepted" in refused.text
    paid, _ = submit_card(saferpay.http, init["RedirectUrl"], SAFERPAY_CARD_MASTERCARD)
    assert paid.status_code == 303


def test_a_payment_without_notification_urls_calls_nobody(saferpay: Saferpay) -> None:
    init = saferpay.initialize()
    assert saferpay.pay(init["Token"], SAFERPAY_CARD_SUCCESS).status_code == 200
    assert saferpay.notifications(init["Token"]) == []


def test_cancel_releases_an_authorization_which_then_cannot_be_captured(
    saferpay: Saferpay,
) -> None:
    init = saferpay.initialize()
    saferpay.pay(init["Token"], SAFERPAY_CARD_SUCCESS)
    transaction_id = saferpay.assert_(init["Token"]).json()["Transaction"]["Id"]

    canceled = saferpay.cancel(transaction_id)

    assert canceled.status_code == 200, canceled.text
    assert canceled.json()["TransactionId"] == transaction_id
    assert canceled.json()["OrderId"] == "INV-0001"
    assert saferpay.assert_(init["Token"]).json()["Transaction"]["Status"] == "CANCELED"
    captured = saferpay.capture(transaction_id)
    assert captured.status_code == 402
    assert captured.json()["ErrorName"] == "TRANSACTION_IN_WRONG_STATE"


def test_a_captured_transaction_cannot_be_canceled(saferpay: Saferpay) -> None:
    init = saferpay.initialize()
    saferpay.pay(init["Token"], SAFERPAY_CARD_SUCCESS)
    transaction_id = saferpay.assert_(init["Token"]).json()["Transaction"]["Id"]
    assert saferpay.capture(transaction_id).status_code == 200

    canceled = saferpay.cancel(transaction_id)

    assert canceled.status_code == 402
    assert canceled.json()["ErrorName"] == "TRANSACTION_ALREADY_CAPTURED"


def saferpay_page(http: httpx.Client, url: str, status: int = 200) -> str:
    page = http.get(url)
    assert page.status_code == status, page.text
    return page.text
