"""POST /webhooks/xero: Xero's signed webhook deliveries (no Okta; the signature is the auth).

Answers API Gateway directly (no event-handler import: this must start and answer fast):
200 with an empty body when the signature matches and the delivery is safely queued, 401
with an empty body when it does not, 503 when the delivery could not be queued (Xero
retries it, so nothing is lost).
"""

from typing import Any

from xero_bridge.errors import as_bridge_error
from xero_bridge.http.raw_event import empty_answer, header, raw_body, signed_post
from xero_bridge.observability import logger
from xero_bridge.webhooks.intake import receive
from xero_bridge.webhooks.signature import HEADER

# Xero's contract: 200 with no body when the signature matches, 401 when it does not.
STATUS_BY_VERDICT = {"accepted": 200, "empty": 200, "rejected": 401}


# This handler answers API Gateway itself; its route's part of the API description.
OPENAPI_PATHS: dict[str, Any] = {
    "/webhooks/xero": signed_post(
        "receive_xero_webhook",
        "Xero's signed webhook deliveries (x-xero-signature, no Okta token)",
        ("x-xero-signature", "base64 HMAC-SHA256 of the raw body with the webhook key"),
        {
            200: "The signature matches; the delivery is queued",
            401: "The signature does not match (empty body)",
            503: "The delivery could not be queued; Xero retries it",
        },
    )
}


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    try:
        result = receive(raw_body(event), header(event, HEADER))
    except Exception as exc:
        error = as_bridge_error(exc)
        logger.exception("webhook delivery not queued", extra={"error_code": error.code})
        return empty_answer(503)
    logger.info(
        "webhook delivery", extra={"verdict": result.verdict, "message_id": result.message_id}
    )
    return empty_answer(STATUS_BY_VERDICT[result.verdict])
