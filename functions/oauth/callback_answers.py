"""The answer to Xero's redirect (GET /xero/callback): for a person, an HTML page or a
redirect back to the console; for a script, JSON."""

from __future__ import annotations

import html
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse

from xero_bridge.connections.flow import ConnectResult
from xero_bridge.http.schemas import ERROR_DESCRIPTIONS, ErrorBody


def wants_html(event: Any) -> bool:
    return "text/html" in (event.headers or {}).get("accept", "")


def page(status: int, title: str, text: str) -> Response[str]:
    body = (
        "<!doctype html><html><head><meta charset='utf-8'><title>"
        f"{html.escape(title)}</title></head><body><h1>{html.escape(title)}</h1>"
        f"<p>{html.escape(text)}</p></body></html>"
    )
    return Response(status_code=status, content_type="text/html; charset=utf-8", body=body)


def back_to(result: ConnectResult) -> str:
    assert result.return_to is not None
    parts = urlsplit(result.return_to)
    extra = urlencode({"xero": "connected", "tenants": len(result.tenants)})
    query = f"{parts.query}&{extra}" if parts.query else extra
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


# Xero redirects the browser here: the answer is for a person (HTML) or a script (JSON).
CALLBACK_ANSWERS: dict[int, OpenAPIResponse] = {
    200: {
        "description": "Connected: the tenants (JSON), or a page saying so (HTML)",
        "content": {
            "application/json": {"schema": {"type": "object"}},
            "text/html": {"schema": {"type": "string"}},
        },
    },
    302: {"description": "Connected: back to `return_to` with `?xero=connected&tenants=N`"},
    **{
        status: {
            "description": ERROR_DESCRIPTIONS[status],
            "content": {
                "application/json": {"model": ErrorBody},
                "text/html": {"schema": {"type": "string"}},
            },
        }
        for status in (400, 403, 409, 502, 503)
    },
}
