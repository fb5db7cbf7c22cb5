"""The simulator's ``where`` parser: AND/OR chains, precedence and parentheses."""

from __future__ import annotations

import pytest

from devstack.xero_simulator.accounting.where import WhereError, parse_where

ROWS = [
    {"Type": "ACCREC", "Status": "AUTHORISED", "Total": 10},
    {"Type": "ACCREC", "Status": "DRAFT", "Total": 20},
    {"Type": "ACCPAY", "Status": "AUTHORISED", "Total": 30},
]


def _totals(where: str) -> list[int]:
    predicate = parse_where(where)
    return [row["Total"] for row in ROWS if predicate(row)]


@pytest.mark.parametrize(
    ("where", "totals"),
    [
        ('Type=="ACCREC" AND Status=="AUTHORISED"', [10]),
        ('Type=="ACCREC" && Status=="DRAFT"', [20]),
        ('Type=="ACCPAY" or Status=="DRAFT"', [20, 30]),
        ('Type=="ACCPAY" || Status=="DRAFT" || Total==10', [10, 20, 30]),
        # AND binds tighter than OR; parentheses override it.
        ('Type=="ACCPAY" OR Type=="ACCREC" AND Status=="DRAFT"', [20, 30]),
        ('(Type=="ACCPAY" OR Type=="ACCREC") AND Status=="AUTHORISED"', [10, 30]),
        ('!(Status=="AUTHORISED") and Total>10', [20]),
    ],
)
def test_and_or_chains(where: str, totals: list[int]):
    assert _totals(where) == totals


@pytest.mark.parametrize("where", ['Type=="ACCREC" AND', 'OR Type=="ACCREC"', "(Total==1"])
def test_broken_chains_are_refused(where: str):
    with pytest.raises(WhereError):
        parse_where(where)
