"""What Saferpay's answers mean for a card payment and its link (pure: a fake Saferpay and a
fake Xero), including the races a capture can lose."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from xero_bridge.errors import ServiceUnavailableError, UpstreamError
from xero_bridge.persistence.payment_links import CaptureLedger
from xero_bridge.persistence.payments import PaymentRecord
from xero_bridge.rails.saferpay import pages
from xero_bridge.rails.saferpay.captures import InvoiceCaptures, Taken
from xero_bridge.rails.saferpay.client import SaferpayApiError
from xero_bridge.rails.saferpay.link_models import link_status
from xero_bridge.rails.saferpay.rail import SaferpayRail

LINK = "7d9da66c-33fd-51ae-87d0-60e4db6b13ce"
INVOICE = "a3000000-0000-4000-8000-000000000501"


def payment(status: str = "executing", **fields: Any) -> PaymentRecord:
    expires = (datetime.now(UTC) + timedelta(minutes=20)).isoformat()
    data = {
        "token": "tok",
        "expires_at": expires,
        "redirect_url": "https://pay/x",
        "notify_url": "https://api/n",
        "return_url": "https://api/r",
        "description": "Inv",
    }
    values: dict[str, Any] = dict(
        tenant_id="t", payment_id="p", status=status, invoice_id=INVOICE, amount=Decimal("249.90"),
        currency_code="EUR", date="2024-05-01", rail="saferpay", rail_key=LINK,
        rail_status="TRANSACTION_NOT_STARTED", rail_data=data, request_hash="h",
        submitted_by="alice", submitted_at="x", created_at="x", created_key="x", updated_at="x",
        rail_sent_at="x",
    )  # fmt: skip
    values.update(fields)
    return PaymentRecord(**values)


def transaction(status: str, value: str = "24990", currency: str = "EUR") -> dict[str, Any]:
    return {"Type": "PAYMENT", "Status": status, "Id": "TX1", "Date": "2024-05-02T10:00:00.000Z",
            "Amount": {"Value": value, "CurrencyCode": currency}}  # fmt: skip


def refusal(name: str, behavior: str = "DO_NOT_RETRY", **extra: str) -> SaferpayApiError:
    return SaferpayApiError(402, name, name.lower(), behavior, extra=extra)


class FakeApi:
    def __init__(self, asserted: dict[str, Any] | Exception, **answers: Any) -> None:
        self.asserted = asserted
        self.answers = answers
        self.calls: list[str] = []

    def _answer(self, name: str) -> dict[str, Any]:
        self.calls.append(name)
        answer = self.answers.get(name, {})
        if isinstance(answer, Exception):
            raise answer
        return dict(answer)

    def assert_payment(self, token: str) -> dict[str, Any]:
        self.calls.append("assert")
        if isinstance(self.asserted, Exception):
            raise self.asserted
        return self.asserted

    def capture(self, link_id: str, transaction_id: str) -> dict[str, Any]:
        assert link_id == LINK
        return self._answer("capture")

    def cancel(self, link_id: str, transaction_id: str) -> dict[str, Any]:
        return self._answer("cancel")


class FakeXero:
    def __init__(self, due: str = "249.90", status: str = "AUTHORISED") -> None:
        self.invoice = {"InvoiceID": INVOICE, "Status": status, "AmountDue": Decimal(due)}
        self.reads = 0

    def invoices_by_ids(self, ids: Any) -> dict[str, Any]:
        self.reads += 1
        return {INVOICE: self.invoice}


class MemoryCaptures(InvoiceCaptures):
    """The invoice's capture ledger in memory, with `waiting` already taken by its other links
    and not in Xero yet (the stored ledger and payments are the integration tests')."""

    def __init__(self, waiting: str) -> None:
        self.waiting = Decimal(waiting)
        self.claims: dict[str, Decimal] = {}

    def taken(self, payment: Any, xero_read_at: Any, let_go: Any = ()) -> Taken:
        others = (a for p, a in self.claims.items() if p != payment.payment_id and p not in let_go)
        ledger = CaptureLedger(payment.tenant_id, str(payment.invoice_id), len(self.claims))
        return Taken(ledger, self.waiting + sum(others, Decimal(0)))

    def claim(self, taken: Taken, payment: Any) -> bool:
        self.claims[payment.payment_id] = payment.amount
        return True


class Rail(SaferpayRail):
    def __init__(self, xero: Any, api: Any, waiting: str = "0") -> None:
        super().__init__(xero, api)
        self.captures = MemoryCaptures(waiting)


def read(api: FakeApi, xero: FakeXero | None = None, record: PaymentRecord | None = None) -> Any:
    rail = Rail(xero or FakeXero(), api)
    return rail.refresh([record or payment()]).get("p")


# ------------------------------------------------------------------ the rail
def test_an_authorised_payment_is_captured_and_settled():
    api = FakeApi(
        {"Transaction": transaction("AUTHORIZED")},
        capture={"CaptureId": "TX1_c", "Status": "CAPTURED", "Date": "2024-05-03T08:00Z"},
    )
    outcome = read(api)
    assert api.calls == ["assert", "capture"]
    assert (outcome.state, outcome.rail_reference) == ("settled", "TX1")
    assert outcome.settled_on == "2024-05-03"  # the capture's day


def test_a_capture_another_attempt_made_first_is_taken_as_captured():
    api = FakeApi({"Transaction": transaction("AUTHORIZED")},
                  capture=refusal("TRANSACTION_ALREADY_CAPTURED"))  # fmt: skip
    assert read(api).state == "settled"


def test_a_capture_saferpay_refuses_fails_the_payment_and_says_nothing_was_charged():
    api = FakeApi({"Transaction": transaction("AUTHORIZED")},
                  capture=refusal("TRANSACTION_IN_WRONG_STATE"))  # fmt: skip
    outcome = read(api)
    assert outcome.state == "failed" and outcome.failure[0]["code"] == "saferpay_refused"
    assert "not charged" in outcome.failure[0]["message"]


def test_a_capture_saferpay_says_to_make_later_leaves_the_payment_for_later():
    api = FakeApi({"Transaction": transaction("AUTHORIZED")},
                  capture=refusal("INTERNAL_ERROR", "RETRY_LATER"))  # fmt: skip
    with pytest.raises(ServiceUnavailableError):
        read(api)


@pytest.mark.parametrize(("due", "status"), [("100.00", "AUTHORISED"), ("0.00", "PAID")])
def test_an_invoice_with_less_due_than_the_link_is_not_charged(due, status):
    api = FakeApi({"Transaction": transaction("AUTHORIZED")}, cancel={"TransactionId": "TX1"})
    outcome = read(api, FakeXero(due, status))
    assert api.calls == ["assert", "cancel"]
    assert outcome.state == "failed" and outcome.failure[0]["code"] == "amount_due_changed"


def test_a_cancel_that_loses_to_a_capture_is_taken_as_captured():
    class Captured(FakeApi):
        def assert_payment(self, token: str) -> dict[str, Any]:
            self.calls.append("assert")
            status = "CAPTURED" if "cancel" in self.calls else "AUTHORIZED"
            return {"Transaction": transaction(status)}

    api = Captured({}, cancel=refusal("TRANSACTION_IN_WRONG_STATE"))
    outcome = read(api, FakeXero("0.00", "PAID"))
    assert api.calls == ["assert", "cancel", "assert"] and outcome.state == "settled"


def test_two_links_of_one_invoice_paid_at_once_are_not_both_charged():
    class Both(FakeApi):
        def assert_payment(self, token: str) -> dict[str, Any]:
            self.calls.append(f"assert {token}")
            return {"Transaction": {**transaction("AUTHORIZED"), "Id": f"TX-{token}"}}

    api = Both({}, capture={"Status": "CAPTURED"}, cancel={})
    xero = FakeXero("249.90")  # owes one link's amount
    first, second = (
        payment(payment_id=pid, rail_data={**payment().rail_data, "token": token})
        for pid, token in (("p1", "a"), ("p2", "b"))
    )
    found = Rail(xero, api).refresh([first, second])
    assert api.calls == ["assert a", "assert b", "capture", "cancel"]  # one card charged
    assert found["p1"].state == "settled"
    assert found["p2"].state == "failed"
    assert found["p2"].failure[0]["code"] == "amount_due_changed"
    assert xero.reads == 1  # one Xero read for the lot


def test_money_another_link_captured_that_xero_does_not_hold_yet_counts_as_paid():
    api = FakeApi({"Transaction": transaction("AUTHORIZED")}, cancel={})
    found = Rail(FakeXero("249.90"), api, waiting="249.90").refresh([payment()])
    assert api.calls == ["assert", "cancel"]  # Xero says 249.90 due, but it is taken already
    assert found["p"].state == "failed"
    assert found["p"].failure[0]["code"] == "amount_due_changed"


def test_an_authorised_amount_that_is_not_the_links_is_never_captured():
    api = FakeApi({"Transaction": transaction("AUTHORIZED", value="2499")})
    with pytest.raises(UpstreamError):
        read(api)
    assert api.calls == ["assert"]


def test_a_submitted_link_is_read_by_repeating_its_initialize():
    class Repeats(FakeApi):
        def initialize(self, link_id: str, body: dict[str, Any], *, repeat: bool) -> Any:
            self.calls.append(f"initialize repeat={repeat}")
            assert body["Payment"]["Amount"] == {"Value": "24990", "CurrencyCode": "EUR"}
            assert body["Payment"]["OrderId"] == LINK
            return {"Token": "t2", "RedirectUrl": "https://pay/t2", "Expiration": "2024-05-01T10Z"}

    api = Repeats({})
    outcome = read(api, record=payment("submitted", rail_data={"notify_url": "n",
                   "return_url": "r", "description": "d"}))  # fmt: skip
    assert api.calls == ["initialize repeat=True"]
    assert outcome.state == "executing" and outcome.data["token"] == "t2"
    assert read(api, record=payment("submitted", rail_sent_at=None, rail_data={})) is None


# ------------------------------------------------------------------ Assert's answers
@pytest.mark.parametrize(
    ("error", "state", "rail_status"),
    [
        (refusal("TOKEN_EXPIRED"), "cancelled", "TOKEN_EXPIRED"),
        (refusal("TRANSACTION_ABORTED"), "cancelled", "TRANSACTION_ABORTED"),
        (refusal("TRANSACTION_DECLINED", TransactionId="TX9"), "failed", "TRANSACTION_DECLINED"),
        (refusal("3DS_AUTHENTICATION_FAILED"), "failed", "3DS_AUTHENTICATION_FAILED"),
    ],
)
def test_what_an_assert_refusal_means(error, state, rail_status):
    outcome = pages.of_assert_error(error, payment())
    assert (outcome.state, outcome.rail_status) == (state, rail_status)
    if state == "failed":
        assert outcome.failure[0]["code"] == "declined"


def test_a_page_not_paid_yet_changes_nothing_until_long_after_it_expired():
    not_started = refusal("TRANSACTION_NOT_STARTED", "RETRY_LATER")
    assert pages.of_assert_error(not_started, payment()) is None
    long_ago = {**payment().rail_data, "expires_at": "2020-01-01T00:00:00.000Z"}
    given_up = pages.of_assert_error(not_started, payment(rail_data=long_ago))
    assert (given_up.state, given_up.rail_status) == ("cancelled", "TOKEN_EXPIRED")
    with pytest.raises(ServiceUnavailableError):
        pages.of_assert_error(refusal("INTERNAL_ERROR", "RETRY_LATER"), payment())


@pytest.mark.parametrize(
    ("status", "state"), [("CAPTURED", "settled"), ("PENDING", "executing"), ("CANCELED", "failed")]
)
def test_what_a_transaction_means(status, state):
    assert pages.of_transaction(transaction(status), payment()).state == state


# ------------------------------------------------------------------ the link's status
@pytest.mark.parametrize(
    ("fields", "status", "reason"),
    [
        ({"status": "submitted"}, "pending", None),
        ({}, "open", None),
        ({"rail_status": "PENDING"}, "pending", None),
        ({"status": "settled"}, "paid", None),
        ({"status": "recorded", "xero_payment_id": "x"}, "paid", None),
        ({"status": "failed", "failure": [{"code": "declined", "message": "no"}]}, "failed",
         "declined"),
        ({"status": "cancelled", "rail_status": "TOKEN_EXPIRED"}, "expired", "expired"),
        ({"status": "cancelled", "rail_status": "TRANSACTION_ABORTED"}, "cancelled", "cancelled"),
        ({"status": "reversed"}, "reversed", None),
    ],
)  # fmt: skip
def test_a_links_status_is_its_payments_in_words(fields, status, reason):
    found, why = link_status(payment(**fields))
    assert found == status
    assert (why.code if why else None) == reason


def test_an_open_link_past_its_expiry_is_pending_until_saferpay_says():
    later = datetime.now(UTC) + timedelta(minutes=21)
    assert link_status(payment(), now=later)[0] == "pending"
