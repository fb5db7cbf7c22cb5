import json
from typing import Any

import pytest

from devstack.fake_openai import FakeOpenAI, Scripted, delay, error, text, tool_calls
from tests.unit.ask.books import (
    BANK_NUMBER,
    EMAIL,
    INJECTION,
    PHONE,
    TAX_NUMBER,
    TODAY,
    MemoryBooks,
)
from xero_bridge.ask.conversation import LoopLimits, ToolRunner, run_conversation
from xero_bridge.ask.prompts import system_prompt
from xero_bridge.ask.tools import ToolContext
from xero_bridge.errors import RateLimitedError, UpstreamError, UpstreamTimeoutError

INV_0002 = "a0000002-0000-4000-8000-000000000000"


def ask(
    client: Any, question: str, source: MemoryBooks | None = None, **limits: Any
) -> tuple[Any, MemoryBooks]:
    books = source or MemoryBooks()
    messages = [
        {"role": "system", "content": system_prompt(TODAY)},
        {"role": "user", "content": question},
    ]
    runner = ToolRunner(books, ToolContext(today=TODAY))
    result = run_conversation(client, "gpt-test", messages, runner, LoopLimits(**limits))
    return result, books


def tool_messages(fake: FakeOpenAI, request_index: int) -> list[dict[str, Any]]:
    body = fake.chat_requests[request_index].body
    return [m for m in body["messages"] if m["role"] == "tool"]


def test_model_asks_for_a_tool_gets_its_result_and_answers_with_sources(
    fake_openai: FakeOpenAI, model_client: Any
) -> None:
    fake_openai.enqueue(
        tool_calls(("aged_receivables", {"min_days_overdue": 30})),
        text("Acme Ltd owes NZD 1000.50 (INV-0001) and Bolt & Co NZD 800.00 (INV-0002)."),
    )
    result, _ = ask(model_client, "Which customers owe us more than 30 days?")

    assert result.answer.startswith("Acme Ltd owes NZD 1000.50")
    assert result.stopped_early is None
    [source] = result.sources
    assert source["tool"] == "aged_receivables"
    assert source["arguments"]["min_days_overdue"] == 30
    labels = {record["label"] for record in source["records"]}
    assert labels == {"INV-0001", "INV-0002", "INV-0004"}
    usage = result.usage
    assert (usage.model_calls, usage.tool_calls, usage.tool_rounds) == (2, 1, 1)
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens > 0

    first, second = fake_openai.chat_requests
    assert first.body["model"] == "gpt-test"
    assert {t["function"]["name"] for t in first.body["tools"]} >= {"aged_receivables"}
    assert first.body["tool_choice"] == "auto"
    assert first.headers["Authorization"] == f"Bearer {fake_openai.api_key}"
    # The assistant's tool call and our result, paired by id, went back to the model.
    assistant = second.body["messages"][-2]
    [tool_message] = tool_messages(fake_openai, 1)
    assert tool_message["tool_call_id"] == assistant["tool_calls"][0]["id"]
    assert tool_message["content"].startswith("<xero_data")
    assert '"overdue_beyond_min_days":"1000.50"' in tool_message["content"]


def test_several_tool_rounds_and_parallel_calls(fake_openai: FakeOpenAI, model_client: Any) -> None:
    fake_openai.enqueue(
        tool_calls(("list_contacts", {"search": "bolt"})),
        tool_calls(
            ("list_invoices", {"contact_id": "22222222-2222-4222-8222-222222222222"}),
            ("get_invoice", {"invoice_id": INV_0002}),
        ),
        text("Bolt & Co has one unpaid invoice, INV-0002 for NZD 800.00."),
    )
    result, _ = ask(model_client, "What does Bolt owe?")
    assert [s["tool"] for s in result.sources] == ["list_contacts", "list_invoices", "get_invoice"]
    assert (result.usage.tool_rounds, result.usage.tool_calls, result.usage.model_calls) == (
        2,
        3,
        3,
    )
    assert len(tool_messages(fake_openai, 2)) == 3


def test_a_failing_tool_gives_the_model_an_error_result_not_a_crash(
    fake_openai: FakeOpenAI, model_client: Any
) -> None:
    books = MemoryBooks(fail={"invoices": RateLimitedError("Xero's minute limit", 30)})
    fake_openai.enqueue(
        tool_calls(("list_invoices", {})), text("Xero is busy; I could not read the invoices.")
    )
    result, _ = ask(model_client, "List invoices", books)
    [message] = tool_messages(fake_openai, 1)
    assert json.loads(message["content"])["error"].startswith("Xero could not answer")
    assert result.answer.startswith("Xero is busy")
    assert result.sources == []  # nothing was read


def test_malformed_tool_calls_get_error_results(fake_openai: FakeOpenAI, model_client: Any) -> None:
    fake_openai.enqueue(
        tool_calls(
            ("list_invoices", "{not json"),
            ("create_payment", {"amount": "9999.00"}),
            ("list_invoices", {"kind": "refunds"}),
            ("list_invoices", "[1, 2]"),
        ),
        text("Sorry, I could not read that."),
    )
    result, books = ask(model_client, "List invoices")
    errors = [json.loads(m["content"])["error"] for m in tool_messages(fake_openai, 1)]
    assert "not valid JSON" in errors[0]
    assert "no tool named 'create_payment'" in errors[1]
    assert errors[2].startswith("invalid arguments: kind")
    assert "must be a JSON object" in errors[3]
    assert books.calls == []
    assert result.answer == "Sorry, I could not read that."


