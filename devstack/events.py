"""API Gateway HTTP API events (payload format 2.0), built as API Gateway builds them.

The local gateway uses these for every request, and the tests use them to call handlers
directly, so both see exactly the event a deployed function receives.
"""

from __future__ import annotations

import base64
import json
import time
import uuid
from typing import Any
from urllib.parse import parse_qsl, urlencode

API_ID = "local"
STAGE = "$default"
ACCOUNT_ID = "123456789012"
REGION = "eu-west-1"

# Bodies with these content types arrive as text; anything else is base64, as API Gateway does.
_TEXT_TYPES = ("application/json", "text/", "application/x-www-form-urlencoded", "application/xml")


def _encode_body(
    body: bytes | str | dict | list | None, content_type: str
) -> tuple[str | None, bool]:
    if body is None:
        return None, False
    if isinstance(body, dict | list):
        return json.dumps(body), False
    if isinstance(body, str):
        return body, False
    if not body:
        return None, False
    if content_type.startswith(_TEXT_TYPES):
        try:
            return body.decode("utf-8"), False
        except UnicodeDecodeError:
            pass
    return base64.b64encode(body).decode("ascii"), True


def http_api_event(
    method: str,
    path: str,
    *,
    route_key: str | None = None,
    path_parameters: dict[str, str] | None = None,
    query: str | dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    body: bytes | str | dict | list | None = None,
    authorizer_context: dict[str, Any] | None = None,
    source_ip: str = "127.0.0.1",
) -> dict[str, Any]:
    """A payload-format-2.0 event for `method path` (headers lower-cased, like API Gateway)."""
    lowered = {key.lower(): value for key, value in (headers or {}).items()}
    if isinstance(body, dict | list):
        lowered.setdefault("content-type", "application/json")
    raw_query = query if isinstance(query, str) else urlencode(query or {})
    cookies = [c.strip() for c in lowered.pop("cookie", "").split(";") if c.strip()]
    encoded, is_base64 = _encode_body(body, lowered.get("content-type", ""))
    now = time.time()
    request_context: dict[str, Any] = {
        "accountId": ACCOUNT_ID,
        "apiId": API_ID,
        "domainName": lowered.get("host", "127.0.0.1"),
        "domainPrefix": API_ID,
        "http": {
            "method": method.upper(),
            "path": path,
            "protocol": "HTTP/1.1",
            "sourceIp": source_ip,
            "userAgent": lowered.get("user-agent", ""),
        },
        "requestId": uuid.uuid4().hex,
        "routeKey": route_key or f"{method.upper()} {path}",
        "stage": STAGE,
        "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
        "timeEpoch": int(now * 1000),
    }
    if authorizer_context is not None:
        request_context["authorizer"] = {"lambda": authorizer_context}
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": request_context["routeKey"],
        "rawPath": path,
        "rawQueryString": raw_query,
        "headers": lowered,
        "requestContext": request_context,
        "isBase64Encoded": is_base64,
    }
    if cookies:
        event["cookies"] = cookies
    if raw_query:
        params: dict[str, str] = {}
        for key, value in parse_qsl(raw_query, keep_blank_values=True):
            params[key] = f"{params[key]},{value}" if key in params else value
        event["queryStringParameters"] = params
    if path_parameters:
        event["pathParameters"] = path_parameters
    if encoded is not None:
        event["body"] = encoded
    return event


def authorizer_event(request_event: dict[str, Any], identity_source: list[str]) -> dict[str, Any]:
    """The REQUEST authorizer event (payload 2.0) API Gateway sends for a request."""
    context = request_event["requestContext"]
    method, path = context["http"]["method"], context["http"]["path"]
    event = {
        key: value
        for key, value in request_event.items()
        if key not in ("body", "isBase64Encoded", "version")
    }
    event.update(
        {
            "version": "2.0",
            "type": "REQUEST",
            "routeArn": (
                f"arn:aws:execute-api:{REGION}:{ACCOUNT_ID}:{API_ID}/{STAGE}/{method}{path}"
            ),
            "identitySource": identity_source,
        }
    )
    return event
