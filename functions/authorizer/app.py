"""The Okta authorizer of the HTTP API: a Lambda authorizer, payload 2.0, simple responses.

Answers ``{"isAuthorized": bool, "context": {...}}``; the context (sub, email, groups, scopes,
token_id, client_id — see xero_bridge.auth.principal) reaches the functions at
``event.requestContext.authorizer.lambda``. The decision is xero_bridge.auth.authorize's.

Imports stay minimal for cold start: no event handler, no boto3, no Xero or OpenAI SDKs.
"""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from xero_bridge.auth.authorize import authorize
from xero_bridge.observability import logger


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return authorize(event).response()