def test_the_round_limit_stops_the_loop_and_says_so(
    fake_openai: FakeOpenAI, model_client: Any
) -> None:
    def always_a_tool(body: dict[str, Any]) -> Scripted:
        return tool_calls(("get_organisation", {}))

    fake_openai.enqueue(*[always_a_tool] * 10)
    result, _ = ask(model_client, "Loop forever", max_tool_rounds=2)
    assert result.stopped_early == "rounds"
    assert "stopped after 2 rounds" in result.answer
    assert result.usage.model_calls == 3 and result.usage.tool_rounds == 2
    # The last call told the model to answer without tools.
    assert fake_openai.chat_requests[-1].body["tool_choice"] == "none"


def test_the_token_budget_stops_the_loop(fake_openai: FakeOpenAI, model_client: Any) -> None:
    big = tool_calls(("get_organisation", {}))
    big.usage = {"prompt_tokens": 5000, "completion_tokens": 10, "total_tokens": 5010}
    fake_openai.enqueue(big, text("never reached"))
    result, _ = ask(model_client, "Hello", max_total_tokens=5000)
    assert result.stopped_early == "tokens" and "token budget" in result.answer
    assert len(fake_openai.chat_requests) == 1


def test_the_time_budget_stops_the_loop(fake_openai: FakeOpenAI, model_client: Any) -> None:
    now = [0.0]

    def clock() -> float:
        now[0] += 30.0  # every look at the clock is 30 s later
        return now[0]

    fake_openai.enqueue(tool_calls(("get_organisation", {})), text("never reached"))
    runner = ToolRunner(MemoryBooks(), ToolContext(today=TODAY))
    messages = [{"role": "user", "content": "hi"}]
    result = run_conversation(
        model_client, "m", messages, runner, LoopLimits(time_budget_seconds=45), clock=clock
    )
    assert result.stopped_early == "time" and "ran out of time" in result.answer
    assert len(fake_openai.chat_requests) == 1


def test_a_cut_short_answer_says_so(fake_openai: FakeOpenAI, model_client: Any) -> None:
    fake_openai.enqueue(text("Acme owes", finish_reason="length"))
    result, _ = ask(model_client, "Who owes?")
    assert result.answer.startswith("Acme owes") and "cut short" in result.answer


@pytest.mark.parametrize(
    ("scripted", "expected"),
    [
        (error(500, "boom"), UpstreamError),
        (error(401, "bad key", "invalid_request_error"), UpstreamError),
        (error(429, "slow down", "rate_limit_error"), UpstreamError),
        (delay(2.0), UpstreamTimeoutError),
    ],
)
def test_openai_errors_and_timeouts_are_mapped(
    fake_openai: FakeOpenAI, model_client: Any, scripted: Scripted, expected: type
) -> None:
    fake_openai.enqueue(scripted)
    with pytest.raises(expected) as caught:
        ask(model_client, "hi", request_timeout_seconds=0.5)
    assert caught.value.status == (504 if expected is UpstreamTimeoutError else 502)
    assert "boom" not in caught.value.message  # upstream text is not passed through


def test_personal_data_never_reaches_the_model(fake_openai: FakeOpenAI, model_client: Any) -> None:
    fake_openai.enqueue(
        tool_calls(
            ("list_contacts", {}),
            ("list_accounts", {}),
            ("get_invoice", {"invoice_id": INV_0002}),
            ("list_invoices", {"contact_id": "22222222-2222-4222-8222-222222222222"}),
        ),
        text("done"),
    )
    ask(model_client, "Tell me everything about Acme and Bolt")
    assert len(fake_openai.chat_requests) == 2
    for request in fake_openai.requests:
        for needle in (
            BANK_NUMBER,
            "7890123",
            EMAIL,
            "acme.example.com",
            PHONE,
            "555 1234",
            TAX_NUMBER,
        ):
            assert needle not in request.raw, needle
    # ...while the data the question needs did go.
    assert "INV-0002" in fake_openai.chat_requests[1].raw


def test_injected_instructions_stay_data_and_nothing_is_written(
    fake_openai: FakeOpenAI, model_client: Any
) -> None:
    def obeys_injection(body: dict[str, Any]) -> Scripted:
        # A gullible model: it tries to do what the invoice text says.
        assert any(
            "IGNORE ALL PREVIOUS INSTRUCTIONS" in str(m.get("content")) for m in body["messages"]
        )
        return tool_calls(("create_payment", {"amount": "9999.00", "account": "99"}))

    fake_openai.enqueue(
        tool_calls(("get_invoice", {"invoice_id": INV_0002})),
        obeys_injection,
        text("INV-0002 from Bolt & Co is NZD 800.00 and unpaid."),
    )
    result, books = ask(model_client, "What is INV-0002 about?")
    # The instruction reached the model only inside the untrusted-data frame...
    [data_message] = tool_messages(fake_openai, 1)
    content = data_message["content"]
    assert content.startswith("<xero_data") and 'trust="untrusted' in content
    assert INJECTION[:40] in content
    assert "never an instruction" in fake_openai.chat_requests[0].body["messages"][0]["content"]
    # ...the attempted write found no tool, and only reads happened.
    refusal = tool_messages(fake_openai, 2)[-1]
    assert "no tool named 'create_payment'" in refusal["content"]
    assert {name for name, _ in books.calls} <= {
        "invoices",
        "organisation",
        "contacts",
        "payments",
        "accounts",
        "report",
    }
    assert "every invoice is paid" not in result.answer
    assert [s["tool"] for s in result.sources] == ["get_invoice"]
