"""Saferpay's retry rule (same RequestId, RetryIndicator > 0: the first answer, no second
effect), injected faults, and the notification's three tries."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from devstack.demo_data import SAFERPAY_CARD_SUCCESS

from .conftest import Receiver, Saferpay


def add_fault(saferpay: Saferpay, **fault: Any) -> dict[str, Any]:
    response = saferpay.http.post(f"{saferpay.sim.url}/_sim/faults", json=fault)
    assert response.status_code == 201, response.text
    return response.json()


def tokens(saferpay: Saferpay) -> list[dict[str, Any]]:
    return saferpay.http.get(f"{saferpay.sim.url}/_sim/tokens").json()["tokens"]


def paid_transaction(saferpay: Saferpay) -> tuple[str, str]:
    """(Token, TransactionId) of an authorized payment."""
    init = saferpay.initialize()
    assert saferpay.pay(init["Token"], SAFERPAY_CARD_SUCCESS).status_code == 200
    return init["Token"], saferpay.assert_(init["Token"]).json()["Transaction"]["Id"]


# ------------------------------------------------------------------- RequestId replay
def test_a_retried_initialize_answers_the_first_token_and_creates_no_second(
    saferpay: Saferpay,
) -> None:
    body = saferpay.initialize_body()
    first = saferpay.call("PaymentPage/Initialize", body, request_id="req-1")

    again = saferpay.call("PaymentPage/Initialize", body, request_id="req-1", retry=1)

    assert again.status_code == 200
    assert again.json() == first.json()
    assert len(tokens(saferpay)) == 1
    calls = saferpay.http.get(f"{saferpay.sim.url}/_sim/calls").json()["calls"]
    assert [(c["retry_indicator"], c["replayed"]) for c in calls] == [(0, False), (1, True)]


def test_the_same_request_id_without_a_retry_indicator_is_a_new_request(
    saferpay: Saferpay,
) -> None:
    body = saferpay.initialize_body()
    first = saferpay.call("PaymentPage/Initialize", body, request_id="req-1").json()
    second = saferpay.call("PaymentPage/Initialize", body, request_id="req-1").json()
    assert first["Token"] != second["Token"]
    assert len(tokens(saferpay)) == 2


def test_a_capture_whose_answer_was_lost_is_retried_safely(saferpay: Saferpay) -> None:
    token, transaction_id = paid_transaction(saferpay)
    add_fault(saferpay, path_prefix="/api/Payment/v1/Transaction/Capture", after=True)

    lost = saferpay.capture(transaction_id, request_id="cap-1")
    assert lost.status_code == 500
    assert lost.json()["Behavior"] == "RETRY"
    # The capture happened although its answer was lost.
    status = saferpay.assert_(token)
    assert status.json()["Transaction"]["Status"] == "CAPTURED"

    retried = saferpay.capture(transaction_id, request_id="cap-1", retry=1)
    assert retried.status_code == 200, retried.text
    assert retried.json()["Status"] == "CAPTURED"
    assert retried.json()["ResponseHeader"]["RequestId"] == "cap-1"

    fresh = saferpay.capture(transaction_id, request_id="cap-2")
    assert fresh.json()["ErrorName"] == "TRANSACTION_ALREADY_CAPTURED"


def test_a_retry_must_repeat_the_original_request(saferpay: Saferpay) -> None:
    saferpay.call("PaymentPage/Initialize", saferpay.initialize_body(), request_id="req-1")
    other = saferpay.initialize_body(Amount={"Value": "99999", "CurrencyCode": "EUR"})

    response = saferpay.call("PaymentPage/Initialize", other, request_id="req-1", retry=1)

    assert response.status_code == 400
    assert response.json()["ErrorName"] == "VALIDATION_FAILED"
    assert len(tokens(saferpay)) == 1


def test_an_error_answer_is_not_replayed_to_a_retry(saferpay: Saferpay) -> None:
    init = saferpay.initialize()
    early = saferpay.assert_(init["Token"], request_id="assert-1")
    assert early.json()["ErrorName"] == "TRANSACTION_NOT_STARTED"  # RETRY_LATER
    saferpay.pay(init["Token"], SAFERPAY_CARD_SUCCESS)

    later = saferpay.assert_(init["Token"], request_id="assert-1", retry=1)

    assert later.status_code == 200
    assert later.json()["Transaction"]["Status"] == "AUTHORIZED"


def test_a_retry_after_the_memory_lapsed_is_processed_anew(saferpay: Saferpay) -> None:
    body = saferpay.initialize_body()
    first = saferpay.call("PaymentPage/Initialize", body, request_id="req-1").json()
    saferpay.sim.clock.advance(saferpay.sim.config.retry_memory_seconds + 1)

    again = saferpay.call("PaymentPage/Initialize", body, request_id="req-1", retry=1).json()

    assert again["Token"] != first["Token"]


# ------------------------------------------------------------------------------ faults
def test_the_next_calls_fail_with_retry_and_then_work_again(saferpay: Saferpay) -> None:
    add_fault(saferpay, times=2, status=503)
    body = saferpay.initialize_body()

    answers = [
        saferpay.call("PaymentPage/Initialize", body, request_id="r", retry=n) for n in (0, 1, 2)
    ]

    assert [a.status_code for a in answers] == [503, 503, 200]
    failed = answers[0].json()
    assert (failed["ErrorName"], failed["Behavior"]) == ("INTERNAL_ERROR", "RETRY")
    assert failed["ResponseHeader"]["RequestId"] == "r"
    assert len(tokens(saferpay)) == 1  # the faulted calls never reached the API


def test_a_slow_fault_delays_the_answer(saferpay: Saferpay) -> None:
    add_fault(saferpay, kind="slow", delay=0.6)
    started = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        saferpay.http.post(
            f"{saferpay.base}/Payment/v1/PaymentPage/Initialize",
            json={"RequestHeader": saferpay.header("slow-1"), **saferpay.initialize_body()},
            auth=("API_401860_80003225", saferpay.sim.config.api_password),
            timeout=0.2,
        )
    assert time.monotonic() - started < 0.6
    # The work was done: a retry of that request gets its answer, not a second token.
    time.sleep(0.6)
    retried = saferpay.call(
        "PaymentPage/Initialize", saferpay.initialize_body(), request_id="slow-1", retry=1
    )
    assert retried.status_code == 200
    assert len(tokens(saferpay)) == 1


def test_faults_are_listed_and_cleared(saferpay: Saferpay) -> None:
    add_fault(saferpay, times=None)
    url = f"{saferpay.sim.url}/_sim/faults"
    assert len(saferpay.http.get(url).json()["faults"]) == 1
    assert saferpay.http.delete(url).status_code == 204
    assert saferpay.call("PaymentPage/Initialize", saferpay.initialize_body()).status_code == 200
    bad = saferpay.http.post(url, json={"behavior": "SOMETIMES"})
    assert bad.status_code == 400


# ----------------------------------------------------------------------- notifications
def test_a_notification_is_tried_until_the_receiver_answers_200(
    saferpay: Saferpay, receiver: Receiver
) -> None:
    receiver.answer("/success?link=L1", 500, 503, 200)
    init = saferpay.initialize(receiver.url)

    saferpay.pay(init["Token"], SAFERPAY_CARD_SUCCESS)

    notes = saferpay.notifications(init["Token"])
    assert [n["status"] for n in notes] == [500, 503, 200]
    assert [n["attempt"] for n in notes] == [1, 2, 3]
    assert receiver.calls("/success?link=L1") == 3


def test_a_notification_is_tried_three_times_at_most(
    saferpay: Saferpay, receiver: Receiver
) -> None:
    receiver.answer("/success?link=L1", 500, 500, 500, 500, 500)
    init = saferpay.initialize(receiver.url)

    saferpay.pay(init["Token"], SAFERPAY_CARD_SUCCESS)

    assert [n["status"] for n in saferpay.notifications(init["Token"])] == [500, 500, 500]
    assert receiver.calls("/success?link=L1") == 3


def test_an_unreachable_receiver_is_tried_three_times(saferpay: Saferpay) -> None:
    init = saferpay.initialize("http://127.0.0.1:9")  # nothing listens on port 9

    saferpay.pay(init["Token"], SAFERPAY_CARD_SUCCESS)

    notes = saferpay.notifications(init["Token"])
    assert [n["status"] for n in notes] == [None, None, None]
    assert all(n["error"] for n in notes)


def test_a_notification_can_be_sent_again(saferpay: Saferpay, receiver: Receiver) -> None:
    init = saferpay.initialize(receiver.url)
    saferpay.pay(init["Token"], SAFERPAY_CARD_SUCCESS)
    saferpay.sim.wait_for_notifications()

    again = saferpay.http.post(f"{saferpay.sim.url}/_sim/tokens/{init['Token']}/notify")

    assert [a["status"] for a in again.json()["attempts"]] == [200]
    assert receiver.calls("/success?link=L1") == 2
