"""Saferpay's wire, without a network: minor units, the RequestHeader and what each Behavior
makes the client do, and which link a notification's URL names."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest

from xero_bridge.errors import (
    ConfigurationError,
    ServiceUnavailableError,
    UpstreamError,
    UpstreamTimeoutError,
)
from xero_bridge.rails.callbacks.saferpay import link_id_of
from xero_bridge.rails.saferpay.amounts import major_units, minor_units
from xero_bridge.rails.saferpay.client import SaferpayApiError, SaferpayClient
from xero_bridge.rails.saferpay.config import SaferpayConfig

LINK = "7d9da66c-33fd-51ae-87d0-60e4db6b13ce"


# ------------------------------------------------------------------ money
@pytest.mark.parametrize(
    ("amount", "currency", "value"),
    [
        ("249.90", "EUR", "24990"),
        ("0.01", "CHF", "1"),
        ("1200", "JPY", "1200"),
        ("1.5", "BHD", "1500"),
        ("9999999999999.99", "EUR", "999999999999999"),
    ],
)
def test_amounts_are_integer_minor_units_as_a_string(amount, currency, value):
    assert minor_units(Decimal(amount), currency) == value
    assert major_units(value, currency) == Decimal(amount)


@pytest.mark.parametrize(("amount", "currency"), [("12.50", "JPY"), ("0.001", "EUR"), ("0", "EUR")])
def test_an_amount_the_currency_cannot_carry_is_refused_never_rounded(amount, currency):
    with pytest.raises(ValueError):
        minor_units(Decimal(amount), currency)


@pytest.mark.parametrize("value", ["12.5", "-100", "1e3", 24990.0, ""])
def test_an_amount_from_saferpay_that_is_not_minor_units_is_refused(value):
    with pytest.raises(UpstreamError):
        major_units(value, "EUR")


# ------------------------------------------------------------------ the client
CONFIG = SaferpayConfig(
    customer_id="401860",
    terminal_id="17795278",
    api_user="API_401860_80003225",
    api_password="not-a-real-password",
    api_url="https://test.saferpay.example/api",
    timeout=1.0,
    max_attempts=3,
    retry_base=0.0,
)


def error(status: int, name: str, behavior: str, **extra: str) -> httpx.Response:
    body = {"ResponseHeader": {}, "Behavior": behavior, "ErrorName": name,
            "ErrorMessage": name.lower(), **extra}  # fmt: skip
    return httpx.Response(status, json=body)


@pytest.fixture
def saferpay(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., list[dict[str, Any]]]]:
    """Answers the client's calls from a list, in order; what the client sent, for the test."""
    sent: list[dict[str, Any]] = []
    answers: list[httpx.Response | Exception] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append({"url": str(request.url), "auth": request.headers.get("authorization"),
                     "body": json.loads(request.content)})  # fmt: skip
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    monkeypatch.setattr(
        SaferpayClient.pool, "client", httpx.Client(transport=httpx.MockTransport(handler))
    )

    def script(*responses: httpx.Response | Exception) -> list[dict[str, Any]]:
        answers.extend(responses)
        return sent

    yield script


def call(repeat: bool = False) -> dict[str, Any]:
    return SaferpayClient(CONFIG).call("PaymentPage/Initialize", {"X": 1}, f"{LINK}:init",
                                       repeat=repeat)  # fmt: skip


def test_a_call_carries_the_request_header_and_basic_auth(saferpay):
    sent = saferpay(httpx.Response(200, json={"Token": "t"}))
    assert call() == {"Token": "t"}
    [request] = sent
    assert request["url"] == "https://test.saferpay.example/api/Payment/v1/PaymentPage/Initialize"
    assert request["auth"].startswith("Basic ")
    assert request["body"] == {
        "RequestHeader": {"SpecVersion": "1.53", "CustomerId": "401860",
                          "RequestId": f"{LINK}:init", "RetryIndicator": 0},
        "X": 1,
    }  # fmt: skip


def test_retry_is_tried_again_with_the_same_request_id_and_a_higher_retry_indicator(saferpay):
    sent = saferpay(
        error(500, "INTERNAL_ERROR", "RETRY"),
        httpx.ConnectError("reset"),
        httpx.Response(200, json={"Token": "t"}),
    )
    assert call() == {"Token": "t"}
    headers = [s["body"]["RequestHeader"] for s in sent]
    assert [h["RetryIndicator"] for h in headers] == [0, 1, 2]
    assert {h["RequestId"] for h in headers} == {f"{LINK}:init"}


def test_a_repeat_of_a_request_that_may_have_arrived_starts_above_zero(saferpay):
    sent = saferpay(httpx.Response(200, json={}))
    call(repeat=True)
    assert sent[0]["body"]["RequestHeader"]["RetryIndicator"] == 1


@pytest.mark.parametrize("behavior", ["RETRY_LATER", "DO_NOT_RETRY", "OTHER_MEANS"])
def test_other_behaviors_are_not_tried_again_here(saferpay, behavior):
    sent = saferpay(error(402, "TRANSACTION_DECLINED", behavior, TransactionId="abc",
                          PayerMessage="Card declined"))  # fmt: skip
    with pytest.raises(SaferpayApiError) as raised:
        call()
    assert len(sent) == 1
    assert (raised.value.name, raised.value.behavior) == ("TRANSACTION_DECLINED", behavior)
    assert raised.value.transaction_id == "abc"
    assert raised.value.extra["PayerMessage"] == "Card declined"


def test_an_unknown_outcome_after_the_last_attempt_is_a_503_or_504(saferpay):
    saferpay(*[httpx.Response(502, text="bad gateway")] * 3)
    with pytest.raises(ServiceUnavailableError):
        call()
    saferpay(*[httpx.ReadTimeout("slow")] * 3)
    with pytest.raises(UpstreamTimeoutError):
        call()


def test_a_refused_login_is_an_operators_problem(saferpay):
    saferpay(error(401, "AUTHENTICATION_FAILED", "DO_NOT_RETRY"))
    with pytest.raises(ConfigurationError):
        call()


# ------------------------------------------------------------------ notifications
@pytest.mark.parametrize(
    ("path", "link"),
    [
        (f"/webhooks/saferpay/{LINK}", LINK),
        (f"/webhooks/saferpay/{LINK}/", LINK),
        (f"/webhooks/saferpay/{LINK}/return", LINK),
        (f"/webhooks/saferpay/{LINK.upper()}?x=1", LINK),
        (f"/webhooks/saferpay/{LINK}/other", None),
        (f"/webhooks/solaris/{LINK}", None),
        ("/webhooks/saferpay/not-a-link", None),
        ("/webhooks/saferpay/", None),
    ],
)
def test_a_notification_names_a_link_only_by_our_path(path, link):
    assert link_id_of(path.encode()) == link


def test_a_notification_that_is_not_text_names_no_link():
    assert link_id_of(b"\xff\xfe") is None
