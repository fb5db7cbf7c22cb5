"""Ask a question about one tenant's books: the logic behind POST /tenants/{tenantId}/ask.

Order matters: the tenant grant is checked first, then the conversation (404 for anyone
else's), then the OpenAI key (503 when none is configured) — so nothing reaches Xero or
OpenAI for a caller who may not ask, or when the answer could not be produced anyway.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any, Protocol

from xero_bridge.ask.conversation import LoopLimits, run_conversation
from xero_bridge.ask.prompts import system_prompt
from xero_bridge.ask.source import BooksSource
from xero_bridge.ask.tools import ToolContext, ToolRunner
from xero_bridge.ask.usage_metrics import record_answer
from xero_bridge.errors import ConfigurationError, NotFoundError, ServiceUnavailableError
from xero_bridge.observability import logger
from xero_bridge.persistence import conversations
from xero_bridge.settings import Settings, get_settings


class PrincipalLike(Protocol):
    @property
    def sub(self) -> str: ...


def limits_from(settings: Settings) -> LoopLimits:
    return LoopLimits(
        max_tool_rounds=settings.ask_max_tool_rounds,
        max_total_tokens=settings.ask_max_tokens,
        max_completion_tokens=settings.ask_max_completion_tokens,
        time_budget_seconds=settings.ask_time_budget_seconds,
        request_timeout_seconds=settings.openai_timeout_seconds,
    )


def openai_api_key() -> str:
    """The key from the app secret; 503 with a clear message when none is configured."""
    from xero_bridge.secrets import app_secret

    try:
        return app_secret("openai_api_key")
    except ConfigurationError:
        raise ServiceUnavailableError(
            "asking about the books is not available: no OpenAI API key is configured"
        ) from None


@lru_cache(maxsize=4)
def _client(base_url: str, api_key: str, timeout: float) -> Any:
    from openai import OpenAI

    # One quick retry at most: the loop's wall-time budget bounds everything else.
    return OpenAI(base_url=base_url, api_key=api_key, timeout=timeout, max_retries=1)


def openai_client(settings: Settings) -> Any:
    return _client(settings.openai_base_url, openai_api_key(), settings.openai_timeout_seconds)


def xero_source(tenant_id: str) -> BooksSource:
    from xero_bridge.ask.xero_source import XeroBooksSource
    from xero_bridge.xero.client import accounting_api, xero_call

    return XeroBooksSource(tenant_id, accounting_api(tenant_id), call=xero_call)


def _conversation(
    principal: PrincipalLike, tenant_id: str, conversation_id: str | None
) -> conversations.Conversation:
    """The caller's conversation with that id (404 for anyone else's), or a new one."""
    if conversation_id:
        conversation = conversations.get_conversation(principal.sub, tenant_id, conversation_id)
        if conversation is None:
            raise NotFoundError("no such conversation")
        return conversation
    return conversations.Conversation(
        conversation_id=str(uuid.uuid4()), user_sub=principal.sub, tenant_id=tenant_id
    )


def _messages(
    conversation: conversations.Conversation, question: str, day: date
) -> list[dict[str, Any]]:
    """The system prompt, the conversation's earlier turns, then the question."""
    messages: list[dict[str, Any]] = [{"role": "system", "content": system_prompt(day)}]
    for turn in conversation.turns:
        messages.append({"role": "user", "content": turn.question})
        messages.append({"role": "assistant", "content": turn.answer})
    messages.append({"role": "user", "content": question})
    return messages


def answer(
    question: str,
    conversation_id: str | None,
    principal: PrincipalLike,
    tenant_id: str,
    *,
    source_factory: Callable[[str], BooksSource] | None = None,
    client: Any | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """{answer, sources, usage, conversation_id} for `question` about `tenant_id`'s books.

    The caller has already been checked for access to the tenant (the handler does it).
    """
    settings = get_settings()
    conversation = _conversation(principal, tenant_id, conversation_id)
    model_client = client if client is not None else openai_client(settings)
    day = today or datetime.now(UTC).date()

    runner = ToolRunner((source_factory or xero_source)(tenant_id), ToolContext(today=day))
    result = run_conversation(
        model_client,
        settings.openai_model,
        _messages(conversation, question, day),
        runner,
        limits_from(settings),
    )
    # Counted before the turn is saved: the tokens are spent whether or not saving works.
    record_answer(result.usage, result.stopped_early)
    conversations.save_turn(conversation, question, result.answer)
    logger.info(
        "question answered",
        extra={
            "tenant_id": tenant_id,
            "usage": result.usage.as_dict(),
            "stopped_early": result.stopped_early,
            "sources": len(result.sources),
        },
    )
    return {
        "answer": result.answer,
        "sources": result.sources,
        "usage": result.usage.as_dict(),
        "conversation_id": conversation.conversation_id,
    }
