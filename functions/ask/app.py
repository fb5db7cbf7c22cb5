"""POST /tenants/{tenantId}/ask: a question about the books, answered from Xero data."""

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, Field

from xero_bridge.ask.service import answer
from xero_bridge.http.request import TenantId, caller
from xero_bridge.http.resolver import HttpApi
from xero_bridge.http.schemas import responses
from xero_bridge.observability import logger

app = HttpApi()


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(..., min_length=1, max_length=2000)
    conversation_id: str | None = Field(None, pattern=r"^[0-9a-f-]{36}$")


class SourceRecord(BaseModel):
    type: str = Field(description="`invoice`, `contact`, `account`, `payment`…")
    id: str = Field(description="The Xero id of the record")
    label: str | None = Field(None, description="What a person calls it, e.g. INV-0001")


class AnswerSource(BaseModel):
    tool: str = Field(description="The read-only tool the model used")
    arguments: dict[str, Any] = Field(description="What the model asked the tool")
    records: list[SourceRecord] = Field(description="The records the tool's answer named")


class AskUsage(BaseModel):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int
    model_calls: int
    tool_calls: int
    tool_rounds: int


class AskAnswer(BaseModel):
    answer: str
    sources: list[AnswerSource]
    usage: AskUsage = Field(description="What the answer cost")
    conversation_id: str = Field(description="Pass it back to follow up")


@app.post(
    "/tenants/<tenantId>/ask",
    responses=responses({200: (AskAnswer, "The answer, its sources and its cost")}, 404),
)
def ask(tenantId: TenantId, request: Annotated[AskRequest, Body()]) -> dict:
    principal = caller(app, tenantId)
    return answer(request.question.strip(), request.conversation_id, principal, tenantId)


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
