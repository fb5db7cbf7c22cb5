"""What `POST /tenants/{tenantId}/ask` answers, as the API description shows it."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class SourceRecord(BaseModel):
    type: str = Field(description="organisation, invoice, bill, contact, payment, account, report")
    id: str = Field(description="The Xero id of the record the answer used")
    label: str | None = Field(None, description="A name for a person, e.g. INV-0002")


class AnswerSource(BaseModel):
    tool: str = Field(description="The read-only tool that fetched the data")
    arguments: dict[str, Any]
    records: list[SourceRecord]


class AnswerUsage(BaseModel):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int
    model_calls: int
    tool_calls: int
    tool_rounds: int


class AskAnswer(BaseModel):
    answer: str
    sources: list[AnswerSource]
    usage: AnswerUsage
    conversation_id: str = Field(description="Send it back to ask a follow-up")
