"""/webhooks/<provider>: the money-moving rails' callbacks (no Okta). Today: POST
/webhooks/solaris and POST /webhooks/gocardless (their signatures are the authentication),
and GET /webhooks/saferpay/{linkId} (Saferpay's unsigned notification: only a prompt, the
worker Asserts the truth), with GET /webhooks/saferpay/{linkId}/return, where the payer's
browser lands after paying.

Answers API Gateway directly, fast: 200 with an empty body when the callback is verified and
queued, 401 when a signature does not match (498 for GoCardless, as it asks; 404 for a
Saferpay link we do not know), 404 for a provider we do not know, 503 when the queue could
not take it (the provider retries). The return page is HTML for a person, and prompts the
same check as a notification.
"""

import base64
from typing import Any

from xero_bridge.errors import as_bridge_error
from xero_bridge.observability import logger
from xero_bridge.rails.callbacks.intake import IntakeResult, receive
from xero_bridge.rails.callbacks.saferpay import is_return, return_page

STATUS_BY_VERDICT = {"queued": 200, "rejected": 401, "unknown_provider": 404}

_LINK_ID: dict[str, Any] = {
    "name": "linkId",
    "in": "path",
    "required": True,
    "description": "The payment link's id (payment_link_id)",
    "schema": {"type": "string", "format": "uuid"},
}
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
    },
    "/webhooks/saferpay/{linkId}": {
        "get": {
            "operationId": "receive_saferpay_notification",
            "summary": "Saferpay's notification for a card payment link (unsigned: a prompt)",
            "description": "Queued when the link exists, answered at once; the rail worker"
            " Asserts the link's token at Saferpay and only its answer moves the payment"
            " (captured, then recorded in Xero once). No Okta token.",
            "parameters": [_LINK_ID],
            "responses": {
                "200": {"description": "The link exists; a check of it is queued"},
                "404": {"description": "No such payment link: nothing is queued"},
                "503": {"description": "The check could not be queued; Saferpay retries it"},
            },
        }
    },
    "/webhooks/saferpay/{linkId}/return": {
        "get": {
            "operationId": "payer_returns_from_saferpay",
            "summary": "Where the payer's browser lands after Saferpay's payment page",
            "description": "A small HTML page (the outcome is confirmed moments later, by"
            " Assert); it queues the same check as a notification. No Okta token.",
            "parameters": [_LINK_ID],
            "responses": {
                "200": {"description": "The page", "content": {"text/html": {}}},
                "404": {"description": "No such payment link", "content": {"text/html": {}}},
            },
        }
    },
    "/webhooks/gocardless": {
        "post": {
            "operationId": "receive_gocardless_webhook",
            "summary": "GoCardless's signed webhooks: batches of payment, mandate and billing"
            " request events",
            "description": "Verified (constant time), queued, answered at once (GoCardless waits"
            " 10 s); the rail worker reads each payment, mandate and billing request at"
            " GoCardless before it acts, whatever order the events came in. No Okta token.",
            "parameters": [
                {
                    "name": "Webhook-Signature",
                    "in": "header",
                    "required": True,
                    "description": "hex HMAC-SHA256 of the raw body with the endpoint's secret",
                    "schema": {"type": "string"},
                }
            ],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"type": "object"}}},
            },
            "responses": {
                "200": {"description": "The signature matches; the events are queued"},
                "498": {"description": "The signature is missing or does not match"},
                "503": {"description": "The webhook could not be queued; GoCardless retries it"},
            },
        }
    },
}


def _answer(status: int) -> dict[str, Any]:
    return {"statusCode": status, "headers": {}, "body": "", "isBase64Encoded": False}


def _page(status: int, html: str) -> dict[str, Any]:
    headers = {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"}
    return {"statusCode": status, "headers": headers, "body": html, "isBase64Encoded": False}


def _path(event: dict[str, Any]) -> str:
    return str(event.get("rawPath") or event.get("requestContext", {}).get("http", {}).get("path"))


def _is_get(event: dict[str, Any]) -> bool:
    return str(event.get("requestContext", {}).get("http", {}).get("method")).upper() == "GET"


def _raw_body(event: dict[str, Any]) -> bytes:
    if _is_get(event):  # an unsigned GET (Saferpay's notification) says nothing but its URL
        return _path(event).encode("utf-8")
    body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        return base64.b64decode(body)
    return body.encode("utf-8")


def _provider(event: dict[str, Any]) -> str:
    """The segment after /webhooks/: /webhooks/solaris, /webhooks/saferpay/{linkId}…"""
    segments = _path(event).strip("/").split("/")
    return segments[1] if len(segments) > 1 and segments[0] == "webhooks" else ""


def _status(event: dict[str, Any], result: IntakeResult) -> int:
    if result.verdict == "rejected" and _is_get(event):
        return 404  # nothing to sign a GET with: the link is unknown, not the signature wrong
    if result.verdict == "rejected":
        return result.rejected_status  # the provider's word for it: 401, or 498
    return STATUS_BY_VERDICT[result.verdict]


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    provider = _provider(event)
    returning = _is_get(event) and is_return(_path(event))
    try:
        result = receive(provider, event.get("headers") or {}, _raw_body(event))
    except Exception as exc:
        error = as_bridge_error(exc)
        logger.exception("rail callback not queued", extra={"error_code": error.code})
        return _page(200, return_page(True)) if returning else _answer(503)
    logger.info(
        "rail callback",
        extra={"provider": provider, "verdict": result.verdict, "message_id": result.message_id},
    )
    status = _status(event, result)
    if returning:  # a person: the page, whatever the queue did (Saferpay notifies us anyway)
        return _page(status, return_page(status == 200))
    return _answer(status)
