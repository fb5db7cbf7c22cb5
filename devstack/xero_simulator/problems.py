"""Xero's error bodies, built as Flask responses."""

from __future__ import annotations

import json
import uuid
from typing import Any

from flask import Response

from .wire import dumps

JSON = "application/json; charset=utf-8"


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(dumps(body), status=status, headers=headers or {}, content_type=JSON)


def problem_body(status: int, title: str, detail: str) -> dict[str, Any]:
    """Xero's problem-details body (each answer its own Instance id)."""
    return {
        "Type": None,
        "Title": title,
        "Status": status,
        "Detail": detail,
        "Instance": str(uuid.uuid4()),
        "Extensions": {},
    }


def problem(status: int, title: str, detail: str) -> Response:
    """Xero answers 401/403/404/429 outside the Accounting schema with a problem body."""
    # json.dumps, not dumps(): Xero sends "Type": null and render() drops nulls.
    body = json.dumps(problem_body(status, title, detail))
    return Response(body, status=status, content_type=JSON)


def rate_limit_headers(limit_problem: str, retry_after: int) -> dict[str, str]:
    """What Xero adds to a 429: which limit was hit and how many seconds to wait."""
    return {"X-Rate-Limit-Problem": limit_problem, "Retry-After": str(retry_after)}


def rate_limited(limit_problem: str, retry_after: int) -> Response:
    response = problem(429, "Too Many Requests", f"Rate limit exceeded: {limit_problem}")
    response.headers.update(rate_limit_headers(limit_problem, retry_after))
    return response


def unauthorized(
    detail: str = "AuthenticationUnsuccessful",
    www_authenticate: str | None = 'Bearer error="invalid_token"',
) -> Response:
    """A 401: a token Xero does not accept (invalid_token), or, with the Detail
    AuthorizationUnsuccessful and no challenge, a token without the scope a call needs."""
    response = problem(401, "Unauthorized", detail)
    if www_authenticate:
        response.headers["WWW-Authenticate"] = www_authenticate
    return response


def forbidden(detail: str = "AuthenticationUnsuccessful") -> Response:
    return problem(403, "Forbidden", detail)


def not_found(detail: str = "The resource you're looking for cannot be found") -> Response:
    return problem(404, "NotFound", detail)


def validation_error(elements: list[dict[str, Any]]) -> Response:
    """ErrorNumber 10: each element is the offending record with its ValidationErrors."""
    body = {
        "ErrorNumber": 10,
        "Type": "ValidationException",
        "Message": "A validation exception occurred",
        "Elements": elements,
    }
    return json_response(body, status=400)


def bad_request(error_type: str, message: str, number: int = 16) -> Response:
    return json_response({"ErrorNumber": number, "Type": error_type, "Message": message}, 400)


class ValidationFailed(Exception):
    """Raised by resource code; the blueprint turns it into Xero's 400 ValidationException."""

    def __init__(self, messages: list[str], element: dict[str, Any] | None = None) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages
        self.element = element or {}

    def as_element(self) -> dict[str, Any]:
        return {**self.element, "ValidationErrors": [{"Message": m} for m in self.messages]}


class NotFound(Exception):
    """A record the path names does not exist in this organisation."""
