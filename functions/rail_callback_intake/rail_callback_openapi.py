"""The rails' callback routes in the API description (the intake answers API Gateway
itself, so no event handler describes them)."""

from __future__ import annotations

from typing import Any

from xero_bridge.http.raw_event import signed_post

_LINK_ID: dict[str, Any] = {
    "name": "linkId",
    "in": "path",
    "required": True,
    "description": "The payment link's id (payment_link_id)",
    "schema": {"type": "string", "format": "uuid"},
}
OPENAPI_PATHS: dict[str, Any] = {
    "/webhooks/solaris": signed_post(
        "receive_solaris_webhook",
        "Solaris's signed webhooks: BOOKING, SEPA_CREDIT_TRANSACTION_DECLINED",
        ("Solaris-Webhook-Signature", "sha256=<hex HMAC-SHA256 of the raw body with the secret>"),
        {
            200: "The signature matches; the callback is queued",
            401: "The signature is missing or does not match",
            503: "The callback could not be queued; Solaris retries it",
        },
        description="Verified (constant time), queued, answered at once; the rail worker"
        " reads the transfer at Solaris before it acts. No Okta token.",
        more_headers=("Solaris-Webhook-Event-Type",),
    ),
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
    "/webhooks/gocardless": signed_post(
        "receive_gocardless_webhook",
        "GoCardless's signed webhooks: batches of payment, mandate and billing request events",
        ("Webhook-Signature", "hex HMAC-SHA256 of the raw body with the endpoint's secret"),
        {
            200: "The signature matches; the events are queued",
            498: "The signature is missing or does not match",
            503: "The webhook could not be queued; GoCardless retries it",
        },
        description="Verified (constant time), queued, answered at once (GoCardless waits"
        " 10 s); the rail worker reads each payment, mandate and billing request at"
        " GoCardless before it acts, whatever order the events came in. No Okta token.",
    ),
}
