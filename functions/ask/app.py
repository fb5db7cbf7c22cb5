"""POST /tenants/{tenantId}/ask: a question about the books, answered from Xero data.

An answered question's usage is flushed as EMF metrics when the invocation ends
(xero_bridge/ask/usage_metrics.py says which); a refused question, or one the model
could not answer, has none.
"""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, Field

from xero_bridge.ask.answers import AskAnswer
from xero_bridge.ask.service import answer
from xero_bridge.http.request import TenantId, caller
from xero_bridge.http.resolver import HttpApi
from xero_bridge.http.schemas import responses
from xero_bridge.observability import logger, metrics, tracer

app = HttpApi()


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(..., min_length=1, max_length=2000)
    conversation_id: str | None = Field(None, pattern=r"^[0-9a-f-]{36}$")


ANSWERS = responses({200: (AskAnswer, "The answer, its sources and what it cost")}, 404)


@app.post("/tenants/<tenantId>/ask", responses=ANSWERS)
def ask(tenantId: TenantId, request: Annotated[AskRequest, Body()]) -> AskAnswer:
    principal = caller(app, tenantId)
    found = answer(request.question.strip(), request.conversation_id, principal, tenantId)
    return AskAnswer.model_validate(found)


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
@tracer.capture_lambda_handler
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
