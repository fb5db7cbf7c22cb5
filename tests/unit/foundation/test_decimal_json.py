"""One writer of exact JSON numbers, for Xero request bodies and for snapshot data."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from xero_python.accounting import models as xm

from xero_bridge.decimal_json import dumps
from xero_bridge.persistence.snapshots import json_text
from xero_bridge.xero.exact_json import encode_body


def test_decimals_are_written_digit_for_digit():
    data = {
        "Total": Decimal("12345678901234.5678"),  # more digits than a double holds
        "Quantity": Decimal("0.10"),
        "Tiny": Decimal("0.0000001"),
        "Lines": [Decimal("-0.00"), 3, True, None, 'a"b'],
    }
    text = dumps(data)
    assert text == (
        '{"Total":12345678901234.5678,"Quantity":0.10,"Tiny":0.0000001,'
        '"Lines":[-0.00,3,true,null,"a\\"b"]}'
    )
    assert json.loads(text, parse_float=Decimal) == data


def test_a_float_is_written_as_the_shortest_text_that_reads_back_as_it():
    assert dumps([0.1, 1e-7, 2.5]) == "[0.1,0.0000001,2.5]"


@pytest.mark.parametrize(
    "value", [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity"), float("nan"), float("inf")]
)
def test_non_finite_numbers_are_refused_on_both_paths(value):
    with pytest.raises(ValueError):
        dumps({"Amount": value})
    with pytest.raises(ValueError):
        json_text({"Invoices": [{"Total": value}]})
    with pytest.raises(ValueError):
        encode_body({"Amount": value})


def test_snapshot_text_and_xero_bodies_write_numbers_alike():
    record = {"Total": Decimal("100.10"), "LineItems": [{"Quantity": Decimal("0.5")}]}
    assert json_text(record) == dumps(record)
    assert encode_body(record).decode() == dumps(record)
    invoice = xm.Invoice(total=Decimal("100.10"))
    assert '"Total":100.10' in encode_body(invoice).decode()
