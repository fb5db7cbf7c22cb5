import json
from decimal import Decimal

import pytest
from pydantic import ValidationError

from tests.unit.ask.books import ACME, BOLT, TODAY, MemoryBooks
from xero_bridge.ask import tools
from xero_bridge.ask.tools import TOOLS, ToolContext, ToolError

CTX = ToolContext(today=TODAY)
WRITE_WORDS = ("create", "update", "delete", "void", "pay", "approve", "email", "put", "post")


def run(name: str, source: MemoryBooks | None = None, **arguments: object) -> tools.ToolResult:
    tool = TOOLS[name]
    return tool.run(source or MemoryBooks(), tool.args.model_validate(arguments), CTX)


def test_registry_is_read_only_and_schemas_are_valid_function_tools() -> None:
    schemas = tools.tool_schemas()
    assert len(schemas) == len(TOOLS) >= 10
    for schema in schemas:
        name = schema["function"]["name"]
        assert schema["type"] == "function"
        assert not any(name.startswith(word) for word in WRITE_WORDS), name
        params = schema["function"]["parameters"]
        assert params["type"] == "object" and params["additionalProperties"] is False
        assert "title" not in json.dumps(params)
        json.dumps(schema)  # serialisable as sent


def test_overdue_invoices_filter_total_and_sort() -> None:
    result = run("list_invoices", overdue_by_more_than_days=30)
    numbers = [item["number"] for item in result.data["items"]]
    assert numbers == ["INV-0001", "INV-0002"]  # by amount due: 1000.50 then 800.00
    assert result.data["totals_by_currency"]["NZD"]["amount_due"] == Decimal("1800.50")
    assert result.data["items"][0]["days_overdue"] == 61
    assert {r.label for r in result.records} == {"INV-0001", "INV-0002"}
    assert all(r.type == "invoice" for r in result.records)


def test_bills_by_date_range_and_contact() -> None:
    result = run("list_invoices", kind="bills", date_from="2024-03-01", date_to="2024-03-31")
    assert [i["number"] for i in result.data["items"]] == ["BILL-0002", "BILL-0003"]
    result = run("list_invoices", contact_id=BOLT)
    assert {i["contact"]["name"] for i in result.data["items"]} == {"Bolt & Co"}
    assert result.data["count"] == 2


def test_aged_receivables_buckets_and_min_days() -> None:
    result = run("aged_receivables", min_days_overdue=30)
    contacts = result.data["contacts"]
    assert [c["contact"]["name"] for c in contacts] == ["Acme Ltd", "Bolt & Co"]
    acme = contacts[0]
    assert acme["buckets"]["61_90"] == Decimal("1000.50")
    assert acme["buckets"]["current"] == Decimal("99.99")
    assert acme["total_due"] == Decimal("1100.49")
    assert acme["overdue_beyond_min_days"] == Decimal("1000.50")
    assert result.data["totals_by_currency"]["NZD"]["overdue_beyond_min_days"] == Decimal("1800.50")
    everyone = run("aged_receivables")
    assert len(everyone.data["contacts"]) == 3


def test_profit_and_loss_falls_back_to_invoices_and_explains_the_change() -> None:
    result = run(
        "profit_and_loss",
        date_from="2024-03-01",
        date_to="2024-03-31",
        compare_date_from="2024-02-01",
        compare_date_to="2024-02-29",
    )
    data = result.data
    assert "computed from" in data["basis"]
    assert data["period"]["expenses"] == Decimal("1070.00")
    assert data["compare"]["expenses"] == Decimal("400.00")
    top = data["accounts"][0]
    assert top["account"] == "Electricity" and top["change"] == Decimal("550.00")
    assert top["biggest_changes_by_contact"][0]["contact"] == "Power Utilities"
    assert any(r.label == "BILL-0002" for r in result.records)


def test_profit_and_loss_uses_the_report_when_there_is_one() -> None:
    report = {
        "ReportID": "ProfitAndLoss",
        "ReportName": "Profit and Loss",
        "Rows": [
            {"RowType": "Header", "Cells": [{"Value": ""}, {"Value": "Mar 2024"}]},
            {
                "RowType": "Section",
                "Title": "Operating Expenses",
                "Rows": [
                    {
                        "RowType": "Row",
                        "Cells": [
                            {
                                "Value": "Electricity",
                                "Attributes": [{"Id": "account", "Value": "acc-400"}],
                            },
                            {"Value": "950.00"},
                        ],
                    },
                    {"RowType": "SummaryRow", "Cells": [{"Value": "Total"}, {"Value": "950.00"}]},
                ],
            },
        ],
    }
    source = MemoryBooks(reports={"ProfitAndLoss": report})
    result = run("profit_and_loss", source, date_from="2024-03-01", date_to="2024-03-31")
    section = result.data["period"]["sections"][0]
    assert section["rows"][0] == {
        "label": "Electricity",
        "values": [Decimal("950.00")],
        "account_id": "acc-400",
    }
    assert section["total"]["values"] == [Decimal("950.00")]
    assert "invoices" not in [name for name, _ in source.calls]


def test_contacts_never_carry_personal_fields() -> None:
    result = run("list_contacts", role="customer")
    text = json.dumps(result.data, default=str)
    for needle in ("acme.example.com", "7890123", "GB123456789", "555 1234"):
        assert needle not in text
    acme = next(c for c in result.data["contacts"] if c["id"] == ACME)
    assert acme["receivable_overdue"] == Decimal("1000.50")


def test_get_invoice_has_lines_and_unknown_id_is_a_tool_error() -> None:
    invoice_id = "a0000002-0000-4000-8000-000000000000"
    result = run("get_invoice", invoice_id=invoice_id)
    assert result.data["number"] == "INV-0002" and len(result.data["line_items"]) == 1
    with pytest.raises(ToolError):
        run("get_invoice", invoice_id="a9999999-0000-4000-8000-000000000000")


def test_reports_that_do_not_exist_are_tool_errors() -> None:
    with pytest.raises(ToolError):
        run("balance_sheet")
    with pytest.raises(ToolError):
        run("bank_summary")


@pytest.mark.parametrize(
    ("name", "arguments"),
    [
        ("list_invoices", {"kind": "refunds"}),
        ("list_invoices", {"limit": 5000}),
        ("list_invoices", {"contact_id": "not-a-guid"}),
        ("list_invoices", {"date_from": "2024-04-01", "date_to": "2024-03-01"}),
        ("get_organisation", {"surprise": 1}),
        ("profit_and_loss", {"date_from": "2024-03-01"}),
    ],
)
def test_bad_arguments_are_refused(name: str, arguments: dict) -> None:
    with pytest.raises(ValidationError):
        TOOLS[name].args.model_validate(arguments)


def test_payments_and_accounts() -> None:
    payments = run("list_payments", kind="received")
    assert payments.data["totals_by_currency"]["NZD"]["received"] == Decimal("499.50")
    accounts = run("list_accounts", account_class="EXPENSE")
    assert [a["code"] for a in accounts.data["accounts"]] == ["400", "410"]
    organisation = run("get_organisation")
    assert organisation.data["base_currency"] == "NZD"
