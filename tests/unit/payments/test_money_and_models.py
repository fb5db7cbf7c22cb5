"""Money parsing, the wire guarantee, request models, policy, the lifecycle table and keys:
no AWS, no Xero."""

from __future__ import annotations

import json
import random
from decimal import Decimal
from itertools import pairwise
from types import SimpleNamespace

import pytest

from xero_bridge.errors import BadRequestError, ConfigurationError, ConflictError, ForbiddenError
from xero_bridge.http.request import exact_json, idempotency_key
from xero_bridge.payments import keys, lifecycle, policy
from xero_bridge.payments.models import parse_payment_request
from xero_bridge.payments.money import AmountError, money_text, parse_amount, to_wire
from xero_bridge.settings import load_settings

GOOD = {
    "invoice_id": "A3000000-0000-4000-8000-000000000002",
    "account_code": "090",
    "amount": "10.50",
    "date": "2024-05-01",
}


@pytest.mark.parametrize(
    ("value", "expected"),
    [("10", "10"), ("10.5", "10.5"), ("0.01", "0.01"), (Decimal("1234.56"), "1234.56"), (7, "7")],
)
def test_amounts_are_exact(value, expected):
    assert parse_amount(value) == Decimal(expected)


@pytest.mark.parametrize(
    "value",
    [
        "-1",
        "0",
        "0.00",
        "1.005",
        "1e2",
        "NaN",
        "Infinity",
        "",
        "abc",
        "1,00",
        0.1 + 0.2,
        1.5,
        True,
        Decimal("1E+2"),
        Decimal("NaN"),
        "12345678901234.00",
        None,
    ],
)
def test_bad_amounts_are_refused(value):
    with pytest.raises(AmountError):
        parse_amount(value)


def test_json_numbers_become_decimal_without_a_float():
    data = exact_json('{"amount": 0.30000000000000004, "n": 12.10}')
    assert data["amount"] == Decimal("0.30000000000000004")
    assert data["n"] == Decimal("12.10") and str(data["n"]) == "12.10"
    with pytest.raises(AmountError):
        parse_amount(data["amount"])
    for bad in ('{"a": NaN}', '{"a": Infinity}', '{"a": 1e5}', "{", ""):
        with pytest.raises(BadRequestError):
            exact_json(bad)


def test_every_cent_survives_xero_pythons_float_serialisation():
    """xero-python sends float(amount) through json.dumps; prove the text is the decimal."""
    cents = [Decimal(n).scaleb(-2) for n in range(1, 1_000_001, 7)]
    rng = random.Random(7)
    cents += [Decimal(rng.randrange(1, 10**15)).scaleb(-2) for _ in range(100_000)]
    cents += [Decimal("9999999999999.99"), Decimal("0.01"), Decimal("1234567890123.45")]
    for amount in cents:
        sent = json.loads(json.dumps({"Amount": to_wire(amount)}), parse_float=Decimal)
        assert sent["Amount"] == amount, amount


def test_to_wire_refuses_what_a_double_cannot_carry():
    with pytest.raises(ValueError):
        to_wire(Decimal("12345678901234567.89"))


def test_money_text_has_two_decimals():
    assert money_text(Decimal("5")) == "5.00"
    assert money_text(Decimal("5.1")) == "5.10"


def test_a_valid_request_is_normalised():
    request = parse_payment_request(GOOD)
    assert request.invoice_id == GOOD["invoice_id"].lower()
    assert request.canonical()["amount"] == "10.50"
    same = parse_payment_request({**GOOD, "amount": "10.5"})
    assert same.fingerprint() == request.fingerprint()
    assert parse_payment_request({**GOOD, "amount": "10.51"}).fingerprint() != request.fingerprint()
    # The default rail leaves the fingerprint as it was before rails existed (stored records
    # and idempotency keys of that time still match their repeats).
    assert request.rail == "xero" and "rail" not in request.canonical()
    assert parse_payment_request({**GOOD, "rail": "xero"}).fingerprint() == request.fingerprint()


