"""The few helpers of a function that answers API Gateway's raw event itself (the webhook
intakes): no event-handler import, so such a function starts and answers fast."""

from __future__ import annotations

import base64
from typing import Any


def empty_answer(status: int) -> dict[str, Any]:
    """A status with an empty body: what webhook senders expect."""
    return {"statusCode": status, "headers": {}, "body": "", "isBase64Encoded": False}


def html_answer(status: int, html: str) -> dict[str, Any]:
    headers = {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"}
    return {"statusCode": status, "headers": headers, "body": html, "isBase64Encoded": False}


def raw_body(event: dict[str, Any]) -> bytes:
    """The body's bytes exactly as sent (a signature is computed over them)."""
    body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        return base64.b64decode(body)
    return body.encode("utf-8")


def header(event: dict[str, Any], name: str) -> str | None:
    """A request header by its lower-case name, whatever case the sender used."""
    for key, value in (event.get("headers") or {}).items():
        if key.lower() == name:
            return str(value)
    return None


def path_of(event: dict[str, Any]) -> str:
    return str(event.get("rawPath") or event.get("requestContext", {}).get("http", {}).get("path"))


def is_get(event: dict[str, Any]) -> bool:
    return str(event.get("requestContext", {}).get("http", {}).get("method")).upper() == "GET"


def signed_post(
    operation_id: str,
    summary: str,
    signature: tuple[str, str],
    answers: dict[int, str],
    *,
    description: str | None = None,
    more_headers: tuple[str, ...] = (),
) -> dict[str, Any]:
    """A signed webhook's POST in the API description: `signature` is (header, what it holds);
    `answers` each status's description. The body is the sender's JSON, kept raw."""
    name, holds = signature
    parameters: list[dict[str, Any]] = [
        {
            "name": name,
            "in": "header",
            "required": True,
            "description": holds,
            "schema": {"type": "string"},
        }
    ]
    parameters += [
        {"name": extra, "in": "header", "required": False, "schema": {"type": "string"}}
        for extra in more_headers
    ]
    operation: dict[str, Any] = {"operationId": operation_id, "summary": summary}
    if description:
        operation["description"] = description
    operation["parameters"] = parameters
    operation["requestBody"] = {
        "required": True,
        "content": {"application/json": {"schema": {"type": "object"}}},
    }
    operation["responses"] = {
        str(status): {"description": text} for status, text in answers.items()
    }
    return {"post": operation}
