"""POST /webhooks/<provider>: the money-moving rails' signed callbacks (no Okta: the
provider's signature is the authentication). Today: POST /webhooks/solaris.

Answers API Gateway directly, fast: 200 with an empty body when the signature matches and the
callback is queued, 401 when it does not match, 404 for a provider we do not know, 503 when
the queue could not take it (the provider retries).
"""

import base64
from typing import Any

from xero_bridge.errors import as_bridge_error
from xero_bridge.observability import logger
from xero_bridge.rails.callbacks.intake import receive

STATUS_BY_VERDICT = {"queued": 200, "rejected": 401, "unknown_provider": 404}

OPENAPI_PATHS: dict[str, Any] = {
    "/webhooks/solaris": {
        "post": {
            "operationId": "receive_solaris_webhook",
            "summary": "Solaris's signed webhooks: BOOKING, SEPA_CREDIT_TRANSACTION_DECLINED",
            "description": "Verified (constant time), queued, answered at once; the rail worker"
            " reads the transfer at Solaris before it acts. No Okta token.",
            "parameters": [
                {
                    "name": "Solaris-Webhook-Signature",
                    "in": "header",
                    "required": True,
                    "description": "sha256=<hex HMAC-SHA256 of the raw body with the secret>",
                    "schema": {"type": "string"},
                },
                {
                    "name": "Solaris-Webhook-Event-Type",
                    "in": "header",
                    "required": False,
                    "schema": {"type": "string"},
                },
            ],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"type": "object"}}},
            },
            "responses": {
                "200": {"description": "The signature matches; the callback is queued"},
                "401": {"description": "The signature is missing or does not match"},
                "503": {"description": "The callback could not be queued; Solaris retries it"},
            },
        }
    }
}


def _answer(status: int) -> dict[str, Any]:
    return {"statusCode": status, "headers": {}, "body": "", "isBase64Encoded": False}


def _raw_body(event: dict[str, Any]) -> bytes:
    body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        return base64.b64decode(body)
    return body.encode("utf-8")


def _provider(event: dict[str, Any]) -> str:
    path = str(event.get("rawPath") or event.get("requestContext", {}).get("http", {}).get("path"))
    return path.rstrip("/").rsplit("/", 1)[-1]


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    provider = _provider(event)
    try:
        result = receive(provider, event.get("headers") or {}, _raw_body(event))
    except Exception as exc:
        error = as_bridge_error(exc)
        logger.exception("rail callback not queued", extra={"error_code": error.code})
        return _answer(503)
    logger.info(
        "rail callback",
        extra={"provider": provider, "verdict": result.verdict, "message_id": result.message_id},
    )
    return _answer(STATUS_BY_VERDICT[result.verdict])
