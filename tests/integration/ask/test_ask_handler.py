"""The ask handler end to end in-process: moto tables and secret, the fake OpenAI server on
loopback, the handler as Lambda runs it. Xero is the in-memory demo books here (the
simulator-backed test is test_ask_against_simulator.py); alice holds one grant."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from aws_lambda_powertools.utilities import parameters

from devstack.fake_openai import FakeOpenAI, error, text, tool_calls
from tests.events import call_handler, http_api_event, load_function
from tests.fixtures.aws import TEST_SECRET
from tests.integration.ask.conftest import TEST_NAMESPACE
from tests.unit.ask.books import BANK_NUMBER, EMAIL, MemoryBooks
from xero_bridge.ask import service
from xero_bridge.persistence import grants
from xero_bridge.settings import get_settings

TENANT = "tenant-demo-a"
OTHER_TENANT = "tenant-demo-b"
KEY = TEST_SECRET["openai_api_key"]


def _authorizer_context(sub: str) -> dict[str, Any]:
    return {"sub": sub, "email": f"{sub}@example.com", "groups": "finance", "scopes": "ask"}


@pytest.fixture
def ask_stack(
    aws: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[FakeOpenAI, MemoryBooks]]:
    books = MemoryBooks()
    from tests.fixtures.aws import reset_caches

    reset_caches()
    grants.grant("alice", TENANT, granted_by="test")  # alice reaches TENANT, and only it
    monkeypatch.setattr(service, "xero_source", lambda tenant_id: books)
    service._client.cache_clear()
    with FakeOpenAI(api_key=KEY) as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.url)
        monkeypatch.setenv("OPENAI_MODEL", "gpt-test")
        monkeypatch.setenv("OPENAI_TIMEOUT_SECONDS", "0.5")
        reset_caches()
        yield fake, books
    service._client.cache_clear()


def _ask(body: Any, sub: str = "alice", tenant: str = TENANT) -> tuple[int, dict[str, Any]]:
    event = http_api_event(
        "POST",
        f"/tenants/{tenant}/ask",
        route_key="POST /tenants/{tenantId}/ask",
        path_parameters={"tenantId": tenant},
        body=body,
        authorizer_context=_authorizer_context(sub),
    )
    response = call_handler("ask", event)
    assert response["headers"]["Content-Type"] == "application/json"
    return response["statusCode"], json.loads(response["body"])


def _ask_who_is_overdue(fake: FakeOpenAI, answer: str) -> tuple[int, dict[str, Any]]:
    """Asks who owes more than 30 days; the model reads aged receivables, then says `answer`."""
    fake.enqueue(tool_calls(("aged_receivables", {"min_days_overdue": 30})), text(answer))
    return _ask({"question": "Which customers owe us more than 30 days?"})


def _not_found_before_openai(fake: FakeOpenAI, body: Any, sub: str = "alice") -> None:
    """Asked in a conversation `sub` cannot see: 404, and no model call."""
    calls = len(fake.requests)
    status, refused = _ask(body, sub=sub)
    assert status == 404 and refused["error"]["code"] == "not_found"
    assert len(fake.requests) == calls


def test_question_answered_with_sources_usage_and_conversation(
    ask_stack: tuple[FakeOpenAI, MemoryBooks], capsys: pytest.CaptureFixture[str]
) -> None:
    fake, _ = ask_stack
    status, body = _ask_who_is_overdue(
        fake, "Acme Ltd (INV-0001, NZD 1000.50) and Bolt & Co (INV-0002, NZD 800.00)."
    )
    assert status == 200, body
    assert body["answer"].startswith("Acme Ltd")
    assert body["sources"][0]["tool"] == "aged_receivables"
    assert {
        "type": "invoice",
        "id": "a0000001-0000-4000-8000-000000000000",
        "label": "INV-0001",
    } in body["sources"][0]["records"]
    assert body["usage"]["tool_calls"] == 1 and body["usage"]["total_tokens"] > 0
    # The answer is what the API description says (frontends generate their types from it).
    load_function("ask").AskAnswer.model_validate(body)
    assert fake.chat_requests[0].body["model"] == "gpt-test"
    # The key came from Secrets Manager, and is nowhere in the answer or the logs.
    assert fake.chat_requests[0].headers["Authorization"] == f"Bearer {KEY}"
    assert KEY not in json.dumps(body)
    assert KEY not in capsys.readouterr().out
    for request in fake.requests:
        assert BANK_NUMBER not in request.raw and EMAIL not in request.raw

    # A follow-up in the same conversation sends the earlier turn as context.
    fake.enqueue(text("Acme Ltd owes the most."))
    status, follow = _ask(
        {"question": "Who owes the most?", "conversation_id": body["conversation_id"]}
    )
    assert status == 200 and follow["conversation_id"] == body["conversation_id"]
    sent = fake.chat_requests[-1].body["messages"]
    assert [m["role"] for m in sent] == ["system", "user", "assistant", "user"]
    assert sent[2]["content"] == body["answer"]


def test_conversation_history_is_per_user_and_tenant_with_a_ttl(
    ask_stack: tuple[FakeOpenAI, MemoryBooks], aws: dict[str, Any]
) -> None:
    fake, _ = ask_stack
    fake.enqueue(text("Hello."))
    _, body = _ask({"question": "Hi"})
    table = boto3.resource("dynamodb").Table(aws["ConversationsTable"].ref)
    [item] = table.scan()["Items"]
    assert item["user_tenant"] == f"alice#{TENANT}"
    assert int(item["expires_at"]) > int(item["updated_at"]) + 86400
    assert item["turns"][0]["question"] == "Hi"

    # Same id, asked by someone else: 404 (and no model call).
    from xero_bridge.persistence.conversations import get_conversation

    assert get_conversation("mallory", TENANT, body["conversation_id"]) is None
    _not_found_before_openai(
        fake, {"question": "Hi", "conversation_id": "00000000-0000-4000-8000-000000000000"}
    )


def test_another_users_conversation_is_not_found(
    ask_stack: tuple[FakeOpenAI, MemoryBooks],
) -> None:
    fake, _ = ask_stack
    fake.enqueue(text("Hello."))
    _, body = _ask({"question": "Hi"})

    # Bob is granted the tenant too, but the conversation is Alice's.
    grants.grant("bob", TENANT, granted_by="test")
    _not_found_before_openai(
        fake, {"question": "Show me", "conversation_id": body["conversation_id"]}, sub="bob"
    )


def test_tenant_not_granted_is_403_before_openai_or_xero(
    ask_stack: tuple[FakeOpenAI, MemoryBooks],
) -> None:
    fake, books = ask_stack
    status, body = _ask({"question": "Who owes us?"}, tenant=OTHER_TENANT)
    assert status == 403 and body["error"]["code"] == "forbidden"
    assert fake.requests == [] and books.calls == []


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"question": ""},
        {"question": "x" * 2001},
        {"question": "hi", "extra": 1},
        {"question": "hi", "conversation_id": "../../etc"},
        "not json",
    ],
)
def test_malformed_requests_are_400(
    ask_stack: tuple[FakeOpenAI, MemoryBooks], payload: Any
) -> None:
    status, body = _ask(payload)
    assert status == 400 and body["error"]["code"] == "bad_request"
    assert ask_stack[0].requests == []


def test_no_openai_key_is_503_with_a_clear_message(
    ask_stack: tuple[FakeOpenAI, MemoryBooks], aws: dict[str, Any]
) -> None:
    secret = dict(TEST_SECRET, openai_api_key="")
    boto3.client("secretsmanager").put_secret_value(
        SecretId=aws["AppSecret"].ref, SecretString=json.dumps(secret)
    )
    parameters.clear_caches()
    status, body = _ask({"question": "Who owes us?"})
    assert status == 503 and body["error"]["code"] == "service_unavailable"
    assert "no OpenAI API key is configured" in body["error"]["message"]
    assert ask_stack[0].requests == [] and ask_stack[1].calls == []


def test_openai_failure_is_502_and_timeout_is_504(
    ask_stack: tuple[FakeOpenAI, MemoryBooks], capsys: pytest.CaptureFixture[str]
) -> None:
    fake, _ = ask_stack
    fake.enqueue(error(500, "internal details"), error(500, "internal details"))
    status, body = _ask({"question": "Who owes us?"})
    assert status == 502 and body["error"]["code"] == "upstream_error"
    assert "internal details" not in json.dumps(body)
    assert _emf_blobs(capsys.readouterr().out) == []  # no answer, no usage metrics

    from devstack.fake_openai import delay

    fake.enqueue(delay(1.2), delay(1.2))
    status, body = _ask({"question": "Who owes us?"})
    assert status == 504 and body["error"]["code"] == "upstream_timeout"


ASK_METRICS = (
    "AskPromptTokens",
    "AskCompletionTokens",
    "AskTotalTokens",
    "AskModelCalls",
    "AskToolCalls",
    "AskAnswersCutShort",
)


def _emf_blobs(stdout: str) -> list[dict[str, Any]]:
    """The EMF objects Powertools printed (the log lines around them are JSON too)."""
    lines = [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]
    return [line for line in lines if "_aws" in line]


def test_an_answered_question_flushes_its_usage_as_one_emf_blob(
    ask_stack: tuple[FakeOpenAI, MemoryBooks], capsys: pytest.CaptureFixture[str]
) -> None:
    fake, _ = ask_stack
    capsys.readouterr()
    status, body = _ask_who_is_overdue(fake, "Acme Ltd (INV-0001, NZD 1000.50) owes the most.")
    assert status == 200, body

    [blob] = _emf_blobs(capsys.readouterr().out)
    [directive] = blob["_aws"]["CloudWatchMetrics"]
    assert directive["Namespace"] == TEST_NAMESPACE
    assert {m["Name"]: m["Unit"] for m in directive["Metrics"]} == dict.fromkeys(
        ASK_METRICS, "Count"
    )
    # One value each (EMF sends a metric's values as a list): this question's usage.
    usage = body["usage"]
    assert usage["prompt_tokens"] > 0 and usage["completion_tokens"] > 0
    assert blob["AskPromptTokens"] == [usage["prompt_tokens"]]
    assert blob["AskCompletionTokens"] == [usage["completion_tokens"]]
    assert blob["AskTotalTokens"] == [usage["total_tokens"]]
    assert (blob["AskModelCalls"], blob["AskToolCalls"]) == ([2], [1])
    assert blob["AskAnswersCutShort"] == [0] and "stopped_early" not in blob

    # A refused question spends nothing and flushes nothing: no blob, nothing carried over.
    status, _ = _ask({"question": "Who owes us?"}, tenant=OTHER_TENANT)
    assert status == 403
    assert _emf_blobs(capsys.readouterr().out) == []


def test_an_answer_cut_short_by_a_bound_is_counted_with_the_bound(
    ask_stack: tuple[FakeOpenAI, MemoryBooks],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake, _ = ask_stack
    monkeypatch.setenv("ASK_MAX_TOOL_ROUNDS", "1")
    get_settings.cache_clear()
    fake.enqueue(
        tool_calls(("list_contacts", {})),
        tool_calls(("list_invoices", {})),
        text("Partly: Acme Ltd owes NZD 1100.49."),
    )
    capsys.readouterr()
    status, body = _ask({"question": "Who owes us, and since when?"})
    assert status == 200, body
    assert "rounds of looking up data" in body["answer"]

    [blob] = _emf_blobs(capsys.readouterr().out)
    assert blob["AskAnswersCutShort"] == [1] and blob["stopped_early"] == "rounds"
    assert blob["AskToolCalls"] == [body["usage"]["tool_calls"]] == [1]
