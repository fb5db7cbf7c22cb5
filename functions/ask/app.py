"""POST /tenants/{tenantId}/ask: a question about the books, answered from Xero data."""

from typing import Annotated

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, Field

from xero_bridge.ask.service import answer
from xero_bridge.auth.principal import Principal
from xero_bridge.observability import logger
from xero_bridge.responses import install_error_handlers

app = APIGatewayHttpResolver(enable_validation=True)
install_error_handlers(app)


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(..., min_length=1, max_length=2000)
    conversation_id: str | None = Field(None, pattern=r"^[0-9a-f-]{36}$")


@app.post("/tenants/<tenantId>/ask")
def ask(
    tenantId: Annotated[str, Path(min_length=1, max_length=64)],
    request: Annotated[AskRequest, Body()],
) -> dict:
    principal = Principal.from_event(app.current_event.raw_event)
    return answer(request.question.strip(), request.conversation_id, principal, tenantId)


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
