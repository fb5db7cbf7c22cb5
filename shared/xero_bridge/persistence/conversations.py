"""Conversation history of the ask function, per user and tenant, in the Conversations table.

The key is (user_tenant, conversation_id) with user_tenant = "<user sub>#<tenant id>", so a
conversation is only ever found by the user who started it, for the tenant it was about:
anyone else's lookup is simply a miss (404). Only questions and answers are kept (no tool
data), the last few turns, and items expire through TTL.
"""

from __future__ import annotations

import time
from typing import Any

from pydantic import BaseModel, Field

from xero_bridge.persistence.dynamodb import get_item, table
from xero_bridge.settings import get_settings

MAX_TURNS = 6  # turns kept (and sent back to the model as context)
MAX_TEXT = 4000  # characters kept of each question and answer


class Turn(BaseModel):
    question: str
    answer: str
    at: int = Field(default_factory=lambda: int(time.time()))


class Conversation(BaseModel):
    conversation_id: str
    user_sub: str
    tenant_id: str
    turns: list[Turn] = Field(default_factory=list)
    created_at: int = Field(default_factory=lambda: int(time.time()))


def _table() -> Any:
    return table(get_settings().required("conversations_table"))


def _owner(user_sub: str, tenant_id: str) -> str:
    return f"{user_sub}#{tenant_id}"


def get_conversation(user_sub: str, tenant_id: str, conversation_id: str) -> Conversation | None:
    """The conversation if this user started it for this tenant and it has not expired."""
    key = {"user_tenant": _owner(user_sub, tenant_id), "conversation_id": conversation_id}
    item = get_item(_table(), key, consistent=False)
    if item is None or int(item.get("expires_at", 0)) <= time.time():
        return None  # TTL deletion lags; an expired item is gone as far as callers know
    return Conversation(
        conversation_id=item["conversation_id"],
        user_sub=user_sub,
        tenant_id=tenant_id,
        turns=[
            Turn(question=t["question"], answer=t["answer"], at=int(t["at"]))
            for t in item.get("turns", [])
        ],
        created_at=int(item.get("created_at", 0)),
    )


def save_turn(conversation: Conversation, question: str, answer: str) -> Conversation:
    """Append one turn (keeping the last MAX_TURNS) and push the expiry forward."""
    turns = [*conversation.turns, Turn(question=question[:MAX_TEXT], answer=answer[:MAX_TEXT])]
    updated = conversation.model_copy(update={"turns": turns[-MAX_TURNS:]})
    now = int(time.time())
    _table().put_item(
        Item={
            "user_tenant": _owner(conversation.user_sub, conversation.tenant_id),
            "conversation_id": conversation.conversation_id,
            "tenant_id": conversation.tenant_id,
            "turns": [turn.model_dump() for turn in updated.turns],
            "created_at": conversation.created_at,
            "updated_at": now,
            "expires_at": now + get_settings().conversation_ttl_days * 86400,
        }
    )
    return updated
