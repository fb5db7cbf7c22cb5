"""`HttpApi`: the Powertools resolver every API function uses, with the product's rules.

- request bodies are parsed by `request.exact_json` (numbers as Decimal) and validated
  against the route's pydantic models (`enable_validation`);
- every exception becomes the error body with its honest status (`errors.py`), an
  unexpected one a 500 that reveals nothing;
- a body that is not UTF-8 text is a 400 before any route runs (Powertools would otherwise
  fail decoding it deep inside validation, a 500).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)

from xero_bridge.errors import (
    BadRequestError,
    NotFoundError,
    UnsupportedMediaTypeError,
    XeroBridgeError,
    error_body,
)
from xero_bridge.http.request import exact_json, validation_details
from xero_bridge.responses import dumps, log_error


def error_response(exc: BaseException) -> Response[str]:
    """The response for an exception: the error body, logged at the right level."""
    error = log_error(exc)
    return Response(
        status_code=error.status,
        content_type="application/json",
        body=dumps(error_body(error)),
        headers=error.headers,
    )


def _content_type(event: Mapping[str, Any]) -> str:
    for name, value in (event.get("headers") or {}).items():
        if name.lower() == "content-type":
            return str(value).split(";")[0].strip().lower()
    return ""


def _body_problem(event: Mapping[str, Any]) -> XeroBridgeError | None:
    """Why the raw body cannot be read as JSON text, if it cannot."""
    body = event.get("body")
    if not body:
        return None
    if _content_type(event) not in ("", "application/json"):
        return UnsupportedMediaTypeError("send the body as application/json")
    if not event.get("isBase64Encoded"):
        return None
    try:
        base64.b64decode(body, validate=True).decode("utf-8")
    except binascii.Error:
        return BadRequestError("the body is not valid base64")
    except UnicodeDecodeError as exc:
        return BadRequestError(
            "the body is not UTF-8 text",
            [{"field": None, "problem": f"invalid UTF-8 at byte {exc.start}"}],
        )
    return None


class HttpApi(APIGatewayHttpResolver):
    """An HTTP API (payload 2.0) resolver with the product's body parsing and errors."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("enable_validation", True)
        kwargs.setdefault("json_body_deserializer", exact_json)
        super().__init__(**kwargs)
        self._install_error_handlers()

    def resolve(self, event: Mapping[str, Any], context: Any) -> dict[str, Any]:
        problem = _body_problem(event)
        if problem is not None:
            response = error_response(problem)
            return {
                "statusCode": response.status_code,
                "headers": {"Content-Type": "application/json", **(response.headers or {})},
                "body": response.body,
                "isBase64Encoded": False,
            }
        return super().resolve(event, context)

    def _install_error_handlers(self) -> None:
        @self.exception_handler(XeroBridgeError)
        def bridge_error(exc: XeroBridgeError) -> Response[str]:
            return error_response(exc)

        @self.exception_handler(RequestUnsupportedContentType)
        def unsupported_content_type(exc: RequestUnsupportedContentType) -> Response[str]:
            return error_response(UnsupportedMediaTypeError("send the body as application/json"))

        @self.exception_handler(RequestValidationError)
        def invalid_request(exc: RequestValidationError) -> Response[str]:
            details = validation_details(exc.errors(), skip=1)
            return error_response(BadRequestError("the request is not valid", details))

        @self.not_found
        def no_route(exc: Any) -> Response[str]:
            return error_response(NotFoundError("no such route"))

        @self.exception_handler(Exception)
        def unexpected(exc: Exception) -> Response[str]:
            return error_response(exc)
