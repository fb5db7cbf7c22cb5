"""What the JSON API refuses, with Saferpay's statuses and error bodies."""

from __future__ import annotations

from typing import Any

import pytest

from devstack.demo_data import SAFERPAY_API_USER, SAFERPAY_CARD_SUCCESS

from .conftest import Saferpay


def error_of(response: Any, status: int, name: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["ErrorName"] == name, body
    assert body["Behavior"] in ("DO_NOT_RETRY", "OTHER_MEANS", "RETRY", "RETRY_LATER")
    assert body["ErrorMessage"]
    return body


@pytest.mark.parametrize(
    "auth",
    [None, (SAFERPAY_API_USER, "wrong-password"), ("API_401860_00000000", "whatever")],
)
def test_every_call_needs_the_json_api_user(saferpay: Saferpay, auth: Any) -> None:
    response = saferpay.call("PaymentPage/Initialize", saferpay.initialize_body(), auth=auth)

    body = error_of(response, 401, "AUTHENTICATION_FAILED")
    assert body["Behavior"] == "DO_NOT_RETRY"
    assert body["ResponseHeader"]["SpecVersion"] == "1.53"
    assert saferpay.http.get(f"{saferpay.sim.url}/_sim/tokens").json()["tokens"] == []


@pytest.mark.parametrize(
    ("change", "detail"),
    [
        ({"SpecVersion": "2.0"}, "RequestHeader.SpecVersion"),
        ({"CustomerId": "999999"}, "RequestHeader.CustomerId"),
        ({"CustomerId": None}, "RequestHeader.CustomerId"),
        ({"RequestId": None}, "RequestHeader.RequestId"),
        ({"RequestId": "has spaces"}, "RequestHeader.RequestId"),
        ({"RetryIndicator": None}, "RequestHeader.RetryIndicator"),
        ({"RetryIndicator": 10}, "RequestHeader.RetryIndicator"),
    ],
)
def test_the_request_header_is_validated(
    saferpay: Saferpay, change: dict[str, Any], detail: str
) -> None:
    header = {**saferpay.header(), **change}
    header = {k: v for k, v in header.items() if v is not None}
    payload = {**saferpay.initialize_body(), "RequestHeader": header}

    response = saferpay.http.post(
        f"{saferpay.base}/Payment/v1/PaymentPage/Initialize",
        json=payload,
        auth=("API_401860_80003225", saferpay.sim.config.api_password),
    )

    body = error_of(response, 400, "VALIDATION_FAILED")
    assert body["Behavior"] == "DO_NOT_RETRY"
    assert any(line.startswith(detail) for line in body["ErrorDetail"]), body


def test_a_missing_request_header_is_a_validation_error(saferpay: Saferpay) -> None:
    response = saferpay.http.post(
        f"{saferpay.base}/Payment/v1/PaymentPage/Assert",
        json={"Token": "abc"},
        auth=("API_401860_80003225", saferpay.sim.config.api_password),
    )
    body = error_of(response, 400, "VALIDATION_FAILED")
    assert body["ErrorDetail"] == ["RequestHeader: The RequestHeader field is required."]


@pytest.mark.parametrize(
    ("amount", "detail"),
    [
        ({"Value": "10.50", "CurrencyCode": "EUR"}, "Payment.Amount.Value"),
        ({"Value": 1050, "CurrencyCode": "EUR"}, "Payment.Amount.Value"),
        ({"Value": "0", "CurrencyCode": "EUR"}, "Payment.Amount.Value"),
        ({"Value": "-5", "CurrencyCode": "EUR"}, "Payment.Amount.Value"),
        ({"Value": "1050", "CurrencyCode": "XXX"}, "Payment.Amount.CurrencyCode"),
        ({"Value": "1050", "CurrencyCode": "eur"}, "Payment.Amount.CurrencyCode"),
        ({"Value": "1050"}, "Payment.Amount.CurrencyCode"),
    ],
)
def test_initialize_takes_only_positive_minor_units_in_a_known_currency(
    saferpay: Saferpay, amount: dict[str, Any], detail: str
) -> None:
    body = saferpay.initialize_body(Amount=amount)

    error = error_of(saferpay.call("PaymentPage/Initialize", body), 400, "VALIDATION_FAILED")

    assert [line.split(":")[0] for line in error["ErrorDetail"]] == [detail]


@pytest.mark.parametrize(
    ("change", "detail"),
    [
        ({"TerminalId": "1234"}, "TerminalId"),
        ({"TerminalId": None}, "TerminalId"),
        ({"ReturnUrl": None}, "ReturnUrl"),
        ({"ReturnUrl": {"Url": "javascript:alert(1)"}}, "ReturnUrl.Url"),
        ({"Notification": {"SuccessNotifyUrl": "ftp://x/y"}}, "Notification.SuccessNotifyUrl"),
        ({"PaymentMethods": ["VISA", "BITCOIN"]}, "PaymentMethods"),
    ],
)
def test_initialize_validates_terminal_urls_and_methods(
    saferpay: Saferpay, change: dict[str, Any], detail: str
) -> None:
    body = {**saferpay.initialize_body(), **change}
    body = {k: v for k, v in body.items() if v is not None}

    error = error_of(saferpay.call("PaymentPage/Initialize", body), 400, "VALIDATION_FAILED")

    assert [line.split(":")[0] for line in error["ErrorDetail"]] == [detail]


def test_initialize_needs_a_description(saferpay: Saferpay) -> None:
    body = saferpay.initialize_body()
    del body["Payment"]["Description"]
    error = error_of(saferpay.call("PaymentPage/Initialize", body), 400, "VALIDATION_FAILED")
    assert error["ErrorDetail"] == ["Payment.Description: The Description field is required."]


def test_a_terminal_of_another_customer_is_denied(saferpay: Saferpay) -> None:
    body = {**saferpay.initialize_body(), "TerminalId": "12345678"}
    error_of(saferpay.call("PaymentPage/Initialize", body), 403, "PERMISSION_DENIED")


def test_the_api_speaks_json_only(saferpay: Saferpay) -> None:
    url = f"{saferpay.base}/Payment/v1/PaymentPage/Initialize"
    auth = ("API_401860_80003225", saferpay.sim.config.api_password)
    form = saferpay.http.post(url, data={"Token": "x"}, auth=auth)
    assert form.status_code == 415
    html = saferpay.http.post(url, json={}, auth=auth, headers={"Accept": "text/html"})
    assert html.status_code == 406


def test_assert_of_an_unknown_token(saferpay: Saferpay) -> None:
    error_of(saferpay.assert_("nosuchtoken0000000000000000"), 402, "TOKEN_INVALID")


def test_assert_before_the_payer_paid_says_try_later(saferpay: Saferpay) -> None:
    init = saferpay.initialize()
    body = error_of(saferpay.assert_(init["Token"]), 402, "TRANSACTION_NOT_STARTED")
    assert body["Behavior"] == "RETRY_LATER"


def test_capture_of_an_unknown_transaction(saferpay: Saferpay) -> None:
    error_of(saferpay.capture("UnknownTransaction0000000000"), 402, "TRANSACTION_NOT_FOUND")
    error_of(saferpay.cancel("UnknownTransaction0000000000"), 402, "TRANSACTION_NOT_FOUND")


def test_capturing_twice_is_refused_and_changes_nothing(saferpay: Saferpay) -> None:
    init = saferpay.initialize()
    saferpay.pay(init["Token"], SAFERPAY_CARD_SUCCESS)
    transaction_id = saferpay.assert_(init["Token"]).json()["Transaction"]["Id"]
    first = saferpay.capture(transaction_id).json()

    second = saferpay.capture(transaction_id)

    body = error_of(second, 402, "TRANSACTION_ALREADY_CAPTURED")
    assert body["Behavior"] == "DO_NOT_RETRY"
    captured = saferpay.assert_(init["Token"]).json()["Transaction"]
    assert captured["CaptureId"] == first["CaptureId"]


@pytest.mark.parametrize(
    ("reference", "detail"),
    [
        ({}, "TransactionReference"),
        ({"TransactionId": "abc", "OrderId": "INV-0001"}, "TransactionReference"),
        ({"TransactionId": "not/an/id"}, "TransactionReference.TransactionId"),
    ],
)
def test_a_transaction_reference_names_exactly_one_thing(
    saferpay: Saferpay, reference: dict[str, str], detail: str
) -> None:
    body = {"TransactionReference": reference} if reference else {}
    error = error_of(saferpay.call("Transaction/Capture", body), 400, "VALIDATION_FAILED")
    assert [line.split(":")[0] for line in error["ErrorDetail"]] == [detail]


def test_capture_by_order_id_and_with_a_partial_amount(saferpay: Saferpay) -> None:
    init = saferpay.initialize(OrderId="INV-0042")
    saferpay.pay(init["Token"], SAFERPAY_CARD_SUCCESS)
    reference = {"TransactionReference": {"OrderId": "INV-0042"}}

    too_much = saferpay.call(
        "Transaction/Capture", {**reference, "Amount": {"Value": "1051", "CurrencyCode": "EUR"}}
    )
    error_of(too_much, 402, "AMOUNT_INVALID")
    other_currency = saferpay.call(
        "Transaction/Capture", {**reference, "Amount": {"Value": "500", "CurrencyCode": "CHF"}}
    )
    error_of(other_currency, 402, "CURRENCY_INVALID")
    part = saferpay.call(
        "Transaction/Capture", {**reference, "Amount": {"Value": "500", "CurrencyCode": "EUR"}}
    )
    assert part.status_code == 200, part.text
    assert part.json()["Status"] == "CAPTURED"
