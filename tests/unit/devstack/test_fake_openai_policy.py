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
