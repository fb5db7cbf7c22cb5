"""Pure parts: exact JSON bodies, `where` building, paging, money shapes."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError
from xero_python.accounting import models as xm
from xero_python.api_client.serializer import serialize

from xero_bridge.records import models as m
from xero_bridge.records import query as q
from xero_bridge.xero.exact_json import encode_body


def test_xero_python_alone_would_lose_digits_and_ours_does_not():
    amount = Decimal("12345678901234.5678")  # more digits than a double holds
    line = xm.LineItem(description="x", unit_amount=amount, quantity=Decimal("0.10"))
    floated = json.dumps(serialize(xm.Invoices(invoices=[xm.Invoice(line_items=[line])])))
    assert "12345678901234.5678" not in floated  # the problem
    exact = encode_body(xm.Invoices(invoices=[xm.Invoice(line_items=[line])])).decode()
    assert '"UnitAmount":12345678901234.5678' in exact
    assert '"Quantity":0.10' in exact
    parsed = json.loads(exact, parse_float=Decimal)
    assert parsed["Invoices"][0]["LineItems"][0]["UnitAmount"] == amount


def test_dates_keep_xero_pythons_format():
    body = encode_body(xm.Invoice(date=date(2024, 5, 1))).decode()
    assert '"Date":"/Date(1714521600000)/"' in body


def test_where_literals_are_escaped():
    args = q.contact_args(q.ContactQuery(search='a" OR 1==1 \\'))
    assert args.where == 'Name.ToLower().Contains("a\\" or 1==1 \\\\")'


def test_invoice_query_builds_where_statuses_and_paging():
    query = q.InvoiceQuery(
        type="ACCREC",
        status=["AUTHORISED"],
        contact_id="a1000000-0000-4000-8000-000000000001",
        date_from=date(2024, 1, 31),
        due_date_to=date(2024, 2, 29),
        page=2,
        page_size=500,
    )
    args = q.invoice_args(query, today=date(2024, 3, 1)).kwargs
    assert args["where"] == (
        'Type=="ACCREC" AND Date>=DateTime(2024,01,31) AND DueDate<=DateTime(2024,02,29)'
    )
    assert args["statuses"] == ["AUTHORISED"]
    assert args["contact_i_ds"] == ["a1000000-0000-4000-8000-000000000001"]
    assert (args["page"], args["page_size"], args["unitdp"]) == (2, 500, 4)


def test_overdue_means_authorised_due_before_today_with_money_owed():
    args = q.invoice_args(q.InvoiceQuery(overdue=True), today=date(2024, 3, 1)).kwargs
    assert args["statuses"] == ["AUTHORISED"]
    assert "DueDate<DateTime(2024,03,01)" in args["where"] and "AmountDue>0" in args["where"]
    assert q.invoice_query_is_empty(q.InvoiceQuery(overdue=True, status=["PAID"]))


def test_page_size_is_bounded_by_xeros_maximum():
    with pytest.raises(ValidationError):
        q.InvoiceQuery(page_size=1001)


def test_next_page():
    assert q.next_page(1, 100, 100, page_count=3) == 2
    assert q.next_page(3, 100, 100, page_count=3) is None
    assert q.next_page(1, 100, 40, page_count=None) is None
    assert q.local_page(list(range(5)), 2, 2) == ([2, 3], 3)
    assert q.local_page(list(range(5)), 3, 2) == ([4], None)


def test_money_is_a_decimal_string_and_too_many_decimals_are_refused():
    invoice = m.Invoice(
        invoice_id="x",
        total=Decimal("1150"),
        line_items=[m.LineItem(unit_amount=Decimal("12.3450"), quantity=Decimal("1"))],
    )
    dumped = invoice.model_dump(mode="json")
    assert dumped["total"] == "1150.00"
    assert dumped["line_items"][0]["unit_amount"] == "12.345"
    with pytest.raises(ValidationError):
        m.LineItemIn(unit_amount=Decimal("1.23456"))
    with pytest.raises(ValidationError):
        m.LineItemIn(unit_amount=Decimal("NaN"))
