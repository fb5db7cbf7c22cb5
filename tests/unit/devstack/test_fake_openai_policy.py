"""The fake model's unscripted choice of tool: the one a person's question is about."""

from __future__ import annotations

import json

import pytest

from devstack.fake_openai import default_policy

TOOLS = ["aged_receivables", "aged_payables", "list_invoices", "list_contacts", "get_organisation"]


def chosen_tool(question: str) -> str:
    body = {
        "messages": [{"role": "user", "content": question}],
        "tools": [{"type": "function", "function": {"name": name}} for name in TOOLS],
    }
    call = default_policy(body).tool_calls[0]["function"]
    json.loads(call["arguments"])  # arguments are JSON, as a model sends them
    return str(call["name"])


@pytest.mark.parametrize(
    ("question", "tool"),
    [
        ("Which bills are overdue?", "aged_payables"),
        ("What do we owe our suppliers?", "aged_payables"),
        ("Which customers owe us?", "aged_receivables"),
        ("Which invoices are overdue?", "aged_receivables"),
        ("Show me the unpaid bills", "list_invoices"),
    ],
)
def test_a_question_gets_the_tool_it_is_about(question: str, tool: str) -> None:
    assert chosen_tool(question) == tool


def answer_after(tool: str, data: object) -> str:
    from xero_bridge.ask.prompts import render_tool_result

    body = {
        "messages": [
            {"role": "user", "content": "Who owes us?"},
            {"role": "tool", "tool_call_id": "call_1", "content": render_tool_result(tool, data)},
        ]
    }
    return str(default_policy(body).content)


def test_an_aged_report_is_answered_in_a_sentence_with_the_datas_figures() -> None:
    data = {
        "contacts": [
            {
                "contact": {"id": "c-1", "name": "Müller <Büro> GmbH"},
                "currency": "EUR",
                "total_due": "1234.56",
                "overdue_beyond_min_days": "234.56",
                "oldest_days_overdue": 12,
            },
            {"contact": {"name": "Basket Case"}, "currency": "NZD", "total_due": "425.93"},
        ]
    }
    assert answer_after("aged_payables", data) == (
        "(local fake model) Suppliers we owe: Müller <Büro> GmbH: EUR 1234.56 "
        "(EUR 234.56 overdue, oldest 12 days); Basket Case: NZD 425.93."
    )
    assert answer_after("aged_receivables", {"contacts": []}) == (
        "(local fake model) Customers who owe us: nobody, nothing is outstanding."
    )


def test_other_results_are_echoed_verbatim() -> None:
    answer = answer_after("list_contacts", {"items": [{"name": "Ridgeway University"}]})
    assert answer.startswith("(local fake model) Here is what the Xero data returned")
    assert "Ridgeway University" in answer
