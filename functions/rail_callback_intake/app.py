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

from typing import Any

from rail_callback_openapi import OPENAPI_PATHS

from xero_bridge.errors import as_bridge_error
from xero_bridge.http.raw_event import empty_answer, html_answer, is_get, path_of, raw_body
from xero_bridge.observability import logger
from xero_bridge.rails.callbacks.intake import IntakeResult, receive
from xero_bridge.rails.callbacks.saferpay import is_return, return_page

__all__ = ["OPENAPI_PATHS", "lambda_handler"]  # the API description reads OPENAPI_PATHS

STATUS_BY_VERDICT = {"queued": 200, "rejected": 401, "unknown_provider": 404}


def _raw_body(event: dict[str, Any]) -> bytes:
    if is_get(event):  # an unsigned GET (Saferpay's notification) says nothing but its URL
        return path_of(event).encode("utf-8")
    return raw_body(event)


def _provider(event: dict[str, Any]) -> str:
    """The segment after /webhooks/: /webhooks/solaris, /webhooks/saferpay/{linkId}…"""
    segments = path_of(event).strip("/").split("/")
    return segments[1] if len(segments) > 1 and segments[0] == "webhooks" else ""


def _status(event: dict[str, Any], result: IntakeResult) -> int:
    if result.verdict == "rejected" and is_get(event):
        return 404  # nothing to sign a GET with: the link is unknown, not the signature wrong
    if result.verdict == "rejected":
        return result.rejected_status  # the provider's word for it: 401, or 498
    return STATUS_BY_VERDICT[result.verdict]


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    provider = _provider(event)
    returning = is_get(event) and is_return(path_of(event))
    try:
        result = receive(provider, event.get("headers") or {}, _raw_body(event))
    except Exception as exc:
        error = as_bridge_error(exc)
        logger.exception("rail callback not queued", extra={"error_code": error.code})
        return html_answer(200, return_page(True)) if returning else empty_answer(503)
    logger.info(
        "rail callback",
        extra={"provider": provider, "verdict": result.verdict, "message_id": result.message_id},
    )
    status = _status(event, result)
    if returning:  # a person: the page, whatever the queue did (Saferpay notifies us anyway)
        return html_answer(status, return_page(status == 200))
    return empty_answer(status)