@pytest.mark.parametrize(
    "change",
    [
        {"amount": 10.5},
        {"date": "2024-13-01"},
        {"date": 1714521600},
        {"date": "2024-05-01T00:00:00Z"},
        {"invoice_id": "nope"},
        {"invoice_number": "INV-1"},
        {"account_id": "a0000000-0000-4000-8000-000000000090"},
        {"account_code": None},
        {"surprise": 1},
        {"reference": "x" * 201},
        {"currency_rate": "-1"},
        {"rail": "swift"},
    ],
)
def test_invalid_requests_are_400_with_details(change):
    data = {**GOOD, **change}
    data = {k: v for k, v in data.items() if v is not None}
    with pytest.raises(BadRequestError) as caught:
        parse_payment_request(data)
    assert caught.value.details


def test_threshold_default_and_per_tenant():
    settings = load_settings({"PAYMENT_APPROVAL_THRESHOLDS": "t1=100.00, t2=5"})
    assert policy.approval_threshold("other", settings) == Decimal("10000.00")
    assert policy.needs_approval("t1", Decimal("100.01"), settings)
    assert not policy.needs_approval("t1", Decimal("100.00"), settings)
    assert policy.needs_approval("t2", Decimal("5.01"), settings)
    with pytest.raises(ConfigurationError):
        policy.tenant_thresholds(load_settings({"PAYMENT_APPROVAL_THRESHOLDS": "t1=abc"}))


def test_four_eyes_and_transitions():
    with pytest.raises(ForbiddenError):
        policy.check_four_eyes("alice", "alice")
    policy.check_four_eyes("alice", "bob")
    lifecycle.check("approve", "pending_approval")
    for action, status in [("approve", "recorded"), ("reject", "rejected"), ("reverse", "failed")]:
        with pytest.raises(ConflictError) as refused:
            lifecycle.check(action, status)
        assert refused.value.details[0]["status"] == status
    assert lifecycle.between("settled", "recorded") == "record"
    with pytest.raises(ConflictError):
        lifecycle.between("rejected", "submitted")  # a rejection is final


# The lifecycle as designed (the diagram in lifecycle's docstring), walk by walk: each step a
# move the table must allow, and between them every status a stored payment rests in.
DESIGNED_WALKS = [
    ("submitted", "recorded", "reversed"),  # recorded in Xero, later undone
    ("pending_approval", "submitted"),  # approved by a second person
    ("pending_approval", "rejected"),
    ("submitted", "failed", "submitted"),  # refused, then retried
    ("submitted", "executing", "awaiting_confirmation", "executing", "settled", "recorded"),
    ("executing", "cancelled"),
    ("awaiting_confirmation", "failed"),
    ("settled", "failed"),  # a direct debit taken back before it was recorded
]


def test_every_status_of_design_is_known_and_reached_by_a_move():
    for walk in DESIGNED_WALKS:
        for status, target in pairwise(walk):
            lifecycle.between(status, target)  # ConflictError when the table has no such move
    designed = {status for walk in DESIGNED_WALKS for status in walk}
    assert set(lifecycle.RESTING) == designed
    # `approved` is the approval move (pending_approval -> submitted), not a resting status.
    assert set(lifecycle.STATUSES) == designed | {"approved"}
    assert lifecycle.between("pending_approval", "submitted") == "approve"
    for name, transition in lifecycle.TRANSITIONS.items():
        assert set(transition.sources) <= set(lifecycle.RESTING), name


def test_keys_are_deterministic_and_tenant_bound():
    a = keys.payment_id_for("t1", "key-12345")
    assert a == keys.payment_id_for("t1", "key-12345")
    assert a != keys.payment_id_for("t2", "key-12345")
    assert a != keys.payment_id_for("t1", "key-12345", 0)
    assert keys.reference_tag("t1", a).startswith("xb:") and len(keys.reference_tag("t1", a)) == 19
    assert len(keys.xero_idempotency_key("t1", "create", a)) <= 128
    assert keys.xero_reference("Rent", "xb:1") == "Rent xb:1"


def test_the_idempotency_key_rule():
    def key(value: str | None) -> str | None:
        headers = {} if value is None else {"idempotency-key": value}
        return idempotency_key(
            SimpleNamespace(current_event=SimpleNamespace(headers=headers)), required=True
        )

    assert key(" key-12345 ") == "key-12345"
    for bad in (None, "", "short", "x" * 129, "has space"):
        with pytest.raises(BadRequestError):
            key(bad)
